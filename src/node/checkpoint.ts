/**
 * Checkpoints on disk. One checkpoint is a directory `step-NNNNNNNN/` holding
 *
 * - `manifest.json`: format and library version, the step, the trainer's scalar state (RNG
 *   states, data cursor, optimizer update counts), the caller's run record (config, recipe,
 *   health state) and a table of tensors, each with its group, path, shape and byte range;
 * - `tensors.bin`: every tensor's float32 values, little-endian, back to back, whose SHA-256 the
 *   manifest records.
 *
 * The format (schema, encoding, checks) is the core's, `src/io/checkpoint-format.ts`, so a page reads
 * and writes the same bytes (`checkpointToBytes`, `checkpointFromFiles`); this module adds the disk.
 * Reading parses JSON and copies floats: it never executes code. A checkpoint is written into a
 * hidden temporary directory, each file flushed, then renamed into place, so a crash at any moment
 * leaves either the whole checkpoint or none of it; the newest `keep` are kept.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { checkpointCorrupt, getOrThrow, type GanError } from '../errors.ts'
import type { TrainerSnapshot } from '../train/snapshot.ts'
import { decodeWithPaths } from '../io/decode.ts'
import type { CheckpointContents } from '../io/checkpoint-bytes.ts'
import { checkManifest, encodeCheckpoint, fromManifest, ManifestCodec, manifestFileBytes } from '../io/checkpoint-format.ts'
import { makeDirectoryUnsafe, readFailure, removeQuietly, tryFileSystem, writeAndFlushUnsafe } from './files.ts'

/**
 * A checkpoint read back: the trainer's snapshot, the caller's run record, and where it was.
 *
 * @since 0.1.0
 * @category model
 */
export interface Checkpoint extends CheckpointContents {
  readonly path: string
}

/** SHA-256 in hex by `node:crypto`: the same digests as the core's, faster on large files. */
const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

const stepDirectoryName = (step: number): string => `step-${String(step).padStart(8, '0')}`
const stepDirectoryPattern = /^step-(\d{8,})$/

/**
 * The checkpoints in `directory`, oldest first (an absent directory has none). A folder that
 * cannot be read is a `FileSystem` error naming it.
 *
 * @example
 * import { listCheckpoints } from 'ganfp/node'
 * listCheckpoints('/nonexistent/checkpoints') // { _tag: 'Right', right: [] }
 * @since 0.1.0
 * @category io
 */
export const listCheckpoints = (
  directory: string,
): E.Either<ReadonlyArray<GanError>, ReadonlyArray<{ readonly step: number; readonly path: string }>> =>
  tryFileSystem(directory, 'a readable folder of checkpoints', () =>
    (existsSync(directory) ? readdirSync(directory) : [])
      .flatMap((name) => {
        const match = stepDirectoryPattern.exec(name)
        return match === null ? [] : [{ step: Number(match[1]), path: join(directory, name) }]
      })
      .sort((a, b) => a.step - b.step),
  )

/**
 * The throwing twin of `listCheckpoints`, for scripts.
 *
 * @example
 * import { listCheckpointsOrThrow } from 'ganfp/node'
 * listCheckpointsOrThrow('runs/a/checkpoints').map((c) => c.step) // e.g. [200, 300]
 * @since 0.1.0
 * @category io
 */
export const listCheckpointsOrThrow = (directory: string): ReadonlyArray<{ readonly step: number; readonly path: string }> =>
  getOrThrow(listCheckpoints(directory))

/** Flushes a directory's entries (the rename) to disk; some platforms cannot, and lose only durability. */
const flushDirectory = (path: string): void => {
  try {
    const fd = openSync(path, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Durability is best effort here; atomicity comes from the rename.
  }
}

/**
 * Writes a checkpoint of `snapshot` (with the caller's JSON `run` record) into `directory`,
 * atomically, and removes all but the newest `keep`. A checkpoint of the same step already there
 * is kept as it is: a deterministic run has the same state at the same step. Returns its path; a
 * directory that cannot be written is a `FileSystem` error naming it (and nothing half-written is
 * left).
 *
 * @example
 * import { compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * import { writeCheckpoint } from 'ganfp/node'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
 * await trainer.stepOrThrow()
 * writeCheckpoint('runs/a/checkpoints', await trainer.snapshotOrThrow(), { keep: 3 }) // { _tag: 'Right', right: 'runs/a/checkpoints/step-00000001' }
 * trainer.dispose()
 * @since 0.1.0
 * @category io
 */
export const writeCheckpoint = (
  directory: string,
  snapshot: TrainerSnapshot,
  options: { readonly run?: unknown; readonly keep?: number } = {},
): E.Either<ReadonlyArray<GanError>, string> => {
  const finalPath = join(directory, stepDirectoryName(snapshot.step))
  const temporary = join(directory, `.${basename(finalPath)}.${process.pid}.tmp`)
  const written = tryFileSystem(finalPath, 'a writable checkpoint directory', () => {
    makeDirectoryUnsafe(directory)
    // Temporary directories of writers that died mid-write are debris: one writer owns a run.
    for (const name of readdirSync(directory)) if (name.startsWith('.step-')) rmSync(join(directory, name), { recursive: true, force: true })
    if (existsSync(finalPath)) return
    const { manifest, tensors } = encodeCheckpoint(snapshot, options.run ?? null, sha256Hex)
    makeDirectoryUnsafe(temporary)
    writeAndFlushUnsafe(join(temporary, 'tensors.bin'), tensors)
    writeAndFlushUnsafe(join(temporary, 'manifest.json'), manifestFileBytes(manifest))
    flushDirectory(temporary)
    renameSync(temporary, finalPath)
    flushDirectory(directory)
  })
  if (E.isLeft(written)) {
    removeQuietly(temporary)
    return written
  }
  const keep = options.keep ?? Number.POSITIVE_INFINITY
  const all = listCheckpoints(directory)
  if (E.isLeft(all)) return all
  const pruned = tryFileSystem(directory, 'a writable folder of checkpoints', () => {
    for (const old of all.right.slice(0, Math.max(0, all.right.length - keep))) rmSync(old.path, { recursive: true, force: true })
  })
  return E.map(() => finalPath)(pruned)
}

/**
 * The throwing twin of `writeCheckpoint`, for scripts.
 *
 * @example
 * import { writeCheckpointOrThrow } from 'ganfp/node'
 * // with `trainer` as in `writeCheckpoint`'s example:
 * writeCheckpointOrThrow('runs/a/checkpoints', await trainer.snapshotOrThrow(), { keep: 3 }) // 'runs/a/checkpoints/step-00000001'
 * @since 0.1.0
 * @category io
 */
export const writeCheckpointOrThrow = (
  directory: string,
  snapshot: TrainerSnapshot,
  options: { readonly run?: unknown; readonly keep?: number } = {},
): string => getOrThrow(writeCheckpoint(directory, snapshot, options))

const readJson = (path: string, where: string): E.Either<ReadonlyArray<GanError>, unknown> => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return E.left([readFailure(path, 'a readable file', error, (message) => checkpointCorrupt(where, 'a readable file', message))])
  }
  try {
    return E.right(JSON.parse(text))
  } catch (error) {
    return E.left([checkpointCorrupt(where, 'JSON', `unparsable text (${error instanceof Error ? error.message : String(error)})`)])
  }
}

/**
 * Reads the checkpoint at `path` (a `step-…` directory). Everything is checked before anything is
 * returned: the manifest against its schema and the library version, the tensor file's size and
 * SHA-256. A problem is a `CheckpointCorrupt` or `CheckpointMismatch` error naming the file and
 * field; whether the tensors fit a GAN is checked when a trainer resumes from it.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readCheckpoint } from 'ganfp/node'
 * E.isLeft(readCheckpoint('/nonexistent/step-00000001')) // true
 * @since 0.1.0
 * @category io
 */
export const readCheckpoint = (path: string): E.Either<ReadonlyArray<GanError>, Checkpoint> => {
  const where = `checkpoint(${path})`
  const json = readJson(join(path, 'manifest.json'), `${where}.manifest.json`)
  if (E.isLeft(json)) return json
  const decoded = decodeWithPaths(ManifestCodec, json.right, `${where}.manifest.json`, 'CheckpointCorrupt')
  if (E.isLeft(decoded)) return decoded
  const manifest = decoded.right
  const errors = checkManifest(manifest, `${where}.manifest.json`)
  if (errors.length > 0) return E.left(errors)
  const binaryPath = join(path, 'tensors.bin')
  let bytes: Uint8Array
  try {
    if (statSync(binaryPath).size !== manifest.tensorBytes)
      return E.left([checkpointCorrupt(`${where}.tensors.bin`, `${manifest.tensorBytes} bytes`, `${statSync(binaryPath).size} bytes (truncated or extended)`)])
    bytes = readFileSync(binaryPath)
  } catch (error) {
    return E.left([readFailure(binaryPath, 'a readable file', error, (message) => checkpointCorrupt(`${where}.tensors.bin`, 'a readable file', message))])
  }
  const digest = sha256Hex(bytes)
  if (digest !== manifest.sha256)
    return E.left([checkpointCorrupt(`${where}.tensors.bin`, `SHA-256 ${manifest.sha256}`, `SHA-256 ${digest} (the file was altered)`)])
  return E.right({
    path,
    step: manifest.trainer.step,
    createdAt: manifest.createdAt,
    libraryVersion: manifest.library.version,
    snapshot: fromManifest(manifest, bytes),
    run: manifest.run,
  })
}

/**
 * Reads the newest checkpoint in `directory`; no checkpoint at all is an error too.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readLatestCheckpoint } from 'ganfp/node'
 * E.isLeft(readLatestCheckpoint('/nonexistent/checkpoints')) // true
 * @since 0.1.0
 * @category io
 */
export const readLatestCheckpoint = (directory: string): E.Either<ReadonlyArray<GanError>, Checkpoint> => {
  const listed = listCheckpoints(directory)
  if (E.isLeft(listed)) return listed
  const latest = listed.right.at(-1)
  return latest === undefined
    ? E.left([checkpointCorrupt(`checkpoints(${directory})`, 'at least one step-NNNNNNNN checkpoint', 'none')])
    : readCheckpoint(latest.path)
}

/**
 * Moves every checkpoint in `directory` newer than `step` into `destination`, renamed, never
 * deleted: a run resumed from step `step` must not be shadowed by them (`listCheckpoints` reads
 * only `directory`, and `writeCheckpoint` keeps a step already there as it is). A name already
 * taken in `destination` gets a suffix (`step-00000300.2`). Returns the moves, oldest first; a
 * folder that cannot be written is a `FileSystem` error naming it.
 *
 * @example
 * import { setAsideCheckpoints } from 'ganfp/node'
 * setAsideCheckpoints('runs/a/checkpoints', 200, 'runs/a/checkpoints-set-aside')
 * // { _tag: 'Right', right: [{ from: 'runs/a/checkpoints/step-00000300', to: 'runs/a/checkpoints-set-aside/step-00000300' }] }
 * @since 0.2.0
 * @category io
 */
export const setAsideCheckpoints = (
  directory: string,
  step: number,
  destination: string,
): E.Either<ReadonlyArray<GanError>, ReadonlyArray<{ readonly from: string; readonly to: string }>> => {
  const listed = listCheckpoints(directory)
  if (E.isLeft(listed)) return listed
  const moves: Array<{ readonly from: string; readonly to: string }> = []
  for (const { path } of listed.right.filter((c) => c.step > step)) {
    const moved = tryFileSystem(destination, 'a writable folder for checkpoints set aside', () => {
      makeDirectoryUnsafe(destination)
      const free = (n: number): string => {
        const to = join(destination, n === 1 ? basename(path) : `${basename(path)}.${n}`)
        return existsSync(to) ? free(n + 1) : to
      }
      const to = free(1)
      renameSync(path, to)
      return { from: path, to }
    })
    if (E.isLeft(moved)) return moved
    moves.push(moved.right)
  }
  if (moves.length > 0) {
    flushDirectory(directory)
    flushDirectory(destination)
  }
  return E.right(moves)
}
