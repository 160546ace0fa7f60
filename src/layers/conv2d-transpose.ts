/**
 * The transposed 2-D convolution (NHWC): with `same` padding it multiplies height and width by
 * the stride.
 *
 * @since 0.1.0
 */
import { inferSpatial, type Pair } from './conv-geometry.ts'
import { convolution, convolutionErrors, convolutionParams, type ConvFields, type ConvOptions } from './convolution.ts'
import type { LayerKind } from './kind.ts'

/**
 * A transposed 2-D convolution (the gradient of a convolution with respect to its input): with
 * `same` padding it multiplies height and width by the stride.
 * @since 0.1.0
 * @category model
 */
export interface Conv2dTranspose extends ConvFields<'Conv2dTranspose'> {}

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
 * The transposed-convolution kind: `[h, w, in]` gives `[h·s, w·s, filters]` (`same`); the kernel
 * is tfjs's `[kh, kw, filters, in]`, so its output units are axis 2.
 *
 * @example
 * import { conv2dTransposeKind } from 'ganfp'
 * conv2dTransposeKind.kernel // { param: 'kernel', outputAxis: 2 }
 * @since 0.1.0
 * @category instances
 */
export const conv2dTransposeKind: LayerKind<Conv2dTranspose> = {
  tag: 'Conv2dTranspose',
  infer: (layer, input, path) => {
    // Keras's deconv_output_length: `same` multiplies by the stride; `valid` adds the overhang.
    const grow = (size: number, k: number, s: number): number => (layer.padding === 'same' ? size * s : size * s + Math.max(k - s, 0))
    return inferSpatial(convolutionErrors(layer, path), input, path, (h, w) => [
      [grow(h, layer.kernelSize[0], layer.strides[0]), grow(w, layer.kernelSize[1], layer.strides[1])],
      layer.filters,
    ])
  },
  compile: ({ layer, inputShape, outputShape }, { local, kit }) => {
    const { kernel, bias, specs } = convolutionParams(layer, local, inputShape[2]!)
    return {
      params: specs,
      forward: (x, p, mode) => {
        const shape: [number, number, number, number] = [x.shape[0]!, outputShape[0]!, outputShape[1]!, outputShape[2]!]
        const y = kit.convolveTransposed(x, p[kernel]!, shape, layer.strides, layer.padding, mode)
        return { output: layer.useBias ? kit.tf.add(y, p[bias]!) : y, stateUpdates: [] }
      },
    }
  },
  kernel: { param: 'kernel', outputAxis: 2 },
}
