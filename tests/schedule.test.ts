import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import { contentLossValue } from '../src/compile/content.ts'
import {
  adam,
  adversarial,
  alternating,
  checkGan,
  compileOrThrow,
  createTrainer,
  createTrainerOrThrow,
  dense,
  featureMatching,
  fromPairedSampler,
  gan,
  instanceNoiseStd,
  l1,
  leakyRelu,
  liveTensorCount,
  mlp,
  mse,
  perceptual,
  weightedSum,
  type Perceptual,
  pairedInput,
  phaseAt,
  pretrain,
  relu,
  ring,
  sequential,
  useBackend,
  type Phase,
} from '../src/index.ts'
import { stepReports as run } from './support/reports.ts'

/** Pairs (x, 2x + 1): a linear generator can learn them exactly. */
const affinePairs = fromPairedSampler('affine-pairs', [1], [1], (n, rng) => {
  const inputs = rng.normals(n)
  return { inputs, targets: inputs.map((x) => 2 * x + 1) }
})

const pairedGan = (phases: ReadonlyArray<Phase>, k = 2) =>
  compileOrThrow(
    gan({
      generator: sequential([1], [dense(1)]),
      discriminator: mlp([1], [8], leakyRelu(0.2), 1),
      latent: pairedInput(),
      schedule: alternating({ discriminatorStepsPerGeneratorStep: k, phases }),
      optimizers: { generator: adam({ learningRate: 0.05 }) },
    }),
  )


const values = async (f: () => tf.Tensor): Promise<Array<number>> => {
  const t = tf.tidy(f)
  const v = Array.from(await t.data())
  t.dispose()
  return v
}

describe('schedule algebra', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('content losses match hand values', async () => {
    const generated = () => tf.tensor([[1, 2], [3, 5]])
    const target = () => tf.tensor([[0, 2], [1, 1]])
    const none = { discriminator: () => tf.zeros([0]), frozen: () => tf.zeros([0]) }
    expect(await values(() => contentLossValue(mse(), generated(), target(), none))).toEqual([(1 + 0 + 4 + 16) / 4])
    expect(await values(() => contentLossValue(l1(), generated(), target(), none))).toEqual([(1 + 0 + 2 + 4) / 4])
    // Feature matching with identity features: the squared distance between the batch means,
    // (2, 3.5) against (0.5, 1.5), averaged over the two features.
    const identity = { discriminator: (x: tf.Tensor) => x, frozen: (loss: Perceptual, x: tf.Tensor) => tf.add(tf.mul(x, loss.inputScale), loss.inputShift) }
    expect(await values(() => contentLossValue(featureMatching({ layer: 0 }), generated(), target(), identity))).toEqual([
      (1.5 ** 2 + 2 ** 2) / 2,
    ])
    // A perceptual loss on features 2x + 1: the pixel MSE times 4, per pair (not per batch mean).
    const doubling = perceptual({ network: sequential([2], [dense(2)]), weights: {}, inputScale: 2, inputShift: 1 })
    expect(await values(() => contentLossValue(doubling, generated(), target(), identity))).toEqual([(4 * (1 + 0 + 4 + 16)) / 4])
    expect(await values(() => contentLossValue(weightedSum([[mse(), 1], [l1(), 0.5]]), generated(), target(), none))).toEqual([21 / 4 + (0.5 * 7) / 4])
  })

  it('phases: pretraining steps run no discriminator update, then the game runs k per step', async () => {
    const trainer = createTrainerOrThrow(pairedGan([pretrain({ steps: 4, loss: mse() }), adversarial({ content: mse(), adversarialWeight: 1e-3 })], 3), affinePairs, {
      seed: 1,
      batchSize: 16,
    })
    const reports = await run(trainer, 7)
    expect(reports.map((r) => r.phase)).toEqual([0, 0, 0, 0, 1, 1, 1])
    expect(reports.map((r) => r.discriminatorUpdates)).toEqual([0, 0, 0, 0, 3, 3, 3])
    expect(reports.slice(0, 4).every((r) => r.discriminatorLoss === 0 && r.contentLoss > 0)).toBe(true)
    const snapshot = await trainer.snapshotOrThrow()
    expect([snapshot.generator.optimizerUpdates, snapshot.discriminator.optimizerUpdates]).toEqual([7, 9])
    trainer.dispose()
    expect(phaseAt(alternating({ phases: [pretrain({ steps: 4, loss: mse() }), adversarial({ steps: 2 })] }), 99).index).toBe(1)
  })

  it('MSE pretraining fits paired targets: the content loss falls below 1e-3', async () => {
    const trainer = createTrainerOrThrow(pairedGan([pretrain({ steps: 300, loss: mse() }), adversarial()]), affinePairs, { seed: 2, batchSize: 32 })
    const reports = await run(trainer, 300)
    expect(reports[0]!.contentLoss).toBeGreaterThan(0.5)
    expect(reports.at(-1)!.contentLoss).toBeLessThan(1e-3)
    // The generator maps x to 2x + 1: generate() takes paired inputs.
    const out = await trainer.generateOrThrow(new Float32Array([0, 1, -2]))
    expect(Array.from(out).map((v) => Math.round(v * 100) / 100)).toEqual([1, 3, -3])
    trainer.dispose()
  })

  it('a run resumed inside pretraining crosses into the adversarial phase exactly as an uninterrupted one', async () => {
    const spec = () => pairedGan([pretrain({ steps: 5, loss: l1() }), adversarial({ content: mse() })])
    const whole = createTrainerOrThrow(spec(), affinePairs, { seed: 3, batchSize: 8 })
    const expected = await run(whole, 9)
    whole.dispose()
    const first = createTrainerOrThrow(spec(), affinePairs, { seed: 3, batchSize: 8 })
    await run(first, 3)
    const snapshot = await first.snapshotOrThrow()
    first.dispose()
    const resumed = createTrainerOrThrow(spec(), affinePairs, { seed: 3, batchSize: 8, resumeFrom: snapshot })
    expect(await run(resumed, 6)).toEqual(expected.slice(3))
    resumed.dispose()
  })

  it('feature matching trains an unpaired GAN, leak-free', async () => {
    const compiled = compileOrThrow(
      gan({
        generator: mlp([2], [16], relu, 2),
        discriminator: mlp([2], [16, 8], leakyRelu(0.2), 1),
        schedule: alternating({ phases: [adversarial({ content: featureMatching({ layer: 3 }), contentWeight: 1, adversarialWeight: 0 })] }),
      }),
    )
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 32 })
    const counts: Array<number> = []
    for await (const r of trainer.runOrThrow({ steps: 60 })) {
      expect(Number.isFinite(r.contentLoss) && r.contentLoss >= 0).toBe(true)
      expect(r.generatorLoss).toBeCloseTo(r.contentLoss, 5) // adversarial weight 0: the loss is the content term
      if (r.step === 10 || r.step === 60) counts.push(liveTensorCount())
    }
    expect(counts[0]).toBe(counts[1])
    trainer.dispose()
  })

  it('instance noise decays linearly, changes what the discriminator sees, and stays deterministic', async () => {
    const noisy = alternating({ instanceNoise: { std: 0.5, decaySteps: 10 } })
    expect([1, 6, 11, 50].map((step) => instanceNoiseStd(noisy, step))).toEqual([0.5, 0.25, 0, 0])
    const make = (withNoise: boolean) =>
      compileOrThrow(
        gan({
          generator: mlp([2], [8], relu, 2),
          discriminator: mlp([2], [8], leakyRelu(0.2), 1),
          schedule: withNoise ? noisy : alternating(),
        }),
      )
    const first = async (withNoise: boolean) => {
      const trainer = createTrainerOrThrow(make(withNoise), ring(), { seed: 4, batchSize: 16 })
      const [report] = await run(trainer, 1)
      trainer.dispose()
      return report!.discriminatorLoss
    }
    expect(await first(true)).not.toBe(await first(false))
    expect(await first(true)).toBe(await first(true))
  })

  it('a schedule that cannot run is an error with its path before training', () => {
    const unpaired = gan({
      generator: mlp([2], [8], relu, 2),
      discriminator: mlp([2], [8], relu, 1),
      schedule: alternating({
        phases: [pretrain({ steps: 0, loss: mse() }), adversarial({ content: featureMatching({ layer: 7 }) }), adversarial({ steps: 5, adversarialWeight: -1 })],
        instanceNoise: { std: -1, decaySteps: 1.5 },
      }),
    })
    const result = checkGan(unpaired)
    expect(E.isLeft(result) && result.left.map((e) => e.path)).toEqual([
      'schedule.phases[0].steps',
      'schedule.phases[0].loss',
      'schedule.phases[1].steps',
      'schedule.phases[1].content.layer',
      'schedule.phases[2].adversarialWeight',
      'schedule.instanceNoise.std',
      'schedule.instanceNoise.decaySteps',
    ])
    expect(E.isLeft(result) && result.left[1]!.expected).toContain('featureMatching')
    expect(E.isLeft(checkGan(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1), schedule: alternating({ phases: [] }) })))).toBe(true)
    // A phase whose generator loss is a constant: both weights off.
    const idle = checkGan(
      gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1), schedule: alternating({ phases: [adversarial({ adversarialWeight: 0 })] }) }),
    )
    expect(E.isLeft(idle) && idle.left.map((e) => [e.path, e.expected])).toEqual([
      ['schedule.phases[0].adversarialWeight', 'a number > 0 when the phase has no weighted content loss'],
    ])
  })

  it('paired latents need paired data of the generator input shape', () => {
    const result = createTrainer(pairedGan([adversarial()]), ring(), { seed: 1, batchSize: 8 })
    expect(E.isLeft(result) && result.left.map((e) => e.path)).toContain('data(ring).pairedInputShape')
  })
})
