// Conditional GANs in the trainer: labels flow from the data to the discriminator and from the
// sampler to both networks; conditional sampling returns the classes asked for; a conditional run
// is deterministic, resumes exactly and does not leak.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import {
  adam,
  alternating,
  compileOrThrow,
  concat,
  createTrainer,
  createTrainerOrThrow,
  dense,
  embedding,
  fromLabel,
  gan,
  GanException,
  gradientPenalty,
  labelledMixtureDataset,
  leakyRelu,
  normalLatent,
  projection,
  relu,
  ring,
  ringMixture,
  sequential,
  useBackend,
  withLabelInput,
  type Gan,
} from '../src/index.ts'
import { stepReports as reports } from './support/reports.ts'

const conditionalRing = (options: { readonly penalised?: boolean } = {}): Gan =>
  gan({
    generator: withLabelInput(8)(
      sequential([4], [concat([[], fromLabel([embedding(8, 8)])]), dense(64), relu, dense(64), relu, dense(2)]),
    ),
    discriminator: withLabelInput(8)(sequential([2], [dense(64), leakyRelu(0.2), dense(64), leakyRelu(0.2), projection])),
    latent: normalLatent(4),
    schedule: alternating(),
    optimizers: { generator: adam({ learningRate: 1e-3, beta1: 0.5 }), discriminator: adam({ learningRate: 1e-3, beta1: 0.5 }) },
    penalties: options.penalised === true ? [gradientPenalty({ weight: 1 })] : [],
  })

const nearestMode = (x: number, y: number): number => {
  let best = 0
  let bestDistance = Infinity
  ringMixture.modes.forEach(([mx, my], k) => {
    const d = (x - mx) ** 2 + (y - my) ** 2
    if (d < bestDistance) [best, bestDistance] = [k, d]
  })
  return best
}

describe('conditional GANs', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('learns to put each class in its own mode of the labelled ring', async () => {
    const trainer = createTrainerOrThrow(compileOrThrow(conditionalRing()), labelledMixtureDataset(ringMixture), { seed: 3, batchSize: 64 })
    for await (const _ of trainer.runOrThrow({ steps: 1500 })) void _
    let hits = 0
    for (let k = 0; k < 8; k++) {
      const samples = await trainer.sampleOrThrow(50, { seed: 10 + k, labels: k })
      for (let i = 0; i < 50; i++) if (nearestMode(samples[2 * i]!, samples[2 * i + 1]!) === k) hits++
    }
    trainer.dispose()
    // Chance is 1 in 8; an unconditional generator cannot beat it.
    expect(hits / 400).toBeGreaterThan(0.9)
  })

  it('samples the classes asked for, with the shapes asked for; bad labels are GanErrors', async () => {
    const trainer = createTrainerOrThrow(compileOrThrow(conditionalRing()), labelledMixtureDataset(ringMixture), { seed: 1, batchSize: 16 })
    expect((await trainer.sampleOrThrow(5, { seed: 1, labels: [0, 1, 2, 3, 4] })).length).toBe(10)
    expect((await trainer.sampleOrThrow(3, { seed: 1, labels: 7 })).length).toBe(6)
    // By default the classes come in turn; the same seed and labels give the same samples.
    const inTurn = await trainer.sampleOrThrow(8, { seed: 2 })
    expect(Array.from(await trainer.sampleOrThrow(8, { seed: 2, labels: [0, 1, 2, 3, 4, 5, 6, 7] }))).toEqual(Array.from(inTurn))
    expect(Array.from(await trainer.sampleOrThrow(8, { seed: 2, labels: 3 }))).not.toEqual(Array.from(inTurn))
    const outOfRange = await trainer.sample(2, { labels: [0, 8] })
    expect(E.isLeft(outOfRange) && outOfRange.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'labels[1]']])
    const failure = await trainer.sampleOrThrow(2, { labels: [0, 8] }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(GanException)
    expect((failure as GanException).message).toBe(new GanException(E.isLeft(outOfRange) ? outOfRange.left : []).message)
    const tooFew = await trainer.sample(2, { labels: [0] })
    expect(E.isLeft(tooFew) && tooFew.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'labels.length']])
    const fractional = await trainer.discriminate(new Float32Array(4), [0, 2.5])
    expect(E.isLeft(fractional) && fractional.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'labels[1]']])
    await expect(trainer.discriminateOrThrow(new Float32Array(4), [0, 2.5])).rejects.toThrow(/labels\[1\]/)
    trainer.dispose()
  })

  it('refuses data without labels, or with another number of classes, before any tensor exists', () => {
    const before = tf.memory().numTensors
    const compiled = compileOrThrow(conditionalRing())
    const unlabelled = createTrainer(compiled, ring(), { seed: 1, batchSize: 8 })
    expect(E.isLeft(unlabelled) && unlabelled.left.map((e) => `${e.path}: ${e.actual}`)).toEqual(['data(ring).numClasses: none: the data has no labels'])
    const wrong = createTrainer(compiled, labelledMixtureDataset({ ...ringMixture, modes: ringMixture.modes.slice(0, 4) }), { seed: 1, batchSize: 8 })
    expect(E.isLeft(wrong) && wrong.left.map((e) => e.path)).toEqual(['data(ring-labelled).numClasses'])
    expect(tf.memory().numTensors).toBe(before)
  })

  it('is deterministic and resumes exactly, labels included', async () => {
    const compiled = compileOrThrow(conditionalRing({ penalised: true }))
    const data = labelledMixtureDataset(ringMixture)
    const straight = createTrainerOrThrow(compiled, data, { seed: 5, batchSize: 16 })
    const all = await reports(straight, 10)
    const again = createTrainerOrThrow(compiled, data, { seed: 5, batchSize: 16 })
    const first = await reports(again, 5)
    expect(first).toEqual(all.slice(0, 5))
    const snapshot = await again.snapshotOrThrow()
    again.dispose()
    const resumed = createTrainerOrThrow(compiled, data, { seed: 5, batchSize: 16, resumeFrom: snapshot })
    expect(await reports(resumed, 5)).toEqual(all.slice(5))
    expect(Array.from(await resumed.sampleOrThrow(4, { seed: 1 }))).toEqual(Array.from(await straight.sampleOrThrow(4, { seed: 1 })))
    straight.dispose()
    resumed.dispose()
  })

  it('is leak-free: the live tensor count after step 10 equals the count after step 300 (gradient penalty on)', async () => {
    const trainer = createTrainerOrThrow(compileOrThrow(conditionalRing({ penalised: true })), labelledMixtureDataset(ringMixture), { seed: 2, batchSize: 16 })
    for await (const _ of trainer.runOrThrow({ steps: 10 })) void _
    const at10 = tf.memory().numTensors
    for await (const _ of trainer.runOrThrow({ steps: 290 })) void _
    await trainer.sampleOrThrow(8, { labels: 1 })
    expect(tf.memory().numTensors).toBe(at10)
    trainer.dispose()
  })
})
