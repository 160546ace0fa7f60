/**
 * A checked network compiled to tfjs-core: `init(seed)` makes parameters, `apply(params, x, mode)`
 * uses them. The compiled value holds no tensors; parameters belong to whoever called `init`.
 *
 * @since 0.1.0
 */
import type { Shape } from '../dsl/network.ts'
import type { CheckedNetwork } from '../shape/check.ts'
import { compileChain } from './chain.ts'
import type { ForwardMode } from './forward.ts'
import { disposeParams, initParams, type ParamSpec, type Params } from './params.ts'
import { tf, type Tensor } from './tf.ts'

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
 * A network compiled to tfjs-core: its parameters as specs and a pure `apply(params, x, mode)`;
 * `init(seed)` makes the parameters, which the caller owns and disposes.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompiledNetwork {
  readonly inputShape: Shape
  readonly outputShape: Shape
  /** The classes of the label input, when the network has one: `labels` must then be given. */
  readonly labelClasses?: number
  /** Every parameter, in a fixed order; the optimizer trains those marked trainable. */
  readonly paramSpecs: ReadonlyArray<ParamSpec>
  readonly trainablePaths: ReadonlyArray<string>
  /** Fresh parameters from a seed: the same on every backend. */
  readonly init: (seed: number) => Params
  /**
   * The output for a batch `x` of shape `[n, ...inputShape]`; `labels` (int32 `[n]`) for a
   * network with a label input.
   */
  readonly apply: (params: Params, x: Tensor, mode: ForwardMode, labels?: Tensor) => Tensor
  /** The output and the state updates a training pass produces. */
  readonly forward: (params: Params, x: Tensor, mode: ForwardMode, labels?: Tensor) => Forward
  /**
   * The activations after layer `last` (an index into the declared layers; an activation fused
   * into that layer is included), for feature matching. State updates are dropped.
   */
  readonly features: (params: Params, x: Tensor, mode: ForwardMode, last: number, labels?: Tensor) => Tensor
  /** Disposes a parameter record made by `init`. */
  readonly dispose: (params: Params) => void
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
  const chain = compileChain(checked.layers, 'layers', options.fuse ?? true)
  const paramSpecs = chain.params
  const run = (params: Params, x: Tensor, mode: ForwardMode, labels: Tensor | undefined, last?: number): Forward => {
    const forward = chain.run(x, params, mode, labels === undefined ? {} : { labels }, last === undefined ? {} : { last })
    // A network with no layers (an identity generator) would hand back x itself, and callers
    // dispose their input and the output separately: the output is always a tensor of its own.
    return forward.output === x ? { ...forward, output: tf.clone(x) } : forward
  }
  return {
    inputShape: checked.inputShape,
    outputShape: checked.outputShape,
    ...(checked.labelClasses === undefined ? {} : { labelClasses: checked.labelClasses }),
    paramSpecs,
    trainablePaths: paramSpecs.filter((p) => p.trainable).map((p) => p.path),
    init: (seed) => initParams(paramSpecs, seed),
    apply: (params, x, mode, labels) => run(params, x, mode, labels).output,
    forward: (params, x, mode, labels) => run(params, x, mode, labels),
    features: (params, x, mode, last, labels) => run(params, x, mode, labels, last).output,
    dispose: disposeParams,
  }
}
