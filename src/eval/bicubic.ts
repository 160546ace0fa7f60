/**
 * Classical upsampling, the baselines of super-resolution (protocol Q4): bicubic interpolation,
 * which a learned model must beat, and nearest-neighbour, which shows a low-resolution input at
 * the output's size. Plain float64 JavaScript on images in [0, 1].
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import { imageLayoutErrors } from '../data/layout-check.ts'
import type { ImageBatch } from './image-similarity.ts'

/** The problems with upsampling `images` by `factor`; none lets the upsampling run. */
const upsampleErrors = (images: ImageBatch, factor: number): ReadonlyArray<GanError> => [
  ...imageLayoutErrors(images.values, images),
  ...(Number.isInteger(factor) && factor > 0 ? [] : [invalidConfig('factor', 'a positive integer', String(factor))]),
]

const checked = (images: ImageBatch, factor: number, upsample: () => Float32Array): E.Either<ReadonlyArray<GanError>, Float32Array> => {
  const errors = upsampleErrors(images, factor)
  return errors.length > 0 ? E.left(errors) : E.right(upsample())
}

/** Keys' cubic convolution kernel with parameter `a`. */
const cubic = (distance: number, a: number): number => {
  const x = Math.abs(distance)
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
  return 0
}

/**
 * For each output position along one axis, its four source indices (borders replicated) and
 * their weights, with half-pixel centres: source = (output + 0.5) / factor − 0.5.
 */
const taps = (inLength: number, factor: number, a: number): { readonly index: Int32Array; readonly weight: Float64Array } => {
  const outLength = inLength * factor
  const index = new Int32Array(4 * outLength)
  const weight = new Float64Array(4 * outLength)
  for (let o = 0; o < outLength; o++) {
    const source = (o + 0.5) / factor - 0.5
    const base = Math.floor(source)
    for (let k = 0; k < 4; k++) {
      const i = base - 1 + k
      index[4 * o + k] = Math.min(inLength - 1, Math.max(0, i))
      weight[4 * o + k] = cubic(source - i, a)
    }
  }
  return { index, weight }
}

/**
 * Bicubic upsampling by an integer `factor`: Keys' cubic convolution (a = −0.5 by default, as
 * MATLAB's `imresize` and PIL use; PyTorch and OpenCV use −0.75), half-pixel centres as in
 * `align_corners=False`, border pixels replicated, separable (rows, then columns), the result
 * clamped to [0, 1]. Returns `count × (height·factor) × (width·factor) × channels` values, or an
 * error when `factor` is not a positive integer or the layout does not fit the values.
 *
 * @example
 * import { bicubicUpsample } from 'ganfp'
 * bicubicUpsample({ values: [0.5], count: 1, height: 1, width: 1, channels: 1 }, 2) // { _tag: 'Right', right: Float32Array [0.5, 0.5, 0.5, 0.5] }
 * @since 0.1.0
 * @category combinators
 */
export const bicubicUpsample = (
  images: ImageBatch,
  factor: number,
  options: { readonly a?: number } = {},
): E.Either<ReadonlyArray<GanError>, Float32Array> => checked(images, factor, () => bicubicChecked(images, factor, options.a ?? -0.5))

/**
 * The throwing twin of `bicubicUpsample`.
 *
 * @example
 * import { bicubicUpsampleOrThrow } from 'ganfp'
 * bicubicUpsampleOrThrow({ values: [0.5], count: 1, height: 1, width: 1, channels: 1 }, 2) // Float32Array [0.5, 0.5, 0.5, 0.5]
 * @since 0.1.0
 * @category combinators
 */
export const bicubicUpsampleOrThrow = (images: ImageBatch, factor: number, options: { readonly a?: number } = {}): Float32Array =>
  getOrThrow(bicubicUpsample(images, factor, options))

const bicubicChecked = (images: ImageBatch, factor: number, a: number): Float32Array => {
  const { count, height, width, channels } = images
  const [outHeight, outWidth] = [height * factor, width * factor]
  const across = taps(width, factor, a)
  const down = taps(height, factor, a)
  const out = new Float32Array(count * outHeight * outWidth * channels)
  const rows = new Float64Array(height * outWidth * channels)
  for (let n = 0; n < count; n++) {
    const image = n * height * width * channels
    for (let y = 0; y < height; y++)
      for (let x = 0; x < outWidth; x++)
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let k = 0; k < 4; k++)
            sum += across.weight[4 * x + k]! * images.values[image + (y * width + across.index[4 * x + k]!) * channels + c]!
          rows[(y * outWidth + x) * channels + c] = sum
        }
    const into = n * outHeight * outWidth * channels
    for (let y = 0; y < outHeight; y++)
      for (let p = 0; p < outWidth * channels; p++) {
        let sum = 0
        for (let k = 0; k < 4; k++) sum += down.weight[4 * y + k]! * rows[down.index[4 * y + k]! * outWidth * channels + p]!
        out[into + y * outWidth * channels + p] = Math.min(1, Math.max(0, sum))
      }
  }
  return out
}

/**
 * Nearest-neighbour upsampling by an integer `factor`: each pixel becomes a `factor × factor`
 * block. For showing low-resolution inputs beside their upsamplings. An error when `factor` is
 * not a positive integer or the layout does not fit the values.
 *
 * @example
 * import { nearestUpsample } from 'ganfp'
 * nearestUpsample({ values: [0, 1], count: 1, height: 1, width: 2, channels: 1 }, 2) // { _tag: 'Right', right: Float32Array [0, 0, 1, 1, 0, 0, 1, 1] }
 * @since 0.1.0
 * @category combinators
 */
export const nearestUpsample = (images: ImageBatch, factor: number): E.Either<ReadonlyArray<GanError>, Float32Array> =>
  checked(images, factor, () => nearestChecked(images, factor))

/**
 * The throwing twin of `nearestUpsample`.
 *
 * @example
 * import { nearestUpsampleOrThrow } from 'ganfp'
 * nearestUpsampleOrThrow({ values: [0, 1], count: 1, height: 1, width: 2, channels: 1 }, 2) // Float32Array [0, 0, 1, 1, 0, 0, 1, 1]
 * @since 0.1.0
 * @category combinators
 */
export const nearestUpsampleOrThrow = (images: ImageBatch, factor: number): Float32Array => getOrThrow(nearestUpsample(images, factor))

const nearestChecked = (images: ImageBatch, factor: number): Float32Array => {
  const { count, height, width, channels } = images
  const [outHeight, outWidth] = [height * factor, width * factor]
  const out = new Float32Array(count * outHeight * outWidth * channels)
  for (let n = 0; n < count; n++)
    for (let y = 0; y < outHeight; y++)
      for (let x = 0; x < outWidth; x++) {
        const from = ((n * height + Math.floor(y / factor)) * width + Math.floor(x / factor)) * channels
        const to = ((n * outHeight + y) * outWidth + x) * channels
        for (let c = 0; c < channels; c++) out[to + c] = images.values[from + c]!
      }
  return out
}
