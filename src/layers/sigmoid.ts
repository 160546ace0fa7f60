/**
 * The logistic sigmoid; a dense, conv2d or batch-norm layer before it takes it into its own fused
 * op.
 *
 * @since 0.1.0
 */
import type { LayerKind } from './kind.ts'

/**
 * The logistic sigmoid 1 / (1 + e^(−x)), elementwise.
 * @since 0.1.0
 * @category model
 */
export interface Sigmoid {
  readonly _tag: 'Sigmoid'
}

/**
 * @example
 * import { sigmoid } from 'ganfp'
 * sigmoid._tag // 'Sigmoid'
 * @since 0.1.0
 * @category constructors
 */
export const sigmoid: Sigmoid = { _tag: 'Sigmoid' }

/**
 * The sigmoid kind: shape-preserving.
 *
 * @example
 * import { sigmoidKind, sigmoid } from 'ganfp'
 * sigmoidKind.fusedActivation?.(sigmoid) // { name: 'sigmoid' }
 * @since 0.1.0
 * @category instances
 */
export const sigmoidKind: LayerKind<Sigmoid> = {
  tag: 'Sigmoid',
  infer: (_layer, input) => ({ errors: [], outputShape: input }),
  compile: (_shaped, { kit }) => ({
    params: [],
    forward: (x, _p, mode) => ({
      output: mode.twiceDifferentiable ? kit.activateTwiceDifferentiable(x, { name: 'sigmoid' }) : kit.tf.sigmoid(x),
      stateUpdates: [],
    }),
  }),
  fusedActivation: () => ({ name: 'sigmoid' }),
}
