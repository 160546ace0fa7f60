/**
 * What `conv2d` and `conv2dTranspose` share: their options and defaults, the checks of their
 * parameters, and their kernel and bias.
 *
 * @since 0.1.0
 */
import type { GanError } from '../errors.ts'
import type { ParamSpec } from '../compile/params.ts'
import { optionsOf } from '../dsl/describe.ts'
import { booleanAt, positiveIntAt } from './checks.ts'
import { checkPadding, checkPair, pair, type Padding, type Pair } from './conv-geometry.ts'
import { kernelInitErrors, kernelInitField, kernelInitializer, type KernelInit } from './kernel-init.ts'

/**
 * Options shared by both convolutions.
 * @since 0.1.0
 * @category model
 */
export interface ConvOptions {
  readonly stride?: number | Pair
  readonly padding?: Padding
  readonly useBias?: boolean
  /** How the kernel starts (since 0.3.0); Glorot-uniform when not given (see `KernelInit`). */
  readonly kernelInit?: KernelInit
}

/** The fields both convolutions have. */
export interface ConvFields<Tag extends 'Conv2d' | 'Conv2dTranspose'> {
  readonly _tag: Tag
  readonly filters: number
  readonly kernelSize: Pair
  readonly strides: Pair
  readonly padding: Padding
  readonly useBias: boolean
  /** How the kernel starts; Glorot-uniform when absent. */
  readonly kernelInit?: KernelInit
}

/**
 * Both convolutions' fields with their defaults: stride 1, `same` padding, a bias, and no
 * `kernelInit` field unless one is given.
 *
 * @example
 * import { convolution } from './src/layers/convolution.ts'
 * convolution('Conv2d', 8, 3, {}).strides // [1, 1]
 * @since 0.1.0
 * @category constructors
 */
export const convolution = <Tag extends 'Conv2d' | 'Conv2dTranspose'>(
  tag: Tag,
  filters: number,
  kernel: number | Pair,
  options: ConvOptions,
): ConvFields<Tag> => ({
  _tag: tag,
  filters,
  kernelSize: pair(kernel),
  strides: pair(optionsOf(options).stride ?? 1),
  padding: optionsOf(options).padding ?? 'same',
  useBias: optionsOf(options).useBias ?? true,
  ...kernelInitField(optionsOf(options).kernelInit),
})

/**
 * The problems with a convolution's own parameters.
 *
 * @example
 * import { convolution, convolutionErrors } from './src/layers/convolution.ts'
 * convolutionErrors(convolution('Conv2d', 0, 3, {}), 'd.layers[0]').length // 1
 * @since 0.1.0
 * @category validation
 */
export const convolutionErrors = (layer: ConvFields<'Conv2d' | 'Conv2dTranspose'>, path: string): Array<GanError> => {
  const errors: Array<GanError> = [...positiveIntAt(`${path}.filters`, layer.filters)]
  checkPair(layer.kernelSize, `${path}.kernelSize`, errors)
  checkPair(layer.strides, `${path}.strides`, errors)
  checkPadding(layer.padding, `${path}.padding`, errors)
  errors.push(...booleanAt(`${path}.useBias`, layer.useBias), ...kernelInitErrors(layer.kernelInit, `${path}.kernelInit`))
  return errors
}

/**
 * A convolution's kernel and bias under `local`: the kernel from its `kernelInit` over the window's
 * fans (Glorot-uniform when it has none), the bias from 0, in tfjs's
 * filter layouts (conv2d `[kh, kw, in, out]`; conv2dTranspose `[kh, kw, out, in]`).
 *
 * @example
 * import { convolutionParams } from './src/layers/convolution.ts'
 * convolutionParams({ _tag: 'Conv2d', filters: 8, kernelSize: [3, 3], strides: [1, 1], padding: 'same', useBias: true }, 'layers[0]', 1).specs[0].shape // [3, 3, 1, 8]
 * @since 0.1.0
 * @category compiler
 */
export const convolutionParams = (
  layer: ConvFields<'Conv2d' | 'Conv2dTranspose'>,
  local: string,
  inChannels: number,
): { readonly kernel: string; readonly bias: string; readonly specs: ReadonlyArray<ParamSpec> } => {
  const [kh, kw] = layer.kernelSize
  const kernel = `${local}.kernel`
  const bias = `${local}.bias`
  const shape = layer._tag === 'Conv2d' ? [kh, kw, inChannels, layer.filters] : [kh, kw, layer.filters, inChannels]
  return {
    kernel,
    bias,
    specs: [
      {
        path: kernel,
        shape,
        trainable: true,
        init: kernelInitializer(layer.kernelInit, kh * kw * inChannels, kh * kw * layer.filters),
      },
      ...(layer.useBias
        ? [{ path: bias, shape: [layer.filters], trainable: true, init: { _tag: 'Constant', value: 0 } } as const]
        : []),
    ],
  }
}
