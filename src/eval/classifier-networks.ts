/**
 * The compiled networks behind a classifier (the full network and its feature prefix) and the
 * classifier interface over trained parameters: shared by training one and rebuilding one from
 * weights. Internal; `classifier.ts` and `classifier-training.ts` are the public face.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { dense } from '../layers/dense.ts'
import type { Layer } from '../layers/registry.ts'
import { sequential } from '../dsl/network.ts'
import type { GanError } from '../errors.ts'
import { compileNetwork, type CompiledNetwork } from '../compile/network.ts'
import type { Params } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { checkNetwork } from '../shape/check.ts'
import type { TensorData } from '../train/snapshot.ts'
import type { ClassifierArchitecture, ImageClassifier } from './classifier.ts'
import { shapeSize } from '../dsl/shape.ts'

/**
 * A classifier's full network and the prefix that ends at its features.
 *
 * @since 0.1.0
 * @category model
 */
export type Networks = { readonly full: CompiledNetwork; readonly prefix: CompiledNetwork }

/**
 * Checks and compiles a classifier's networks for images of `shape`.
 *
 * @example
 * E.isRight(classifierNetworks([28, 28, 1], 10, judgeArchitecture())) // true
 * @since 0.1.0
 * @category constructors
 */
export const classifierNetworks = (
  shape: ReadonlyArray<number>,
  classes: number,
  architecture: ClassifierArchitecture,
): E.Either<ReadonlyArray<GanError>, Networks> => {
  const check = (layers: ReadonlyArray<Layer>) => E.map(compileNetwork)(checkNetwork(sequential(shape, layers), 'classifier'))
  // The feature network is a prefix of the full one, so the same parameter record drives both
  // (and the prefix checks once the full one does).
  return E.chain((full: CompiledNetwork) => E.map((prefix: CompiledNetwork) => ({ full, prefix }))(check(architecture.featureLayers)))(
    check([...architecture.featureLayers, dense(classes)]),
  )
}

/**
 * The classifier interface over trained parameters (it owns them).
 *
 * @example
 * classifierFrom([28, 28, 1], 10, architecture, full, prefix, params).classes // 10
 * @since 0.1.0
 * @category constructors
 */
export const classifierFrom = (
  shape: ReadonlyArray<number>,
  classes: number,
  architecture: ClassifierArchitecture,
  full: CompiledNetwork,
  prefix: CompiledNetwork,
  params: Params,
): ImageClassifier => {
  const size = shapeSize(shape)
  // Inference in chunks so that 2,000 images never sit in one activation tensor.
  const inChunks = async (net: CompiledNetwork, last: (t: Tensor) => Tensor, values: Float32Array, count: number, width: number) => {
    const out = new Float32Array(count * width)
    for (let start = 0; start < count; start += 250) {
      const n = Math.min(250, count - start)
      const result = tf.tidy(() =>
        last(net.apply(params, tf.tensor(values.subarray(start * size, (start + n) * size), [n, ...shape]), { training: false })),
      )
      out.set(await result.data(), start * width)
      result.dispose()
    }
    return out
  }
  return {
    classes,
    featureDimension: architecture.featureDimension,
    probabilities: (values, count) => inChunks(full, (t) => tf.softmax(t), values, count, classes),
    features: async (values, count) => ({
      count,
      dimension: architecture.featureDimension,
      values: await inChunks(prefix, (t) => t, values, count, architecture.featureDimension),
    }),
    weights: async () => {
      const out: Record<string, TensorData> = {}
      for (const spec of full.paramSpecs) out[spec.path] = { shape: spec.shape, values: (await params[spec.path]!.data()) as Float32Array }
      return out
    },
    dispose: () => tf.dispose(Object.values(params)),
  }
}
