/**
 * What a compiled layer is: the parameters it owns and its forward function, and the mode a
 * forward pass runs in. Every layer kind's compile rule (src/layers) returns one.
 *
 * @since 0.1.0
 */
import type { ParamSpec, Params } from './params.ts'
import type { Tensor } from './tf.ts'

/**
 * How a forward pass runs: training switches batch statistics and dropout on.
 *
 * @since 0.1.0
 * @category model
 */
export interface ForwardMode {
  readonly training: boolean
  /** Seeds dropout masks; ignored in inference. */
  readonly seed?: number
  /**
   * Whether a gradient with respect to the input will be asked for (default true). The trainer
   * says false for data and latents, so the first layers skip their input gradients.
   */
  readonly inputGradient?: boolean
  /**
   * Whether gradients with respect to the parameters will be asked for (default true). The trainer
   * says false for the discriminator inside the generator's step, where only input gradients flow.
   */
  readonly paramGradients?: boolean
  /**
   * Whether the gradient of this pass will itself be differentiated (default false): a gradient
   * penalty differentiates ‖∇ₓD(x)‖ with respect to D's parameters. The fused kernels' gradients
   * read the activation's derivative off their output, which tfjs's tape cannot differentiate
   * (it records the saved output before the op that makes it); in this mode every activation's
   * gradient is computed from its input instead, and convolutions' gradients use only kernels
   * every backend has.
   */
  readonly twiceDifferentiable?: boolean
}

/**
 * Which gradients a layer's backward pass must produce; the others are left as zeros (the
 * custom gradients of fused and lowered ops are computed eagerly, unlike tfjs's registered ones).
 *
 * @since 0.1.0
 * @category model
 */
export interface NeededGradients {
  readonly input: boolean
  readonly params: boolean
  /** The gradient will be differentiated again (see `ForwardMode.twiceDifferentiable`). */
  readonly twice?: boolean
}

/**
 * The gradients a forward pass in `mode` needs.
 *
 * @example
 * import { neededGradients } from 'ganfp'
 * neededGradients({ training: true, inputGradient: false }) // { input: false, params: true, twice: false }
 * @since 0.1.0
 * @category compiler
 */
export const neededGradients = (mode: ForwardMode): NeededGradients => ({
  input: mode.inputGradient ?? true,
  params: mode.paramGradients ?? true,
  twice: mode.twiceDifferentiable ?? false,
})

/**
 * What a layer may read besides its input: the network's labels (int32 `[n]`), when it has a
 * label input.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerContext {
  readonly labels?: Tensor
}

/**
 * One layer's forward result: its output and the new values of any state it keeps.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerOutput {
  readonly output: Tensor
  readonly stateUpdates: ReadonlyArray<readonly [string, Tensor]>
}

/**
 * A layer compiled: its parameters and its forward function (`index` is its place in the chain,
 * which seeds its dropout mask).
 *
 * @since 0.1.0
 * @category model
 */
export interface CompiledLayer {
  readonly params: ReadonlyArray<ParamSpec>
  readonly forward: (x: Tensor, params: Params, mode: ForwardMode, index: number, context: LayerContext) => LayerOutput
}
