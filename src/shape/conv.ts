/**
 * Shape inference for the convolutional layers (NHWC). Output sizes follow TensorFlow's rules;
 * with `same` padding a stride must divide the input size, so that a transposed convolution with
 * the same stride comes back to the same size.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { AvgPool, Conv2d, Conv2dTranspose, Pair, Upsample } from '../dsl/conv.ts'
import type { Shape } from '../dsl/network.ts'
import { describeValue, formatShape, isPositiveInt } from './describe.ts'
import type { LayerInference } from './infer.ts'

const isPair = (v: unknown): v is Pair => Array.isArray(v) && v.length === 2 && v.every(isPositiveInt)

const checkPair = (value: unknown, path: string, errors: Array<GanError>): void => {
  if (!isPair(value)) errors.push(invalidConfig(path, 'two positive integers [height, width]', describeValue(value)))
}

const checkPadding = (value: unknown, path: string, errors: Array<GanError>): void => {
  if (value !== 'same' && value !== 'valid') errors.push(invalidConfig(path, '"same" or "valid"', describeValue(value)))
}

const rank3 = (input: Shape, path: string, errors: Array<GanError>): boolean => {
  if (input.length === 3) return true
  errors.push(
    shapeMismatch(path, 'a rank-3 input [height, width, channels] (reshape before it)', `input ${formatShape(input)}`),
  )
  return false
}

/** Output height and width of a sliding window, or an error naming the offending parameter. */
const windowed = (
  input: Shape,
  window: Pair,
  strides: Pair,
  padding: 'same' | 'valid',
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

const checkConvParameters = (layer: Conv2d | Conv2dTranspose, path: string, errors: Array<GanError>): void => {
  if (!isPositiveInt(layer.filters)) errors.push(invalidConfig(`${path}.filters`, 'a positive integer', describeValue(layer.filters)))
  checkPair(layer.kernelSize, `${path}.kernelSize`, errors)
  checkPair(layer.strides, `${path}.strides`, errors)
  checkPadding(layer.padding, `${path}.padding`, errors)
  if (typeof layer.useBias !== 'boolean') errors.push(invalidConfig(`${path}.useBias`, 'a boolean', describeValue(layer.useBias)))
}

/**
 * Infers a convolutional layer's output shape.
 *
 * @example
 * import { inferConvLayer, conv2d } from 'ganfp'
 * inferConvLayer(conv2d(64, 5, { stride: 2 }), [28, 28, 1], 'd.layers[0]').outputShape // [14, 14, 64]
 *
 * @since 0.1.0
 * @category inference
 */
export const inferConvLayer = (
  layer: Conv2d | Conv2dTranspose | Upsample | AvgPool,
  input: Shape | undefined,
  path: string,
): LayerInference => {
  const errors: Array<GanError> = []
  switch (layer._tag) {
    case 'Conv2d':
    case 'Conv2dTranspose':
      checkConvParameters(layer, path, errors)
      break
    case 'Upsample':
      checkPair(layer.factor, `${path}.factor`, errors)
      break
    case 'AvgPool':
      checkPair(layer.poolSize, `${path}.poolSize`, errors)
      checkPair(layer.strides, `${path}.strides`, errors)
      checkPadding(layer.padding, `${path}.padding`, errors)
      break
  }
  if (errors.length > 0 || input === undefined || !rank3(input, path, errors)) return { errors, outputShape: undefined }
  const [h, w, c] = [input[0]!, input[1]!, input[2]!]
  const done = (size: Pair | undefined, channels: number): LayerInference => ({
    errors,
    outputShape: size === undefined ? undefined : [size[0], size[1], channels],
  })
  switch (layer._tag) {
    case 'Conv2d':
      return done(windowed(input, layer.kernelSize, layer.strides, layer.padding, path, 'kernelSize', errors), layer.filters)
    case 'AvgPool':
      return done(windowed(input, layer.poolSize, layer.strides, layer.padding, path, 'poolSize', errors), c)
    case 'Upsample':
      return done([h * layer.factor[0], w * layer.factor[1]], c)
    case 'Conv2dTranspose': {
      // Keras's deconv_output_length: `same` multiplies by the stride; `valid` adds the overhang.
      const grow = (size: number, k: number, s: number): number =>
        layer.padding === 'same' ? size * s : size * s + Math.max(k - s, 0)
      return done([grow(h, layer.kernelSize[0], layer.strides[0]), grow(w, layer.kernelSize[1], layer.strides[1])], layer.filters)
    }
  }
}
