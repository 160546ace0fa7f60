/**
 * The geometry the spatial layers share (NHWC, batch dimension excluded): pairs of sizes,
 * padding, and the output size of a sliding window. Output sizes follow TensorFlow's rules; with
 * `same` padding a stride must divide the input size, so that a transposed convolution with the
 * same stride comes back to the same size.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import { describeValue, formatShape, isPositiveInt } from '../dsl/describe.ts'
import type { Shape } from '../dsl/shape.ts'
import type { LayerInference } from './kind.ts'

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
 * A size for both axes, or a pair as it is.
 *
 * @example
 * import { pair } from './src/layers/conv-geometry.ts'
 * pair(2) // [2, 2]
 * @since 0.1.0
 * @category constructors
 */
// Anything else is kept as it is, for `checkPair` to report.
export const pair = (v: number | Pair): Pair => (typeof v === 'number' ? [v, v] : Array.isArray(v) ? [v[0], v[1]] : (v as Pair))

const isPair = (v: unknown): v is Pair => Array.isArray(v) && v.length === 2 && v.every(isPositiveInt)

/**
 * Adds an error unless `value` is two positive integers.
 *
 * @example
 * import { checkPair } from './src/layers/conv-geometry.ts'
 * const errors = []
 * checkPair([2, 0], 'd.layers[0].strides', errors) // errors.length === 1
 * @since 0.1.0
 * @category validation
 */
export const checkPair = (value: unknown, path: string, errors: Array<GanError>): void => {
  if (!isPair(value)) errors.push(invalidConfig(path, 'two positive integers [height, width]', describeValue(value)))
}

/**
 * Adds an error unless `value` is a padding.
 *
 * @example
 * import { checkPadding } from './src/layers/conv-geometry.ts'
 * const errors = []
 * checkPadding('full', 'd.layers[0].padding', errors) // errors.length === 1
 * @since 0.1.0
 * @category validation
 */
export const checkPadding = (value: unknown, path: string, errors: Array<GanError>): void => {
  if (value !== 'same' && value !== 'valid') errors.push(invalidConfig(path, '"same" or "valid"', describeValue(value)))
}

/**
 * Whether `input` is `[height, width, channels]`; adds an error if not.
 *
 * @example
 * import { rank3 } from './src/layers/conv-geometry.ts'
 * rank3([784], 'd.layers[0]', []) // false
 * @since 0.1.0
 * @category validation
 */
export const rank3 = (input: Shape, path: string, errors: Array<GanError>): boolean => {
  if (input.length === 3) return true
  errors.push(
    shapeMismatch(path, 'a rank-3 input [height, width, channels] (reshape before it)', `input ${formatShape(input)}`),
  )
  return false
}

/**
 * Output height and width of a sliding window over a rank-3 `input`, or an error naming the
 * offending parameter (`windowName`: `kernelSize`, `poolSize`).
 *
 * @example
 * import { windowed } from './src/layers/conv-geometry.ts'
 * windowed([28, 28, 1], [5, 5], [2, 2], 'same', 'd.layers[0]', 'kernelSize', []) // [14, 14]
 * @since 0.1.0
 * @category inference
 */
export const windowed = (
  input: Shape,
  window: Pair,
  strides: Pair,
  padding: Padding,
  path: string,
  windowName: string,
  errors: Array<GanError>,
): Pair | undefined => {
  const [h, w] = [input[0]!, input[1]!]
  if (padding === 'same') {
    if (h % strides[0] !== 0 || w % strides[1] !== 0) {
      errors.push(
        shapeMismatch(
          `${path}.strides`,
          `strides dividing the input size [${h}, ${w}] (padding "same")`,
          formatShape(strides),
        ),
      )
      return undefined
    }
    return [h / strides[0], w / strides[1]]
  }
  if (window[0] > h || window[1] > w) {
    errors.push(
      shapeMismatch(`${path}.${windowName}`, `a window no larger than the input [${h}, ${w}] (padding "valid")`, formatShape(window)),
    )
    return undefined
  }
  return [Math.floor((h - window[0]) / strides[0]) + 1, Math.floor((w - window[1]) / strides[1]) + 1]
}

/**
 * The inference of a spatial layer once its parameters are checked: nothing more when they had
 * problems or the input is unknown or not rank 3, else `[height, width, channels]` from `output`
 * (whose size is `undefined` when the window did not fit; it then added the error).
 *
 * @example
 * import { inferSpatial } from './src/layers/conv-geometry.ts'
 * inferSpatial([], [7, 7, 8], 'g.layers[2]', (h, w, c) => [[h * 2, w * 2], c]).outputShape // [14, 14, 8]
 * @since 0.1.0
 * @category inference
 */
export const inferSpatial = (
  errors: Array<GanError>,
  input: Shape | undefined,
  path: string,
  output: (height: number, width: number, channels: number) => readonly [Pair | undefined, number],
): LayerInference => {
  if (errors.length > 0 || input === undefined || !rank3(input, path, errors)) return { errors, outputShape: undefined }
  const [size, channels] = output(input[0]!, input[1]!, input[2]!)
  return { errors, outputShape: size === undefined ? undefined : [size[0], size[1], channels] }
}
