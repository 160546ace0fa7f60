/**
 * A fixed random convolutional feature network: the feature space of the distribution metrics
 * (FD, KID, precision/recall, density/coverage) for images the shipped judges cannot score (any
 * height × width, one or three channels). It ships as code, not weights: every weight is drawn
 * from a seeded stream, so it needs no download and scores the same on every machine.
 *
 * Why random and not a network trained on ImageNet (FID's Inception) or on the user's images:
 * random convolutional embeddings are a known baseline for fidelity/diversity metrics (Naeem et
 * al. 2020 evaluate density and coverage with them; Kynkäänniemi et al. 2023 show that FID's
 * ImageNet features answer partly about ImageNet classes, not about the images). Training a
 * network at evaluation time would make the feature space depend on the optimiser, the time
 * spent and the backend; a fixed random one is deterministic and fast. Its numbers are only
 * comparable between runs scored with the same feature version, image size, channels and
 * reference set (never with published FID/KID), which is why the real-vs-real floor is always
 * printed beside them.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidData, type GanError } from '../errors.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { Rng } from '../random.ts'
import type { Features } from './feature-metrics.ts'

/**
 * Images of one size, `count × height × width × channels` (channels last), values in [0, 1].
 *
 * @since 0.3.0
 * @category model
 */
export interface ImageSet {
  readonly values: Float32Array
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
}

/**
 * The feature network's version: it changes whenever its numbers would, so a report names it.
 *
 * @example
 * import { randomFeatureVersion } from 'ganfp'
 * randomFeatureVersion // 'random-conv-v1'
 * @since 0.3.0
 * @category model
 */
export const randomFeatureVersion = 'random-conv-v1'

/** Four stride-2 stages of this many channels; each stage is average- and max-pooled. */
const stageChannels = [16, 16, 16, 16] as const
/** Longer sides are box-downsampled by an integer factor to at most this, which bounds the cost. */
const maxSide = 64
const defaultSeed = 20

/**
 * The feature dimension: 4 stages × 16 channels × (global average, global max). Small on purpose:
 * the covariance FD compares is then estimated well from a few hundred images (a user's folder),
 * and its eigendecompositions take a fraction of a second.
 *
 * @example
 * import { randomFeatureDimension } from 'ganfp'
 * randomFeatureDimension // 128
 * @since 0.3.0
 * @category model
 */
export const randomFeatureDimension: number = stageChannels.reduce((n, c) => n + 2 * c, 0)

/**
 * What is wrong with an image set for the feature network (at `path`): its sizes, its channels
 * (1 or 3), its length, values outside [0, 1].
 *
 * @example
 * import { imageSetProblems } from 'ganfp'
 * imageSetProblems({ values: new Float32Array(8), count: 2, height: 2, width: 2, channels: 2 }, 'samples').length // 1
 * @since 0.3.0
 * @category validation
 */
export const imageSetProblems = (images: ImageSet, path: string): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  for (const key of ['count', 'height', 'width'] as const)
    if (!(Number.isInteger(images[key]) && images[key] > 0)) errors.push(invalidData(`${path}.${key}`, 'a positive integer', String(images[key])))
  if (images.channels !== 1 && images.channels !== 3) errors.push(invalidData(`${path}.channels`, '1 or 3', String(images.channels)))
  if (errors.length > 0) return errors
  const expected = images.count * images.height * images.width * images.channels
  if (images.values.length !== expected)
    errors.push(invalidData(`${path}.values.length`, `${images.count} × ${images.height} × ${images.width} × ${images.channels} = ${expected}`, String(images.values.length)))
  const outside = images.values.findIndex((v) => !(v >= 0 && v <= 1))
  if (outside >= 0) errors.push(invalidData(`${path}.values[${outside}]`, 'a value in [0, 1]', String(images.values[outside])))
  return errors
}

/** He-normal 3×3 kernels and zero biases, drawn in a fixed order from `seed`. */
const kernels = (channels: number, seed: number): ReadonlyArray<{ readonly shape: [number, number, number, number]; readonly values: Float32Array }> => {
  const rng = Rng.fromSeed(seed)
  let inputs = channels
  return stageChannels.map((outputs) => {
    const values = rng.normals(9 * inputs * outputs, 0, Math.sqrt(2 / (9 * inputs)))
    const kernel = { shape: [3, 3, inputs, outputs] as [number, number, number, number], values }
    inputs = outputs
    return kernel
  })
}

/**
 * The random features of a set of images: centred to [−1, 1], box-downsampled so the longer side
 * is at most 64, then four 3×3 stride-2 convolutions (16 channels, ReLU), each stage's map global
 * average- and max-pooled, concatenated (`randomFeatureDimension` values per image). Global pooling
 * makes it size-agnostic; the weights depend only on the channels and `seed`. Runs on the active
 * backend, 250 images at a time.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { randomFeatures } from 'ganfp'
 * const images = { values: new Float32Array(2 * 16 * 16 * 3).fill(0.5), count: 2, height: 16, width: 16, channels: 3 }
 * const features = await randomFeatures(images)
 * E.isRight(features) && features.right.dimension // 128
 * @since 0.3.0
 * @category metrics
 */
export const randomFeatures = async (images: ImageSet, options: { readonly seed?: number } = {}): Promise<E.Either<ReadonlyArray<GanError>, Features>> => {
  const errors = imageSetProblems(images, 'images')
  if (errors.length > 0) return E.left(errors)
  const { count, height, width, channels } = images
  const weights = kernels(channels, options.seed ?? defaultSeed).map((k) => tf.tensor4d(k.values, k.shape))
  const factor = Math.ceil(Math.max(height, width) / maxSide)
  const size = height * width * channels
  const out = new Float32Array(count * randomFeatureDimension)
  try {
    for (let start = 0; start < count; start += 250) {
      const n = Math.min(250, count - start)
      const result = tf.tidy(() => {
        let x: Tensor = tf.sub(tf.mul(tf.tensor4d(images.values.subarray(start * size, (start + n) * size), [n, height, width, channels]), 2), 1)
        if (factor > 1) x = tf.avgPool(x as tf.Tensor4D, factor, factor, 'valid')
        const pooled: Array<Tensor> = []
        for (const kernel of weights) {
          x = tf.relu(tf.conv2d(x as tf.Tensor4D, kernel, 2, 'same'))
          pooled.push(tf.mean(x, [1, 2]), tf.max(x, [1, 2]))
        }
        return tf.concat(pooled, 1)
      })
      out.set(await result.data(), start * randomFeatureDimension)
      result.dispose()
    }
  } finally {
    tf.dispose(weights)
  }
  return E.right({ count, dimension: randomFeatureDimension, values: out })
}
