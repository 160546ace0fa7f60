/**
 * Writing files so that nothing half-written is ever left on disk: write a temporary file beside
 * the target, flush it, then rename it over the target (atomic on POSIX file systems). A failure
 * of the operating system is a `FileSystem` error naming the file, never a thrown exception.
 *
 * @since 0.1.0
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, statfsSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { fileSystemError, fileSystemErrorFrom, getOrThrow, type GanError } from '../errors.ts'

/** Whether `error` is what a `node:fs` call throws (a system error carries a string `code`). */
const isSystemError = (error: unknown): boolean => typeof (error as { code?: unknown } | undefined)?.code === 'string'

/**
 * @internal Runs `f`, a sequence of `node:fs` calls, with a system error as a `FileSystem` error at
 * `path`; anything else is a bug and is thrown on.
 */
export const tryFileSystem = <A>(path: string, expected: string, f: () => A): E.Either<ReadonlyArray<GanError>, A> => {
  try {
    return E.right(f())
  } catch (error) {
    if (isSystemError(error)) return E.left([fileSystemErrorFrom(path, expected, error)])
    throw error
  }
}

/**
 * @internal What a failed read of `path` is: when nothing is there, `missing(message)` (the
 * caller's kind of error: a wrong path); otherwise the system's refusal (no permission, a folder
 * where a file should be), a `FileSystem` error naming `path`.
 */
export const readFailure = (path: string, expected: string, error: unknown, missing: (message: string) => GanError): GanError =>
  (error as { code?: unknown } | undefined)?.code === 'ENOENT'
    ? missing(error instanceof Error ? error.message : String(error))
    : fileSystemErrorFrom(path, expected, error)

/** @internal Removes `path` if it is there, as cleanup after a failure: a failure to clean up is not reported over the first. */
export const removeQuietly = (path: string): void => {
  try {
    rmSync(path, { recursive: true, force: true })
  } catch {
    // The first failure is the one reported.
  }
}

/**
 * The modes of what ganfp creates, whatever the umask (`npm run` runs scripts with umask 0, which
 * would leave files writable by everyone): files 0644, folders 0755.
 */
export const fileMode = 0o644
export const directoryMode = 0o755

/** @internal Creates `path` and its missing parents with `directoryMode`, throwing what `node:fs` throws. */
export const makeDirectoryUnsafe = (path: string): void => {
  // One level at a time from the first missing folder down: Node's `recursive: true` loops forever
  // where mkdir says ENOENT under a folder that exists (/proc/x/y).
  const missing: Array<string> = []
  for (let folder = resolve(path); !existsSync(folder) && folder !== dirname(folder); folder = dirname(folder)) missing.unshift(folder)
  // A file where the folder should be: mkdir's own EEXIST, as `recursive: true` gave.
  if (missing.length === 0 && !statSync(path).isDirectory()) mkdirSync(path)
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: directoryMode })
    } catch (error) {
      // Made meanwhile by another writer: fine, as with `recursive: true`.
      if ((error as { code?: unknown }).code === 'EEXIST' && statSync(folder).isDirectory()) continue
      throw error
    }
    // The umask applies to mkdir's mode: set it on each folder made.
    chmodSync(folder, directoryMode)
  }
}

/** @internal `writeAndFlush` throwing what `node:fs` throws: for a sequence of writes inside one `tryFileSystem`. */
export const writeAndFlushUnsafe = (path: string, bytes: Uint8Array): void => {
  const fd = openSync(path, 'w', fileMode)
  chmodSync(path, fileMode)
  try {
    let written = 0
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The temporary file an atomic write of `path` goes through: hidden, beside it, unique to this process and moment. */
const temporaryBeside = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)

/**
 * Writes `contents` to `path` atomically, creating its folders: afterwards the file holds either
 * all of `contents` or what it held before. A file that cannot be written is a `FileSystem` error
 * naming it.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { writeFileAtomic } from 'ganfp/node'
 * E.isRight(writeFileAtomic('/tmp/ganfp-example.txt', 'hello\n')) // true
 * E.isLeft(writeFileAtomic('/proc/ganfp/x.txt', 'hello\n')) // true: FileSystem at /proc/ganfp/x.txt
 * @since 0.1.0
 * @category io
 */
export const writeFileAtomic = (path: string, contents: string | Uint8Array): E.Either<ReadonlyArray<GanError>, void> => {
  // The rename would replace a device or a pipe (run as root, /dev/null itself): only files are replaced.
  const existing = tryFileSystem(path, 'a writable file', () => (existsSync(path) ? statSync(path) : undefined))
  if (E.isLeft(existing)) return existing
  if (existing.right !== undefined && !existing.right.isFile() && !existing.right.isDirectory())
    return E.left([fileSystemError(path, 'a regular file (written whole, then renamed over the old one)', 'a device, pipe or socket')])
  const temporary = temporaryBeside(path)
  const written = tryFileSystem(path, 'a writable file', () => {
    makeDirectoryUnsafe(dirname(path))
    writeAndFlushUnsafe(temporary, typeof contents === 'string' ? new TextEncoder().encode(contents) : contents)
    renameSync(temporary, path)
  })
  if (E.isLeft(written)) removeQuietly(temporary)
  return written
}

/**
 * The throwing twin of `writeFileAtomic`, for scripts and recipes: a file that cannot be written
 * is a `GanException` with a `FileSystem` error naming it.
 *
 * @example
 * import { writeFileAtomicOrThrow } from 'ganfp/node'
 * writeFileAtomicOrThrow('/tmp/ganfp-example.txt', 'hello\n')
 * @since 0.1.0
 * @category io
 */
export const writeFileAtomicOrThrow = (path: string, contents: string | Uint8Array): void => getOrThrow(writeFileAtomic(path, contents))

/**
 * Writes `bytes` to `path` (created or truncated) and flushes them to disk before returning. Not
 * atomic (see `writeFileAtomic`); a file that cannot be written is a `FileSystem` error naming it.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { writeAndFlush } from 'ganfp/node'
 * E.isRight(writeAndFlush('/tmp/ganfp-example.bin', new Uint8Array([1, 2, 3]))) // true
 * @since 0.1.0
 * @category io
 */
export const writeAndFlush = (path: string, bytes: Uint8Array): E.Either<ReadonlyArray<GanError>, void> =>
  tryFileSystem(path, 'a writable file', () => writeAndFlushUnsafe(path, bytes))

/**
 * 2-D points as CSV with an `x,y` header.
 *
 * @example
 * import { pointsToCsv } from 'ganfp/node'
 * pointsToCsv(new Float32Array([1, 2, 3, 4])) // 'x,y\n1,2\n3,4\n'
 * @since 0.1.0
 * @category io
 */
export const pointsToCsv = (points: ArrayLike<number>): string => {
  const lines = ['x,y']
  for (let i = 0; i + 1 < points.length; i += 2) lines.push(`${points[i]},${points[i + 1]}`)
  return `${lines.join('\n')}\n`
}

/**
 * Writes the parts `chunks` yields to `path` atomically, creating its folders: one part in memory
 * at a time, so a file larger than memory can be written; afterwards the file holds all of them
 * or what it held before, and no temporary file is left. A file that cannot be written (no
 * space, no permission) is a `FileSystem` error naming it; an exception from `chunks` (a
 * `GanException` from the code making the parts) is thrown on, after the cleanup.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { writeChunksAtomic } from 'ganfp/node'
 * async function* parts() { yield new Uint8Array([1, 2]); yield new Uint8Array([3]) }
 * E.isRight(await writeChunksAtomic('/tmp/ganfp-example.bin', parts())) // true: 3 bytes
 * @since 0.2.0
 * @category io
 */
export const writeChunksAtomic = async (path: string, chunks: AsyncIterable<Uint8Array>): Promise<E.Either<ReadonlyArray<GanError>, void>> => {
  const temporary = temporaryBeside(path)
  const expected = 'a writable file'
  let fd: number | undefined
  let renamed = false
  try {
    const opened = tryFileSystem(path, expected, () => {
      makeDirectoryUnsafe(dirname(path))
      fd = openSync(temporary, 'w', fileMode)
      chmodSync(temporary, fileMode)
    })
    if (E.isLeft(opened)) return opened
    for await (const chunk of chunks) {
      const written = tryFileSystem(path, expected, () => {
        let done = 0
        while (done < chunk.length) done += writeSync(fd!, chunk, done, chunk.length - done)
      })
      if (E.isLeft(written)) return written
    }
    const finished = tryFileSystem(path, expected, () => {
      fsyncSync(fd!)
      closeSync(fd!)
      fd = undefined
      renameSync(temporary, path)
      renamed = true
    })
    return finished
  } finally {
    if (fd !== undefined) tryFileSystem(path, expected, () => closeSync(fd!))
    if (!renamed) removeQuietly(temporary)
  }
}

/**
 * @internal The bytes free to this user on the file system that holds `path` (or its nearest
 * existing folder), or `undefined` where the runtime cannot tell.
 */
export const freeBytes = (path: string): number | undefined => {
  try {
    let folder = resolve(path)
    while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder)
    const stats = statfsSync(folder)
    // A file system without blocks (/proc, /sys) says nothing of space: let the write answer.
    return Number(stats.blocks) === 0 ? undefined : Number(stats.bavail) * Number(stats.bsize)
  } catch {
    return undefined
  }
}
