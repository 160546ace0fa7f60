/**
 * How the kernel of a layer with one (`dense`, `conv2d`, `conv2dTranspose`) starts: Glorot-uniform
 * (the default), a normal of a given standard deviation (the DCGAN paper's and PyTorch's DCGAN
 * example's N(0, 0.02)) or He-normal. A value of the DSL, validated by the layers' shape rules and
 * turned into the kernel's `Initializer` by their compile rules; `withKernelInit` sets it
 * throughout a network, as PyTorch users do with `net.apply(weights_init)`.
 *
 * @since 0.3.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue, isFiniteNumber } from '../dsl/describe.ts'
import type { Network } from '../dsl/network.ts'
import type { Initializer } from '../compile/params.ts'
import type { Branch } from './concat.ts'
import type { Layer } from './registry.ts'

/**
 * How a kernel starts: `GlorotUniform` draws from U(−l, l), l = √(6 / (fanIn + fanOut)); `Normal`
 * from N(0, std²); `HeNormal` from N(0, 2 / fanIn). A convolution's fans count its window
 * (`kh·kw·in`, `kh·kw·out`), and a transposed convolution's fan-in is its input channels' (the
 * forward pass's), whatever tfjs's filter layout.
 *
 * @since 0.3.0
 * @category model
 */
export type KernelInit =
  | { readonly _tag: 'GlorotUniform' }
  | { readonly _tag: 'Normal'; readonly std: number }
  | { readonly _tag: 'HeNormal' }

/**
 * Glorot-uniform (Glorot & Bengio 2010), what every kernel starts from when no initialiser is given.
 *
 * @example
 * import { dense, glorotUniform } from 'ganfp'
 * dense(64, { kernelInit: glorotUniform() }).kernelInit // { _tag: 'GlorotUniform' }
 * @since 0.3.0
 * @category constructors
 */
export const glorotUniform = (): KernelInit => ({ _tag: 'GlorotUniform' })

/**
 * A normal of mean 0 and standard deviation `std`: `normalInit(0.02)` is the DCGAN paper's and
 * PyTorch's DCGAN example's initialiser of every convolution and linear weight.
 *
 * @example
 * import { conv2d, normalInit } from 'ganfp'
 * conv2d(64, 4, { stride: 2, kernelInit: normalInit(0.02) }).kernelInit // { _tag: 'Normal', std: 0.02 }
 * @since 0.3.0
 * @category constructors
 */
export const normalInit = (std: number): KernelInit => ({ _tag: 'Normal', std })

/**
 * He-normal (He et al. 2015): N(0, 2 / fanIn), for kernels followed by a ReLU.
 *
 * @example
 * import { dense, heNormal } from 'ganfp'
 * dense(64, { kernelInit: heNormal() }).kernelInit // { _tag: 'HeNormal' }
 * @since 0.3.0
 * @category constructors
 */
export const heNormal = (): KernelInit => ({ _tag: 'HeNormal' })

const expectedInit = 'a kernel initialiser: glorotUniform(), normalInit(std) or heNormal()'

/**
 * The problems of a layer's `kernelInit` at `path` (`generator.layers[3].kernelInit`), all of
 * them; none when it is absent (the layer's default).
 *
 * @example
 * import { kernelInitErrors } from './src/layers/kernel-init.ts'
 * kernelInitErrors({ _tag: 'Normal', std: 0 }, 'g.layers[0].kernelInit')[0]?.path // 'g.layers[0].kernelInit.std'
 * kernelInitErrors(undefined, 'g.layers[0].kernelInit') // []
 * @since 0.3.0
 * @category validation
 */
export const kernelInitErrors = (init: unknown, path: string): ReadonlyArray<GanError> => {
  if (init === undefined) return []
  const tag = typeof init === 'object' && init !== null ? (init as { readonly _tag?: unknown })._tag : undefined
  switch (tag) {
    case 'GlorotUniform':
    case 'HeNormal':
      return []
    case 'Normal': {
      const std = (init as { readonly std?: unknown }).std
      return isFiniteNumber(std) && std > 0 ? [] : [invalidConfig(`${path}.std`, 'a finite number > 0', describeValue(std))]
    }
    default:
      return [invalidConfig(path, expectedInit, describeValue(init))]
  }
}

/**
 * The `Initializer` of a kernel of fans `fanIn` and `fanOut`: Glorot-uniform when `init` is absent,
 * so a layer without one starts exactly as before the option existed (the same draws from the same
 * stream).
 *
 * @example
 * import { kernelInitializer } from './src/layers/kernel-init.ts'
 * kernelInitializer(undefined, 8, 4) // { _tag: 'GlorotUniform', fanIn: 8, fanOut: 4 }
 * kernelInitializer({ _tag: 'HeNormal' }, 8, 4) // { _tag: 'Normal', std: 0.5 }
 * @since 0.3.0
 * @category compiler
 */
export const kernelInitializer = (init: KernelInit | undefined, fanIn: number, fanOut: number): Initializer => {
  switch (init?._tag) {
    case undefined:
    case 'GlorotUniform':
      return { _tag: 'GlorotUniform', fanIn, fanOut }
    case 'Normal':
      return { _tag: 'Normal', std: init.std }
    case 'HeNormal':
      return { _tag: 'Normal', std: Math.sqrt(2 / fanIn) }
  }
}

/**
 * The `kernelInit` field of a layer's value: none when not given, so that `dense(128)` is the same
 * value it always was (specs, checkpoints and manifests unchanged).
 *
 * @example
 * import { kernelInitField } from './src/layers/kernel-init.ts'
 * kernelInitField(undefined) // {}
 * @since 0.3.0
 * @category constructors
 */
export const kernelInitField = (init: KernelInit | undefined): { readonly kernelInit?: KernelInit } =>
  init === undefined ? {} : { kernelInit: init }

/** The chain of layers with `f` applied to each; anything but a list kept, for the checks to report. */
const mapChain = (layers: ReadonlyArray<Layer>, f: (layer: Layer) => Layer): ReadonlyArray<Layer> => (Array.isArray(layers) ? layers.map(f) : layers)

const mapBranch = (branch: Branch, f: (layer: Layer) => Layer): Branch =>
  typeof branch === 'object' && branch !== null ? { ...branch, layers: mapChain(branch.layers, f) } : branch

/** `layer` with every kernel inside it set to start from `init`. */
const setKernelInit =
  (init: KernelInit) =>
  (layer: Layer): Layer => {
    if (typeof layer !== 'object' || layer === null) return layer
    const inner = setKernelInit(init)
    switch (layer._tag) {
      case 'Dense':
      case 'Conv2d':
      case 'Conv2dTranspose':
        return { ...layer, kernelInit: init }
      case 'Residual':
        return { ...layer, block: mapChain(layer.block, inner), shortcut: mapChain(layer.shortcut, inner) }
      case 'Concat':
        return { ...layer, branches: Array.isArray(layer.branches) ? layer.branches.map((b) => mapBranch(b, inner)) : layer.branches }
      case 'SpectralNorm':
        return { ...layer, layer: inner(layer.layer) }
      default:
        return layer
    }
  }

/**
 * The same network with every dense, conv2d and conv2dTranspose kernel in it starting from
 * `init`, those inside residual blocks, concat branches and spectral norms too (and replacing an
 * initialiser a layer had); layers without a kernel, biases and batch norms are left as they are.
 * PyTorch's `net.apply(weights_init)`, as a data-last combinator for `pipe`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { dcganDiscriminatorLayers, normalInit, sequential, withKernelInit } from 'ganfp'
 * const critic = pipe(sequential([28, 28, 1], dcganDiscriminatorLayers(16)), withKernelInit(normalInit(0.02)))
 * critic.layers[0] // { _tag: 'Conv2d', filters: 16, kernelSize: [5, 5], strides: [2, 2], padding: 'same', useBias: true, kernelInit: { _tag: 'Normal', std: 0.02 } }
 * critic.layers[1] // { _tag: 'LeakyRelu', alpha: 0.2 }
 * @since 0.3.0
 * @category combinators
 */
export const withKernelInit =
  (init: KernelInit) =>
  (network: Network): Network => ({ ...network, layers: mapChain(network.layers, setKernelInit(init)) })
