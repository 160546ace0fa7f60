/**
 * The fully connected layer: `x · kernel + bias`, with a following activation in the same fused
 * kernel (`_FusedMatMul`) when one comes next.
 *
 * @since 0.1.0
 */
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape, optionsOf } from '../dsl/describe.ts'
import type { FusedActivation } from '../compile/fusion.ts'
import { booleanAt, positiveIntAt } from './checks.ts'
import { kernelInitErrors, kernelInitField, kernelInitializer, type KernelInit } from './kernel-init.ts'
import type { LayerKind } from './kind.ts'

/**
 * A fully connected layer: `x · kernel + bias`.
 * @since 0.1.0
 * @category model
 */
export interface Dense {
  readonly _tag: 'Dense'
  readonly units: number
  readonly useBias: boolean
  /** How the kernel starts; Glorot-uniform when absent (see `KernelInit`). */
  readonly kernelInit?: KernelInit
}

/**
 * A dense layer of `units` outputs; `kernelInit` (since 0.3.0) chooses how its kernel starts
 * (Glorot-uniform when not given).
 *
 * @example
 * import { dense, normalInit } from 'ganfp'
 * dense(128) // { _tag: 'Dense', units: 128, useBias: true }
 * dense(128, { kernelInit: normalInit(0.02) }).kernelInit // { _tag: 'Normal', std: 0.02 }
 * @since 0.1.0
 * @category constructors
 */
export const dense = (units: number, options: { readonly useBias?: boolean; readonly kernelInit?: KernelInit } = {}): Dense => ({
  _tag: 'Dense',
  units,
  useBias: optionsOf(options).useBias ?? true,
  ...kernelInitField(optionsOf(options).kernelInit),
})

const linear: FusedActivation = { name: 'linear' }

/**
 * The dense kind: a rank-1 input `[fanIn]` gives `[units]`; the kernel is `[fanIn, units]`.
 *
 * @example
 * import { denseKind } from 'ganfp'
 * denseKind.kernel // { param: 'kernel', outputAxis: 1 }
 * @since 0.1.0
 * @category instances
 */
export const denseKind: LayerKind<Dense> = {
  tag: 'Dense',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = [...positiveIntAt(`${path}.units`, layer.units), ...booleanAt(`${path}.useBias`, layer.useBias)]
    errors.push(...kernelInitErrors(layer.kernelInit, `${path}.kernelInit`))
    if (input !== undefined && input.length !== 1)
      errors.push(shapeMismatch(path, 'a rank-1 input (put flatten() before dense)', `input ${formatShape(input)}`))
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [layer.units] : undefined }
  },
  compile: ({ layer, inputShape }, { local, activation = linear, kit }) => {
    const kernel = `${local}.kernel`
    const bias = `${local}.bias`
    const fanIn = inputShape[0]!
    return {
      params: [
        { path: kernel, shape: [fanIn, layer.units], trainable: true, init: kernelInitializer(layer.kernelInit, fanIn, layer.units) },
        ...(layer.useBias ? [{ path: bias, shape: [layer.units], trainable: true, init: { _tag: 'Constant', value: 0 } } as const] : []),
      ],
      forward: (x, p, mode) => {
        const b = layer.useBias ? p[bias] : undefined
        const needed = kit.neededGradients(mode)
        return {
          // Twice differentiable: the activation apart, with a gradient from its input (see ForwardMode).
          output: mode.twiceDifferentiable
            ? kit.activateTwiceDifferentiable(kit.fusedDense(x, p[kernel]!, b, linear, needed), activation)
            : kit.fusedDense(x, p[kernel]!, b, activation, needed),
          stateUpdates: [],
        }
      },
    }
  },
  takesActivation: () => true,
  kernel: { param: 'kernel', outputAxis: 1 },
}
