/**
 * Checkpoints as bytes, for a page (download, IndexedDB, `fetch`) or any place without a file
 * system: the two files of a checkpoint directory (`manifest.json` and `tensors.bin`, byte for
 * byte what `writeCheckpoint` puts on disk), or one byte string holding both:
 *
 * | bytes         | what                                                  |
 * |---------------|-------------------------------------------------------|
 * | 0–7           | the magic `GANFPCKP` (ASCII)                          |
 * | 8–11          | the container version, 1 (uint32, little-endian)      |
 * | 12–15         | M, the length of `manifest.json` (uint32, LE)         |
 * | 16–23         | T, the length of `tensors.bin` (uint64, LE)           |
 * | 24 … 24+M−1   | `manifest.json`                                       |
 * | 24+M … end    | `tensors.bin`; the whole is exactly 24 + M + T bytes  |
 *
 * Reading checks what reading from disk checks (the manifest against its schema, offsets and
 * sizes, the library version, the tensors' SHA-256) and returns every problem at once, each a
 * `CheckpointCorrupt` or `CheckpointMismatch` error with its path (`checkpoint.tensors.bin`,
 * `checkpoint.manifest.json.trainer.step`); whether the tensors fit a GAN is checked when a
 * trainer or a sampler is made from the snapshot.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { checkpointCorrupt, checkpointMismatch, getOrThrow, type GanError } from '../errors.ts'
import type { TrainerSnapshot } from '../train/snapshot.ts'
import { checkManifest, encodeCheckpoint, fromManifest, ManifestCodec, manifestFileBytes } from './checkpoint-format.ts'
import { decodeWithPaths } from './decode.ts'
import { sha256Hex } from './sha256.ts'

/**
 * A checkpoint read back from bytes: the trainer's snapshot, the caller's run record (for a run
 * of `ganfp train`, its recipe and configuration), the step, when it was written and by which
 * version of ganfp.
 *
 * @since 0.2.0
 * @category model
 */
export interface CheckpointContents {
  readonly step: number
  readonly createdAt: string
  readonly libraryVersion: string
  readonly snapshot: TrainerSnapshot
  readonly run: unknown
}

/**
 * The two files of a checkpoint directory: `manifest.json` and `tensors.bin`.
 *
 * @since 0.2.0
 * @category model
 */
export interface CheckpointFiles {
  readonly manifest: Uint8Array
  readonly tensors: Uint8Array
}

/**
 * How to name what is read in error paths: `source` (a URL, a file name) makes them
 * `checkpoint(SOURCE).…`; without it they start `checkpoint.…`.
 *
 * @since 0.2.0
 * @category model
 */
export interface CheckpointReadOptions {
  readonly source?: string
}

const magic = 'GANFPCKP'
const containerVersion = 1
const headerLength = 24

const whereOf = (options: CheckpointReadOptions): string => (options.source === undefined ? 'checkpoint' : `checkpoint(${options.source})`)

/**
 * A snapshot as the two files of a checkpoint directory, with the caller's JSON `run` record
 * (default `null`): the bytes `writeCheckpoint` would write, so a page can offer both files for
 * download and `ganfp resume` or `readCheckpoint` can read them from a `step-…` folder.
 *
 * @example
 * import { checkpointToFiles, compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * const trainer = createTrainerOrThrow(compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) })), ring(), { seed: 1, batchSize: 8 })
 * const files = checkpointToFiles(await trainer.snapshotOrThrow(), { run: { note: 'from a page' } })
 * files.tensors.length // the float32 values of every tensor: 4 bytes each
 * trainer.dispose()
 * @since 0.2.0
 * @category io
 */
export const checkpointToFiles = (snapshot: TrainerSnapshot, options: { readonly run?: unknown } = {}): CheckpointFiles => {
  const { manifest, tensors } = encodeCheckpoint(snapshot, options.run ?? null)
  return { manifest: manifestFileBytes(manifest), tensors }
}

/**
 * The two files of a checkpoint directory framed as one self-describing byte string: a 24-byte
 * header (`GANFPCKP`, version 1, the two lengths), then `manifest.json`, then `tensors.bin`, byte
 * for byte. What a page keeps in one download or one IndexedDB entry; nothing is decoded here.
 *
 * @example
 * import { checkpointFilesToBytes } from 'ganfp'
 * const bytes = checkpointFilesToBytes({ manifest: new TextEncoder().encode('{}'), tensors: new Uint8Array(8) })
 * bytes.length // 34: 24 + 2 + 8
 * new TextDecoder().decode(bytes.subarray(0, 8)) // 'GANFPCKP'
 * @since 0.2.0
 * @category io
 */
export const checkpointFilesToBytes = (files: CheckpointFiles): Uint8Array => {
  const { manifest, tensors } = files
  const bytes = new Uint8Array(headerLength + manifest.length + tensors.length)
  bytes.set(new TextEncoder().encode(magic), 0)
  const view = new DataView(bytes.buffer)
  view.setUint32(8, containerVersion, true)
  view.setUint32(12, manifest.length, true)
  view.setUint32(16, tensors.length % 2 ** 32, true)
  view.setUint32(20, Math.floor(tensors.length / 2 ** 32), true)
  bytes.set(manifest, headerLength)
  bytes.set(tensors, headerLength + manifest.length)
  return bytes
}

/**
 * A snapshot as one self-describing byte string: `checkpointToFiles`' two files framed by
 * `checkpointFilesToBytes`, the very files of a checkpoint directory behind a 24-byte header.
 *
 * @example
 * import { checkpointFromBytesOrThrow, checkpointToBytes, compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * const trainer = createTrainerOrThrow(compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) })), ring(), { seed: 1, batchSize: 8 })
 * await trainer.stepOrThrow()
 * const bytes = checkpointToBytes(await trainer.snapshotOrThrow())
 * new TextDecoder().decode(bytes.subarray(0, 8)) // 'GANFPCKP'
 * checkpointFromBytesOrThrow(bytes).step // 1
 * trainer.dispose()
 * @since 0.2.0
 * @category io
 */
export const checkpointToBytes = (snapshot: TrainerSnapshot, options: { readonly run?: unknown } = {}): Uint8Array =>
  checkpointFilesToBytes(checkpointToFiles(snapshot, options))

const parseManifestJson = (bytes: Uint8Array, where: string): E.Either<ReadonlyArray<GanError>, unknown> => {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return E.left([checkpointCorrupt(where, 'UTF-8 text', `${bytes.length} bytes that are not UTF-8`)])
  }
  try {
    return E.right(JSON.parse(text))
  } catch (error) {
    return E.left([checkpointCorrupt(where, 'JSON', `unparsable text (${error instanceof Error ? error.message : String(error)})`)])
  }
}

/** The checks of `readCheckpoint`, on bytes in memory, every problem at once once the manifest decodes. */
const decodeFiles = (files: CheckpointFiles, where: string): E.Either<ReadonlyArray<GanError>, CheckpointContents> => {
  const json = parseManifestJson(files.manifest, `${where}.manifest.json`)
  if (E.isLeft(json)) return json
  const decoded = decodeWithPaths(ManifestCodec, json.right, `${where}.manifest.json`, 'CheckpointCorrupt')
  if (E.isLeft(decoded)) return decoded
  const manifest = decoded.right
  const errors = [...checkManifest(manifest, `${where}.manifest.json`)]
  if (files.tensors.length !== manifest.tensorBytes)
    errors.push(checkpointCorrupt(`${where}.tensors.bin`, `${manifest.tensorBytes} bytes`, `${files.tensors.length} bytes (truncated or extended)`))
  else {
    const digest = sha256Hex(files.tensors)
    if (digest !== manifest.sha256)
      errors.push(checkpointCorrupt(`${where}.tensors.bin`, `SHA-256 ${manifest.sha256}`, `SHA-256 ${digest} (the file was altered)`))
  }
  if (errors.length > 0) return E.left(errors)
  return E.right({
    step: manifest.trainer.step,
    createdAt: manifest.createdAt,
    libraryVersion: manifest.library.version,
    snapshot: fromManifest(manifest, files.tensors),
    run: manifest.run,
  })
}

/**
 * Reads a checkpoint from the two files of its directory (fetched from `URL/manifest.json` and
 * `URL/tensors.bin`, or picked by a user), checked as `readCheckpoint` checks them on disk.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkpointFromFiles } from 'ganfp'
 * const base = 'runs/dcgan/checkpoints/step-00002000'
 * const [manifest, tensors] = await Promise.all(['manifest.json', 'tensors.bin'].map(async (name) => new Uint8Array(await (await fetch(`${base}/${name}`)).arrayBuffer())))
 * const read = checkpointFromFiles({ manifest, tensors }, { source: base })
 * E.isRight(read) && read.right.step // 2000
 * E.isLeft(checkpointFromFiles({ manifest: new Uint8Array(0), tensors })) // true: CheckpointCorrupt at checkpoint.manifest.json
 * @since 0.2.0
 * @category io
 */
export const checkpointFromFiles = (files: CheckpointFiles, options: CheckpointReadOptions = {}): E.Either<ReadonlyArray<GanError>, CheckpointContents> =>
  decodeFiles(files, whereOf(options))

/**
 * The throwing twin of `checkpointFromFiles`, for scripts.
 *
 * @example
 * import { checkpointFromFilesOrThrow, checkpointToFiles } from 'ganfp'
 * // with `snapshot` from `trainer.snapshotOrThrow()`:
 * checkpointFromFilesOrThrow(checkpointToFiles(snapshot)).snapshot.step === snapshot.step // true
 * @since 0.2.0
 * @category io
 */
export const checkpointFromFilesOrThrow = (files: CheckpointFiles, options: CheckpointReadOptions = {}): CheckpointContents =>
  getOrThrow(checkpointFromFiles(files, options))

/** The header's problems, all of them; on none, the two files it frames. */
const unframe = (bytes: Uint8Array, where: string): E.Either<ReadonlyArray<GanError>, CheckpointFiles> => {
  if (bytes.length < headerLength)
    return E.left([checkpointCorrupt(`${where}.byteLength`, `at least ${headerLength} (the ${magic} header)`, `${bytes.length} (truncated)`)])
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const found = String.fromCharCode(...bytes.subarray(0, magic.length))
  const version = view.getUint32(8, true)
  const manifestLength = view.getUint32(12, true)
  const tensorLength = view.getUint32(16, true) + view.getUint32(20, true) * 2 ** 32
  const total = headerLength + manifestLength + tensorLength
  const errors: Array<GanError> = []
  if (found !== magic) errors.push(checkpointCorrupt(`${where}.header.magic`, JSON.stringify(magic), `${JSON.stringify(found)} (not a ganfp checkpoint)`))
  if (version !== containerVersion)
    errors.push(checkpointMismatch(`${where}.header.version`, `${containerVersion} (the container version this library reads)`, String(version)))
  if (bytes.length !== total)
    errors.push(
      checkpointCorrupt(
        `${where}.byteLength`,
        `${total} (header ${headerLength} + manifest.json ${manifestLength} + tensors.bin ${tensorLength})`,
        `${bytes.length} (${bytes.length < total ? 'truncated' : 'extended'})`,
      ),
    )
  if (errors.length > 0) return E.left(errors)
  const manifestEnd = headerLength + manifestLength
  return E.right({ manifest: bytes.subarray(headerLength, manifestEnd), tensors: bytes.subarray(manifestEnd, total) })
}

/**
 * Reads a checkpoint from the byte string `checkpointToBytes` makes: the header checked (magic,
 * version, lengths), then both files as `checkpointFromFiles` checks them.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkpointFromBytes } from 'ganfp'
 * const read = checkpointFromBytes(new TextEncoder().encode('not a checkpoint, but long enough'))
 * E.isLeft(read) && read.left.map((e) => e.path) // ['checkpoint.header.magic', 'checkpoint.header.version', 'checkpoint.byteLength']
 * @since 0.2.0
 * @category io
 */
export const checkpointFromBytes = (bytes: Uint8Array, options: CheckpointReadOptions = {}): E.Either<ReadonlyArray<GanError>, CheckpointContents> => {
  const where = whereOf(options)
  const files = unframe(bytes, where)
  return E.isLeft(files) ? files : decodeFiles(files.right, where)
}

/**
 * The throwing twin of `checkpointFromBytes`, for scripts.
 *
 * @example
 * import { checkpointFromBytesOrThrow, checkpointToBytes } from 'ganfp'
 * // with `snapshot` from `trainer.snapshotOrThrow()`:
 * checkpointFromBytesOrThrow(checkpointToBytes(snapshot, { run: { note: 'a' } })).run // { note: 'a' }
 * @since 0.2.0
 * @category io
 */
export const checkpointFromBytesOrThrow = (bytes: Uint8Array, options: CheckpointReadOptions = {}): CheckpointContents =>
  getOrThrow(checkpointFromBytes(bytes, options))
