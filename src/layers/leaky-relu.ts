/**
 * The leaky ReLU; a dense, conv2d or batch-norm layer before it takes it into its own fused op.
 *
 * @since 0.1.0
 */
import { numberAt } from './checks.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * The leaky ReLU: x for x ≥ 0, `alpha`·x below.
 * @since 0.1.0
 * @category model
 */
export interface LeakyRelu {
  readonly _tag: 'LeakyRelu'
  readonly alpha: number
}

/**
 * @example
 * import { leakyRelu } from 'ganfp'
 * leakyRelu(0.2).alpha // 0.2
 * @since 0.1.0
 * @category constructors
 */
export const leakyRelu = (alpha = 0.2): LeakyRelu => ({ _tag: 'LeakyRelu', alpha })

/**
 * The leaky ReLU kind: shape-preserving, even with a bad `alpha` (so later layers are checked).
 *
 * @example
 * import { leakyReluKind, leakyRelu } from 'ganfp'
 * leakyReluKind.fusedActivation?.(leakyRelu(0.2)) // { name: 'leakyrelu', alpha: 0.2 }
 * @since 0.1.0
 * @category instances
 */
export const leakyReluKind: LayerKind<LeakyRelu> = {
  tag: 'LeakyRelu',
  infer: (layer, input, path) => ({ errors: numberAt(`${path}.alpha`, layer.alpha, (a) => a >= 0, 'a finite number ≥ 0'), outputShape: input }),
  compile: ({ layer }, { kit: { tf } }) => stateless((x) => tf.leakyRelu(x, layer.alpha)),
  fusedActivation: (layer) => ({ name: 'leakyrelu', alpha: layer.alpha }),
}
