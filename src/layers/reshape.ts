/**
 * Reshape: the same elements in a new shape, one entry possibly inferred.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch } from '../errors.ts'
import { copyList, describeValue, formatShape, isPositiveInt } from '../dsl/describe.ts'
import { shapeSize } from '../dsl/shape.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Reshape to `shape` (batch dimension excluded; one entry may be -1, inferred).
 * @since 0.1.0
 * @category model
 */
export interface Reshape {
  readonly _tag: 'Reshape'
  readonly shape: ReadonlyArray<number>
}

/**
 * @example
 * import { reshape } from 'ganfp'
 * reshape([7, 7, 128]).shape // [7, 7, 128]
 * @since 0.1.0
 * @category constructors
 */
export const reshape = (shape: ReadonlyArray<number>): Reshape => ({ _tag: 'Reshape', shape: copyList(shape) })

/**
 * The reshape kind: the input's size must match the target's (or be divisible by its known
 * entries, with a -1).
 *
 * @example
 * import { reshapeKind } from 'ganfp'
 * reshapeKind.tag // 'Reshape'
 * @since 0.1.0
 * @category instances
 */
export const reshapeKind: LayerKind<Reshape> = {
  tag: 'Reshape',
  infer: ({ shape: target }, input, path) => {
    const entriesOk =
      Array.isArray(target) &&
      target.length > 0 &&
      target.every((d) => isPositiveInt(d) || d === -1) &&
      target.filter((d) => d === -1).length <= 1
    if (!entriesOk)
      return {
        errors: [invalidConfig(`${path}.shape`, 'positive integers, at most one -1', describeValue(target))],
        outputShape: undefined,
      }
    if (input === undefined) return { errors: [], outputShape: undefined }
    const known = shapeSize(target.filter((d) => d !== -1))
    const size = shapeSize(input)
    const hasWildcard = target.includes(-1)
    if (hasWildcard ? size % known !== 0 : size !== known)
      return {
        errors: [
          shapeMismatch(
            `${path}.shape`,
            hasWildcard
              ? `a shape whose known entries divide ${size} (the size of input ${formatShape(input)})`
              : `a shape of ${size} elements (the size of input ${formatShape(input)})`,
            `${formatShape(target)} (${known} elements)`,
          ),
        ],
        outputShape: undefined,
      }
    return { errors: [], outputShape: target.map((d) => (d === -1 ? size / known : d)) }
  },
  compile: ({ outputShape }, { kit: { tf } }) => stateless((x) => tf.reshape(x, [-1, ...outputShape])),
}
