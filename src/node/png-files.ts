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
import { invalidData, type GanError } from '../errors.ts'
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
 * Decodes one PNG file of any size, keeping luminance (ITU-R BT.601 luma, rounded) or RGB; alpha
 * is dropped. A file that is not a PNG is an `InvalidData` error naming it; one the system will
 * not let be read, a `FileSystem` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readPng } from 'ganfp/node'
 * const r = readPng('photo.png', 1)
 * E.isRight(r) && r.right.pixels.length === r.right.height * r.right.width // true
 * @since 0.1.0
 * @category constructors
 */
export const readPng = (file: string, channels: 1 | 3): E.Either<ReadonlyArray<GanError>, DecodedPng> => {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return E.left([readFailure(file, 'a readable file', error, (message) => invalidData(file, 'a readable PNG', message))])
  }
  let png: { width: number; height: number; data: Uint8Array }
  try {
    png = pngjs.PNG.sync.read(bytes)
  } catch (error) {
    return E.left([invalidData(file, 'a readable PNG', errorText(error))])
  }
  const count = png.width * png.height
  const pixels = new Uint8Array(count * channels)
  for (let i = 0; i < count; i++) {
    const [r, g, b] = [png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!]
    if (channels === 3) pixels.set([r, g, b], 3 * i)
    else pixels[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
  }
  return E.right({ file, height: png.height, width: png.width, channels, pixels })
}
