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
  /**
   * For paired data: the generator's inputs, one per example (`[batchSize, ...pairedInputShape]`
   * row-major); `values` are their targets.
   */
  readonly pairedInput?: Float32Array
  /** For labelled data (`Dataset.numClasses` set): each example's class, in [0, numClasses). */
  readonly labels?: Int32Array
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
  /** Set for paired data (see `Batch.pairedInput`): the shape of one generator input. */
  readonly pairedInputShape?: Shape
  /** Set for labelled data: every batch carries `labels` in [0, numClasses) (conditional GANs). */
  readonly numClasses?: number
  /** Lines a run logs when it starts: what loading did to the data (see `LabelledImages.notes`). */
  readonly notes?: ReadonlyArray<string>
  /**
   * Set when `batches` honours `skipBatches`: a resumed run then enters its epoch without reading
   * the batches it already used (a streamed image set would read them from disk). A wrapper that
   * replaces `batches` keeps it only if it passes `skipBatches` on.
   */
  readonly canSkipBatches?: true
  /** One epoch (or an endless stream); `skipBatches`, where `canSkipBatches` says it is honoured, starts that many batches in. */
  readonly batches: (options: { readonly batchSize: number; readonly seed: number; readonly skipBatches?: number }) => AsyncIterable<Batch>
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

/**
 * Paired data from a function that draws one batch of (generator input, target) pairs
 * synchronously from a seeded stream: `inputs` is `batchSize × pairedInputShape`, `targets`
 * `batchSize × exampleShape`, both row-major.
 *
 * @example
 * import { fromPairedSampler } from 'ganfp'
 * const doubling = fromPairedSampler('doubling', [1], [1], (n, rng) => {
 *   const inputs = rng.normals(n)
 *   return { inputs, targets: inputs.map((x) => 2 * x) }
 * })
 * doubling.pairedInputShape // [1]
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromPairedSampler = (
  name: string,
  pairedInputShape: Shape,
  exampleShape: Shape,
  draw: (batchSize: number, rng: Rng) => { readonly inputs: Float32Array; readonly targets: Float32Array },
): Dataset => ({
  name,
  exampleShape,
  pairedInputShape,
  batches: ({ batchSize, seed }) => ({
    async *[Symbol.asyncIterator]() {
      const rng = Rng.fromSeed(seed)
      for (;;) {
        const { inputs, targets } = draw(batchSize, rng)
        yield { values: targets, shape: [batchSize, ...exampleShape], pairedInput: inputs }
      }
    },
  }),
})

/**
 * Labelled data from a function that draws one batch of examples with their classes
 * synchronously from a seeded stream (`labels` in [0, numClasses)), for conditional GANs.
 *
 * @example
 * import { fromLabelledSampler } from 'ganfp'
 * const signs = fromLabelledSampler('signs', [1], 2, (n, rng) => {
 *   const labels = Int32Array.from({ length: n }, () => rng.int(2))
 *   return { values: Float32Array.from(labels, (k) => (k === 0 ? -1 : 1)), labels }
 * })
 * signs.numClasses // 2
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromLabelledSampler = (
  name: string,
  exampleShape: Shape,
  numClasses: number,
  draw: (batchSize: number, rng: Rng) => { readonly values: Float32Array; readonly labels: Int32Array },
): Dataset => ({
  name,
  exampleShape,
  numClasses,
  batches: ({ batchSize, seed }) => ({
    async *[Symbol.asyncIterator]() {
      const rng = Rng.fromSeed(seed)
      for (;;) {
        const { values, labels } = draw(batchSize, rng)
        yield { values, shape: [batchSize, ...exampleShape], labels }
      }
    },
  }),
})
