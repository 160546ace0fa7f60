// MSGAN's mode-seeking term: its value by hand and its gradient against finite differences, its
// checks, and a conditional run with it (pairs share their class, leak-free, deterministic,
// resumable). Runs without the term keep their reports and schedules as they were.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf, type Tensor } from '../src/compile/tf.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { batchHalves } from '../src/compile/mode-seeking.ts'
import { sampledLabels } from '../src/train/step-inputs.ts'
import type { TrainerState } from '../src/train/state.ts'
import {
  adam,
  alternating,
  checkGan,
  checkNetwork,
  compileOrThrow,
  concat,
  createTrainer,
  createTrainerOrThrow,
  dense,
  embedding,
  fromLabel,
  gan,
  labelledMixtureDataset,
  leakyRelu,
  liveTensorCount,
  mlp,
  modeSeeking,
  modeSeekingAt,
  modeSeekingLoss,
  modeSeekingRatio,
  normalLatent,
  pairedInput,
  pretrain,
  adversarial,
  mse,
  projection,
  relu,
  ringMixture,
  Rng,
  sequential,
  tanh,
  withLabelInput,
  useBackend,
  type Gan,
  type Layer,
  type ModeSeeking,
  type Params,
  type Schedule,
  type StepReport,
} from '../src/index.ts'
import { stepReports as reportsOf } from './support/reports.ts'
import { parameterGradientGap } from './support/gradient-check.ts'

const tiny = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>) => {
  const checked = checkNetwork(sequential(inputShape, layers), 'generator')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}

const scalarOf = (make: () => Tensor): number => {
  const t = tf.tidy(make)
  const v = t.dataSync()[0]!
  t.dispose()
  return v
}

/** A conditional GAN on the labelled ring; `generatorLayers` replaces the generator's body. */
const conditionalRing = (schedule: Schedule, generatorLayers?: ReadonlyArray<Layer>): Gan =>
  gan({
    generator: withLabelInput(8)(sequential([4], generatorLayers ?? [concat([[], fromLabel([embedding(8, 8)])]), dense(16), relu, dense(2)])),
    discriminator: withLabelInput(8)(sequential([2], [dense(16), leakyRelu(0.2), projection])),
    latent: normalLatent(4),
    schedule,
    optimizers: { generator: adam({ learningRate: 1e-3, beta1: 0.5 }), discriminator: adam({ learningRate: 1e-3, beta1: 0.5 }) },
  })


describe('mode seeking (MSGAN)', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('a schedule without the term is the value it was; with it, the term is a value', () => {
    expect('modeSeeking' in alternating()).toBe(false)
    expect('modeSeeking' in alternating({ discriminatorStepsPerGeneratorStep: 2 })).toBe(false)
    expect(JSON.stringify(alternating())).toBe(
      '{"_tag":"Alternating","discriminatorStepsPerGeneratorStep":1,"phases":[{"_tag":"Adversarial","contentWeight":1,"adversarialWeight":1}]}',
    )
    expect(modeSeeking()).toEqual({ _tag: 'ModeSeeking', weight: 1 })
    expect(alternating({ modeSeeking: modeSeeking({ weight: 0.5 }) }).modeSeeking).toEqual({ _tag: 'ModeSeeking', weight: 0.5 })
    // Pretraining runs without it.
    const phased = alternating({ phases: [pretrain({ steps: 2, loss: mse() }), adversarial()], modeSeeking: modeSeeking() })
    expect([1, 2, 3].map((step) => modeSeekingAt(phased, step)?.weight)).toEqual([undefined, undefined, 1])
  })

  it('L_ms by hand, on a tiny linear generator with known weights', () => {
    const G = tiny([2], [dense(2)])
    const init = G.init(1)
    const kernel = G.trainablePaths.find((p) => p.endsWith('kernel'))!
    const bias = G.trainablePaths.find((p) => p.endsWith('bias'))!
    init[kernel]!.dispose()
    init[bias]!.dispose()
    // G(z) = z · [[1, 2], [0, -1]] + [0.5, 0.5]
    const params: Params = { ...init, [kernel]: tf.tensor2d([[1, 2], [0, -1]]), [bias]: tf.tensor1d([0.5, 0.5]) }
    // Pairs: (z0, z2) and (z1, z3).
    const zValues = [[1, 0], [0, 1], [0, 2], [3, 1]]
    const g = zValues.map(([a, b]) => [a! + 0.5, 2 * a! - b! + 0.5])
    // G: [1.5, 2.5], [0.5, -0.5], [0.5, -1.5], [3.5, 5.5]; |ΔG|: (1, 4) and (3, 6): mean 3.5.
    // |Δz|: (1, 2) and (3, 0): mean 1.5. L_ms = 3.5 / 1.5.
    expect(g).toEqual([[1.5, 2.5], [0.5, -0.5], [0.5, -1.5], [3.5, 5.5]])
    const z = tf.tensor2d(zValues)
    const ratio = scalarOf(() => modeSeekingRatio(batchHalves(G.apply(params, z, { training: false })), batchHalves(z)))
    expect(ratio).toBeCloseTo(3.5 / 1.5, 5)
    const loss = scalarOf(() => modeSeekingLoss(tf.scalar(ratio), 2))
    expect(loss).toBeCloseTo(2 / (3.5 / 1.5 + 1e-5), 5)
    const halves = batchHalves(z)
    expect(halves.map((h) => Array.from(h.dataSync()))).toEqual([[1, 0, 0, 1], [0, 2, 3, 1]])
    for (const t of [z, ...halves, ...Object.values(params)]) t.dispose()
  })

  it("the term's gradient in the generator's parameters matches finite differences", async () => {
    const G = tiny([3], [dense(4), tanh, dense(2)])
    const params = G.init(5)
    const rng = Rng.fromSeed(7)
    const z = tf.tensor(rng.normals(6 * 3), [6, 3])
    const objective = (p: Params): Tensor => modeSeekingLoss(modeSeekingRatio(batchHalves(G.apply(p, z, { training: false })), batchHalves(z)), 0.7)
    const { worst, compared, largestSlope } = await parameterGradientGap(objective, params, G.trainablePaths, 5e-3)
    expect(compared).toBe(3 * 4 + 4 + 4 * 2 + 2)
    expect(worst).toBeLessThan(2e-2)
    // The gradient is not trivially zero: the term really depends on the parameters.
    expect(largestSlope).toBeGreaterThan(1e-3)
    for (const t of [z, ...Object.values(params)]) t.dispose()
  })

  it('bad options are reported with their paths, with the other problems at once', () => {
    const net = { generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }
    const pathsOf = (term: unknown, extra: NonNullable<Parameters<typeof alternating>[0]> = {}, latent?: Gan['latent']): unknown => {
      const result = checkGan(gan({ ...net, ...(latent === undefined ? {} : { latent }), schedule: alternating({ ...extra, modeSeeking: term as ModeSeeking }) }))
      return E.isLeft(result) ? result.left.map((e) => `${e._tag} ${e.path}`) : []
    }
    expect(pathsOf(modeSeeking())).toEqual([])
    expect(pathsOf(modeSeeking({ weight: 0 }))).toEqual([])
    expect(pathsOf(modeSeeking({ weight: -1 }))).toEqual(['InvalidConfig schedule.modeSeeking.weight'])
    expect(pathsOf(modeSeeking({ weight: 'big' as unknown as number }))).toEqual(['InvalidConfig schedule.modeSeeking.weight'])
    expect(pathsOf(modeSeeking({ weight: Number.NaN }))).toEqual(['InvalidConfig schedule.modeSeeking.weight'])
    expect(pathsOf({ weight: 1 })).toEqual(['InvalidConfig schedule.modeSeeking'])
    expect(pathsOf(modeSeeking({ weight: -1 }), { discriminatorStepsPerGeneratorStep: 0 })).toEqual([
      'InvalidConfig schedule.discriminatorStepsPerGeneratorStep',
      'InvalidConfig schedule.modeSeeking.weight',
    ])
    const paired = checkGan(
      gan({ generator: mlp([1], [8], relu, 1), discriminator: mlp([1], [8], relu, 1), latent: pairedInput(), schedule: alternating({ modeSeeking: modeSeeking() }) }),
    )
    expect(E.isLeft(paired) && paired.left.map((e) => `${e.path}: ${e.expected}`)).toEqual([
      'schedule.modeSeeking: none when the latent is pairedInput() (the generator has no latent to vary)',
    ])
  })

  it('refuses an odd batch when the trainer is created, before any tensor exists', () => {
    const compiled = compileOrThrow(conditionalRing(alternating({ modeSeeking: modeSeeking() })))
    const before = liveTensorCount()
    const odd = createTrainer(compiled, labelledMixtureDataset(ringMixture), { seed: 1, batchSize: 7 })
    expect(E.isLeft(odd) && odd.left.map((e) => `${e._tag} ${e.path}: ${e.actual}`)).toEqual(['InvalidConfig batchSize: 7'])
    expect(liveTensorCount()).toBe(before)
    // Without the term, an odd batch is fine.
    const plain = createTrainerOrThrow(compileOrThrow(conditionalRing(alternating())), labelledMixtureDataset(ringMixture), { seed: 1, batchSize: 7 })
    plain.dispose()
  })

  it("pairs share their class: a generator that only reads its label gives L_ms = 0; the stream is the same", async () => {
    // G(z, y) = embedding(y): outputs differ within a pair only if the classes do.
    const labelOnly = conditionalRing(alternating({ modeSeeking: modeSeeking({ weight: 0 }) }), [concat([fromLabel([embedding(8, 2)])])])
    const trainer = createTrainerOrThrow(compileOrThrow(labelOnly), labelledMixtureDataset(ringMixture), { seed: 2, batchSize: 16 })
    const reports = await reportsOf(trainer, 5)
    trainer.dispose()
    expect(reports.map((r) => r.modeSeeking)).toEqual([0, 0, 0, 0, 0])
    // The labels drawn: the first half as without pairing, the second half a copy of it; the
    // latent stream advances the same, so the rest of the run draws the same numbers.
    const state = (seed: number) => ({ batchSize: 6, classes: 5, latentRng: Rng.fromSeed(seed) }) as unknown as TrainerState
    const [a, b] = [state(3), state(3)]
    const plain = sampledLabels(a)
    const pairedLabels = sampledLabels(b, true)
    const [p, q] = [Array.from(plain.dataSync()), Array.from(pairedLabels.dataSync())]
    expect(q).toEqual([...p.slice(0, 3), ...p.slice(0, 3)])
    expect(b.latentRng.nextUint32()).toBe(a.latentRng.nextUint32())
    plain.dispose()
    pairedLabels.dispose()
  })

  it("adds weight/(L_ms + 1e-5) to the generator's loss and reports L_ms; runs without it report no such key", async () => {
    const data = labelledMixtureDataset(ringMixture)
    const firstReport = async (schedule: Schedule): Promise<StepReport> => {
      const trainer = createTrainerOrThrow(compileOrThrow(conditionalRing(schedule)), data, { seed: 4, batchSize: 16 })
      const [report] = await reportsOf(trainer, 1)
      trainer.dispose()
      return report!
    }
    const monitored = await firstReport(alternating({ modeSeeking: modeSeeking({ weight: 0 }) }))
    const weighted = await firstReport(alternating({ modeSeeking: modeSeeking({ weight: 1.5 }) }))
    const plain = await firstReport(alternating())
    expect('modeSeeking' in plain).toBe(false)
    expect(Object.keys(plain)).toEqual(Object.keys(monitored).filter((k) => k !== 'modeSeeking'))
    expect(monitored.modeSeeking).toBeGreaterThan(0)
    expect(weighted.modeSeeking).toBe(monitored.modeSeeking)
    // Same streams, same parameters at step 1: only the term differs.
    expect(weighted.generatorLoss - monitored.generatorLoss).toBeCloseTo(1.5 / (monitored.modeSeeking! + 1e-5), 4)
    expect(weighted.discriminatorLoss).toBe(monitored.discriminatorLoss)
  })

  it('a conditional run with the term is leak-free, deterministic and resumes exactly', async () => {
    const compiled = compileOrThrow(conditionalRing(alternating({ modeSeeking: modeSeeking() })))
    const data = labelledMixtureDataset(ringMixture)
    const options = { seed: 5, batchSize: 16 }
    const counts = new Map<number, number>()
    const straight = createTrainerOrThrow(compiled, data, options)
    const all: Array<StepReport> = []
    for await (const r of straight.runOrThrow({ steps: 30 })) {
      all.push(r)
      counts.set(r.step, liveTensorCount())
    }
    straight.dispose()
    expect(counts.get(30)).toBe(counts.get(10))
    expect(all.every((r) => Number.isFinite(r.modeSeeking) && r.modeSeeking! > 0 && Number.isFinite(r.generatorLoss))).toBe(true)
    const again = createTrainerOrThrow(compiled, data, options)
    const first = await reportsOf(again, 15)
    expect(first).toEqual(all.slice(0, 15))
    const snapshot = await again.snapshotOrThrow()
    again.dispose()
    const resumed = createTrainerOrThrow(compiled, data, { ...options, resumeFrom: snapshot })
    expect(await reportsOf(resumed, 15)).toEqual(all.slice(15))
    resumed.dispose()
  })

  it('training with the term raises L_ms over the same run that only monitors it', async () => {
    // A proxy for diversity: output distance per latent distance within a class. (A check that
    // the term cures a real collapse takes hundreds of steps per run: too slow for this suite.)
    const lateRatio = async (weight: number): Promise<number> => {
      const trainer = createTrainerOrThrow(compileOrThrow(conditionalRing(alternating({ modeSeeking: modeSeeking({ weight }) }))), labelledMixtureDataset(ringMixture), {
        seed: 1,
        batchSize: 16,
      })
      const last = (await reportsOf(trainer, 40)).slice(-10)
      trainer.dispose()
      return last.reduce((sum, r) => sum + r.modeSeeking!, 0) / last.length
    }
    const monitored = await lateRatio(0)
    expect(await lateRatio(1)).toBeGreaterThan(1.1 * monitored)
  })
})
