// A generator restored from a snapshot for sampling only (src/train/sampler.ts): what a page uses
// to show a checkpoint, with no dataset. Runs under vitest, Bun and Deno.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  alternating,
  batchNorm,
  checkpointFromBytesOrThrow,
  checkpointToBytes,
  compileOrThrow,
  createTrainerOrThrow,
  dense,
  gan,
  GanException,
  liveTensorCount,
  relu,
  ring,
  samplerFromSnapshot,
  samplerFromSnapshotOrThrow,
  sequential,
  useBackend,
  type GanError,
} from '../src/index.ts'
import { smallGan } from './support/small-gan.ts'


const errorsOf = <A>(result: E.Either<ReadonlyArray<GanError>, A>): ReadonlyArray<GanError> => (E.isLeft(result) ? result.left : [])

describe('a sampler from a snapshot', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('samples what the trainer samples, bit for bit, with no dataset, and frees its tensors', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 4, batchSize: 16 })
    for (let i = 0; i < 3; i++) await trainer.stepOrThrow()
    const { snapshot } = checkpointFromBytesOrThrow(checkpointToBytes(await trainer.snapshotOrThrow()))
    const expected = Array.from(await trainer.sampleOrThrow(16, { seed: 9 }))
    const latents = Float32Array.from({ length: 4 * 3 }, (_, i) => Math.cos(i))
    const generated = Array.from(await trainer.generateOrThrow(latents))
    const unseeded = Array.from(await trainer.sampleOrThrow(5))
    trainer.dispose()
    const before = liveTensorCount()
    const sampler = samplerFromSnapshotOrThrow(smallGan(), snapshot)
    expect(sampler.step).toBe(3)
    expect(Array.from(await sampler.sampleOrThrow(16, { seed: 9 }))).toEqual(expected)
    expect(Array.from(await sampler.generateOrThrow(latents))).toEqual(generated)
    // Without a seed, from the snapshot's latent stream, as a resumed trainer.
    expect(Array.from(await sampler.sampleOrThrow(5))).toEqual(unseeded)
    expect(errorsOf(await sampler.generate(new Float32Array(5)))[0]).toMatchObject({ _tag: 'InvalidData', path: 'latents.length' })
    sampler.dispose()
    expect(liveTensorCount()).toBe(before)
    expect(errorsOf(await sampler.sample(2))[0]).toMatchObject({ path: 'sampler', actual: 'a disposed sampler' })
  })

  it("refuses a snapshot of another generator with every difference, before any tensor is made; the discriminator's part is not its business", async () => {
    const trainer = createTrainerOrThrow(smallGan(16), ring(), { seed: 4, batchSize: 16 })
    const snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
    const before = liveTensorCount()
    const result = samplerFromSnapshot(smallGan(32), snapshot)
    expect(liveTensorCount()).toBe(before)
    const paths = errorsOf(result).map((e) => e.path)
    expect(paths).toContain('generator.params.layers[0].kernel')
    expect(paths).toContain('generatorAverage.layers[1].gamma')
    expect(paths.filter((p) => !p.startsWith('generator.params') && !p.startsWith('generatorAverage'))).toEqual([])
    expect(() => samplerFromSnapshotOrThrow(smallGan(32), snapshot)).toThrow(GanException)
    const otherCritic = compileOrThrow(
      gan({
        generator: sequential([4], [dense(16), batchNorm(), relu, dense(2)]),
        discriminator: sequential([2], [dense(3), relu, dense(1)]),
        schedule: alternating({ generatorAverageDecay: 0.99 }),
      }),
    )
    const sampler = samplerFromSnapshotOrThrow(otherCritic, snapshot)
    expect((await sampler.sampleOrThrow(2, { seed: 1 })).length).toBe(4)
    sampler.dispose()
  })
})
