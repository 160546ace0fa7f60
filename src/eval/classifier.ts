/**
 * Image classifiers declared with the DSL (trained in `classifier-training.ts`): the judge of
 * protocols Q2–Q4 (label histogram from its softmax, feature metrics on its penultimate layer).
 * A trained classifier exports its weights as plain data, and one can be rebuilt from them, so
 * the judge ships as weights (`src/eval/judge.ts`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { conv2d } from '../layers/conv2d.ts'
import { dense } from '../layers/dense.ts'
import { flatten } from '../layers/flatten.ts'
import type { Layer } from '../layers/registry.ts'
import { relu } from '../layers/relu.ts'
import { formatShape } from '../dsl/describe.ts'
import { getOrThrow, shapeMismatch, type GanError } from '../errors.ts'
import { tf } from '../compile/tf.ts'
import type { TensorData } from '../train/snapshot.ts'
import { classifierFrom, classifierNetworks } from './classifier-networks.ts'
import type { Features } from './feature-metrics.ts'
import { sameShape, shapeSize } from '../dsl/shape.ts'

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
  /** The weights, by parameter path. */
  readonly weights: () => Promise<Readonly<Record<string, TensorData>>>
  readonly dispose: () => void
}

/**
 * A classifier's architecture: the layers up to its penultimate features (which end in a ReLU
 * of `featureDimension` units); a dense layer to the classes follows.
 *
 * @since 0.1.0
 * @category model
 */
export interface ClassifierArchitecture {
  readonly featureLayers: ReadonlyArray<Layer>
  readonly featureDimension: number
}

/**
 * A small convnet: two stride-2 convolutions and a dense feature layer.
 *
 * @example
 * import { smallClassifier } from 'ganfp'
 * smallClassifier(64).featureDimension // 64
 * @since 0.1.0
 * @category constructors
 */
export const smallClassifier = (featureDimension = 128): ClassifierArchitecture => ({
  featureLayers: [conv2d(32, 3, { stride: 2 }), relu, conv2d(64, 3, { stride: 2 }), relu, flatten, dense(featureDimension), relu],
  featureDimension,
})

/**
 * The judge's architecture: five 3×3 convolutions (32, 32, 64, 64, 64 channels; three of them
 * stride 2, the last unpadded), then 128 features: ≈ 177,000 parameters, 0.7 MB of float32.
 *
 * @example
 * import { judgeArchitecture } from 'ganfp'
 * judgeArchitecture().featureDimension // 128
 * @since 0.1.0
 * @category constructors
 */
export const judgeArchitecture = (): ClassifierArchitecture => ({
  featureLayers: [
    conv2d(32, 3),
    relu,
    conv2d(32, 3, { stride: 2 }),
    relu,
    conv2d(64, 3),
    relu,
    conv2d(64, 3, { stride: 2 }),
    relu,
    conv2d(64, 3, { stride: 2, padding: 'valid' }),
    relu,
    flatten,
    dense(128),
    relu,
  ],
  featureDimension: 128,
})

/**
 * A classifier rebuilt from exported weights; an architecture that does not fit the images, or
 * weights that do not fit the architecture (a `ShapeMismatch` naming each parameter), are errors.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { classifierFromWeights, judgeArchitecture, loadJudge } from 'ganfp'
 * const judge = await loadJudge('mnist')
 * const copy = classifierFromWeights([28, 28, 1], 10, judgeArchitecture(), await judge.weights())
 * E.isRight(copy) && copy.right.featureDimension // 128
 * @since 0.1.0
 * @category constructors
 */
export const classifierFromWeights = (
  imageShape: ReadonlyArray<number>,
  classes: number,
  architecture: ClassifierArchitecture,
  weights: Readonly<Record<string, TensorData>>,
): E.Either<ReadonlyArray<GanError>, ImageClassifier> => {
  const compiled = classifierNetworks(imageShape, classes, architecture)
  if (E.isLeft(compiled)) return compiled
  const { full, prefix } = compiled.right
  const errors = full.paramSpecs.flatMap((spec) => {
    const found = weights[spec.path]
    const fits = found !== undefined && sameShape(found.shape, spec.shape)
    return fits && found.values.length === shapeSize(spec.shape)
      ? []
      : [shapeMismatch(`classifier.${spec.path}`, formatShape(spec.shape), found === undefined ? 'nothing' : formatShape(found.shape))]
  })
  if (errors.length > 0) return E.left(errors)
  const params = Object.fromEntries(full.paramSpecs.map((spec) => [spec.path, tf.tensor(weights[spec.path]!.values, [...spec.shape])]))
  return E.right(classifierFrom(imageShape, classes, architecture, full, prefix, params))
}

/**
 * The throwing twin of `classifierFromWeights`.
 *
 * @example
 * import { classifierFromWeightsOrThrow, judgeArchitecture, loadJudge } from 'ganfp'
 * const judge = await loadJudge('mnist')
 * classifierFromWeightsOrThrow([28, 28, 1], 10, judgeArchitecture(), await judge.weights()).classes // 10
 * @since 0.1.0
 * @category constructors
 */
export const classifierFromWeightsOrThrow = (
  imageShape: ReadonlyArray<number>,
  classes: number,
  architecture: ClassifierArchitecture,
  weights: Readonly<Record<string, TensorData>>,
): ImageClassifier => getOrThrow(classifierFromWeights(imageShape, classes, architecture, weights))
