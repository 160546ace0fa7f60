/**
 * Paired data for super-resolution (protocol Q4): each high-resolution image is the target and its
 * area-average (box) downsample the generator's input. Sources are the bundled sets or crops of
 * users' own PNGs of any size.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import type { Dataset } from './dataset.ts'
import { shuffledIndices, type LabelledImages } from './images.ts'
import { imageLayoutErrors } from './layout-check.ts'

/**
 * The size of a batch of channels-last images.
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageLayout {
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
}

const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0

/** The problems with a downsampling factor for images of this size. */
const factorErrors = (layout: ImageLayout, factor: number): ReadonlyArray<GanError> =>
  !isPositiveInteger(factor)
    ? [invalidConfig('factor', 'a positive integer', String(factor))]
    : layout.height % factor !== 0 || layout.width % factor !== 0
      ? [invalidConfig('factor', `a divisor of the height and width (${layout.height}×${layout.width})`, String(factor))]
      : []

/**
 * Area-average downsampling: each output pixel is the mean of a `factor × factor` block, per
 * channel (what `interpolate(mode='area')` and `INTER_AREA` do for integer factors). A `factor`
 * that is not a positive integer dividing the height and width, or a layout that does not fit
 * `values`, is an error.
 *
 * @example
 * import { boxDownsample } from 'ganfp'
 * boxDownsample([0, 2, 4, 6], { count: 1, height: 2, width: 2, channels: 1 }, 2) // { _tag: 'Right', right: Float32Array [3] }
 * @since 0.1.0
 * @category combinators
 */
export const boxDownsample = (values: ArrayLike<number>, layout: ImageLayout, factor: number): E.Either<ReadonlyArray<GanError>, Float32Array> => {
  const problems = [...imageLayoutErrors(values, layout), ...factorErrors(layout, factor)]
  return problems.length > 0 ? E.left(problems) : E.right(downsampleChecked(values, layout, factor))
}

/**
 * The throwing twin of `boxDownsample`.
 *
 * @example
 * import { boxDownsampleOrThrow } from 'ganfp'
 * boxDownsampleOrThrow([0, 2, 4, 6], { count: 1, height: 2, width: 2, channels: 1 }, 2) // Float32Array [3]
 * @since 0.1.0
 * @category combinators
 */
export const boxDownsampleOrThrow = (values: ArrayLike<number>, layout: ImageLayout, factor: number): Float32Array =>
  getOrThrow(boxDownsample(values, layout, factor))

/** `boxDownsample` once `factor` has been checked. */
const downsampleChecked = (values: ArrayLike<number>, layout: ImageLayout, factor: number): Float32Array => {
  const { count, height, width, channels } = layout
  const [outHeight, outWidth] = [height / factor, width / factor]
  const out = new Float32Array(count * outHeight * outWidth * channels)
  const sums = new Float64Array(outWidth * channels)
  const area = factor * factor
  for (let n = 0; n < count; n++)
    for (let oy = 0; oy < outHeight; oy++) {
      sums.fill(0)
      for (let y = oy * factor; y < (oy + 1) * factor; y++) {
        const row = (n * height + y) * width * channels
        for (let x = 0; x < width; x++) {
          const into = Math.floor(x / factor) * channels
          for (let c = 0; c < channels; c++) sums[into + c] = sums[into + c]! + values[row + x * channels + c]!
        }
      }
      const at = (n * outHeight + oy) * outWidth * channels
      for (let i = 0; i < sums.length; i++) out[at + i] = sums[i]! / area
    }
  return out
}

/** How many images are scaled and downsampled at a time when preparing the inputs. */
const chunkSize = 256

/** The box downsample of every image, in [−1, 1], computed from the same float32 values batches carry. */
const downsampleAll = (images: LabelledImages, factor: number): Float32Array => {
  const size = images.height * images.width * images.channels
  const lowSize = size / (factor * factor)
  const out = new Float32Array(images.count * lowSize)
  for (let start = 0; start < images.count; start += chunkSize) {
    const count = Math.min(chunkSize, images.count - start)
    const scaled = Float32Array.from(images.pixels.subarray(start * size, (start + count) * size), (p) => p / 127.5 - 1)
    out.set(downsampleChecked(scaled, { ...images, count }, factor), start * lowSize)
  }
  return out
}

/**
 * Images as paired super-resolution data: targets `[height, width, channels]` scaled to [−1, 1]
 * (as `imageDataset` does), inputs their `factor`× box downsamples `[height/factor,
 * width/factor, channels]` in the same range, with the images' labels. One epoch per `batches`
 * call in a seeded shuffled order, the last partial batch dropped. The inputs are computed once.
 * A `factor` that does not divide the image size is an `InvalidConfig` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { superResolutionDataset } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * const pairs = E.isRight(m) ? superResolutionDataset(m.right, 4) : m
 * E.isRight(pairs) && pairs.right.pairedInputShape // [7, 7, 1]
 * @since 0.1.0
 * @category constructors
 */
export const superResolutionDataset = (images: LabelledImages, factor: number): E.Either<ReadonlyArray<GanError>, Dataset> => {
  const problems = factorErrors(images, factor)
  return problems.length > 0 ? E.left(problems) : E.right(pairsOf(images, factor))
}

/**
 * The throwing twin of `superResolutionDataset`, for recipes.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { superResolutionDatasetOrThrow } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * E.isRight(m) && superResolutionDatasetOrThrow(m.right, 2).pairedInputShape // [14, 14, 1]
 * @since 0.1.0
 * @category constructors
 */
export const superResolutionDatasetOrThrow = (images: LabelledImages, factor: number): Dataset =>
  getOrThrow(superResolutionDataset(images, factor))

/** `superResolutionDataset` once `factor` has been checked. */
const pairsOf = (images: LabelledImages, factor: number): Dataset => {
  const { height, width, channels } = images
  const size = height * width * channels
  const lowShape = [height / factor, width / factor, channels]
  const lowSize = size / (factor * factor)
  const low = downsampleAll(images, factor)
  const numClasses = Math.max(images.classNames.length, images.labels.reduce((m, l) => Math.max(m, l + 1), 0))
  return {
    name: `${images.name}-sr${factor}`,
    exampleShape: [height, width, channels],
    pairedInputShape: lowShape,
    numClasses,
    ...(images.notes === undefined ? {} : { notes: images.notes }),
    batches: ({ batchSize, seed }) => ({
      async *[Symbol.asyncIterator]() {
        const order = shuffledIndices(images.count, seed)
        for (let start = 0; start + batchSize <= images.count; start += batchSize) {
          const values = new Float32Array(batchSize * size)
          const pairedInput = new Float32Array(batchSize * lowSize)
          const labels = new Int32Array(batchSize)
          for (let b = 0; b < batchSize; b++) {
            const index = order[start + b]!
            for (let p = 0; p < size; p++) values[b * size + p] = images.pixels[index * size + p]! / 127.5 - 1
            pairedInput.set(low.subarray(index * lowSize, (index + 1) * lowSize), b * lowSize)
            labels[b] = images.labels[index]!
          }
          yield { values, shape: [batchSize, height, width, channels], pairedInput, labels }
        }
      },
    }),
  }
}
