// Top-k generator updates (Sinha et al. 2020): the share schedule, the loss by hand for every
// adversarial loss, its gradient against finite differences, its checks, and runs with it (share
// 1 is the run without it; leak-free, deterministic, resumable; packs ranked as packs).
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf, type Tensor } from '../src/compile/tf.ts'
import { generatorLoss } from '../src/compile/loss.ts'
import { compileNetwork } from '../src/compile/network.ts'
import {
  adversarial,
  alternating,
  bestRowsMask,
  checkGan,
  checkNetwork,
  compileOrThrow,
  createTrainerOrThrow,
  decodeConfig,
  dense,
  gan,
  getOrThrow,
  hinge,
  leakyRelu,
  leastSquares,
  liveTensorCount,
  minimax,
  mixtureDataset,
  mlp,
  mse,
  nonSaturating,
  pretrain,
  relu,
  ringMixture,
  Rng,
  sequential,
  tanh,
  topK,
  topKCount,
  topKGeneratorLoss,
  topKShareAt,
  useBackend,
  vanillaConfig,
  vanillaFlags,
  vanillaGan,
  vanillaRecipeGan,
  wasserstein,
  type Gan,
  type GanLoss,
  type Layer,
  type Params,
  type StepReport,
  type TopK,
} from '../src/index.ts'
import { stepReports as reportsOf } from './support/reports.ts'
import { parameterGradientGap } from './support/gradient-check.ts'

const valueOf = (make: () => Tensor): number => {
  const t = tf.tidy(make)
  const v = t.dataSync()[0]!
  t.dispose()
  return v
}

const softplus = (x: number): number => Math.log1p(Math.exp(x))

const tiny = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>, role: 'generator' | 'discriminator') => {
  const checked = checkNetwork(sequential(inputShape, layers), role)
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}

/** The ring's MLP GAN at width 16 with `term` in its schedule. */
const ringGan = (term?: TopK, packing = 1): Gan => {
  const spec = vanillaGan({ width: 16, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.99, packing })
  return { ...spec, schedule: alternating({ generatorAverageDecay: 0.99, ...(term === undefined ? {} : { topK: term }) }) }
}

describe('top-k generator updates', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('the share starts at 1, falls by decay every `every` steps to keep; none in pretraining or without the term', () => {
    expect('topK' in alternating()).toBe(false)
    expect(topK()).toEqual({ _tag: 'TopK', keep: 0.5, decay: 0.99, every: 100 })
    const s = alternating({ topK: topK({ keep: 0.3, decay: 0.5, every: 2 }) })
    expect([1, 2, 3, 4, 5, 6, 100].map((step) => topKShareAt(s, step))).toEqual([1, 1, 0.5, 0.5, 0.3, 0.3, 0.3])
    expect(topKShareAt(alternating(), 1000)).toBe(1)
    // The paper's γ 0.99: half the batch after 69 decays.
    expect(topKShareAt(alternating({ topK: topK() }), 6801)).toBeCloseTo(0.99 ** 68, 12)
    expect(topKShareAt(alternating({ topK: topK() }), 6901)).toBe(0.5)
    const phased = alternating({ phases: [pretrain({ steps: 2, loss: mse() }), adversarial()], topK: topK({ keep: 0.5, decay: 0.5, every: 1 }) })
    expect([1, 2, 3, 4].map((step) => topKShareAt(phased, step))).toEqual([1, 1, 0.5, 0.5])
    expect([topKCount(0.5, 256), topKCount(0.3, 5), topKCount(0.01, 8), topKCount(1, 8), topKCount(0.999, 8)]).toEqual([128, 2, 1, 8, 8])
  })

  it('the loss by hand for every adversarial loss: the mean over the best-scored rows only', () => {
    // Scores 0.1, 3, −2, 1: at share 0.5 the rows scored 3 and 1 are kept.
    const scores = [[0.1], [3], [-2], [1]]
    const byHand: ReadonlyArray<readonly [GanLoss, number]> = [
      [nonSaturating(), (softplus(-3) + softplus(-1)) / 2],
      [minimax(), -(softplus(3) + softplus(1)) / 2],
      [leastSquares(), (0.5 * (3 - 1) ** 2 + 0) / 2],
      [wasserstein(), -(3 + 1) / 2],
      [hinge(), -(3 + 1) / 2],
    ]
    for (const [loss, expected] of byHand) {
      expect([loss._tag, valueOf(() => topKGeneratorLoss(loss, tf.tensor2d(scores), 0.5))]).toEqual([loss._tag, expect.closeTo(expected, 5)])
      // At share 1 it is generatorLoss itself, to the bit.
      expect(valueOf(() => topKGeneratorLoss(loss, tf.tensor2d(scores), 1))).toBe(valueOf(() => generatorLoss(loss, tf.tensor2d(scores))))
    }
    // Rows of several outputs (a patch discriminator) are ranked by their mean: rows 0 and 2.
    const patches = [[[2], [0]], [[-1], [0]], [[0.5], [1]]]
    expect(Array.from(tf.tidy(() => bestRowsMask(tf.tensor3d(patches), 2)).dataSync())).toEqual([1, 0, 1])
    expect(valueOf(() => topKGeneratorLoss(wasserstein(), tf.tensor3d(patches), 0.5))).toBeCloseTo(-(2 + 0 + 0.5 + 1) / 4, 6)
    // A tie with the last kept score keeps both: 3 rows of 4 at share 0.5.
    expect(Array.from(tf.tidy(() => bestRowsMask(tf.tensor2d([[1], [1], [0], [2]]), 2)).dataSync())).toEqual([1, 1, 0, 1])
    expect(valueOf(() => topKGeneratorLoss(wasserstein(), tf.tensor2d([[1], [1], [0], [2]]), 0.5))).toBeCloseTo(-4 / 3, 6)
  })

  it("the gradient flows through the kept rows only and matches finite differences in G's parameters", async () => {
    // In D's outputs: exactly zero at the dropped rows, the loss's own slope over k at the kept ones.
    const scores = tf.tensor2d([[0.1], [3], [-2], [1]])
    const dScores = tf.grad((s: Tensor) => topKGeneratorLoss(nonSaturating(), s, 0.5))(scores)
    const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
    const expected = [0, -sigmoid(-3) / 2, 0, -sigmoid(-1) / 2]
    Array.from(await dScores.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6))
    scores.dispose()
    dScores.dispose()

    // Through a generator and a fixed discriminator: the selection is piecewise constant, so
    // away from ties the analytic gradient must match central differences.
    const G = tiny([3], [dense(4), tanh, dense(2)], 'generator')
    const D = tiny([2], [dense(8), leakyRelu(0.2), dense(1)], 'discriminator')
    const [gParams, dParams] = [G.init(5), D.init(6)]
    const z = tf.tensor(Rng.fromSeed(7).normals(8 * 3), [8, 3])
    const objective = (p: Params): Tensor => topKGeneratorLoss(nonSaturating(), D.apply(dParams, G.apply(p, z, { training: false }), { training: false }), 0.5)
    const { worst, compared, largestSlope } = await parameterGradientGap(objective, gParams, G.trainablePaths, 1e-3)
    expect(compared).toBe(3 * 4 + 4 + 4 * 2 + 2)
    expect(worst).toBeLessThan(2e-2)
    expect(largestSlope).toBeGreaterThan(1e-3)
    // The loss differs from the mean over every row: the selection is real.
    const all = valueOf(() => generatorLoss(nonSaturating(), D.apply(dParams, G.apply(gParams, z, { training: false }), { training: false })))
    expect(Math.abs(valueOf(() => objective(gParams)) - all)).toBeGreaterThan(1e-3)
    for (const t of [z, ...Object.values(gParams), ...Object.values(dParams)]) t.dispose()
  })

  it('bad options are reported with their paths, with the other problems at once', () => {
    const net = { generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }
    const pathsOf = (term: unknown, extra: NonNullable<Parameters<typeof alternating>[0]> = {}): unknown => {
      const result = checkGan(gan({ ...net, schedule: alternating({ ...extra, topK: term as TopK }) }))
      return E.isLeft(result) ? result.left.map((e) => `${e._tag} ${e.path}`) : []
    }
    expect(pathsOf(topK())).toEqual([])
    expect(pathsOf(topK({ keep: 1, decay: 1, every: 1 }))).toEqual([])
    expect(pathsOf(topK({ keep: 0 }))).toEqual(['InvalidConfig schedule.topK.keep'])
    expect(pathsOf(topK({ keep: 1.5, decay: Number.NaN, every: 2.5 }))).toEqual([
      'InvalidConfig schedule.topK.keep',
      'InvalidConfig schedule.topK.decay',
      'InvalidConfig schedule.topK.every',
    ])
    expect(pathsOf({ keep: 0.5 })).toEqual(['InvalidConfig schedule.topK'])
    expect(pathsOf(topK({ decay: 0 }), { discriminatorStepsPerGeneratorStep: 0 })).toEqual([
      'InvalidConfig schedule.discriminatorStepsPerGeneratorStep',
      'InvalidConfig schedule.topK.decay',
    ])
  })

  it('at share 1 a run is the run without the term; below it only the generator’s updates change', async () => {
    const data = mixtureDataset(ringMixture)
    const reports = async (spec: Gan, steps: number): Promise<Array<StepReport>> => {
      const trainer = createTrainerOrThrow(compileOrThrow(spec), data, { seed: 3, batchSize: 16 })
      const out = await reportsOf(trainer, steps)
      trainer.dispose()
      return out
    }
    const plain = await reports(ringGan(), 4)
    expect(await reports(ringGan(topK({ keep: 1 })), 4)).toEqual(plain)
    // Half the batch from step 2 on: step 1 is the plain run's; step 2's generator loss differs
    // (the best-scored half has the lower loss), its discriminator update does not.
    const halved = await reports(ringGan(topK({ keep: 0.5, decay: 0.5, every: 1 })), 2)
    expect(halved[0]).toEqual(plain[0])
    expect(halved[1]!.discriminatorLoss).toBe(plain[1]!.discriminatorLoss)
    expect(halved[1]!.generatorLoss).toBeLessThan(plain[1]!.generatorLoss)
  })

  it('a packed run with the term is leak-free, deterministic and resumes exactly (the share follows the step count)', async () => {
    const compiled = compileOrThrow(ringGan(topK({ keep: 0.25, decay: 0.5, every: 5 }), 2))
    const data = mixtureDataset(ringMixture)
    const options = { seed: 5, batchSize: 16 }
    const counts = new Map<number, number>()
    const straight = createTrainerOrThrow(compiled, data, options)
    const all: Array<StepReport> = []
    for await (const r of straight.runOrThrow({ steps: 60 })) {
      all.push(r)
      counts.set(r.step, liveTensorCount())
    }
    straight.dispose()
    expect(counts.get(60)).toBe(counts.get(10))
    expect(all.every((r) => Number.isFinite(r.generatorLoss))).toBe(true)
    const again = createTrainerOrThrow(compiled, data, options)
    const first = await reportsOf(again, 12)
    expect(first).toEqual(all.slice(0, 12))
    const snapshot = await again.snapshotOrThrow()
    again.dispose()
    const resumed = createTrainerOrThrow(compiled, data, { ...options, resumeFrom: snapshot })
    expect(await reportsOf(resumed, 18)).toEqual(all.slice(12, 30))
    resumed.dispose()
  })

  it("the vanilla recipe's --top-k sets the floor; runs recorded before it train on every sample", () => {
    const withTopK = vanillaRecipeGan(getOrThrow(decodeConfig(vanillaConfig, { dataset: 'grid', 'top-k': '0.5' })))
    expect(withTopK.schedule.topK).toEqual(topK({ keep: 0.5 }))
    const none = vanillaRecipeGan(getOrThrow(decodeConfig(vanillaConfig, { dataset: 'grid', 'top-k': '1' })))
    expect('topK' in none.schedule).toBe(false)
    expect(E.isLeft(decodeConfig(vanillaConfig, { 'top-k': '0' }))).toBe(true)
    expect(vanillaFlags['top-k'].before).toBe(1)
  })
})
