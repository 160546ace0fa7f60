import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import { penaltyValue } from '../src/compile/penalty.ts'
import {
  alternating,
  checkGan,
  checkNetwork,
  compileOrThrow,
  createTrainerOrThrow,
  dense,
  gan,
  gradientPenalty,
  leakyRelu,
  liveTensorCount,
  mlp,
  r1,
  r2,
  relu,
  ring,
  sequential,
  sgd,
  tanh,
  useBackend,
  wasserstein,
  type Penalty,
  type StepReport,
} from '../src/index.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { checkPenaltyGradients, penalisedDiscriminators } from './support/penalty-check.ts'

/** A linear discriminator D(x) = w·x + b: its input gradient is w for every sample. */
const linear = () => {
  const checked = checkNetwork(sequential([2], [dense(1)]), 'D')
  if (E.isLeft(checked)) throw new Error('linear D')
  return compileNetwork(checked.right)
}

/** The value of a scalar computed by `f`, its intermediate tensors freed. */
const scalar = async (f: () => tf.Tensor): Promise<number> => {
  const t = tf.tidy(f)
  const v = (await t.data())[0]!
  t.dispose()
  return v
}

for (const backend of ['cpu', 'wasm'] as const)
  describe(`gradient penalties on ${backend}`, () => {
    it('match hand values on a linear discriminator: R1 = R2 = γ/2·‖w‖², GP = λ(‖w‖ − 1)², and their gradients', async () => {
      await useBackend(backend)
      const D = linear()
      const w = tf.tensor([[3], [4]]) // ‖w‖ = 5
      const params = { 'layers[0].kernel': w, 'layers[0].bias': tf.tensor1d([0.5]) }
      const inputs = { real: tf.tensor([[1, 2], [-1, 0.5]]), fake: tf.tensor([[0, 1], [2, 2]]), epsilon: tf.tensor1d([0.3, 0.9]), seed: 1 }
      const value = (p: Penalty, kernel = w) => penaltyValue(p, D, { ...params, 'layers[0].kernel': kernel }, inputs)
      expect(await scalar(() => value(r1({ gamma: 2 })))).toBeCloseTo(25, 4) // 2/2 · 25
      expect(await scalar(() => value(r2({ gamma: 0.5 })))).toBeCloseTo(6.25, 4)
      expect(await scalar(() => value(gradientPenalty({ weight: 10 })))).toBeCloseTo(160, 3) // 10 · (5 − 1)²
      expect(await scalar(() => value(gradientPenalty({ weight: 1, target: 5 })))).toBeCloseTo(0, 4)
      // d/dw: R1 → γ·w; GP → 2λ(‖w‖ − 1)·w/‖w‖.
      const dR1 = tf.tidy(() => tf.grad((k: tf.Tensor) => value(r1({ gamma: 2 }), k))(w))
      expect(Array.from(await dR1.data())).toEqual([6, 8].map((v) => expect.closeTo(v, 4)))
      const dGp = tf.tidy(() => tf.grad((k: tf.Tensor) => value(gradientPenalty({ weight: 10 }), k))(w))
      expect(Array.from(await dGp.data())).toEqual([48, 64].map((v) => expect.closeTo(v, 3))) // 80 · (3, 4)/5
      tf.dispose([w, params['layers[0].bias'], inputs.real, inputs.fake, inputs.epsilon, dR1, dGp])
    })

    it('WGAN-GP interpolates with each sample its own ε', async () => {
      await useBackend(backend)
      // D(x) = v·tanh(u·x), u = (1, −1), v = 2: ∇D = 2(1 − tanh²(u·x))·u, ‖∇D‖ = 2√2·(1 − tanh²(u·x)).
      const checked = checkNetwork(sequential([2], [dense(1, { useBias: false }), tanh, dense(1, { useBias: false })]), 'D')
      if (E.isLeft(checked)) throw new Error('tanh D')
      const D = compileNetwork(checked.right)
      const params = { 'layers[0].kernel': tf.tensor([[1], [-1]]), 'layers[2].kernel': tf.tensor([[2]]) }
      const real = [[1, 0], [0, 2]]
      const fake = [[0, 1], [1, 1]]
      const epsilon = [0.25, 0.8]
      const inputs = { real: tf.tensor(real), fake: tf.tensor(fake), epsilon: tf.tensor1d(epsilon), seed: 1 }
      const expected =
        epsilon
          .map((e, i) => {
            const x = real[i]!.map((r, j) => e * r + (1 - e) * fake[i]![j]!)
            const norm = 2 * Math.SQRT2 * (1 - Math.tanh(x[0]! - x[1]!) ** 2)
            return (norm - 1) ** 2
          })
          .reduce((a, b) => a + b, 0) / 2
      expect(await scalar(() => penaltyValue(gradientPenalty({ weight: 1 }), D, params, inputs))).toBeCloseTo(expected, 4)
      tf.dispose([...Object.values(params), inputs.real, inputs.fake, inputs.epsilon])
    })

    it('double gradients match finite differences through every discriminator layer kind', async () => {
      await useBackend(backend)
      for (const [name, [shape, layers]] of Object.entries(await penalisedDiscriminators()))
        for (const penalty of [gradientPenalty(), r1()]) {
          const { worst, checked, skipped } = await checkPenaltyGradients(shape, layers, penalty)
          expect({ name, penalty: penalty._tag, ok: worst < 1e-2 }).toEqual({ name, penalty: penalty._tag, ok: true })
          expect(skipped).toBeLessThanOrEqual(checked * 0.05)
        }
    }, 300_000)
  })

describe('penalties in training', () => {
  it('lazy R1 applies on every n-th discriminator update, scaled by n, and n_critic counts updates', async () => {
    await useBackend('cpu')
    // A linear D whose weights barely move (SGD at 1e-9): R1 = γ/2·‖w‖² whatever the data.
    const compiled = compileOrThrow(
      gan({
        generator: mlp([2], [8], relu, 2),
        discriminator: sequential([2], [dense(1)]),
        schedule: alternating({ discriminatorStepsPerGeneratorStep: 2 }),
        optimizers: { discriminator: sgd({ learningRate: 1e-9 }) },
        penalties: [r1({ gamma: 2, every: 3 })],
      }),
    )
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
    const w = (await trainer.paramsOrThrow().discriminator['layers[0].kernel']!.data()) as Float32Array
    const r1Value = (w[0]! ** 2 + w[1]! ** 2) * (2 / 2)
    const reports: Array<StepReport> = []
    for await (const r of trainer.runOrThrow({ steps: 6 })) reports.push(r)
    // Discriminator updates 1..12, two per step; the penalty is due on 3, 6, 9, 12, and a step
    // reports its last update's: steps 3 (update 6) and 6 (update 12).
    expect(reports.map((r) => (r.discriminatorPenalty === 0 ? 0 : 1))).toEqual([0, 0, 1, 0, 0, 1])
    expect(reports[2]!.discriminatorPenalty).toBeCloseTo(3 * r1Value, 4)
    const snapshot = await trainer.snapshotOrThrow()
    expect([snapshot.discriminator.optimizerUpdates, snapshot.generator.optimizerUpdates]).toEqual([12, 6])
    trainer.dispose()
  })

  it('WGAN-GP trains an MLP GAN with finite losses and no leaked tensors', async () => {
    await useBackend('cpu')
    const compiled = compileOrThrow(
      gan({
        generator: mlp([2], [16], relu, 2),
        discriminator: mlp([2], [16], leakyRelu(0.2), 1),
        loss: wasserstein(),
        schedule: alternating({ discriminatorStepsPerGeneratorStep: 5 }),
        penalties: [gradientPenalty()],
      }),
    )
    const before = liveTensorCount()
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 16 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 120 })) {
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.discriminatorPenalty)).toBe(true)
      expect(r.discriminatorPenalty).toBeGreaterThan(0)
      if (r.step === 10 || r.step === 120) counts.set(r.step, liveTensorCount())
    }
    expect(counts.get(120)).toBe(counts.get(10))
    trainer.dispose()
    expect(liveTensorCount()).toBe(before)
  })

  it('a penalty that cannot work is an error with its path before training', () => {
    const bad = gan({
      generator: mlp([2], [8], relu, 2),
      discriminator: mlp([2], [8], relu, 1),
      penalties: [gradientPenalty({ weight: -1 }), r1({ every: 0 }), { _tag: 'R3' } as never],
    })
    const result = checkGan(bad)
    expect(E.isLeft(result) && result.left.map((e) => e.path)).toEqual(['penalties[0].weight', 'penalties[1].every', 'penalties[2]'])
  })
})
