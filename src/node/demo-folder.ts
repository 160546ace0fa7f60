/**
 * The demo image set on disk: `demoShapeFiles` drawn and written as one sub-folder per class
 * (PNG by pngjs, JPEG at quality 90 by ./jpeg-encoder.ts), with `demo-data.json` saying what was
 * written.
 * The set is written into a hidden folder beside the target and renamed into place at the end,
 * so an interrupted write leaves nothing half-written where the set should be.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { Buffer } from 'node:buffer'
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import pngjs from 'pngjs'
import { demoShapeFiles, demoShapeKinds, renderDemoShape, type DemoShapeFile } from '../data/demo-shapes.ts'
import { invalidConfig, type GanError } from '../errors.ts'
import { libraryVersion } from '../version.ts'
import { fileMode, makeDirectoryUnsafe, removeQuietly, tryFileSystem } from './files.ts'
import { encodeJpeg } from './jpeg-encoder.ts'

/**
 * What `writeDemoShapes` wrote.
 *
 * @since 0.3.0
 * @category model
 */
export interface DemoShapesSummary {
  readonly directory: string
  readonly count: number
  readonly seed: number
  readonly classes: ReadonlyArray<{ readonly name: string; readonly count: number }>
  readonly png: number
  readonly jpeg: number
  /** PNGs with an alpha channel (transparent corners). */
  readonly transparent: number
  readonly nonSquare: number
  readonly smallestSide: number
  readonly largestSide: number
  readonly bytes: number
}

/** The file that marks a folder as demo-data's own, so that writing it again may replace it. */
const markerName = 'demo-data.json'
const generator = 'ganfp demo-data'
const mostImages = 100_000

/** The encoded bytes of one file. */
const encode = (file: DemoShapeFile): Uint8Array => {
  const pixels = renderDemoShape(file)
  const { height, width } = file
  if (file.format === 'jpeg') return encodeJpeg(pixels, width, height, 90)
  // pngjs directly, not encodePng: an image without alpha is written as RGB (colour type 2).
  // One filter (Paeth, which suits gradients) rather than pngjs trying all five on every row: a fifth faster.
  const options = { colorType: file.alpha ? 6 : 2, inputHasAlpha: file.alpha, filterType: 4 } as const
  const png = new pngjs.PNG({ width, height, ...options })
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength)
  return new Uint8Array(pngjs.PNG.sync.write(png, options))
}

/**
 * One file, not flushed: an fsync per file made 3,000 images take half a minute. The rename at the
 * end is what keeps an interrupted write (Ctrl-C, a crash) out of sight; a power cut may not be.
 */
const writeUnsafe = (path: string, bytes: Uint8Array): void => {
  writeFileSync(path, bytes, { mode: fileMode })
  chmodSync(path, fileMode)
}

/** Whether `dir` holds only what demo-data writes (its marker and class folders): then it may be replaced. */
const isEarlierDemoSet = (dir: string, entries: ReadonlyArray<string>): boolean => {
  if (!entries.includes(markerName)) return false
  const ours = new Set<string>([markerName, ...demoShapeKinds])
  if (!entries.every((e) => ours.has(e))) return false
  try {
    return (JSON.parse(readFileSync(join(dir, markerName), 'utf8')) as { generator?: unknown }).generator === generator
  } catch {
    return false
  }
}

/** The problems with the target folder: it must be new, empty, or an earlier demo set. */
const targetErrors = (dir: string): E.Either<ReadonlyArray<GanError>, 'new' | 'empty' | 'earlier'> =>
  E.flatten(
    tryFileSystem(dir, 'a folder to write', (): E.Either<ReadonlyArray<GanError>, 'new' | 'empty' | 'earlier'> => {
      if (!existsSync(dir)) return E.right('new')
      const stats = statSync(dir)
      if (!stats.isDirectory()) return E.left([invalidConfig(dir, 'a folder to write the images into', stats.isFile() ? 'a file' : 'a device, pipe or socket')])
      const entries = readdirSync(dir)
      if (entries.length === 0) return E.right('empty')
      if (isEarlierDemoSet(dir, entries)) return E.right('earlier')
      const shown = `${entries.slice(0, 3).map((e) => JSON.stringify(e)).join(', ')}${entries.length > 3 ? ', …' : ''}`
      return E.left([invalidConfig(dir, 'a new or empty folder, or one ganfp demo-data wrote (it is replaced)', `a folder with ${entries.length} entries (${shown})`)])
    }),
  )

const optionErrors = (count: number, seed: number): ReadonlyArray<GanError> => [
  ...(Number.isInteger(count) && count >= demoShapeKinds.length && count <= mostImages
    ? []
    : [invalidConfig('count', `an integer from ${demoShapeKinds.length} (one image per class) to ${mostImages}`, String(count))]),
  ...(Number.isSafeInteger(seed) ? [] : [invalidConfig('seed', 'an integer', String(seed))]),
]

const summaryOf = (directory: string, count: number, seed: number, files: ReadonlyArray<DemoShapeFile>, bytes: number): DemoShapesSummary => {
  const sides = files.flatMap((f) => [f.height, f.width])
  return {
    directory,
    count,
    seed,
    classes: demoShapeKinds.map((name) => ({ name, count: files.filter((f) => f.kind === name).length })),
    png: files.filter((f) => f.format === 'png').length,
    jpeg: files.filter((f) => f.format === 'jpeg').length,
    transparent: files.filter((f) => f.alpha).length,
    nonSquare: files.filter((f) => f.height !== f.width).length,
    smallestSide: Math.min(...sides),
    largestSide: Math.max(...sides),
    bytes,
  }
}

/**
 * Writes a demo set of `count` colour images (default 3,000) drawn from `seed` (default 0) to
 * `dir`: one sub-folder per class (`circle/`, `cross/`, …, as `demoShapeKinds`), three in ten
 * files JPEG and the rest PNG, two in ten RGBA with transparent corners, and `demo-data.json`.
 * The same count and seed write the same bytes. `dir` must be new, empty, or a set written
 * before (which is replaced whole); anything else is an `InvalidConfig` error, and a file that
 * cannot be written a `FileSystem` error. Nothing is left half-written.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { writeDemoShapes } from 'ganfp/node'
 * const written = writeDemoShapes('/tmp/ganfp-demo-shapes', { count: 60, seed: 1 })
 * E.isRight(written) && written.right.classes.length // 6
 * @since 0.3.0
 * @category io
 */
export const writeDemoShapes = (
  dir: string,
  options: { readonly count?: number; readonly seed?: number } = {},
): E.Either<ReadonlyArray<GanError>, DemoShapesSummary> => {
  const { count = 3000, seed = 0 } = options
  if (dir === '') return E.left([invalidConfig('dir', 'a folder to write the images into', 'an empty path'), ...optionErrors(count, seed)])
  const target = resolve(dir)
  const problems = optionErrors(count, seed)
  const state = targetErrors(dir)
  if (problems.length > 0 || E.isLeft(state)) return E.left([...problems, ...(E.isLeft(state) ? state.left : [])])
  const files = demoShapeFiles(count, seed)
  const stamp = `${process.pid}.${Date.now()}`
  const temporary = join(dirname(target), `.${basename(target)}.demo-data.${stamp}.tmp`)
  const setAside = join(dirname(target), `.${basename(target)}.demo-data.${stamp}.old`)
  let bytes = 0
  const written = tryFileSystem(dir, 'a writable folder', () => {
    for (const kind of demoShapeKinds) makeDirectoryUnsafe(join(temporary, kind))
    for (const file of files) {
      const encoded = encode(file)
      bytes += encoded.length
      writeUnsafe(join(temporary, file.path), encoded)
    }
    const summary = summaryOf(dir, count, seed, files, bytes)
    const { directory: _, ...record } = summary
    writeUnsafe(join(temporary, markerName), new TextEncoder().encode(`${JSON.stringify({ generator, version: libraryVersion, ...record }, null, 2)}\n`))
    // The old set goes aside before the new one takes its name, and is removed only after.
    if (state.right === 'empty') rmdirSync(target)
    if (state.right === 'earlier') renameSync(target, setAside)
    renameSync(temporary, target)
    return summary
  })
  // On a failure after the old set went aside, it is put back.
  if (E.isLeft(written) && existsSync(setAside) && !existsSync(target)) tryFileSystem(dir, 'a writable folder', () => renameSync(setAside, target))
  removeQuietly(temporary)
  if (E.isRight(written)) removeQuietly(setAside)
  return written
}
