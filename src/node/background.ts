/**
 * The check of a compositing background (three bytes, red, green, blue), shared by the PNG reader
 * and the folder loaders; not exported from the package.
 *
 * @since 0.2.0
 */
import { describeValue } from '../dsl/describe.ts'
import { invalidConfig, type GanError } from '../errors.ts'

/** A background that is not three bytes, as an error naming `background`. */
export const backgroundErrors = (background: unknown): ReadonlyArray<GanError> =>
  background === undefined ||
  (Array.isArray(background) && background.length === 3 && background.every((c) => Number.isInteger(c) && c >= 0 && c <= 255))
    ? []
    : [invalidConfig('background', 'three integers in [0, 255] (red, green, blue)', describeValue(background))]
