/**
 * Reading users' PNG files of any size: the decoding of one file to channels-last bytes
 * (luminance or RGB), and the note on transparency that image loaders log. Each problem is a
 * `GanError` naming its file (JPEG and folders: image-files.ts).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { invalidData, type GanError } from '../errors.ts'
import { decodingOptionErrors } from './background.ts'
import { readFailure } from './files.ts'
import { decodePngBytes } from './image-decoding.ts'

/**
 * One decoded PNG: `height × width × channels` bytes, channels last.
 *
 * @since 0.1.0
 * @category model
 */
export interface DecodedPng {
  readonly file: string
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
  readonly pixels: Uint8Array
  /** Whether any pixel was less than opaque (and so was composited onto the background). */
  readonly transparent: boolean
}

/**
 * The colour transparent pixels are composited onto, as red, green, blue bytes: white, as an
 * image viewer shows them.
 *
 * @example
 * import { defaultBackground } from 'ganfp/node'
 * defaultBackground // [255, 255, 255]
 * @since 0.2.0
 * @category io
 */
export const defaultBackground: readonly [number, number, number] = [255, 255, 255]

/**
 * The log line for images that had transparency: how many, and what they were composited onto.
 * Undefined when none had any. `noun` names the files counted (`'images'` for a folder with
 * JPEGs in it).
 *
 * @example
 * import { transparencyNote } from 'ganfp/node'
 * transparencyNote(2, 10, [255, 255, 255]) // '2 of 10 PNGs have transparent pixels: composited onto white (rgb 255, 255, 255)'
 * transparencyNote(1, 3, [0, 0, 0], 'images') // '1 of 3 images have transparent pixels: composited onto black (rgb 0, 0, 0)'
 * @since 0.2.0
 * @category io
 */
export const transparencyNote = (
  transparent: number,
  total: number,
  background: readonly [number, number, number],
  noun = 'PNGs',
): string | undefined => {
  if (transparent === 0) return undefined
  const named = background.every((c) => c === 255) ? 'white ' : background.every((c) => c === 0) ? 'black ' : ''
  return `${transparent} of ${total} ${noun} have transparent pixels: composited onto ${named}(rgb ${background.join(', ')})`
}

/**
 * One class of a PNG folder: its name and its files, sorted.
 *
 * @since 0.1.0
 * @category model
 */
export interface PngClass {
  readonly name: string
  readonly files: ReadonlyArray<string>
}

/**
 * Decodes one PNG file of any size (any bit depth and colour type: pngjs scales 16-bit samples
 * and expands palettes), keeping luminance (ITU-R BT.601 luma, rounded) or RGB. A pixel with
 * alpha is composited onto `background` (default white) first: its stored colour under full
 * transparency is arbitrary, and dropping alpha would train on it. A file that is not a PNG is an
 * `InvalidData` error naming it; one the system will not let be read, a `FileSystem` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readPng } from 'ganfp/node'
 * const r = readPng('photo.png', 1)
 * E.isRight(r) && r.right.pixels.length === r.right.height * r.right.width // true
 * @since 0.1.0
 * @category constructors
 */
export const readPng = (
  file: string,
  channels: 1 | 3,
  background: readonly [number, number, number] = defaultBackground,
): E.Either<ReadonlyArray<GanError>, DecodedPng> => {
  const badOptions = decodingOptionErrors(channels, background)
  if (badOptions.length > 0) return E.left(badOptions)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return E.left([readFailure(file, 'a readable file', error, (message) => invalidData(file, 'a readable PNG', message))])
  }
  const decoded = decodePngBytes(file, bytes, channels, background)
  if (E.isLeft(decoded)) return decoded
  const { height, width, pixels, transparent } = decoded.right
  return E.right({ file, height, width, channels, pixels, transparent })
}
