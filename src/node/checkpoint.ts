/**
 * Checkpoints on disk. One checkpoint is a directory `step-NNNNNNNN/` holding
 *
 * - `manifest.json`: format and library version, the step, the trainer's scalar state (RNG
 *   states, data cursor, optimizer update counts), the caller's run record (config, recipe,
 *   health state) and a table of tensors, each with its group, path, shape and byte range;
 * - `tensors.bin`: every tensor's float32 values, little-endian, back to back, whose SHA-256 the
 *   manifest records.
 *
 * Reading parses JSON and copies floats: it never executes code. A checkpoint is written into a
 * hidden temporary directory, each file flushed, then renamed into place, so a crash at any moment
 * leaves either the whole checkpoint or none of it; the newest `keep` are kept.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { checkpointCorrupt, checkpointMismatch, type GanError } from '../errors.ts'
import { snapshotTensorGroups, type TensorData, type TrainerSnapshot } from '../train/snapshot.ts'
import { libraryVersion } from '../version.ts'
import { decodeWithPaths, NonNegativeInt, Uint32 } from '../io/decode.ts'
import { writeAndFlush } from './files.ts'

/**
 * A checkpoint read back: the trainer's snapshot, the caller's run record, and where it was.
 *
 * @since 0.1.0
 * @category model
 */
export interface Checkpoint {
  readonly path: string
  readonly step: number
  readonly createdAt: string
  readonly libraryVersion: string
  readonly snapshot: TrainerSnapshot
  readonly run: unknown
}

const RngStateCodec = t.tuple([Uint32, Uint32, Uint32, Uint32], 'four unsigned 32-bit integers')

const TensorEntryCodec = t.type(
  {
    group: t.keyof({
      'generator.params': null,
      'generator.optimizer': null,
      'discriminator.params': null,
      'discriminator.optimizer': null,
      generatorAverage: null,
    }),
    path: t.string,
    shape: t.array(NonNegativeInt),
    offset: NonNegativeInt,
    byteLength: NonNegativeInt,
  },
  'a tensor entry',
)

const ManifestCodec = t.type(
  {
    format: t.literal('ganfp-checkpoint'),
    formatVersion: t.literal(1),
    library: t.type({ name: t.literal('ganfp'), version: t.string }),
    createdAt: t.string,
    trainer: t.type({
      step: NonNegativeInt,
      batchesSeen: NonNegativeInt,
      rng: t.type({ latent: RngStateCodec, noise: RngStateCodec, data: RngStateCodec }),
      dataCursor: t.union([t.null, t.type({ epochSeed: Uint32, batchesIntoEpoch: NonNegativeInt })]),
      generatorOptimizerUpdates: NonNegativeInt,
      discriminatorOptimizerUpdates: NonNegativeInt,
      hasGeneratorAverage: t.boolean,
    }),
    run: t.unknown,
    tensors: t.array(TensorEntryCodec),
    tensorBytes: NonNegativeInt,
    sha256: t.string,
  },
  'a ganfp checkpoint manifest',
)

type Manifest = t.TypeOf<typeof ManifestCodec>
type TensorEntry = t.TypeOf<typeof TensorEntryCodec>

const stepDirectoryName = (step: number): string => `step-${String(step).padStart(8, '0')}`
const stepDirectoryPattern = /^step-(\d{8,})$/

/**
 * The checkpoints in `directory`, oldest first (an absent directory has none).
 *
 * @example
 * import { listCheckpoints } from 'ganfp/node'
 * listCheckpoints('/nonexistent/checkpoints') // []
 * @since 0.1.0
 * @category io
 */
export const listCheckpoints = (directory: string): ReadonlyArray<{ readonly step: number; readonly path: string }> => {
  if (!existsSync(directory)) return []
  return readdirSync(directory)
    .flatMap((name) => {
      const match = stepDirectoryPattern.exec(name)
      return match === null ? [] : [{ step: Number(match[1]), path: join(directory, name) }]
    })
    .sort((a, b) => a.step - b.step)
}

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

/** The manifest and the tensor bytes of a snapshot. */
const encodeCheckpoint = (snapshot: TrainerSnapshot, run: unknown): { readonly manifest: Manifest; readonly tensors: Uint8Array } => {
  const entries: Array<TensorEntry> = []
  let offset = 0
  for (const [group, tensors] of snapshotTensorGroups(snapshot))
    for (const [path, tensor] of Object.entries(tensors)) {
      entries.push({ group, path, shape: [...tensor.shape], offset, byteLength: tensor.values.byteLength })
      offset += tensor.values.byteLength
    }
  const bytes = new Uint8Array(offset)
  let i = 0
  for (const [, tensors] of snapshotTensorGroups(snapshot))
    for (const tensor of Object.values(tensors)) {
      bytes.set(new Uint8Array(tensor.values.buffer, tensor.values.byteOffset, tensor.values.byteLength), entries[i]!.offset)
      i++
    }
  const manifest: Manifest = {
    format: 'ganfp-checkpoint',
    formatVersion: 1,
    library: { name: 'ganfp', version: libraryVersion },
    createdAt: new Date().toISOString(),
    trainer: {
      step: snapshot.step,
      batchesSeen: snapshot.batchesSeen,
      rng: { latent: [...snapshot.rng.latent], noise: [...snapshot.rng.noise], data: [...snapshot.rng.data] },
      dataCursor: snapshot.dataCursor ?? null,
      generatorOptimizerUpdates: snapshot.generator.optimizerUpdates,
      discriminatorOptimizerUpdates: snapshot.discriminator.optimizerUpdates,
      hasGeneratorAverage: snapshot.generatorAverage !== undefined,
    },
    run,
    tensors: entries,
    tensorBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  }
  return { manifest, tensors: bytes }
}

/**
 * Writes a checkpoint of `snapshot` (with the caller's JSON `run` record) into `directory`,
 * atomically, and removes all but the newest `keep`. A checkpoint of the same step already there
 * is kept as it is: a deterministic run has the same state at the same step. Returns its path.
 *
 * @example
 * import { compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * import { writeCheckpoint } from 'ganfp/node'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
 * await trainer.step()
 * writeCheckpoint('runs/a/checkpoints', await trainer.snapshot(), { keep: 3 }) // 'runs/a/checkpoints/step-00000001'
 * trainer.dispose()
 * @since 0.1.0
 * @category io
 */
export const writeCheckpoint = (
  directory: string,
  snapshot: TrainerSnapshot,
  options: { readonly run?: unknown; readonly keep?: number } = {},
): string => {
  const finalPath = join(directory, stepDirectoryName(snapshot.step))
  mkdirSync(directory, { recursive: true })
  // Temporary directories of writers that died mid-write are debris: one writer owns a run.
  for (const name of readdirSync(directory)) if (name.startsWith('.step-')) rmSync(join(directory, name), { recursive: true, force: true })
  if (!existsSync(finalPath)) {
    const { manifest, tensors } = encodeCheckpoint(snapshot, options.run ?? null)
    const temporary = join(directory, `.${basename(finalPath)}.${process.pid}.tmp`)
    try {
      mkdirSync(temporary)
      writeAndFlush(join(temporary, 'tensors.bin'), tensors)
      writeAndFlush(join(temporary, 'manifest.json'), new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`))
      flushDirectory(temporary)
      renameSync(temporary, finalPath)
      flushDirectory(directory)
    } catch (error) {
      rmSync(temporary, { recursive: true, force: true })
      throw error
    }
  }
  const keep = options.keep ?? Number.POSITIVE_INFINITY
  const all = listCheckpoints(directory)
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(old.path, { recursive: true, force: true })
  return finalPath
}

const readJson = (path: string, where: string): E.Either<ReadonlyArray<GanError>, unknown> => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    return E.left([checkpointCorrupt(where, 'a readable file', error instanceof Error ? error.message : String(error))])
  }
  try {
    return E.right(JSON.parse(text))
  } catch (error) {
    return E.left([checkpointCorrupt(where, 'JSON', `unparsable text (${error instanceof Error ? error.message : String(error)})`)])
  }
}

/** Cross-field checks the codec cannot make: byte ranges, sizes, version. */
const checkManifest = (manifest: Manifest, where: string): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  const [major, minor] = libraryVersion.split('.')
  const [foundMajor, foundMinor] = manifest.library.version.split('.')
  if (major !== foundMajor || minor !== foundMinor)
    errors.push(
      checkpointMismatch(`${where}.library.version`, `ganfp ${major}.${minor}.x (this library is ${libraryVersion})`, manifest.library.version),
    )
  let expectedOffset = 0
  manifest.tensors.forEach((entry, i) => {
    const size = entry.shape.reduce((a, b) => a * b, 1)
    if (entry.byteLength !== size * 4)
      errors.push(checkpointCorrupt(`${where}.tensors[${i}].byteLength`, `${size * 4} (float32 of its shape)`, String(entry.byteLength)))
    if (entry.offset !== expectedOffset)
      errors.push(checkpointCorrupt(`${where}.tensors[${i}].offset`, String(expectedOffset), String(entry.offset)))
    expectedOffset = entry.offset + entry.byteLength
  })
  if (expectedOffset !== manifest.tensorBytes)
    errors.push(checkpointCorrupt(`${where}.tensorBytes`, `${expectedOffset} (the tensors' total)`, String(manifest.tensorBytes)))
  return errors
}

const fromManifest = (manifest: Manifest, bytes: Uint8Array): TrainerSnapshot => {
  const groups: Record<TensorEntry['group'], Record<string, TensorData>> = {
    'generator.params': {},
    'generator.optimizer': {},
    'discriminator.params': {},
    'discriminator.optimizer': {},
    generatorAverage: {},
  }
  for (const entry of manifest.tensors) {
    // A copy: the values must be 4-byte aligned and must not keep the whole file alive.
    const values = new Float32Array(new Uint8Array(bytes.subarray(entry.offset, entry.offset + entry.byteLength)).buffer)
    groups[entry.group][entry.path] = { shape: entry.shape, values }
  }
  const { trainer } = manifest
  return {
    step: trainer.step,
    batchesSeen: trainer.batchesSeen,
    rng: trainer.rng,
    dataCursor: trainer.dataCursor ?? undefined,
    generator: { params: groups['generator.params'], optimizerUpdates: trainer.generatorOptimizerUpdates, optimizerSlots: groups['generator.optimizer'] },
    discriminator: {
      params: groups['discriminator.params'],
      optimizerUpdates: trainer.discriminatorOptimizerUpdates,
      optimizerSlots: groups['discriminator.optimizer'],
    },
    generatorAverage: trainer.hasGeneratorAverage ? groups.generatorAverage : undefined,
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
    return E.left([checkpointCorrupt(`${where}.tensors.bin`, 'a readable file', error instanceof Error ? error.message : String(error))])
  }
  const digest = createHash('sha256').update(bytes).digest('hex')
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
  const latest = listCheckpoints(directory).at(-1)
  return latest === undefined
    ? E.left([checkpointCorrupt(`checkpoints(${directory})`, 'at least one step-NNNNNNNN checkpoint', 'none')])
    : readCheckpoint(latest.path)
}
