/**
 * Batches of images wherever their bytes live (an array in memory, a decode cache on disk): one
 * epoch per call in a seeded shuffled order, bytes scaled to [−1, 1], optionally flipped, and a
 * resumed epoch entered by skipping batches without reading them. The in-memory and the streamed
 * datasets share this code, so they give the same batches for the same seed.
 *
 * @since 0.3.0
 */
import { Rng } from '../random.ts'
import type { Batch, Dataset } from './dataset.ts'

/**
 * A seeded Fisher–Yates permutation of 0..n−1.
 *
 * @example
 * import { shuffledIndices } from 'ganfp'
 * shuffledIndices(5, 1).length // 5
 * @since 0.1.0
 * @category combinators
 */
export const shuffledIndices = (n: number, seed: number): Uint32Array => {
  const rng = Rng.fromSeed(seed)
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}

/** Where an image set's bytes come from: `count` examples of `height × width × channels` bytes each. */
export interface ImageSource {
  readonly name: string
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
  readonly labels: Uint8Array
  readonly classCount: number
  readonly notes?: ReadonlyArray<string>
  /** Copies the examples at `indices`, in that order, into `into` (one after another). */
  readonly readExamples: (indices: ArrayLike<number>, into: Uint8Array) => void
}

/**
 * Mixed into the epoch seed for the flip stream, so flips are not correlated with the order
 * (which `shuffledIndices` draws from the epoch seed itself).
 */
const flipSalt = 0x6d2b79f5

/** Copies one example's bytes, scaled to [−1, 1], mirrored left–right when `flip`. */
const scaleExample = (
  from: Uint8Array,
  to: Float32Array,
  at: number,
  shape: { readonly width: number; readonly channels: number; readonly size: number },
  flip: boolean,
): void => {
  if (!flip) {
    // The exact expression of the first imageDataset: unflipped batches stay bit-for-bit the same.
    for (let p = 0; p < shape.size; p++) to[at + p] = from[p]! / 127.5 - 1
    return
  }
  const row = shape.width * shape.channels
  for (let rowStart = 0; rowStart < shape.size; rowStart += row)
    for (let x = 0; x < shape.width; x++) {
      const source = rowStart + (shape.width - 1 - x) * shape.channels
      const target = at + rowStart + x * shape.channels
      for (let c = 0; c < shape.channels; c++) to[target + c] = from[source + c]! / 127.5 - 1
    }
}

/**
 * One epoch of `source` in the order `shuffledIndices(count, seed)`, the last partial batch
 * dropped, starting `skipBatches` batches in. With `flip`, each example is mirrored with
 * probability ½, drawn per position in the epoch from a stream seeded by `seed`: a seed gives the
 * same flips, and a skipped batch advances the stream as a read one would.
 */
export const imageBatches = (
  source: ImageSource,
  options: { readonly batchSize: number; readonly seed: number; readonly skipBatches?: number },
  flip: boolean,
): AsyncIterable<Batch> => ({
  async *[Symbol.asyncIterator]() {
    const { batchSize, seed } = options
    const size = source.height * source.width * source.channels
    const shape = { width: source.width, channels: source.channels, size }
    const order = shuffledIndices(source.count, seed)
    const flips = flip ? Rng.fromSeed((seed ^ flipSalt) >>> 0) : undefined
    const skip = Math.max(0, Math.floor(options.skipBatches ?? 0))
    for (let i = 0; i < skip * batchSize && flips !== undefined; i++) flips.nextUint32()
    const bytes = new Uint8Array(batchSize * size)
    for (let start = skip * batchSize; start + batchSize <= source.count; start += batchSize) {
      const indices = order.subarray(start, start + batchSize)
      source.readExamples(indices, bytes)
      const values = new Float32Array(batchSize * size)
      const labels = new Int32Array(batchSize)
      for (let b = 0; b < batchSize; b++) {
        labels[b] = source.labels[indices[b]!]!
        const mirrored = flips !== undefined && flips.nextUint32() >>> 31 === 1
        scaleExample(bytes.subarray(b * size, (b + 1) * size), values, b * size, shape, mirrored)
      }
      yield { values, shape: [batchSize, source.height, source.width, source.channels], labels }
    }
  },
})

/** A dataset over `source` (see `imageBatches`): it honours `skipBatches`, and says so. */
export const imageSourceDataset = (source: ImageSource, flip: boolean): Dataset => ({
  name: source.name,
  exampleShape: [source.height, source.width, source.channels],
  numClasses: source.classCount,
  ...(source.notes === undefined ? {} : { notes: source.notes }),
  canSkipBatches: true,
  batches: (options) => imageBatches(source, options, flip),
})
