/**
 * Reading users' PNG files of any size: the folder layout (flat, or one sub-folder per class) and
 * the decoding of one file to channels-last bytes (luminance or RGB). The pieces that image
 * loaders share; each problem is a `GanError` naming its file or folder.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pngjs from 'pngjs'
import { describeValue } from '../dsl/describe.ts'
import { invalidConfig, invalidData, type GanError } from '../errors.ts'
import { backgroundErrors } from './background.ts'
import { readFailure } from './files.ts'

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
 * Undefined when none had any.
 *
 * @example
 * import { transparencyNote } from 'ganfp/node'
 * transparencyNote(2, 10, [255, 255, 255]) // '2 of 10 PNGs have transparent pixels: composited onto white (rgb 255, 255, 255)'
 * @since 0.2.0
 * @category io
 */
export const transparencyNote = (transparent: number, total: number, background: readonly [number, number, number]): string | undefined => {
  if (transparent === 0) return undefined
  const named = background.every((c) => c === 255) ? 'white ' : background.every((c) => c === 0) ? 'black ' : ''
  return `${transparent} of ${total} PNGs have transparent pixels: composited onto ${named}(rgb ${background.join(', ')})`
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

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Deflate packs at most 1032 bytes into one (1100 leaves room for the PNG around it). */
const maxDeflateRatio = 1100

/**
 * The size a PNG's header declares, in raw bytes: the decoder allocates it before reading any data
 * and fills what the data does not (a 90-byte file declaring 2^31 × 2^31 stalled it for half a
 * minute; one declaring 8192 × 8192 decoded as a black image), so a size the file cannot hold is
 * refused first. Undefined when there is no header to read (the decoder reports that).
 */
const declaredSize = (bytes: Uint8Array): { readonly width: number; readonly height: number; readonly bytes: number } | undefined => {
  if (bytes.length < 26 || new TextDecoder().decode(bytes.subarray(12, 16)) !== 'IHDR') return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [width, height, depth, colourType] = [view.getUint32(16), view.getUint32(20), bytes[24]!, bytes[25]!]
  const samples = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Readonly<Record<number, number>>)[colourType]
  return samples === undefined ? undefined : { width, height, bytes: height * Math.ceil((width * samples * depth) / 8) }
}

const pngsIn = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort()
    .map((f) => join(dir, f))

/**
 * The PNG files of a folder by class: one class per sub-folder (sorted by name), or, when there
 * are no sub-folders, one class `all`. An unreadable folder, or one with no PNGs, is an error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { listPngClasses } from 'ganfp/node'
 * E.isLeft(listPngClasses('no-such-folder')) // true
 * @since 0.1.0
 * @category constructors
 */
export const listPngClasses = (dir: string): E.Either<ReadonlyArray<GanError>, ReadonlyArray<PngClass>> => {
  let classes: ReadonlyArray<PngClass>
  try {
    const folders = readdirSync(dir)
      .sort()
      .filter((e) => statSync(join(dir, e)).isDirectory())
    classes = folders.length > 0 ? folders.map((name) => ({ name, files: pngsIn(join(dir, name)) })) : [{ name: 'all', files: pngsIn(dir) }]
  } catch (error) {
    return E.left([readFailure(dir, 'a readable folder', error, (message) => invalidData(dir, 'a readable folder', message))])
  }
  if (classes.every((c) => c.files.length === 0))
    return E.left([invalidData(dir, 'PNG files (flat, or one sub-folder per class)', 'none')])
  return E.right(classes)
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
  const badOptions = [
    ...(channels === 1 || channels === 3 ? [] : [invalidConfig('channels', '1 (luminance) or 3 (RGB)', describeValue(channels))]),
    ...backgroundErrors(background),
  ]
  if (badOptions.length > 0) return E.left(badOptions)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return E.left([readFailure(file, 'a readable file', error, (message) => invalidData(file, 'a readable PNG', message))])
  }
  const declared = declaredSize(bytes)
  if (declared !== undefined && declared.bytes > maxDeflateRatio * bytes.length)
    return E.left([invalidData(file, 'a PNG with data for the size its header declares', `${declared.width}×${declared.height} declared in a file of ${bytes.length} bytes (damaged or cut short)`)])
  let png: { width: number; height: number; data: Uint8Array }
  try {
    png = pngjs.PNG.sync.read(bytes)
  } catch (error) {
    return E.left([invalidData(file, 'a readable PNG', errorText(error))])
  }
  const count = png.width * png.height
  const pixels = new Uint8Array(count * channels)
  const [backR, backG, backB] = background
  let transparent = false
  for (let i = 0; i < count; i++) {
    let [r, g, b] = [png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!]
    const alpha = png.data[4 * i + 3]!
    if (alpha < 255) {
      transparent = true
      const a = alpha / 255
      r = Math.round(a * r + (1 - a) * backR)
      g = Math.round(a * g + (1 - a) * backG)
      b = Math.round(a * b + (1 - a) * backB)
    }
    if (channels === 3) pixels.set([r, g, b], 3 * i)
    else pixels[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
  }
  return E.right({ file, height: png.height, width: png.width, channels, pixels, transparent })
}
