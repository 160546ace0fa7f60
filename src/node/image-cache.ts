/**
 * The decode cache of an image folder too big for memory: one binary file holding every image
 * decoded and resized, read back one example at a time. Its name and header carry a key, the
 * SHA-256 of the file list (names, sizes, modification times, classes) and the decoding options,
 * so a changed folder gets a new cache. Written to a temporary file and renamed (all or
 * nothing); a cut-short or damaged file is found by its size and header and rebuilt.
 *
 * Layout, little-endian: a 64-byte header (magic `GANFPIMG`, format version, count, height, width,
 * channels, how many files had transparency, the 32-byte key), one label byte per image, then the
 * pixels, channels last, image after image.
 *
 * @since 0.3.0
 */
import { chmodSync, closeSync, fsyncSync, openSync, readdirSync, readSync, renameSync, statSync, utimesSync, writeSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import process from 'node:process'
import * as E from 'fp-ts/lib/Either.js'
import { fileSystemError, GanException, invalidData, type GanError } from '../errors.ts'
import { sha256, sha256Hex } from '../io/sha256.ts'
import { fileMode, freeBytes, makeDirectoryUnsafe, removeQuietly, tryFileSystem } from './files.ts'

/** Bumped whenever the layout or the decoding changes: old caches then miss, and are rebuilt (2: JPEGs turned upright by EXIF). */
const formatVersion = 2
const magic = 'GANFPIMG'
const headerBytes = 64

/** The shape of a cached set: `count` images of `height × width × channels` bytes. */
export interface CacheLayout {
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
}

/** One image file and its class. */
export interface ListedImage {
  readonly file: string
  readonly label: number
}

/** What decoding one file gives: its bytes at the cached size, and whether it had transparency. */
export type DecodeImage = (file: string) => E.Either<ReadonlyArray<GanError>, { readonly pixels: Uint8Array; readonly transparent: boolean }>

const exampleBytes = (layout: CacheLayout): number => layout.height * layout.width * layout.channels

/** Where the pixels start. */
const pixelsOffset = (layout: CacheLayout): number => headerBytes + layout.count

/** The whole file's length. */
export const cacheFileBytes = (layout: CacheLayout): number => pixelsOffset(layout) + layout.count * exampleBytes(layout)

/**
 * The key of a folder's decode: file names relative to the folder (moving the folder keeps its
 * cache), each file's class, size and modification time, and what decoding does. A file that
 * cannot be looked at is an error naming it; all are reported.
 */
export const cacheKey = (
  dir: string,
  images: ReadonlyArray<ListedImage>,
  decoding: { readonly classNames: ReadonlyArray<string>; readonly size: number; readonly channels: number; readonly background: ReadonlyArray<number> },
): E.Either<ReadonlyArray<GanError>, Uint8Array> => {
  const errors: Array<GanError> = []
  const files = images.map(({ file, label }) => {
    const stats = tryFileSystem(file, 'a readable file', () => statSync(file))
    if (E.isLeft(stats)) return void errors.push(...stats.left)
    return [relative(dir, file), label, stats.right.size, stats.right.mtimeMs]
  })
  if (errors.length > 0) return E.left(errors)
  const described = JSON.stringify({ formatVersion, ...decoding, files })
  return E.right(sha256(new TextEncoder().encode(described)))
}

/** The cache file for `key` in `cacheDir`: 128 bits of the key name it, the header holds all of it. */
export const cacheFileFor = (cacheDir: string, key: Uint8Array): string => join(cacheDir, `${sha256Hex(key).slice(0, 32)}.ganfp-images`)

const header = (layout: CacheLayout, key: Uint8Array, transparent: number): Uint8Array => {
  const bytes = new Uint8Array(headerBytes)
  const view = new DataView(bytes.buffer)
  bytes.set(new TextEncoder().encode(magic), 0)
  ;[formatVersion, layout.count, layout.height, layout.width, layout.channels, transparent].forEach((n, i) => view.setUint32(8 + 4 * i, n, true))
  bytes.set(key, 32)
  return bytes
}

/** What is on disk for a key: a cache to use (with what its header and labels say), none, or a damaged one. */
export type CacheState =
  | { readonly kind: 'valid'; readonly transparent: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged'; readonly reason: string }

const readExactly = (fd: number, length: number, position: number): Uint8Array => {
  const bytes = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done)
    if (n === 0) break
    done += n
  }
  return done === length ? bytes : bytes.subarray(0, done)
}

/**
 * Whether `file` is the cache of `key`: its length, its header and its labels (which the folder's
 * listing gives) must all agree. Pixels are not read: a flipped bit inside them goes unseen, a
 * file cut short or overwritten does not.
 */
export const checkCache = (file: string, key: Uint8Array, layout: CacheLayout, labels: Uint8Array): CacheState => {
  let fd: number | undefined
  try {
    const length = statSync(file).size
    if (length !== cacheFileBytes(layout)) return { kind: 'damaged', reason: `${length} bytes where ${cacheFileBytes(layout)} were written` }
    fd = openSync(file, 'r')
    const head = readExactly(fd, pixelsOffset(layout), 0)
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
    const expected = header(layout, key, 0)
    // Every header byte but the transparency count (bytes 28–31) is known in advance.
    const headerMatches = head.length === pixelsOffset(layout) && expected.every((b, i) => (i >= 28 && i < 32) || head[i] === b)
    if (!headerMatches) return { kind: 'damaged', reason: 'a header that does not match its name' }
    if (!labels.every((label, i) => head[headerBytes + i] === label)) return { kind: 'damaged', reason: 'labels that do not match the folder' }
    return { kind: 'valid', transparent: view.getUint32(28, true) }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { kind: 'missing' }
    return { kind: 'damaged', reason: error instanceof Error ? error.message : String(error) }
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Decodes every image in turn, handing each one's bytes to `use`, and reports progress after each.
 * Every file is decoded even after a failure, so all broken files are named at once.
 */
export const decodeEach = (
  images: ReadonlyArray<ListedImage>,
  decode: DecodeImage,
  use: (index: number, pixels: Uint8Array) => void,
  onProgress?: (done: number, total: number) => void,
): E.Either<ReadonlyArray<GanError>, { readonly transparent: number }> => {
  const errors: Array<GanError> = []
  let transparent = 0
  onProgress?.(0, images.length)
  images.forEach(({ file }, index) => {
    const decoded = decode(file)
    if (E.isLeft(decoded)) errors.push(...decoded.left)
    else {
      if (errors.length === 0) use(index, decoded.right.pixels)
      if (decoded.right.transparent) transparent += 1
    }
    onProgress?.(index + 1, images.length)
  })
  return errors.length > 0 ? E.left(errors) : E.right({ transparent })
}

/** Temporary files of `base` left by processes that were killed while building (their pid is gone). */
const removeAbandonedTemporaries = (dir: string, base: string): void => {
  let names: ReadonlyArray<string>
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const pid = new RegExp(`^\\.${base.replace(/\./g, '\\.')}\\.(\\d+)\\.\\d+\\.tmp$`).exec(name)?.[1]
    if (pid === undefined || Number(pid) === process.pid) continue
    try {
      process.kill(Number(pid), 0)
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ESRCH') removeQuietly(join(dir, name))
    }
  }
}

/** Bytes of decoded images gathered before each write. */
const chunkBytes = 8 * 1024 * 1024

/**
 * Decodes `images` into a new cache at `file`, written beside it and renamed into place: on any
 * failure (broken images, no space, no permission) nothing is left behind. Broken images are
 * reported all at once, each naming its file.
 */
export const buildCache = (
  file: string,
  key: Uint8Array,
  layout: CacheLayout,
  images: ReadonlyArray<ListedImage>,
  decode: DecodeImage,
  onProgress?: (done: number, total: number) => void,
): E.Either<ReadonlyArray<GanError>, { readonly transparent: number }> => {
  const needed = cacheFileBytes(layout)
  const free = freeBytes(dirname(file))
  if (free !== undefined && free < needed)
    return E.left([
      fileSystemError(file, `${byteSize(needed)} free for the decode cache`, `${byteSize(free)} free`, 'choose another cacheDir, or a memory budget that holds the images'),
    ])
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`)
  const size = exampleBytes(layout)
  let fd: number | undefined
  let renamed = false
  const written = <A>(f: () => A): E.Either<ReadonlyArray<GanError>, A> => tryFileSystem(file, 'a writable decode cache', f)
  try {
    const opened = written(() => {
      makeDirectoryUnsafe(dirname(file))
      removeAbandonedTemporaries(dirname(file), basename(file))
      fd = openSync(temporary, 'w', fileMode)
      chmodSync(temporary, fileMode)
      writeSync(fd, Uint8Array.from(images, (image) => image.label), 0, layout.count, headerBytes)
    })
    if (E.isLeft(opened)) return opened
    const perChunk = Math.max(1, Math.floor(chunkBytes / size))
    const chunk = new Uint8Array(perChunk * size)
    let chunkStart = 0
    let writeError: ReadonlyArray<GanError> = []
    const flush = (end: number): void => {
      if (end === chunkStart || writeError.length > 0) return
      const r = written(() => writeAll(fd!, chunk.subarray(0, (end - chunkStart) * size), pixelsOffset(layout) + chunkStart * size))
      if (E.isLeft(r)) writeError = r.left
      chunkStart = end
    }
    const decoded = decodeEach(
      images,
      decode,
      (index, pixels) => {
        chunk.set(pixels, (index - chunkStart) * size)
        if (index + 1 - chunkStart === perChunk) flush(index + 1)
      },
      onProgress,
    )
    if (E.isLeft(decoded)) return decoded
    flush(layout.count)
    if (writeError.length > 0) return E.left(writeError)
    return written(() => {
      writeAll(fd!, header(layout, key, decoded.right.transparent), 0)
      fsyncSync(fd!)
      closeSync(fd!)
      fd = undefined
      renameSync(temporary, file)
      renamed = true
      return decoded.right
    })
  } finally {
    if (fd !== undefined) written(() => closeSync(fd!))
    if (!renamed) removeQuietly(temporary)
  }
}

const writeAll = (fd: number, bytes: Uint8Array, position: number): void => {
  let done = 0
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}

/**
 * Reads the cached examples at `indices` into `into`, one after another. The file is opened for
 * the call and closed before it returns: a reader dropped mid-epoch holds no descriptor. A cache
 * removed or cut short under a run is a `GanException` naming it.
 */
export const readCachedExamples = (file: string, layout: CacheLayout, indices: ArrayLike<number>, into: Uint8Array): void => {
  const size = exampleBytes(layout)
  const read = tryFileSystem(file, 'a readable decode cache', () => {
    const fd = openSync(file, 'r')
    try {
      for (let i = 0; i < indices.length; i++) {
        const target = into.subarray(i * size, (i + 1) * size)
        let done = 0
        while (done < size) {
          const n = readSync(fd, target, done, size - done, pixelsOffset(layout) + indices[i]! * size + done)
          if (n === 0) return false
          done += n
        }
      }
      return true
    } finally {
      closeSync(fd)
    }
  })
  if (E.isLeft(read)) throw new GanException(read.left)
  if (!read.right)
    throw new GanException([invalidData(file, `a decode cache of ${cacheFileBytes(layout)} bytes`, 'a shorter file', 'it changed during the run; delete it, and the next run rebuilds it')])
}

/** Caches not opened for this long are removed when another cache is built beside them. */
export const staleCacheDays = 30

/**
 * Marks a cache as used now (its modification time), so that pruning keeps the caches in use.
 * A cache that cannot be touched (a read-only cache folder) is used all the same.
 */
export const touchCache = (file: string, now: Date = new Date()): void => {
  try {
    utimesSync(file, now, now)
  } catch {
    // Read-only: pruning then sees its age from when it was built, which only makes it go sooner.
  }
}

/**
 * Removes the decode caches in `dir` (files named `*.ganfp-images`, nothing else) not used for
 * `staleCacheDays`, except `keep`: each changed folder leaves its old cache behind, and at 64×64×3
 * a cache of 100,000 images is 1.2 GB. Returns what it removed, for the run's log.
 */
export const pruneStaleCaches = (dir: string, keep: string, now: Date = new Date()): { readonly removed: number; readonly bytes: number } => {
  let names: ReadonlyArray<string>
  try {
    names = readdirSync(dir)
  } catch {
    return { removed: 0, bytes: 0 }
  }
  let [removed, bytes] = [0, 0]
  for (const name of names) {
    const file = join(dir, name)
    if (!/^[0-9a-f]{32}\.ganfp-images$/.test(name) || file === keep) continue
    try {
      const stats = statSync(file)
      if (!stats.isFile() || now.getTime() - stats.mtimeMs < staleCacheDays * 86_400_000) continue
      removeQuietly(file)
      removed += 1
      bytes += stats.size
    } catch {
      // Gone already, or not ours to look at: left alone.
    }
  }
  return { removed, bytes }
}

/** Bytes as a short size for log lines. */
export const byteSize = (bytes: number): string =>
  bytes < 1e6 ? `${(bytes / 1e3).toFixed(1)} kB` : bytes < 1e9 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e9).toFixed(2)} GB`
