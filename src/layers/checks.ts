/**
 * The parameter checks the shape rules share: each gives the problems with one value, located at
 * its path, as a list (empty when the value is fine) so that a rule collects them all.
 *
 * @since 0.1.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue, isFiniteNumber, isPositiveInt } from '../dsl/describe.ts'

/**
 * @example
 * import { positiveIntAt } from './src/layers/checks.ts'
 * positiveIntAt('g.layers[0].units', 0)[0]?.expected // 'a positive integer'
 * @since 0.1.0
 * @category validation
 */
export const positiveIntAt = (path: string, value: unknown): ReadonlyArray<GanError> =>
  isPositiveInt(value) ? [] : [invalidConfig(path, 'a positive integer', describeValue(value))]

/**
 * @example
 * import { booleanAt } from './src/layers/checks.ts'
 * booleanAt('g.layers[0].useBias', 'yes').length // 1
 * @since 0.1.0
 * @category validation
 */
export const booleanAt = (path: string, value: unknown): ReadonlyArray<GanError> =>
  typeof value === 'boolean' ? [] : [invalidConfig(path, 'a boolean', describeValue(value))]

/**
 * A finite number for which `ok` holds; `expected` says which.
 *
 * @example
 * import { numberAt } from './src/layers/checks.ts'
 * numberAt('d.layers[1].alpha', -1, (a) => a >= 0, 'a finite number ≥ 0').length // 1
 * @since 0.1.0
 * @category validation
 */
export const numberAt = (path: string, value: unknown, ok: (v: number) => boolean, expected: string): ReadonlyArray<GanError> =>
  isFiniteNumber(value) && ok(value) ? [] : [invalidConfig(path, expected, describeValue(value))]
