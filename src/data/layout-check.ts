/**
 * The check every function on a flat batch of images shares: whole sizes, and as many values as
 * they describe. (Internal: the functions that use it return its errors.)
 *
 * @since 0.1.0
 */
import { invalidConfig, invalidData, type GanError } from '../errors.ts'

/**
 * The problems with a layout (`count × height × width × channels`, channels last) for `values`.
 *
 * @example
 * imageLayoutErrors([0, 1], { count: 1, height: 1, width: 2, channels: 1 }) // []
 * imageLayoutErrors([0, 1], { count: 1, height: 2, width: 2, channels: 1 })[0]!.path // 'values.length'
 * @since 0.1.0
 * @category validation
 */
export const imageLayoutErrors = (
  values: ArrayLike<number>,
  layout: { readonly count: number; readonly height: number; readonly width: number; readonly channels: number },
): ReadonlyArray<GanError> => {
  const sizes = (['count', 'height', 'width', 'channels'] as const).flatMap((key) => {
    const least = key === 'count' ? 0 : 1
    return Number.isInteger(layout[key]) && layout[key] >= least
      ? []
      : [invalidConfig(`layout.${key}`, least === 0 ? 'an integer ≥ 0' : 'a positive integer', String(layout[key]))]
  })
  if (sizes.length > 0) return sizes
  const expected = layout.count * layout.height * layout.width * layout.channels
  return values.length === expected ? [] : [invalidData('values.length', `${expected} (count × height × width × channels)`, String(values.length))]
}
