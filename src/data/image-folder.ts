/**
 * Users' own images: a folder of PNG files (decoded by pngjs), either flat (one class) or with one
 * sub-folder per class. Every file is checked against the declared size; all problems are
 * reported, each naming its file.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pngjs from 'pngjs'
import { invalidData, type GanError } from '../errors.ts'
import type { LabelledImages } from './mnist.ts'

/**
 * What every image must be: its size, and the channels to keep (1: luminance, 3: RGB).
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageFolderOptions {
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
}

const listPngs = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.png'))
    .sort()
    .map((f) => join(dir, f))

/** One decoded image's channels-last bytes, or what is wrong with the file. */
const decodePng = (file: string, options: ImageFolderOptions): E.Either<GanError, Uint8Array> => {
  let png: { width: number; height: number; data: Uint8Array }
  try {
    png = pngjs.PNG.sync.read(readFileSync(file))
  } catch (error) {
    return E.left(invalidData(file, 'a readable PNG', error instanceof Error ? error.message : String(error)))
  }
  if (png.height !== options.height || png.width !== options.width)
    return E.left(
      invalidData(file, `an image of ${options.height}×${options.width} (height×width)`, `${png.height}×${png.width}`),
    )
  const pixels = png.width * png.height
  const out = new Uint8Array(pixels * options.channels)
  for (let i = 0; i < pixels; i++) {
    const [r, g, b] = [png.data[4 * i]!, png.data[4 * i + 1]!, png.data[4 * i + 2]!]
    if (options.channels === 3) out.set([r, g, b], 3 * i)
    else out[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b) // ITU-R BT.601 luma
  }
  return E.right(out)
}

/**
 * Loads a folder of PNGs as labelled images.
 *
 * @example
 * import { loadImageFolder } from 'ganfp'
 * const r = loadImageFolder('my-faces', { height: 64, width: 64, channels: 3 })
 *
 * @since 0.1.0
 * @category constructors
 */
export const loadImageFolder = (
  dir: string,
  options: ImageFolderOptions,
): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  let entries: ReadonlyArray<string>
  try {
    entries = readdirSync(dir).sort()
  } catch (error) {
    return E.left([invalidData(dir, 'a readable folder', error instanceof Error ? error.message : String(error))])
  }
  const classDirs = entries.filter((e) => statSync(join(dir, e)).isDirectory())
  const classes = classDirs.length > 0 ? classDirs.map((c) => ({ name: c, files: listPngs(join(dir, c)) })) : [{ name: 'all', files: listPngs(dir) }]
  const total = classes.reduce((n, c) => n + c.files.length, 0)
  if (total === 0) return E.left([invalidData(dir, 'PNG files (flat, or one sub-folder per class)', 'none')])
  const size = options.height * options.width * options.channels
  const pixels = new Uint8Array(total * size)
  const labels = new Uint8Array(total)
  const errors: Array<GanError> = []
  let index = 0
  classes.forEach(({ files }, label) => {
    for (const file of files) {
      const decoded = decodePng(file, options)
      if (E.isLeft(decoded)) errors.push(decoded.left)
      else pixels.set(decoded.right, index * size)
      labels[index++] = label
    }
  })
  if (errors.length > 0) return E.left(errors)
  return E.right({
    name: dir,
    count: total,
    height: options.height,
    width: options.width,
    channels: options.channels,
    pixels,
    labels,
    classNames: classes.map((c) => c.name),
  })
}
