/**
 * Convolutional layers as values, channels-last (NHWC, the tfjs convention): an input of shape
 * `[height, width, channels]`, batch dimension excluded.
 *
 * @since 0.1.0
 */

/**
 * `same` keeps `ceil(size / stride)` positions (zero padding); `valid` only positions where the
 * window fits.
 * @since 0.1.0
 * @category model
 */
export type Padding = 'same' | 'valid'

/**
 * A pair of sizes, (height, width).
 * @since 0.1.0
 * @category model
 */
export type Pair = readonly [number, number]

/**
 * A 2-D convolution.
 * @since 0.1.0
 * @category model
 */
export interface Conv2d {
  readonly _tag: 'Conv2d'
  readonly filters: number
  readonly kernelSize: Pair
  readonly strides: Pair
  readonly padding: Padding
  readonly useBias: boolean
}

/**
 * A transposed 2-D convolution (the gradient of a convolution with respect to its input): with
 * `same` padding it multiplies height and width by the stride.
 * @since 0.1.0
 * @category model
 */
export interface Conv2dTranspose {
  readonly _tag: 'Conv2dTranspose'
  readonly filters: number
  readonly kernelSize: Pair
  readonly strides: Pair
  readonly padding: Padding
  readonly useBias: boolean
}

/**
 * Nearest-neighbour upsampling by an integer factor per axis.
 * @since 0.1.0
 * @category model
 */
export interface Upsample {
  readonly _tag: 'Upsample'
  readonly factor: Pair
}

/**
 * Average pooling.
 * @since 0.1.0
 * @category model
 */
export interface AvgPool {
  readonly _tag: 'AvgPool'
  readonly poolSize: Pair
  readonly strides: Pair
  readonly padding: Padding
}

const pair = (v: number | Pair): Pair => (typeof v === 'number' ? [v, v] : [v[0], v[1]])

/**
 * Options shared by both convolutions.
 * @since 0.1.0
 * @category model
 */
export interface ConvOptions {
  readonly stride?: number | Pair
  readonly padding?: Padding
  readonly useBias?: boolean
}

/** Both convolutions share their fields and defaults (stride 1, `same` padding, a bias). */
const convolution = <Tag extends 'Conv2d' | 'Conv2dTranspose'>(
  tag: Tag,
  filters: number,
  kernel: number | Pair,
  options: ConvOptions,
) => ({
  _tag: tag,
  filters,
  kernelSize: pair(kernel),
  strides: pair(options.stride ?? 1),
  padding: options.padding ?? 'same',
  useBias: options.useBias ?? true,
})

/**
 * @example
 * import { conv2d } from 'ganfp'
 * conv2d(64, 5, { stride: 2 }) // { _tag: 'Conv2d', filters: 64, kernelSize: [5, 5], strides: [2, 2], padding: 'same', useBias: true }
 * @since 0.1.0
 * @category constructors
 */
export const conv2d = (filters: number, kernel: number | Pair, options: ConvOptions = {}): Conv2d =>
  convolution('Conv2d', filters, kernel, options)

/**
 * @example
 * import { conv2dTranspose } from 'ganfp'
 * conv2dTranspose(32, 5, { stride: 2 }).strides // [2, 2]
 * @since 0.1.0
 * @category constructors
 */
export const conv2dTranspose = (filters: number, kernel: number | Pair, options: ConvOptions = {}): Conv2dTranspose =>
  convolution('Conv2dTranspose', filters, kernel, options)

/**
 * @example
 * import { upsample } from 'ganfp'
 * upsample(2).factor // [2, 2]
 * @since 0.1.0
 * @category constructors
 */
export const upsample = (factor: number | Pair): Upsample => ({ _tag: 'Upsample', factor: pair(factor) })

/**
 * Strides default to the pool size (non-overlapping windows).
 *
 * @example
 * import { avgPool } from 'ganfp'
 * avgPool(2) // { _tag: 'AvgPool', poolSize: [2, 2], strides: [2, 2], padding: 'valid' }
 * @since 0.1.0
 * @category constructors
 */
export const avgPool = (
  poolSize: number | Pair,
  options: { readonly stride?: number | Pair; readonly padding?: Padding } = {},
): AvgPool => ({
  _tag: 'AvgPool',
  poolSize: pair(poolSize),
  strides: pair(options.stride ?? poolSize),
  padding: options.padding ?? 'valid',
})
