/**
 * How a found value is printed in an error: short, and faithful to what the user passed.
 *
 * @since 0.1.0
 */

/**
 * @example
 * import { describeValue } from 'ganfp'
 * describeValue([7, 7, 64]) // '[7, 7, 64]'
 * @since 0.1.0
 * @category destructors
 */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value)
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`
  if (typeof value === 'object' && value !== null && '_tag' in value && typeof value._tag === 'string') return value._tag
  try {
    const json = JSON.stringify(value) as string | undefined
    // Functions and symbols have no JSON.
    if (json === undefined) return typeof value
    return json.length > 80 ? `${json.slice(0, 77)}...` : json
  } catch {
    // Circular, a BigInt, or an object whose own conversions throw: say what it is.
    return typeof value === 'bigint' ? `${value}n` : `an unprintable ${typeof value}`
  }
}

/**
 * @internal A constructor's options object; `null` (or another non-object) reads as none, as
 * `undefined` does: constructors accept anything, and the checks report bad fields.
 */
export const optionsOf = <O extends object>(options: O | null | undefined): O => (typeof options === 'object' && options !== null ? options : ({} as O))

/** @internal A copy of a list; anything else kept as it is, for the checks to report (a spread would throw). */
export const copyList = <A>(list: ReadonlyArray<A>): Array<A> => (Array.isArray(list) ? [...list] : (list as unknown as Array<A>))

/** @internal */
export const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0

/** @internal */
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** @internal */
export const isShape = (v: unknown): v is ReadonlyArray<number> =>
  Array.isArray(v) && v.length > 0 && v.every(isPositiveInt)

/** @internal */
export const formatShape = (shape: ReadonlyArray<number>): string => `[${shape.join(', ')}]`
