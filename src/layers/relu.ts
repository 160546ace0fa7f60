/**
 * The rectified linear unit; a dense, conv2d or batch-norm layer before it takes it into its own
 * fused op.
 *
 * @since 0.1.0
 */
import { stateless, type LayerKind } from './kind.ts'

/**
 * The rectified linear unit: max(0, x) elementwise.
 * @since 0.1.0
 * @category model
 */
export interface Relu {
  readonly _tag: 'Relu'
}

/**
 * @example
 * import { relu } from 'ganfp'
 * relu._tag // 'Relu'
 * @since 0.1.0
 * @category constructors
 */
export const relu: Relu = { _tag: 'Relu' }

/**
 * The relu kind: shape-preserving.
 *
 * @example
 * import { reluKind, relu } from 'ganfp'
 * reluKind.fusedActivation?.(relu) // { name: 'relu' }
 * @since 0.1.0
 * @category instances
 */
export const reluKind: LayerKind<Relu> = {
  tag: 'Relu',
  infer: (_layer, input) => ({ errors: [], outputShape: input }),
  compile: (_shaped, { kit: { tf } }) => stateless((x) => tf.relu(x)),
  fusedActivation: () => ({ name: 'relu' }),
}
