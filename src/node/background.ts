/**
 * The checks of the decoding options (the channels wanted; a compositing background of three
 * bytes, red, green, blue), shared by the file readers and the folder loaders; not exported from
 * the package.
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

/** Channels other than 1 or 3, and a bad background, as errors naming each option. */
export const decodingOptionErrors = (channels: unknown, background: unknown): ReadonlyArray<GanError> => [
  ...(channels === 1 || channels === 3 ? [] : [invalidConfig('channels', '1 (luminance) or 3 (RGB)', describeValue(channels))]),
  ...backgroundErrors(background),
]
