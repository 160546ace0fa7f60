/**
 * Flatten: each example to one dimension.
 *
 * @since 0.1.0
 */
import { shapeSize } from '../dsl/shape.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Flattens each example to one dimension (batch dimension kept).
 * @since 0.1.0
 * @category model
 */
export interface Flatten {
  readonly _tag: 'Flatten'
}

/**
 * @example
 * import { flatten } from 'ganfp'
 * flatten._tag // 'Flatten'
 * @since 0.1.0
 * @category constructors
 */
export const flatten: Flatten = { _tag: 'Flatten' }

/**
 * The flatten kind: `[d1, ..., dk]` gives `[d1·...·dk]`.
 *
 * @example
 * import { flattenKind } from 'ganfp'
 * flattenKind.tag // 'Flatten'
 * @since 0.1.0
 * @category instances
 */
export const flattenKind: LayerKind<Flatten> = {
  tag: 'Flatten',
  infer: (_layer, input) => ({ errors: [], outputShape: input === undefined ? undefined : [shapeSize(input)] }),
  compile: ({ outputShape }, { kit: { tf } }) => stateless((x) => tf.reshape(x, [-1, ...outputShape])),
}
