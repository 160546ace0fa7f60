/**
 * Users' image files as they come: PNG and JPEG of any size, laid out flat (one class) or one
 * sub-folder per class, decoded to luminance or RGB bytes, and made square and of one size. The
 * format is read from a file's first bytes, not its name. Each problem is a `GanError` naming its
 * file or folder.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { centreCropResize } from '../data/resize.ts'
import { describeValue } from '../dsl/describe.ts'
import { invalidConfig, invalidData, type GanError } from '../errors.ts'
import { decodingOptionErrors } from './background.ts'
import { readFailure } from './files.ts'
import { declaredJpegSize, declaredPngSize, decodeJpegBytes, decodePngBytes } from './image-decoding.ts'
import { defaultBackground, type DecodedPng, type PngClass } from './png-files.ts'

/**
 * One decoded image, PNG or JPEG: `height × width × channels` bytes, channels last, and whether any
 * pixel was transparent (the record a decoded PNG has always been).
 *
 * @since 0.3.0
 * @category model
 */
export type DecodedImage = DecodedPng

type Listing = E.Either<ReadonlyArray<GanError>, ReadonlyArray<PngClass>>

/** Hidden entries (`.DS_Store`, macOS's `._x.jpg`, a `.cache` folder) are never images or classes. */
const visible = (name: string): boolean => !name.startsWith('.')

const listClasses = (dir: string, extensions: ReadonlyArray<string>, kind: string): Listing => {
  const isImage = (name: string): boolean => extensions.some((e) => name.toLowerCase().endsWith(e))
  const unreadable = (path: string, error: unknown): GanError =>
    readFailure(path, 'a readable folder', error, (message) => invalidData(path, 'a readable folder', message))
  let names: ReadonlyArray<string>
  try {
    names = readdirSync(dir).filter(visible).sort()
  } catch (error) {
    return E.left([unreadable(dir, error)])
  }
  const errors: Array<GanError> = []
  const [folders, images]: [Array<string>, Array<string>] = [[], []]
  for (const name of names) {
    try {
      if (statSync(join(dir, name)).isDirectory()) folders.push(name)
      else if (isImage(name)) images.push(name)
    } catch (error) {
      // A dangling link or an entry that cannot be looked at: an error only where it names an image.
      if (isImage(name)) errors.push(readFailure(join(dir, name), 'a readable file', error, (message) => invalidData(join(dir, name), `a readable ${kind} file`, message)))
    }
  }
  if (folders.length === 0) {
    if (errors.length > 0) return E.left(errors)
    if (images.length === 0) return E.left([invalidData(dir, `${kind} files (flat, or one sub-folder per class)`, 'none')])
    return E.right([{ name: 'all', files: images.map((f) => join(dir, f)) }])
  }
  // Files beside class folders would belong to no class: said, not silently left out.
  if (images.length > 0)
    errors.push(invalidData(dir, `${kind} files in class sub-folders only (or no sub-folders: one class)`, `${images.length} beside the sub-folders (${images.slice(0, 3).join(', ')}${images.length > 3 ? ', …' : ''})`))
  const classes = folders.map((name) => {
    const folder = join(dir, name)
    try {
      const files = readdirSync(folder).filter((f) => visible(f) && isImage(f)).sort()
      if (files.length === 0) errors.push(invalidData(folder, `${kind} files (a class folder)`, 'none'))
      return { name, files: files.map((f) => join(folder, f)) }
    } catch (error) {
      errors.push(unreadable(folder, error))
      return { name, files: [] }
    }
  })
  return errors.length > 0 ? E.left(errors) : E.right(classes)
}

/**
 * The PNG and JPEG files of a folder by class (`.png`, `.jpg`, `.jpeg`, in any case; hidden files
 * and folders skipped): one class per sub-folder (sorted by name, files sorted), or, when there
 * are no sub-folders, one class `all`. An unreadable folder, one with no images, an empty class
 * folder and images beside class folders are errors naming the folder; all are reported.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { listImageClasses } from 'ganfp/node'
 * E.isLeft(listImageClasses('no-such-folder')) // true
 * @since 0.2.0
 * @category constructors
 */
export const listImageClasses = (dir: string): E.Either<ReadonlyArray<GanError>, ReadonlyArray<{ readonly name: string; readonly files: ReadonlyArray<string> }>> =>
  listClasses(dir, ['.png', '.jpg', '.jpeg'], 'PNG or JPEG')

/**
 * `listImageClasses` for PNG files only.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { listPngClasses } from 'ganfp/node'
 * E.isLeft(listPngClasses('no-such-folder')) // true
 * @since 0.1.0
 * @category constructors
 */
export const listPngClasses = (dir: string): E.Either<ReadonlyArray<GanError>, ReadonlyArray<PngClass>> => listClasses(dir, ['.png'], 'PNG')

const startsWith = (bytes: Uint8Array, prefix: ReadonlyArray<number>, at = 0): boolean => prefix.every((b, i) => bytes[at + i] === b)
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to))

/** Formats users mistake for PNG or JPEG, by their first bytes. */
const otherFormats: ReadonlyArray<readonly [string, (bytes: Uint8Array) => boolean]> = [
  ['a GIF image', (b) => ascii(b, 0, 4) === 'GIF8'],
  ['a WebP image', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP'],
  ['a HEIF or AVIF image', (b) => ascii(b, 4, 8) === 'ftyp'],
  ['a TIFF image', (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'],
  // "BM" and the file's own length, so that text starting "BM" is not taken for one.
  ['a BMP image', (b) => ascii(b, 0, 2) === 'BM' && b.length >= 6 && new DataView(b.buffer, b.byteOffset).getUint32(2, true) === b.length],
]

const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true })
    return true
  } catch {
    return false
  }
}

/** What a file that is neither PNG nor JPEG holds, in words: another format, text, or its first bytes. */
const describeContent = (bytes: Uint8Array): string => {
  if (bytes.length === 0) return 'an empty file'
  const other = otherFormats.find(([, test]) => test(bytes))
  if (other !== undefined) return other[0]
  const head = bytes.subarray(0, 64)
  // UTF-8 without control characters other than tabs and line ends (a sequence cut at the end is fine).
  if (head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) && isUtf8(head)) {
    const text = new TextDecoder().decode(bytes.subarray(0, 24))
    return `text: ${JSON.stringify(text)}${bytes.length > 24 ? '…' : ''}`
  }
  return `bytes ${[...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}${bytes.length > 8 ? ' …' : ''}`
}

/** The most pixels decoded from one file: a 10000 × 10000 photo; past it the decoders need gigabytes. */
const maxMegapixels = 100

/**
 * Decodes one PNG or JPEG file of any size, the format read from its first bytes (a `.png` that
 * holds a JPEG decodes; a file holding neither is an error saying what it holds). Luminance (ITU-R
 * BT.601 luma, rounded) or RGB: grey images are replicated into RGB, colour ones turned to
 * luminance. PNGs of any bit depth and colour type; a pixel with alpha is composited onto
 * `background` (default white). JPEGs by jpeg-js (baseline and progressive; grey, YCbCr and
 * CMYK), turned upright by their EXIF orientation as viewers show them. A damaged file, or one
 * over 100 megapixels, is an `InvalidData` error naming it; one the system will not let be read,
 * a `FileSystem` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeImageFile } from 'ganfp/node'
 * const r = decodeImageFile('photo.jpg', 3)
 * E.isRight(r) && r.right.pixels.length === r.right.height * r.right.width * 3 // true
 * @since 0.2.0
 * @category constructors
 */
export const decodeImageFile = (
  file: string,
  channels: 1 | 3,
  background: readonly [number, number, number] = defaultBackground,
): E.Either<ReadonlyArray<GanError>, DecodedImage> => {
  const badOptions = decodingOptionErrors(channels, background)
  if (badOptions.length > 0) return E.left(badOptions)
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return E.left([readFailure(file, 'a readable file', error, (message) => invalidData(file, 'a readable PNG or JPEG image', message))])
  }
  const format = startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ? 'png' : startsWith(bytes, [0xff, 0xd8, 0xff]) ? 'jpeg' : undefined
  if (format === undefined) return E.left([invalidData(file, 'a PNG or JPEG image', describeContent(bytes))])
  const sizeError = (size: { readonly height: number; readonly width: number } | undefined): ReadonlyArray<GanError> => {
    if (size === undefined) return []
    const found = `${size.height}×${size.width} (height×width)`
    // A JPEG header may declare no lines (they would come later; jpeg-js does not read those).
    if (size.height === 0 || size.width === 0) return [invalidData(file, 'an image of at least 1×1 pixels', found)]
    return size.width * size.height > maxMegapixels * 1e6 ? [invalidData(file, `an image of at most ${maxMegapixels} megapixels`, found)] : []
  }
  const declared = sizeError(format === 'png' ? declaredPngSize(bytes) : declaredJpegSize(bytes))
  if (declared.length > 0) return E.left(declared)
  const decoded = format === 'png' ? decodePngBytes(file, bytes, channels, background) : decodeJpegBytes(file, bytes, channels)
  if (E.isLeft(decoded)) return decoded
  const { height, width, pixels, transparent } = decoded.right
  const decodedSize = sizeError(decoded.right)
  return decodedSize.length > 0 ? E.left(decodedSize) : E.right({ file, height, width, channels, pixels, transparent })
}

/** The largest side `decodeImageToSize` makes; no recipe trains near it. */
const maxSize = 4096

/**
 * Decodes one PNG or JPEG file (as `decodeImageFile`) and makes it `size × size`: its largest
 * centred square, resampled by area (`centreCropResize`).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeImageToSize } from 'ganfp/node'
 * const r = decodeImageToSize('photo.jpg', { size: 64, channels: 3 })
 * E.isRight(r) && r.right.pixels.length === 64 * 64 * 3 // true
 * @since 0.2.0
 * @category constructors
 */
export const decodeImageToSize = (
  file: string,
  options: { readonly size: number; readonly channels: 1 | 3; readonly background?: readonly [number, number, number] },
): E.Either<ReadonlyArray<GanError>, { readonly pixels: Uint8Array; readonly transparent: boolean }> => {
  const { size, channels, background = defaultBackground } = options
  const badOptions = [
    ...(Number.isInteger(size) && size > 0 && size <= maxSize ? [] : [invalidConfig('size', `a positive integer up to ${maxSize}`, describeValue(size))]),
    ...decodingOptionErrors(channels, background),
  ]
  if (badOptions.length > 0) return E.left(badOptions)
  const decoded = decodeImageFile(file, channels, background)
  if (E.isLeft(decoded)) return decoded
  return E.right({ pixels: centreCropResize(decoded.right.pixels, decoded.right, size), transparent: decoded.right.transparent })
}
