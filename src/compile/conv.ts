/**
 * Convolutions as the layers run them, by backend (NHWC). The CPU backends (cpu, wasm) run them
 * lowered to forward convolutions: their Conv2DBackpropFilter kernels are slow (cpu) or missing
 * (wasm), and their Conv2DBackpropInput kernels are plain loops, 1.5× (cpu) to 5× (wasm) slower
 * than the phase decomposition (see conv-lowering.ts). WebGPU keeps its own kernels.
 *
 * @since 0.1.0
 */
import type { Padding, Pair } from '../layers/conv-geometry.ts'
import { conv2dTransposeLowered } from './conv-lowering.ts'
import { neededGradients, type ForwardMode } from './forward.ts'
import { activateTwiceDifferentiable, fusedConv2d, type FusedActivation } from './fusion.ts'
import { tf, type Tensor } from './tf.ts'

type Tensor4D = tf.Tensor4D

const lowered = (): boolean => tf.getBackend() !== 'webgpu'

/**
 * act(conv2d(x, filter) + bias), the activation in the same kernel where the mode allows it.
 *
 * @example
 * import { convolve } from './src/compile/conv.ts'
 * import { tf } from './src/compile/tf.ts'
 * convolve(tf.zeros([1, 4, 4, 1]), tf.zeros([3, 3, 1, 2]), undefined, [1, 1], 'same', { name: 'relu' }, { training: false }).shape // [1, 4, 4, 2]
 * @since 0.1.0
 * @category compiler
 */
export const convolve = (
  x: Tensor,
  filter: Tensor,
  bias: Tensor | undefined,
  strides: Pair,
  padding: Padding,
  activation: FusedActivation,
  mode: ForwardMode,
): Tensor => {
  const [xs, ws] = [x as Tensor4D, filter as Tensor4D]
  if (mode.twiceDifferentiable) {
    // The activation apart, with a gradient from its input (see ForwardMode).
    const z = lowered()
      ? fusedConv2d(xs, ws, bias, strides, padding, { name: 'linear' }, neededGradients(mode))
      : tf.conv2d(xs, ws, [strides[0], strides[1]], padding)
    return activateTwiceDifferentiable(bias === undefined || lowered() ? z : tf.add(z, bias), activation)
  }
  if (lowered()) return fusedConv2d(xs, ws, bias, strides, padding, activation, neededGradients(mode))
  // WebGPU: tfjs's own fused op, which falls back to separate kernels while taping gradients.
  return tf.fused.conv2d({
    x: xs,
    filter: ws,
    strides: [strides[0], strides[1]],
    pad: padding,
    bias,
    activation: activation.name,
    leakyreluAlpha: activation.name === 'leakyrelu' ? activation.alpha : undefined,
  })
}

/**
 * A transposed convolution to `outputShape` (`[n, height, width, channels]`), the filter in
 * tfjs's `[kh, kw, out, in]` layout.
 *
 * @example
 * import { convolveTransposed } from './src/compile/conv.ts'
 * import { tf } from './src/compile/tf.ts'
 * convolveTransposed(tf.zeros([1, 2, 2, 3]), tf.zeros([3, 3, 1, 3]), [1, 4, 4, 1], [2, 2], 'same', { training: false }).shape // [1, 4, 4, 1]
 * @since 0.1.0
 * @category compiler
 */
export const convolveTransposed = (
  x: Tensor,
  filter: Tensor,
  outputShape: [number, number, number, number],
  strides: Pair,
  padding: Padding,
  mode: ForwardMode,
): Tensor =>
  lowered()
    ? conv2dTransposeLowered(x as Tensor4D, filter as Tensor4D, outputShape, strides, padding, neededGradients(mode))
    : tf.conv2dTranspose(x as Tensor4D, filter as Tensor4D, outputShape, [strides[0], strides[1]], padding)
