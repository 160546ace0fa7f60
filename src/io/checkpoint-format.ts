/**
 * The checkpoint format: the schema of `manifest.json`, a snapshot encoded as a manifest and
 * tensor bytes, the checks the schema cannot make, and a snapshot decoded again. Pure and in the
 * core, so a page reads and writes the very bytes a run directory holds: the files on disk are
 * `src/node/checkpoint.ts`'s, the bytes in memory `./checkpoint-bytes.ts`'s. Internal.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { checkpointCorrupt, checkpointMismatch, type GanError } from '../errors.ts'
import { snapshotTensorGroups, type TensorData, type TrainerSnapshot } from '../train/snapshot.ts'
import { libraryVersion } from '../version.ts'
import { NonNegativeInt, Uint32 } from './decode.ts'
import { shapeSize } from '../dsl/shape.ts'
import { sha256Hex } from './sha256.ts'

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

export const ManifestCodec = t.type(
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

export type Manifest = t.TypeOf<typeof ManifestCodec>
type TensorEntry = t.TypeOf<typeof TensorEntryCodec>

/**
 * The manifest and the tensor bytes of a snapshot. `digest` is SHA-256 in hex: this module's own
 * by default, or a faster one that gives the same digests (the Node side passes `node:crypto`'s).
 */
export const encodeCheckpoint = (
  snapshot: TrainerSnapshot,
  run: unknown,
  digest: (bytes: Uint8Array) => string = sha256Hex,
): { readonly manifest: Manifest; readonly tensors: Uint8Array } => {
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
    sha256: digest(bytes),
  }
  return { manifest, tensors: bytes }
}

/** `manifest.json`'s bytes, exactly as a checkpoint directory holds them. */
export const manifestFileBytes = (manifest: Manifest): Uint8Array => new TextEncoder().encode(`${JSON.stringify(manifest, null, 1)}\n`)

/** Cross-field checks the codec cannot make: byte ranges, sizes, version. */
export const checkManifest = (manifest: Manifest, where: string): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  const [major, minor] = libraryVersion.split('.')
  const [foundMajor, foundMinor] = manifest.library.version.split('.')
  if (major !== foundMajor || minor !== foundMinor)
    errors.push(
      checkpointMismatch(`${where}.library.version`, `ganfp ${major}.${minor}.x (this library is ${libraryVersion})`, manifest.library.version),
    )
  let expectedOffset = 0
  manifest.tensors.forEach((entry, i) => {
    const size = shapeSize(entry.shape)
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

/** The snapshot a checked manifest and its tensor bytes hold; the values are copies. */
export const fromManifest = (manifest: Manifest, bytes: Uint8Array): TrainerSnapshot => {
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
