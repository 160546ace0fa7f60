/**
 * Shapes as plain arrays of dimensions: their size and their equality, shared by every module
 * that checks one shape against another.
 *
 * @since 0.1.0
 */

/**
 * A shape without the batch dimension.
 * @since 0.1.0
 * @category model
 */
export type Shape = ReadonlyArray<number>

/**
 * The number of elements in a tensor of `shape`: the product of its dimensions (1 for `[]`).
 *
 * @example
 * shapeSize([8, 28, 28, 1]) // 6272
 * shapeSize([]) // 1
 * @since 0.1.0
 * @category destructors
 */
export const shapeSize = (shape: Shape): number => shape.reduce((a, b) => a * b, 1)

/**
 * Whether two shapes have the same rank and the same dimensions.
 *
 * @example
 * sameShape([28, 28, 1], [28, 28, 1]) // true
 * sameShape([28, 28, 1], [784]) // false
 * @since 0.1.0
 * @category destructors
 */
export const sameShape = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i])
