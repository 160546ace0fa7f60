/**
 * A checked network compiled to tfjs-core: `init(seed)` makes parameters, `apply(params, x, mode)`
 * uses them. The compiled value holds no tensors; parameters belong to whoever called `init`.
 *
 * @since 0.1.0
 */
import type { Shape } from '../dsl/network.ts'
import type { CheckedNetwork } from '../shape/check.ts'
import { fusableActivation } from './fusion.ts'
import { compileLayer, type CompiledLayer, type ForwardMode } from './layers.ts'
import { disposeParams, initParams, type ParamSpec, type Params } from './params.ts'
import type { Tensor } from './tf.ts'

/**
 * A forward pass's output and the new values of the network's state (batch-norm moving
 * statistics), by path.
 *
 * @since 0.1.0
 * @category model
 */
export interface Forward {
  readonly output: Tensor
  readonly stateUpdates: Params
}

/**
 * @since 0.1.0
 * @category model
 */
export interface CompiledNetwork {
  readonly inputShape: Shape
  readonly outputShape: Shape
  /** Every parameter, in a fixed order; the optimizer trains those marked trainable. */
  readonly paramSpecs: ReadonlyArray<ParamSpec>
  readonly trainablePaths: ReadonlyArray<string>
  /** Fresh parameters from a seed: the same on every backend. */
  readonly init: (seed: number) => Params
  /** The output for a batch `x` of shape `[n, ...inputShape]`. */
  readonly apply: (params: Params, x: Tensor, mode: ForwardMode) => Tensor
  /** The output and the state updates a training pass produces. */
  readonly forward: (params: Params, x: Tensor, mode: ForwardMode) => Forward
  /**
   * The activations after layer `last` (an index into the declared layers; an activation fused
   * into that layer is included), for feature matching. State updates are dropped.
   */
  readonly features: (params: Params, x: Tensor, mode: ForwardMode, last: number) => Tensor
  /** Disposes a parameter record made by `init`. */
  readonly dispose: (params: Params) => void
}

const identity: CompiledLayer = { params: [], forward: (x) => ({ output: x, stateUpdates: [] }) }

/**
 * Each layer compiled, a dense, conv2d or batch-norm layer followed by a fusable activation taking
 * that activation into its own op (the activation layer becomes identity, so indices and
 * parameter paths are those of the declared network).
 */
const fuseActivations = (checked: CheckedNetwork, fuse: boolean): ReadonlyArray<CompiledLayer> => {
  const compiled: Array<CompiledLayer> = []
  for (let i = 0; i < checked.layers.length; i++) {
    const shaped = checked.layers[i]!
    const next = checked.layers[i + 1]?.layer
    const activation = next === undefined ? undefined : fusableActivation(next)
    if (fuse && activation !== undefined && (shaped.layer._tag === 'Dense' || shaped.layer._tag === 'Conv2d' || shaped.layer._tag === 'BatchNorm')) {
      compiled.push(compileLayer(shaped, `layers[${i}]`, activation), identity)
      i++
    } else compiled.push(compileLayer(shaped, `layers[${i}]`))
  }
  return compiled
}

/**
 * Compiles a checked network. With `fuse` (the default), dense, conv2d and batch-norm layers run
 * together with a following ReLU, leaky ReLU or sigmoid as one fused op.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkNetwork, compileNetwork, mlp, relu } from 'ganfp'
 * const checked = checkNetwork(mlp([2], [4], relu, 1), 'd')
 * if (E.isRight(checked)) compileNetwork(checked.right).paramSpecs.map((p) => p.path)
 * // ['layers[0].kernel', 'layers[0].bias', 'layers[2].kernel', 'layers[2].bias']
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileNetwork = (checked: CheckedNetwork, options: { readonly fuse?: boolean } = {}): CompiledNetwork => {
  const layers = fuseActivations(checked, options.fuse ?? true)
  const paramSpecs = layers.flatMap((l) => l.params)
  const forward = (params: Params, x: Tensor, mode: ForwardMode, last = layers.length - 1): Forward => {
    const stateUpdates: Record<string, Tensor> = {}
    let output = x
    // A layer's input gradient is needed when the caller wants the network's, or when an earlier
    // layer has parameters being differentiated.
    let inputGradient = mode.inputGradient ?? true
    const paramGradients = mode.paramGradients ?? true
    layers.slice(0, last + 1).forEach((layer, i) => {
      const result = layer.forward(output, params, { ...mode, inputGradient }, i)
      if (paramGradients && layer.params.some((p) => p.trainable)) inputGradient = true
      for (const [path, value] of result.stateUpdates) stateUpdates[path] = value
      output = result.output
    })
    return { output, stateUpdates }
  }
  return {
    inputShape: checked.inputShape,
    outputShape: checked.outputShape,
    paramSpecs,
    trainablePaths: paramSpecs.filter((p) => p.trainable).map((p) => p.path),
    init: (seed) => initParams(paramSpecs, seed),
    apply: (params, x, mode) => forward(params, x, mode).output,
    forward: (params, x, mode) => forward(params, x, mode),
    features: (params, x, mode, last) => forward(params, x, mode, last).output,
    dispose: disposeParams,
  }
}
