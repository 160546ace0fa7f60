// Deferred step reports: `queueStep` leaves a step's numbers on the device and
// `readQueuedReports` reads many steps in one transfer. The reports are the very ones `step`
// gives, nothing is read in between (counted by watchDeviceWork), and the queue leaks nothing.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compileOrThrow,
  createTrainerOrThrow,
  liveTensorCount,
  mixtureDataset,
  ringMixture,
  useBackendOrThrow,
  watchDeviceWork,
  type StepReport,
  type Trainer,
} from '../src/index.ts'
import { vanillaGan } from '../recipes/vanilla.ts'

const ringTrainer = (seed: number): Trainer =>
  createTrainerOrThrow(compileOrThrow(vanillaGan({ width: 16, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.99 })), mixtureDataset(ringMixture), { seed, batchSize: 32 })

const collect = async (reports: AsyncIterable<StepReport>): Promise<Array<StepReport>> => {
  const out: Array<StepReport> = []
  for await (const r of reports) out.push(r)
  return out
}

for (const backend of ['cpu', 'wasm'] as const)
  describe(`deferred step reports on ${backend}`, () => {
    beforeAll(async () => {
      await useBackendOrThrow(backend)
    })

    it('queued steps report exactly what step() reports, read in one transfer, with no read before', async () => {
      const reference = ringTrainer(4)
      const expected: Array<StepReport> = []
      for (let i = 0; i < 12; i++) expected.push(await reference.stepOrThrow())
      reference.dispose()

      const trainer = ringTrainer(4)
      const watch = watchDeviceWork()
      try {
        for (let i = 1; i <= 12; i++) expect(await trainer.queueStepOrThrow()).toBe(i)
        expect(trainer.queuedReports()).toBe(12)
        const beforeRead = watch.counts()
        expect(beforeRead.readbacks).toBe(0)
        // A step uploads one batch of real data and one of latents per update (3 × 32 × 2 floats),
        // scalars (learning rates, moment decays) and tfjs's batch-sized ones in the gradient of
        // a mean (3 × 32 floats): nothing of the networks' size.
        console.log(`${backend}: per step ${beforeRead.uploads / 12} uploads, ${beforeRead.uploadBytes / 12} bytes`)
        expect(beforeRead.uploadBytes / 12).toBeLessThan(3 * 32 * 2 * 4 + 3 * 32 * 4 + 50 * 4)
        const reports = await trainer.readQueuedReportsOrThrow()
        expect(watch.counts().readbacks).toBe(1)
        expect(reports).toEqual(expected)
        expect(trainer.queuedReports()).toBe(0)
        expect(await trainer.readQueuedReportsOrThrow()).toEqual([])
      } finally {
        watch.stop()
        trainer.dispose()
      }
    })

    it("uploads per step do not grow with the networks' size", async () => {
      const perStep = async (width: number): Promise<number> => {
        const gan = vanillaGan({ width, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.99 })
        const trainer = createTrainerOrThrow(compileOrThrow(gan), mixtureDataset(ringMixture), { seed: 1, batchSize: 32 })
        await trainer.queueStepOrThrow()
        const watch = watchDeviceWork()
        for (let i = 0; i < 4; i++) await trainer.queueStepOrThrow()
        const bytes = watch.counts().uploadBytes / 4
        watch.stop()
        trainer.dispose()
        return bytes
      }
      expect(await perStep(256)).toBe(await perStep(8))
    })

    it('run({ readEvery }) yields every report, in order, the same as run()', async () => {
      const a = ringTrainer(9)
      const b = ringTrainer(9)
      const eager = await collect(a.runOrThrow({ steps: 23 }))
      const watch = watchDeviceWork()
      const deferred = await collect(b.runOrThrow({ steps: 23, readEvery: 10 }))
      // 23 steps read every 10: at 10, 20 and the end.
      expect(watch.counts().readbacks).toBe(3)
      watch.stop()
      expect(deferred).toEqual(eager)
      expect(deferred.map((r) => r.step)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1))
      a.dispose()
      b.dispose()
    })

    it('an unread queue stays small, and neither queue nor trainer leaks (step 10 vs step 1,000)', async () => {
      const trainer = ringTrainer(2)
      for (let i = 0; i < 10; i++) await trainer.queueStepOrThrow()
      await trainer.readQueuedReportsOrThrow()
      const after10 = liveTensorCount()
      let peak = 0
      for (let i = 10; i < 1000; i++) {
        await trainer.queueStepOrThrow()
        peak = Math.max(peak, liveTensorCount() - after10)
        if ((i + 1) % 100 === 0) expect((await trainer.readQueuedReportsOrThrow()).length).toBe(i < 100 ? 90 : 100)
      }
      expect(liveTensorCount()).toBe(after10)
      // Unread steps wait in one tensor, however many.
      expect(peak).toBeLessThanOrEqual(1)
      trainer.dispose()
    }, 120_000)

    it('dispose frees unread reports; a disposed trainer refuses to queue or read', async () => {
      const before = liveTensorCount()
      const trainer = ringTrainer(3)
      for (let i = 0; i < 5; i++) await trainer.queueStepOrThrow()
      trainer.dispose()
      expect(liveTensorCount()).toBe(before)
      const queued = await trainer.queueStep()
      const read = await trainer.readQueuedReports()
      expect(E.isLeft(queued) && queued.left[0]!.path).toBe('trainer')
      expect(E.isLeft(read) && read.left[0]!.path).toBe('trainer')
    })
  })

afterAll(async () => {
  await useBackendOrThrow('cpu')
})
