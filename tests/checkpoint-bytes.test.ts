// Checkpoints as bytes (src/io/checkpoint-bytes.ts): the same format as on disk, checked the same
// way, with a pure-JS SHA-256 so that a page can read and write them (the sampler that shows them
// is tests/sampler.test.ts'). Runs under vitest, Bun and Deno.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkpointFromBytes,
  checkpointFromBytesOrThrow,
  checkpointFromFiles,
  checkpointFilesToBytes,
  checkpointFromFilesOrThrow,
  checkpointToBytes,
  checkpointToFiles,
  createTrainerOrThrow,
  GanException,
  getOrThrow,
  ring,
  useBackend,
  type GanError,
  type TrainerSnapshot,
} from '../src/index.ts'
import { smallGan } from './support/small-gan.ts'
import { readCheckpoint, writeCheckpointOrThrow } from '../src/node.ts'
import { sha256, sha256Hex } from '../src/io/sha256.ts'
import { stepReports as runSteps } from './support/reports.ts'



const errorsOf = <A>(result: E.Either<ReadonlyArray<GanError>, A>): ReadonlyArray<GanError> => (E.isLeft(result) ? result.left : [])
const readCheckpointOrThrow = (path: string) => getOrThrow(readCheckpoint(path))
const hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A deterministic pseudo-random byte string (xorshift), so a failure can be replayed. */
const pseudoRandomBytes = (n: number, seed: number): Uint8Array => {
  let x = seed >>> 0 || 1
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x & 0xff
  })
}

describe('SHA-256 in plain JavaScript', () => {
  it("gives FIPS 180-4's digests (NIST's example vectors)", () => {
    const vectors: ReadonlyArray<readonly [Uint8Array, string]> = [
      [text(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      [text('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      [text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
      [
        text('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'),
        'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
      ],
      [new Uint8Array(1_000_000).fill(0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
    ]
    for (const [bytes, digest] of vectors) expect({ length: bytes.length, digest: sha256Hex(bytes) }).toEqual({ length: bytes.length, digest })
    expect(sha256(text('abc')).length).toBe(32)
  })

  it("equals node:crypto's on every length 0–300, on block edges, on large inputs and on views into larger buffers", () => {
    const lengths = [...Array.from({ length: 301 }, (_, n) => n), 447, 448, 511, 512, 513, 4095, 4096, 65_537, 1_000_003]
    const differing = lengths.filter((n) => {
      const bytes = pseudoRandomBytes(n, n * 7919 + 1)
      return sha256Hex(bytes) !== hex(bytes)
    })
    expect(differing).toEqual([])
    const whole = pseudoRandomBytes(1000, 42)
    const view = whole.subarray(13, 13 + 700)
    expect(sha256Hex(view)).toBe(hex(view))
  })
})

describe('checkpoints as bytes', () => {
  let directory = ''
  let snapshot: TrainerSnapshot
  const options = { seed: 11, batchSize: 16 }

  beforeAll(async () => {
    await useBackend('cpu')
    directory = mkdtempSync(join(tmpdir(), 'ganfp-checkpoint-bytes-'))
    const trainer = createTrainerOrThrow(smallGan(), ring(), options)
    await runSteps(trainer, 3)
    snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
  })
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  it('a run resumed from its bytes continues bit for bit as one resumed from its checkpoint on disk', async () => {
    const first = createTrainerOrThrow(smallGan(), ring(), options)
    await runSteps(first, 7)
    const state = await first.snapshotOrThrow()
    first.dispose()
    const path = writeCheckpointOrThrow(join(directory, 'resume'), state, { run: { note: 'half' } })
    const bytes = checkpointToBytes(state, { run: { note: 'half' } })
    const fromDisk = readCheckpointOrThrow(path)
    const fromBytes = checkpointFromBytesOrThrow(bytes)
    expect(fromBytes.step).toBe(7)
    expect(fromBytes.run).toEqual({ note: 'half' })
    expect(fromBytes.snapshot).toEqual(fromDisk.snapshot)
    const continued = async (resumeFrom: TrainerSnapshot) => {
      const trainer = createTrainerOrThrow(smallGan(), ring(), { ...options, resumeFrom })
      const reports = await runSteps(trainer, 5)
      const samples = Array.from(await trainer.sampleOrThrow(8, { seed: 3 }))
      trainer.dispose()
      return { reports, samples }
    }
    const disk = await continued(fromDisk.snapshot)
    expect(disk.reports.map((r) => r.step)).toEqual([8, 9, 10, 11, 12])
    // Exact equality of every reported number and sample, not closeness.
    expect(await continued(fromBytes.snapshot)).toEqual(disk)
  })

  it('holds exactly the two files writeCheckpoint writes: a directory on disk reads as the same snapshot from its files', () => {
    const path = writeCheckpointOrThrow(join(directory, 'files'), snapshot, { run: { recipe: 'small' } })
    const manifest = new Uint8Array(readFileSync(join(path, 'manifest.json')))
    const tensors = new Uint8Array(readFileSync(join(path, 'tensors.bin')))
    const read = checkpointFromFilesOrThrow({ manifest, tensors }, { source: path })
    expect(read.snapshot).toEqual(readCheckpointOrThrow(path).snapshot)
    expect(read.run).toEqual({ recipe: 'small' })
    const files = checkpointToFiles(snapshot, { run: { recipe: 'small' } })
    expect(hex(files.tensors)).toBe(hex(tensors))
    // The same manifest text, but for the moment it was written.
    const withoutTime = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/"createdAt": "[^"]*"/, '"createdAt": ""')
    expect(withoutTime(files.manifest)).toBe(withoutTime(manifest))
    // The container is a header, then those two files.
    const bytes = checkpointToBytes(snapshot, { run: { recipe: 'small' } })
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('GANFPCKP')
    expect([view.getUint32(8, true), view.getUint32(12, true), view.getUint32(16, true), view.getUint32(20, true)]).toEqual([
      1,
      files.manifest.length,
      files.tensors.length,
      0,
    ])
    expect(bytes.length).toBe(24 + files.manifest.length + files.tensors.length)
    expect(hex(bytes.subarray(24 + files.manifest.length))).toBe(hex(tensors))
    // The disk's files framed as they are, without decoding: the same snapshot again.
    const framed = checkpointFilesToBytes({ manifest, tensors })
    expect(hex(framed.subarray(24, 24 + manifest.length))).toBe(hex(manifest))
    expect(checkpointFromBytesOrThrow(framed, { source: 'framed' }).snapshot).toEqual(read.snapshot)
  })

  it('reads a checkpoint written by an earlier ganfp (the issue-16 fixture) as readCheckpoint does, and writes its bytes again unchanged', () => {
    const path = fileURLToPath(new URL('./fixtures/runs-before-issue-16/dcgan/checkpoints/step-00000010/', import.meta.url))
    const manifest = new Uint8Array(readFileSync(join(path, 'manifest.json')))
    const tensors = new Uint8Array(readFileSync(join(path, 'tensors.bin')))
    const onDisk = readCheckpointOrThrow(path)
    const read = checkpointFromFilesOrThrow({ manifest, tensors })
    expect(read.snapshot).toEqual(onDisk.snapshot)
    expect({ step: read.step, createdAt: read.createdAt, libraryVersion: read.libraryVersion, run: read.run }).toEqual({
      step: onDisk.step,
      createdAt: onDisk.createdAt,
      libraryVersion: onDisk.libraryVersion,
      run: onDisk.run,
    })
    const again = checkpointToFiles(read.snapshot, { run: read.run })
    expect(hex(again.tensors)).toBe(hex(tensors))
    const createdAt = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/"createdAt": "[^"]*"/, `"createdAt": "${read.createdAt}"`)
    expect(createdAt(again.manifest)).toBe(new TextDecoder().decode(manifest))
  })

  it('reports each corruption as an error with its path', () => {
    const good = checkpointToBytes(snapshot)
    const manifestLength = new DataView(good.buffer).getUint32(12, true)
    const tensorsStart = 24 + manifestLength
    const edited = (edit: (bytes: Uint8Array) => void): Uint8Array => {
      const copy = good.slice()
      edit(copy)
      return copy
    }
    const summary = (bytes: Uint8Array) => errorsOf(checkpointFromBytes(bytes)).map((e) => [e._tag, e.path] as const)

    expect(summary(edited((b) => void (b[0] = 0x78)))).toEqual([['CheckpointCorrupt', 'checkpoint.header.magic']])
    expect(summary(edited((b) => new DataView(b.buffer).setUint32(8, 2, true)))).toEqual([['CheckpointMismatch', 'checkpoint.header.version']])
    expect(summary(good.subarray(0, good.length - 10))).toEqual([['CheckpointCorrupt', 'checkpoint.byteLength']])
    expect(errorsOf(checkpointFromBytes(good.subarray(0, good.length - 10)))[0]!.actual).toContain('truncated')
    expect(summary(good.subarray(0, 10))).toEqual([['CheckpointCorrupt', 'checkpoint.byteLength']])
    expect(summary(new Uint8Array([...good, 0]))).toEqual([['CheckpointCorrupt', 'checkpoint.byteLength']])

    const flipped = errorsOf(checkpointFromBytes(edited((b) => void (b[tensorsStart + 100] = b[tensorsStart + 100]! ^ 0xff))))
    expect(flipped.map((e) => [e._tag, e.path])).toEqual([['CheckpointCorrupt', 'checkpoint.tensors.bin']])
    expect(flipped[0]!.actual).toContain('altered')

    // A header whose lengths move the boundary between the files: the manifest is no longer JSON.
    const moved = edited((b) => {
      const view = new DataView(b.buffer)
      view.setUint32(12, manifestLength - 4, true)
      view.setUint32(16, view.getUint32(16, true) + 4, true)
    })
    expect(errorsOf(checkpointFromBytes(moved))[0]).toMatchObject({ _tag: 'CheckpointCorrupt', path: 'checkpoint.manifest.json', expected: 'JSON' })

    // A manifest with bad fields: every one, by its path.
    const files = checkpointToFiles(snapshot)
    const manifest = JSON.parse(new TextDecoder().decode(files.manifest))
    manifest.trainer.rng.latent[2] = -1
    manifest.trainer.step = 'ten'
    const malformed = errorsOf(checkpointFromFiles({ manifest: text(JSON.stringify(manifest)), tensors: files.tensors }))
    expect(malformed.map((e) => e.path)).toEqual(['checkpoint.manifest.json.trainer.step', 'checkpoint.manifest.json.trainer.rng.latent[2]'])
    expect(errorsOf(checkpointFromFiles({ manifest: text('{"format": '), tensors: files.tensors }))[0]).toMatchObject({ expected: 'JSON' })
    expect(errorsOf(checkpointFromFiles({ manifest: new Uint8Array([0xff, 0xfe, 0x7b]), tensors: files.tensors }))[0]).toMatchObject({
      path: 'checkpoint.manifest.json',
      expected: 'UTF-8 text',
    })
    // The tensors' length against the manifest's, with the source in the path.
    const short = errorsOf(checkpointFromFiles({ manifest: files.manifest, tensors: files.tensors.subarray(4) }, { source: 'https://example.org/step-3' }))
    expect(short).toEqual([
      {
        _tag: 'CheckpointCorrupt',
        path: 'checkpoint(https://example.org/step-3).tensors.bin',
        expected: `${files.tensors.length} bytes`,
        actual: `${files.tensors.length - 4} bytes (truncated or extended)`,
      },
    ])
  })

  it('reports every problem at once where there are several', () => {
    const good = checkpointToBytes(snapshot)
    // Not a checkpoint at all: magic, version and lengths.
    expect(errorsOf(checkpointFromBytes(text('not a checkpoint, but long enough'))).map((e) => e.path)).toEqual([
      'checkpoint.header.magic',
      'checkpoint.header.version',
      'checkpoint.byteLength',
    ])
    const bad = good.slice(0, good.length - 1)
    bad[0] = 0
    new DataView(bad.buffer).setUint32(8, 7, true)
    expect(errorsOf(checkpointFromBytes(bad)).map((e) => e._tag)).toEqual(['CheckpointCorrupt', 'CheckpointMismatch', 'CheckpointCorrupt'])
    // Another library version, a bad byte range and altered tensors: three problems, one answer.
    const files = checkpointToFiles(snapshot)
    const manifest = JSON.parse(new TextDecoder().decode(files.manifest))
    manifest.library.version = '9.4.0'
    manifest.tensors[1].offset += 4
    const tensors = files.tensors.slice()
    tensors[0] = tensors[0]! ^ 1
    const errors = errorsOf(checkpointFromFiles({ manifest: text(JSON.stringify(manifest)), tensors }))
    expect(errors.map((e) => [e._tag, e.path])).toEqual([
      ['CheckpointMismatch', 'checkpoint.manifest.json.library.version'],
      ['CheckpointCorrupt', 'checkpoint.manifest.json.tensors[1].offset'],
      ['CheckpointCorrupt', 'checkpoint.manifest.json.tensors[2].offset'],
      ['CheckpointCorrupt', 'checkpoint.tensors.bin'],
    ])
    expect(() => checkpointFromFilesOrThrow({ manifest: text(JSON.stringify(manifest)), tensors })).toThrow(GanException)
    expect(() => checkpointFromBytesOrThrow(bad)).toThrow(GanException)
  })

  it('the on-disk reader still says what it said (the format moved into the core)', () => {
    const path = writeCheckpointOrThrow(join(directory, 'disk'), snapshot)
    const read = readCheckpoint(path)
    expect(E.isRight(read) && read.right.path).toBe(path)
    expect(E.isRight(read) && read.right.snapshot).toEqual(checkpointFromBytesOrThrow(checkpointToBytes(snapshot)).snapshot)
  })
})
