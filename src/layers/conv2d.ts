/**
 * The 2-D convolution (NHWC), with a following activation in the same fused kernel when one comes
 * next.
 *
 * @since 0.1.0
 */
import type { FusedActivation } from '../compile/fusion.ts'
import { inferSpatial, windowed, type Pair } from './conv-geometry.ts'
import { convolution, convolutionErrors, convolutionParams, type ConvFields, type ConvOptions } from './convolution.ts'
import type { LayerKind } from './kind.ts'

/**
 * A 2-D convolution.
 * @since 0.1.0
 * @category model
 */
export interface Conv2d extends ConvFields<'Conv2d'> {}

/**
 * @example
 * import { conv2d } from 'ganfp'
 * conv2d(64, 5, { stride: 2 }) // { _tag: 'Conv2d', filters: 64, kernelSize: [5, 5], strides: [2, 2], padding: 'same', useBias: true }
 * @since 0.1.0
 * @category constructors
 */
export const conv2d = (filters: number, kernel: number | Pair, options: ConvOptions = {}): Conv2d =>
  convolution('Conv2d', filters, kernel, options)

const linear: FusedActivation = { name: 'linear' }

/**
 * The conv2d kind: `[h, w, in]` gives `[h', w', filters]`; the kernel is `[kh, kw, in, filters]`.
 *
 * @example
 * import { conv2dKind } from 'ganfp'
 * conv2dKind.kernel // { param: 'kernel', outputAxis: 3 }
 * @since 0.1.0
 * @category instances
 */
export const conv2dKind: LayerKind<Conv2d> = {
  tag: 'Conv2d',
  infer: (layer, input, path) => {
    const errors = convolutionErrors(layer, path)
    return inferSpatial(errors, input, path, (h, w) => [
      windowed([h, w], layer.kernelSize, layer.strides, layer.padding, path, 'kernelSize', errors),
      layer.filters,
    ])
  },
  compile: ({ layer, inputShape }, { local, activation = linear, kit }) => {
    const { kernel, bias, specs } = convolutionParams(layer, local, inputShape[2]!)
    return {
      params: specs,
      forward: (x, p, mode) => ({
        output: kit.convolve(x, p[kernel]!, layer.useBias ? p[bias] : undefined, layer.strides, layer.padding, activation, mode),
        stateUpdates: [],
      }),
    }
  },
  takesActivation: () => true,
  kernel: { param: 'kernel', outputAxis: 3 },
}
