import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compileOrThrow,
  createTrainer,
  createTrainerOrThrow,
  dense,
  flatten,
  gan,
  imageDataset,
  GanException,
  libraryVersion,
  liveTensorCount,
  relu,
  reshape,
  ring,
  tanh,
  sequential,
  sgd,
  useBackend,
  type Dataset,
} from '../src/index.ts'
import { smallGan } from './support/small-gan.ts'
import { listCheckpoints, listCheckpointsOrThrow, readCheckpoint, readLatestCheckpoint, writeCheckpoint, writeCheckpointOrThrow } from '../src/node.ts'
import { stepReports as runSteps } from './support/reports.ts'


/** A finite dataset (5 batches an epoch), so resuming must find its place inside an epoch. */
const finiteRing = (): Dataset => {
  const source = ring()
  return {
    name: 'finite-ring',
    exampleShape: [2],
    batches: ({ batchSize, seed }) => ({
      async *[Symbol.asyncIterator]() {
        let i = 0
        for await (const batch of source.batches({ batchSize, seed })) {
          if (i++ === 5) return
          yield batch
        }
      },
    }),
  }
}


let directory = ''

describe('checkpoints and exact resume', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    directory = mkdtempSync(join(tmpdir(), 'ganfp-checkpoint-'))
  })
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  it('a run stopped at step s and resumed from its checkpoint gives bit-identical losses from s + 1 on', async () => {
    const options = { seed: 11, batchSize: 16 }
    const uninterrupted = createTrainerOrThrow(smallGan(), finiteRing(), options)
    const expected = await runSteps(uninterrupted, 24)
    const expectedSample = await uninterrupted.sampleOrThrow(8, { seed: 3 })
    uninterrupted.dispose()

    const first = createTrainerOrThrow(smallGan(), finiteRing(), options)
    await runSteps(first, 13) // 26 real batches: mid-epoch (5 batches an epoch)
    const path = writeCheckpointOrThrow(join(directory, 'exact'), await first.snapshotOrThrow(), { run: { note: 'first half' } })
    first.dispose()

    const checkpoint = readCheckpoint(path)
    if (E.isLeft(checkpoint)) throw new Error(JSON.stringify(checkpoint.left))
    expect(checkpoint.right.step).toBe(13)
    expect(checkpoint.right.run).toEqual({ note: 'first half' })
    const resumed = createTrainerOrThrow(smallGan(), finiteRing(), { ...options, resumeFrom: checkpoint.right.snapshot })
    expect(resumed.stepCount()).toBe(13)
    const rest = await runSteps(resumed, 11)
    expect(rest.map((r) => r.step)).toEqual(expected.slice(13).map((r) => r.step))
    // Exact equality of every reported number, not closeness.
    expect(rest).toEqual(expected.slice(13))
    expect(Array.from(await resumed.sampleOrThrow(8, { seed: 3 }))).toEqual(Array.from(expectedSample))
    resumed.dispose()
  })

  it('resumes exactly on image data with a shuffled epoch order too', async () => {
    const pixels = new Uint8Array(40 * 4).map((_, i) => (i * 37) % 256)
    const images = imageDataset({ name: 'tiny', count: 40, height: 2, width: 2, channels: 1, pixels, labels: new Uint8Array(40), classNames: ['x'] })
    const compiled = compileOrThrow(
      gan({
        generator: sequential([3], [dense(8), relu, dense(4), reshape([2, 2, 1]), tanh]),
        discriminator: sequential([2, 2, 1], [flatten, dense(8), relu, dense(1)]),
        optimizers: { generator: sgd({ learningRate: 0.05, momentum: 0.9 }) },
      }),
    )
    const options = { seed: 5, batchSize: 8 }
    const whole = createTrainerOrThrow(compiled, images, options)
    const expected = await runSteps(whole, 12)
    whole.dispose()
    const half = createTrainerOrThrow(compiled, images, options)
    await runSteps(half, 7)
    const snapshot = await half.snapshotOrThrow()
    half.dispose()
    const resumed = createTrainerOrThrow(compiled, images, { ...options, resumeFrom: snapshot })
    expect(await runSteps(resumed, 5)).toEqual(expected.slice(7))
    resumed.dispose()
  })

  it('keeps the newest N checkpoints and leaves no temporary directories', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 2, batchSize: 8 })
    const target = join(directory, 'keep')
    for (let i = 0; i < 5; i++) {
      await runSteps(trainer, 1)
      writeCheckpointOrThrow(target, await trainer.snapshotOrThrow(), { keep: 3 })
    }
    trainer.dispose()
    expect(listCheckpointsOrThrow(target).map((c) => c.step)).toEqual([3, 4, 5])
    expect(readdirSync(target).sort()).toEqual(['step-00000003', 'step-00000004', 'step-00000005'])
    const latest = readLatestCheckpoint(target)
    expect(E.isRight(latest) && latest.right.step).toBe(5)
  })

  it('a truncated, altered or malformed checkpoint is a CheckpointCorrupt error naming the file', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 2, batchSize: 8 })
    await runSteps(trainer, 1)
    const snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
    const fresh = (name: string) => writeCheckpointOrThrow(join(directory, name), snapshot)

    const truncated = fresh('truncated')
    const size = readFileSync(join(truncated, 'tensors.bin')).length
    truncateSync(join(truncated, 'tensors.bin'), size - 10)
    const a = readCheckpoint(truncated)
    expect(E.isLeft(a) && a.left[0]).toMatchObject({ _tag: 'CheckpointCorrupt', expected: `${size} bytes` })
    expect(E.isLeft(a) && a.left[0]!.path).toContain('tensors.bin')

    const altered = fresh('altered')
    const bytes = readFileSync(join(altered, 'tensors.bin'))
    bytes[100] = bytes[100]! ^ 0xff
    writeFileSync(join(altered, 'tensors.bin'), bytes)
    const b = readCheckpoint(altered)
    expect(E.isLeft(b) && b.left[0]!.actual).toContain('altered')

    const malformed = fresh('malformed')
    const manifest = JSON.parse(readFileSync(join(malformed, 'manifest.json'), 'utf8'))
    manifest.trainer.rng.latent[2] = -1
    manifest.trainer.step = 'ten'
    writeFileSync(join(malformed, 'manifest.json'), JSON.stringify(manifest))
    const c = readCheckpoint(malformed)
    expect(E.isLeft(c) && c.left.map((e) => e.path.replace(/^.*manifest\.json/, ''))).toEqual(['.trainer.step', '.trainer.rng.latent[2]'])

    const notJson = fresh('not-json')
    writeFileSync(join(notJson, 'manifest.json'), '{"format": "ganfp-checkpoint", ')
    const d = readCheckpoint(notJson)
    expect(E.isLeft(d) && d.left[0]).toMatchObject({ _tag: 'CheckpointCorrupt', expected: 'JSON' })

    const otherVersion = fresh('other-version')
    const m2 = JSON.parse(readFileSync(join(otherVersion, 'manifest.json'), 'utf8'))
    m2.library.version = '9.4.0'
    writeFileSync(join(otherVersion, 'manifest.json'), JSON.stringify(m2))
    const e = readCheckpoint(otherVersion)
    expect(E.isLeft(e) && e.left[0]).toMatchObject({ _tag: 'CheckpointMismatch', actual: '9.4.0' })
    expect(E.isLeft(e) && e.left[0]!.expected).toContain(libraryVersion)
  })

  it('a checkpoint of another architecture is refused with every difference, before any tensor is made', async () => {
    const trainer = createTrainerOrThrow(smallGan(16), ring(), { seed: 2, batchSize: 8 })
    await runSteps(trainer, 1)
    const snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
    const before = liveTensorCount()
    const result = createTrainer(smallGan(32), ring(), { seed: 2, batchSize: 8, resumeFrom: snapshot })
    expect(liveTensorCount()).toBe(before)
    expect(E.isLeft(result)).toBe(true)
    const errors = E.isLeft(result) ? result.left : []
    expect(errors.every((e) => e._tag === 'CheckpointMismatch')).toBe(true)
    const paths = errors.map((e) => e.path)
    expect(paths).toContain('generator.params.layers[0].kernel')
    expect(paths).toContain('generator.optimizer.m')
    expect(paths).toContain('generatorAverage.layers[1].gamma')
    expect(errors.find((e) => e.path === 'generator.params.layers[0].kernel')).toMatchObject({ expected: 'shape [4, 32]', actual: 'shape [4, 16]' })
  })

  it('records the library version of package.json', () => {
    expect(libraryVersion).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version)
  })

  it('a place that cannot hold or give a checkpoint is a FileSystem error naming it; the OrThrow twins throw it', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 2, batchSize: 8 })
    await trainer.stepOrThrow()
    const snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
    // A file where a folder should be (permissions cannot be tested reliably: tests may run as root).
    const file = join(directory, 'a-file')
    writeFileSync(file, 'not a folder')
    const written = writeCheckpoint(join(file, 'checkpoints'), snapshot)
    expect(E.isLeft(written) && written.left[0]).toMatchObject({ _tag: 'FileSystem', path: join(file, 'checkpoints', 'step-00000001') })
    expect(E.isLeft(written) && written.left[0]!.actual).toContain(file)
    expect(() => writeCheckpointOrThrow(join(file, 'checkpoints'), snapshot)).toThrow(GanException)
    const listed = listCheckpoints(file)
    expect(E.isLeft(listed) && listed.left[0]).toMatchObject({ _tag: 'FileSystem', path: file })
    expect(() => listCheckpointsOrThrow(file)).toThrow(GanException)
    const latest = readLatestCheckpoint(file)
    expect(E.isLeft(latest) && latest.left[0]).toMatchObject({ _tag: 'FileSystem', path: file })
    // A folder where a file should be.
    const odd = join(directory, 'odd', 'step-00000001')
    mkdirSync(join(odd, 'manifest.json'), { recursive: true })
    const read = readCheckpoint(odd)
    expect(E.isLeft(read) && read.left[0]).toMatchObject({ _tag: 'FileSystem', path: join(odd, 'manifest.json') })
  })

  it('an empty checkpoints directory is an error, and reading writes nothing', () => {
    const empty = join(directory, 'empty')
    const result = readLatestCheckpoint(empty)
    expect(E.isLeft(result)).toBe(true)
    expect(existsSync(empty)).toBe(false)
  })
})
