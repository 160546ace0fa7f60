/**
 * Datasets are plain values that serve batches of float32 examples as an `AsyncIterable`. They
 * know nothing of tfjs: the trainer turns batches into tensors.
 *
 * @since 0.1.0
 */
import type { Shape } from '../dsl/network.ts'
import { Rng } from '../random.ts'

/**
 * A batch of examples, row-major, `shape = [batchSize, ...exampleShape]`.
 *
 * @since 0.1.0
 * @category model
 */
export interface Batch {
  readonly values: Float32Array
  readonly shape: ReadonlyArray<number>
}

/**
 * A source of training examples of one shape. `batches` may be infinite (synthetic data) or one
 * epoch (the trainer asks again, with a new seed, when it ends).
 *
 * @since 0.1.0
 * @category model
 */
export interface Dataset {
  readonly name: string
  readonly exampleShape: Shape
  readonly batches: (options: { readonly batchSize: number; readonly seed: number }) => AsyncIterable<Batch>
}

/**
 * A dataset from a function that draws one batch synchronously from a seeded stream.
 *
 * @example
 * import { fromSampler } from 'ganfp'
 * const zeros = fromSampler('zeros', [2], (n) => new Float32Array(n * 2))
 * zeros.exampleShape // [2]
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSampler = (
  name: string,
  exampleShape: Shape,
  draw: (batchSize: number, rng: Rng) => Float32Array,
): Dataset => ({
  name,
  exampleShape,
  batches: ({ batchSize, seed }) => ({
    async *[Symbol.asyncIterator]() {
      const rng = Rng.fromSeed(seed)
      for (;;) yield { values: draw(batchSize, rng), shape: [batchSize, ...exampleShape] }
    },
  }),
})
