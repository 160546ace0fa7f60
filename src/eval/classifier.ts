/**
 * A small convolutional image classifier declared with the DSL and trained with the library's own
 * optimizer: the provisional judge of protocol Q2 (label histogram from its softmax, feature
 * metrics on its penultimate layer) until a judge ships as weights.
 *
 * @since 0.1.0
 */
import type { LabelledImages } from '../data/mnist.ts'
import { shuffledIndices } from '../data/mnist.ts'
import { conv2d } from '../dsl/conv.ts'
import { dense, flatten, relu, type Layer } from '../dsl/layer.ts'
import { sequential } from '../dsl/network.ts'
import { adam } from '../dsl/optimizer.ts'
import { getOrThrow } from '../errors.ts'
import { compileNetwork, type CompiledNetwork } from '../compile/network.ts'
import type { Params } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { checkNetwork } from '../shape/check.ts'
import { initOptimizerState } from '../train/optimizer.ts'
import { disposeReplaced, gradientUpdate, type Player } from '../train/update.ts'
import type { Features } from './feature-metrics.ts'

/**
 * A trained classifier: class probabilities and penultimate features of images given as
 * `count × height × width × channels` values in [0, 1].
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageClassifier {
  readonly classes: number
  readonly featureDimension: number
  /** Class probabilities, `count × classes`. */
  readonly probabilities: (images: Float32Array, count: number) => Promise<Float32Array>
  /** Penultimate activations (after the ReLU), the space feature metrics work in. */
  readonly features: (images: Float32Array, count: number) => Promise<Features>
  readonly dispose: () => void
}

const featureLayers = (featureDimension: number): ReadonlyArray<Layer> => [
  conv2d(32, 3, { stride: 2 }),
  relu,
  conv2d(64, 3, { stride: 2 }),
  relu,
  flatten,
  dense(featureDimension),
  relu,
]

/**
 * Trains the classifier on `images` for `epochs` passes in a seeded order (Adam 1e-3, batch 64),
 * on the active backend.
 *
 * @since 0.1.0
 * @category constructors
 */
export const trainImageClassifier = async (
  images: LabelledImages,
  options: { readonly seed?: number; readonly epochs?: number; readonly batchSize?: number; readonly featureDimension?: number } = {},
): Promise<ImageClassifier> => {
  const { seed = 1, epochs = 3, batchSize = 64, featureDimension = 128 } = options
  const shape = [images.height, images.width, images.channels]
  const classes = images.classNames.length
  const size = images.height * images.width * images.channels
  const check = (layers: ReadonlyArray<Layer>) => compileNetwork(getOrThrow(checkNetwork(sequential(shape, layers), 'classifier')))
  // The feature network is a prefix of the full one, so the same parameter record drives both.
  const full = check([...featureLayers(featureDimension), dense(classes)])
  const prefix = check(featureLayers(featureDimension))
  const optimizer = adam({ learningRate: 1e-3 })
  const initial = full.init(seed)
  let player: Player = { params: initial, optimizer: initOptimizerState(optimizer, initial, full.trainablePaths) }
  const batch = new Float32Array(batchSize * size)
  const labels = new Int32Array(batchSize)
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffledIndices(images.count, seed * 1000 + epoch)
    for (let start = 0; start + batchSize <= images.count; start += batchSize) {
      for (let b = 0; b < batchSize; b++) {
        const index = order[start + b]!
        for (let p = 0; p < size; p++) batch[b * size + p] = images.pixels[index * size + p]! / 255
        labels[b] = images.labels[index]!
      }
      const x = tf.tensor(batch, [batchSize, ...shape])
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes))
      const { player: next, report } = gradientUpdate(player, full.trainablePaths, optimizer, (params: Params) => {
        const logits = full.apply(params, x, { training: true })
        // Softmax cross-entropy from logits: logsumexp − the true class's logit.
        const loss = tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(y, logits), 1)))
        return { loss, stateUpdates: {}, metrics: tf.zeros([0]) }
      })
      disposeReplaced(player, next)
      player = next
      tf.dispose([x, y, report])
    }
  }
  const params = player.params
  tf.dispose(Object.values(player.optimizer.slots))
  // Inference in chunks so that 2,000 images never sit in one activation tensor.
  const inChunks = async (net: CompiledNetwork, last: (t: Tensor) => Tensor, values: Float32Array, count: number, width: number) => {
    const out = new Float32Array(count * width)
    for (let start = 0; start < count; start += 250) {
      const n = Math.min(250, count - start)
      const result = tf.tidy(() => last(net.apply(params, tf.tensor(values.subarray(start * size, (start + n) * size), [n, ...shape]), { training: false })))
      out.set(await result.data(), start * width)
      result.dispose()
    }
    return out
  }
  return {
    classes,
    featureDimension,
    probabilities: (values, count) => inChunks(full, (t) => tf.softmax(t), values, count, classes),
    features: async (values, count) => ({ count, dimension: featureDimension, values: await inChunks(prefix, (t) => t, values, count, featureDimension) }),
    dispose: () => tf.dispose(Object.values(params)),
  }
}
