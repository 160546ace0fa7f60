/**
 * The convolutional layers in tfjs-core (NHWC). Convolutions run as `tf.fused.conv2d` so the bias
 * add is part of the kernel where the backend fuses it.
 *
 * @since 0.1.0
 */
import type { AvgPool, Conv2d, Conv2dTranspose, Pair, Upsample } from '../dsl/conv.ts'
import type { ShapedLayer } from '../shape/check.ts'
import { conv2dTransposeLowered } from './conv-lowering.ts'
import { activateTwiceDifferentiable, fusedConv2d, type FusedActivation } from './fusion.ts'
import { neededGradients, type CompiledLayer } from './layers.ts'
import type { ParamSpec } from './params.ts'
import { tf, type Tensor } from './tf.ts'

type Tensor4D = tf.Tensor4D

const convParams = (
  layer: Conv2d | Conv2dTranspose,
  local: string,
  inChannels: number,
): { readonly kernel: string; readonly bias: string; readonly specs: ReadonlyArray<ParamSpec> } => {
  const [kh, kw] = layer.kernelSize
  const kernel = `${local}.kernel`
  const bias = `${local}.bias`
  // tfjs's filter layouts: conv2d [kh, kw, in, out]; conv2dTranspose [kh, kw, out, in].
  const shape = layer._tag === 'Conv2d' ? [kh, kw, inChannels, layer.filters] : [kh, kw, layer.filters, inChannels]
  return {
    kernel,
    bias,
    specs: [
      {
        path: kernel,
        shape,
        trainable: true,
        init: { _tag: 'GlorotUniform', fanIn: kh * kw * inChannels, fanOut: kh * kw * layer.filters },
      },
      ...(layer.useBias
        ? [{ path: bias, shape: [layer.filters], trainable: true, init: { _tag: 'Constant', value: 0 } } as const]
        : []),
    ],
  }
}

/**
 * The CPU backends (cpu, wasm) run convolutions lowered to forward convolutions: their
 * Conv2DBackpropFilter kernels are slow (cpu) or missing (wasm), and their Conv2DBackpropInput
 * kernels are plain loops, 1.5× (cpu) to 5× (wasm) slower than the phase decomposition (see
 * conv-lowering.ts). WebGPU keeps its own kernels.
 */
const lowered = (): boolean => tf.getBackend() !== 'webgpu'

/**
 * Nearest-neighbour upsampling lowered to reshape + tile, one axis at a time in rank 4. Why not
 * `tf.image.resizeNearestNeighbor`: its gradient kernel disagrees with finite differences on the
 * cpu backend (tests/conv.test.ts caught it), while tile's gradient is a plain sum.
 */
const repeatPixels = (x: Tensor4D, [fh, fw]: Pair): Tensor => {
  const [n, h, w, c] = x.shape
  const tall = fh === 1 ? x : tf.reshape(tf.tile(tf.reshape(x, [n, h, 1, w * c]), [1, 1, fh, 1]), [n, h * fh, w, c])
  return fw === 1 ? tall : tf.reshape(tf.tile(tf.reshape(tall, [n * h * fh, w, 1, c]), [1, 1, fw, 1]), [n, h * fh, w * fw, c])
}

/**
 * Compiles one shaped convolutional layer; `local` is its path inside its network. A `Conv2d`
 * given `activation` applies it in the same fused kernel.
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileConvLayer = (
  shaped: ShapedLayer & { readonly layer: Conv2d | Conv2dTranspose | Upsample | AvgPool },
  local: string,
  activation?: FusedActivation,
): CompiledLayer => {
  const { layer, inputShape, outputShape } = shaped
  const stateless = (f: (x: Tensor4D) => Tensor): CompiledLayer => ({
    params: [],
    forward: (x) => ({ output: f(x as Tensor4D), stateUpdates: [] }),
  })
  switch (layer._tag) {
    case 'Conv2d': {
      const { kernel, bias, specs } = convParams(layer, local, inputShape[2]!)
      return {
        params: specs,
        forward: (x, p, mode) => {
          const b = layer.useBias ? p[bias] : undefined
          const fused = activation ?? { name: 'linear' }
          if (mode.twiceDifferentiable) {
            // The activation apart, with a gradient from its input (see ForwardMode).
            const z = lowered()
              ? fusedConv2d(x as Tensor4D, p[kernel] as Tensor4D, b, layer.strides, layer.padding, { name: 'linear' }, neededGradients(mode))
              : tf.conv2d(x as Tensor4D, p[kernel] as Tensor4D, [layer.strides[0], layer.strides[1]], layer.padding)
            return { output: activateTwiceDifferentiable(b === undefined || lowered() ? z : tf.add(z, b), fused), stateUpdates: [] }
          }
          if (lowered())
            return {
              output: fusedConv2d(x as Tensor4D, p[kernel] as Tensor4D, b, layer.strides, layer.padding, fused, neededGradients(mode)),
              stateUpdates: [],
            }
          // WebGPU: tfjs's own fused op, which falls back to separate kernels while taping gradients.
          return {
            output: tf.fused.conv2d({
              x: x as Tensor4D,
              filter: p[kernel] as Tensor4D,
              strides: [layer.strides[0], layer.strides[1]],
              pad: layer.padding,
              bias: b,
              activation: fused.name,
              leakyreluAlpha: fused.name === 'leakyrelu' ? fused.alpha : undefined,
            }),
            stateUpdates: [],
          }
        },
      }
    }
    case 'Conv2dTranspose': {
      const { kernel, bias, specs } = convParams(layer, local, inputShape[2]!)
      return {
        params: specs,
        forward: (x, p, mode) => {
          const shape: [number, number, number, number] = [x.shape[0]!, outputShape[0]!, outputShape[1]!, outputShape[2]!]
          const y = lowered()
            ? conv2dTransposeLowered(x as Tensor4D, p[kernel] as Tensor4D, shape, layer.strides, layer.padding, neededGradients(mode))
            : tf.conv2dTranspose(x as Tensor4D, p[kernel] as Tensor4D, shape, [layer.strides[0], layer.strides[1]], layer.padding)
          return { output: layer.useBias ? tf.add(y, p[bias]!) : y, stateUpdates: [] }
        },
      }
    }
    case 'Upsample':
      return stateless((x) => repeatPixels(x, layer.factor))
    case 'AvgPool':
      return stateless((x) =>
        tf.avgPool(x, [layer.poolSize[0], layer.poolSize[1]], [layer.strides[0], layer.strides[1]], layer.padding),
      )
  }
}
