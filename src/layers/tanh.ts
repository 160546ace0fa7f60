/**
 * The hyperbolic tangent. Never fused: tfjs has no fused tanh.
 *
 * @since 0.1.0
 */
import type { LayerKind } from './kind.ts'

/**
 * The hyperbolic tangent, elementwise: a generator's last layer for data in [−1, 1].
 * @since 0.1.0
 * @category model
 */
export interface Tanh {
  readonly _tag: 'Tanh'
}

/**
 * @example
 * import { tanh } from 'ganfp'
 * tanh._tag // 'Tanh'
 * @since 0.1.0
 * @category constructors
 */
export const tanh: Tanh = { _tag: 'Tanh' }

/**
 * The tanh kind: shape-preserving.
 *
 * @example
 * import { tanhKind } from 'ganfp'
 * tanhKind.fusedActivation // undefined
 * @since 0.1.0
 * @category instances
 */
export const tanhKind: LayerKind<Tanh> = {
  tag: 'Tanh',
  infer: (_layer, input) => ({ errors: [], outputShape: input }),
  compile: (_shaped, { kit }) => ({
    params: [],
    forward: (x, _p, mode) => ({ output: mode.twiceDifferentiable ? kit.tanhTwiceDifferentiable(x) : kit.tf.tanh(x), stateUpdates: [] }),
  }),
}
