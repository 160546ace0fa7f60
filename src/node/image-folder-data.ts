/**
 * A folder of users' images as training data at one size: decoded once to bytes (a quarter of
 * float32), held in memory when they fit a budget, otherwise streamed from a decode cache on disk
 * (src/node/image-cache.ts). Both give the same batches for the same seed, so where the pixels
 * live changes nothing but memory.
 *
 * @since 0.3.0
 */
import { homedir, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import * as E from 'fp-ts/lib/Either.js'
import { describeValue } from '../dsl/describe.ts'
import { GanException, invalidConfig, invalidData, type GanError } from '../errors.ts'
import type { Dataset } from '../data/dataset.ts'
import { imageSourceDataset } from '../data/image-batches.ts'
import { imageDataset, selectImages, type LabelledImages } from '../data/images.ts'
import { backgroundErrors } from './background.ts'
import {
  buildCache,
  byteSize,
  cacheFileFor,
  cacheKey,
  checkCache,
  decodeEach,
  pruneStaleCaches,
  readCachedExamples,
  staleCacheDays,
  touchCache,
  type CacheLayout,
  type DecodeImage,
  type ListedImage,
} from './image-cache.ts'
import { decodeImageToSize, listImageClasses } from './image-files.ts'
import { defaultBackground, transparencyNote } from './png-files.ts'

/**
 * How to open an image folder: the square size and channels every image is brought to, and where
 * its decoded bytes may live.
 *
 * @since 0.3.0
 * @category model
 */
export interface OpenImageFolderOptions {
  readonly size: number
  readonly channels: 1 | 3
  /** What transparent pixels are composited onto, as RGB bytes (default white). */
  readonly background?: readonly [number, number, number]
  /** Mirror each training example left–right with probability ½ (see `imageDataset`). */
  readonly flip?: boolean
  /** Decoded bytes up to this are held in memory; more stream from the decode cache (default `defaultMemoryBudgetBytes`). */
  readonly memoryBudgetBytes?: number
  /** Where decode caches are written (default `defaultImageCacheDir()`). */
  readonly cacheDir?: string
  /** Called after each file decoded, `done` of `total`: while a folder is decoded (see `decodeProgressBar`). */
  readonly onProgress?: (done: number, total: number) => void
}

/**
 * An opened image folder: its shape and classes, a training dataset over it, and `read` for the
 * images at some indices (evaluation, grids), wherever the bytes are held.
 *
 * @since 0.3.0
 * @category model
 */
export interface ImageFolder {
  readonly name: string
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
  readonly classNames: ReadonlyArray<string>
  /** What loading did, for the run's log: transparency, where the pixels are held, a rebuilt cache. */
  readonly notes: ReadonlyArray<string>
  readonly storage: 'memory' | 'cache'
  /** The decode cache the pixels stream from (storage `cache`). */
  readonly cacheFile?: string
  readonly dataset: Dataset
  readonly read: (indices: ReadonlyArray<number>) => LabelledImages
}

/**
 * The default memory budget, 1 GiB: 87 000 images at 64×64×3, 350 000 at 32×32×3, while an
 * 8 GB machine keeps most of its memory for tfjs and the system. Past it, streaming costs about a
 * read per example (a batch reads well under a megabyte), small beside a training step, and the
 * system's file cache keeps a cache that fits in memory there anyway.
 *
 * @example
 * import { defaultMemoryBudgetBytes } from 'ganfp/node'
 * defaultMemoryBudgetBytes // 1073741824
 * @since 0.3.0
 * @category model
 */
export const defaultMemoryBudgetBytes = 2 ** 30

/** The largest single array of bytes allocated here, whatever the budget: larger ones throw in some runtimes. */
const maxInMemoryBytes = 2 ** 31

/**
 * Where decode caches go by default: `$XDG_CACHE_HOME/ganfp/images`, else `~/.cache/ganfp/images`
 * (`%LOCALAPPDATA%\ganfp\images` on Windows). Not inside the image folder, which may be read-only,
 * shared or versioned, and gains a file as large as its decoded images; not the temporary
 * folder, which is often memory itself (tmpfs), the very thing the cache spares, and emptied at
 * boot.
 *
 * @example
 * import { defaultImageCacheDir } from 'ganfp/node'
 * defaultImageCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }) // '/var/cache/me/ganfp/images'
 * @since 0.3.0
 * @category model
 */
export const defaultImageCacheDir = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const xdg = env['XDG_CACHE_HOME']
  if (xdg !== undefined && xdg !== '') return join(xdg, 'ganfp', 'images')
  const local = env['LOCALAPPDATA']
  if (process.platform === 'win32' && local !== undefined && local !== '') return join(local, 'ganfp', 'images')
  const home = homedir()
  return home === '' ? join(tmpdir(), 'ganfp-cache', 'images') : join(home, '.cache', 'ganfp', 'images')
}

/** The largest side `decodeImageToSize` makes: checked here once, not once per file. */
const maxSize = 4096

const isPositiveInteger = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n > 0

const optionErrors = (options: OpenImageFolderOptions): ReadonlyArray<GanError> => [
  ...(isPositiveInteger(options.size) && options.size <= maxSize ? [] : [invalidConfig('size', `a positive integer up to ${maxSize}`, describeValue(options.size))]),
  ...(options.channels === 1 || options.channels === 3 ? [] : [invalidConfig('channels', '1 (luminance) or 3 (RGB)', describeValue(options.channels))]),
  ...backgroundErrors(options.background),
  ...(options.memoryBudgetBytes === undefined || (typeof options.memoryBudgetBytes === 'number' && options.memoryBudgetBytes >= 0)
    ? []
    : [invalidConfig('memoryBudgetBytes', 'a number of bytes ≥ 0', describeValue(options.memoryBudgetBytes))]),
  ...(options.cacheDir === undefined || (typeof options.cacheDir === 'string' && options.cacheDir !== '')
    ? []
    : [invalidConfig('cacheDir', 'a folder', describeValue(options.cacheDir))]),
]

/** Labels are bytes, as in every `LabelledImages`. */
const maxClasses = 256

/**
 * Opens a folder of PNG and JPEG images (flat: one class; or one sub-folder per class) as
 * training data of `size × size × channels`: each image centre-cropped and resized. Decoded bytes
 * within `memoryBudgetBytes` are held in memory; a larger folder is decoded once into a cache
 * file in `cacheDir`, reused while the folder's files are unchanged, and streamed from there.
 * Every broken file is reported at once, each naming its file, and nothing is left half-written.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { openImageFolder } from 'ganfp/node'
 * const folder = openImageFolder('my-faces', { size: 64, channels: 3, flip: true })
 * E.isRight(folder) && folder.right.dataset.exampleShape // [64, 64, 3]
 * @since 0.3.0
 * @category constructors
 */
export const openImageFolder = (dir: string, options: OpenImageFolderOptions): E.Either<ReadonlyArray<GanError>, ImageFolder> => {
  const invalid = optionErrors(options)
  if (invalid.length > 0) return E.left(invalid)
  const listed = listImageClasses(dir)
  if (E.isLeft(listed)) return listed
  const classNames = listed.right.map((c) => c.name)
  if (classNames.length > maxClasses)
    return E.left([invalidData(dir, `at most ${maxClasses} classes (one sub-folder each)`, `${classNames.length} sub-folders`)])
  const images = listed.right.flatMap((c, label) => c.files.map((file) => ({ file, label })))
  const { size, channels } = options
  const background = options.background ?? defaultBackground
  const folder: Opening = {
    dir,
    images,
    labels: Uint8Array.from(images, (image) => image.label),
    shape: { name: dir, count: images.length, height: size, width: size, channels, classNames },
    background,
    decode: (file) => decodeImageToSize(file, { size, channels, background }),
    options,
  }
  const bytes = images.length * size * size * channels
  return bytes <= Math.min(options.memoryBudgetBytes ?? defaultMemoryBudgetBytes, maxInMemoryBytes) ? inMemory(folder, bytes) : streamed(folder, bytes)
}

/** What both storages start from: the listed images, their shape and how to decode one. */
interface Opening {
  readonly dir: string
  readonly images: ReadonlyArray<ListedImage>
  readonly labels: Uint8Array
  readonly shape: { readonly name: string; readonly count: number; readonly height: number; readonly width: number; readonly channels: 1 | 3; readonly classNames: ReadonlyArray<string> }
  readonly background: readonly [number, number, number]
  readonly decode: DecodeImage
  readonly options: OpenImageFolderOptions
}

/** The transparency note, if any, then `lines`, then what the set is and where it is held. */
const notesOf = (folder: Opening, transparent: number, held: string, lines: ReadonlyArray<string> = []): ReadonlyArray<string> => {
  const { count, height, width, channels, classNames } = folder.shape
  const note = transparencyNote(transparent, count, folder.background, 'images')
  const classes = `${classNames.length} class${classNames.length === 1 ? '' : 'es'}`
  return [...(note === undefined ? [] : [note]), ...lines, `${count} images in ${classes}, ${height}×${width}×${channels}, ${held}`]
}

/** `read` refusing indices outside the set, whose bytes would be another image's or none. */
const checkedRead =
  (count: number, read: (indices: ReadonlyArray<number>) => LabelledImages) =>
  (indices: ReadonlyArray<number>): LabelledImages => {
    const outside = indices.find((i) => !(Number.isInteger(i) && i >= 0 && i < count))
    if (outside !== undefined) throw new GanException([invalidConfig('indices', `integers in [0, ${count})`, describeValue(outside))])
    return read(indices)
  }

const inMemory = (folder: Opening, bytes: number): E.Either<ReadonlyArray<GanError>, ImageFolder> => {
  const pixels = new Uint8Array(bytes)
  const decoded = decodeEach(folder.images, folder.decode, (index, example) => pixels.set(example, index * example.length), folder.options.onProgress)
  if (E.isLeft(decoded)) return decoded
  const notes = notesOf(folder, decoded.right.transparent, `held in memory (${byteSize(bytes)})`)
  const all: LabelledImages = { ...folder.shape, pixels, labels: folder.labels, notes }
  const dataset = imageDataset(all, { flip: folder.options.flip === true })
  return E.right({ ...folder.shape, notes, storage: 'memory', dataset, read: checkedRead(all.count, (indices) => selectImages(all, indices)) })
}

const streamed = (folder: Opening, bytes: number): E.Either<ReadonlyArray<GanError>, ImageFolder> => {
  const { shape, labels, options } = folder
  const layout: CacheLayout = { count: shape.count, height: shape.height, width: shape.width, channels: shape.channels }
  const key = cacheKey(folder.dir, folder.images, { classNames: shape.classNames, size: shape.height, channels: shape.channels, background: folder.background })
  if (E.isLeft(key)) return key
  const cacheFile = resolve(cacheFileFor(options.cacheDir ?? defaultImageCacheDir(), key.right))
  const state = checkCache(cacheFile, key.right, layout, labels)
  const built = state.kind === 'valid' ? E.right(state) : buildCache(cacheFile, key.right, layout, folder.images, folder.decode, options.onProgress)
  if (E.isLeft(built)) return built
  if (state.kind === 'valid') touchCache(cacheFile)
  // A new cache usually means the folder changed: its old cache, and any others long unused, go.
  const pruned = state.kind === 'valid' ? { removed: 0, bytes: 0 } : pruneStaleCaches(dirname(cacheFile), cacheFile)
  const notes = notesOf(
    folder,
    built.right.transparent,
    `streamed from the decode cache ${cacheFile} (${byteSize(bytes)}${state.kind === 'valid' ? '' : ', built now'})`,
    [
      ...(state.kind === 'damaged' ? [`the decode cache ${cacheFile} was damaged (${state.reason}): rebuilt`] : []),
      ...(pruned.removed > 0 ? [`removed ${pruned.removed} decode cache${pruned.removed === 1 ? '' : 's'} unused for ${staleCacheDays} days (${byteSize(pruned.bytes)})`] : []),
    ],
  )
  const readExamples = (indices: ArrayLike<number>, into: Uint8Array): void => readCachedExamples(cacheFile, layout, indices, into)
  const read = (indices: ReadonlyArray<number>): LabelledImages => {
    const pixels = new Uint8Array(indices.length * shape.height * shape.width * shape.channels)
    readExamples(indices, pixels)
    return { ...shape, count: indices.length, pixels, labels: Uint8Array.from(indices, (i) => labels[i]!), notes }
  }
  const dataset = imageSourceDataset({ ...shape, labels, classCount: shape.classNames.length, notes, readExamples }, options.flip === true)
  return E.right({ ...shape, notes, storage: 'cache', cacheFile, dataset, read: checkedRead(shape.count, read) })
}
