// PacGAN packing (Lin et al. 2018): `pack(k)` and `packed(k)`. Which examples land where (rank 1
// and rank 3, by hand), shape and placement errors with paths, the batch checks at trainer
// creation and in `discriminate`, penalties per pack, the memory estimate per pack, gradients
// against finite differences, and a packed MLP GAN training leak-free and deterministically.
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  checkGan,
  checkNetwork,
  compileOrThrow,
  conv2d,
  createTrainer,
  createTrainerOrThrow,
  dense,
  estimateMemory,
  flatten,
  gan,
  gradientPenalty,
  leakyRelu,
  liveTensorCount,
  mlp,
  normalLatent,
  pack,
  packed,
  packSizeOf,
  r1,
  relu,
  residual,
  ring,
  sequential,
  tanh,
  useBackend,
  withLabelInput,
  type Network,
  type Penalty,
  type StepReport,
} from '../src/index.ts'
import { compiledNetwork } from './support/compiled-network.ts'
import { penaltyValue } from '../src/compile/penalty.ts'
import { tf, type Tensor } from '../src/compile/tf.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'

const compiled = (network: Network) => compiledNetwork(network, 'd')

const errorsOf = (network: Network): ReadonlyArray<readonly [string, string]> => {
  const checked = checkNetwork(network, 'd')
  if (E.isRight(checked)) throw new Error('expected the network to be rejected')
  return checked.left.map((e) => [e._tag, e.path] as const)
}

/** The network's output on `values` (a batch of `shape`), as nested arrays. */
const outputOf = async (network: Network, values: ReadonlyArray<number>, shape: ReadonlyArray<number>): Promise<unknown> => {
  const net = compiled(network)
  const params = net.init(1)
  const out = tf.tidy(() => net.apply(params, tf.tensor([...values], [...shape]), { training: false }))
  const array = await out.array()
  out.dispose()
  net.dispose(params)
  return array
}

describe('pack: which examples land where', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('rank 1: [d] → [k·d], examples i·k … i·k + k − 1 side by side', async () => {
    const checked = checkNetwork(sequential([3], [pack(2)]), 'd')
    expect(E.isRight(checked) && checked.right.outputShape).toEqual([6])
    // Example e holds (10e, 10e + 1, 10e + 2).
    const x = [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32]
    expect(await outputOf(sequential([3], [pack(2)]), x, [4, 3])).toEqual([
      [0, 1, 2, 10, 11, 12],
      [20, 21, 22, 30, 31, 32],
    ])
    expect(await outputOf(sequential([3], [pack(4)]), x, [4, 3])).toEqual([x])
    expect(await outputOf(sequential([3], [pack(1)]), x, [4, 3])).toEqual([
      [0, 1, 2],
      [10, 11, 12],
      [20, 21, 22],
      [30, 31, 32],
    ])
  })

  it('rank 3: [h, w, c] → [h, w, k·c], the channels of the k examples side by side', async () => {
    const checked = checkNetwork(sequential([1, 2, 2], [pack(2)]), 'd')
    expect(E.isRight(checked) && checked.right.outputShape).toEqual([1, 2, 4])
    // Example e at column x, channel c holds 100e + 10x + c.
    const x = [0, 1, 2, 3].flatMap((e) => [0, 1].flatMap((col) => [0, 1].map((c) => 100 * e + 10 * col + c)))
    expect(await outputOf(sequential([1, 2, 2], [pack(2)]), x, [4, 1, 2, 2])).toEqual([
      [
        [
          [0, 1, 100, 101],
          [10, 11, 110, 111],
        ],
      ],
      [
        [
          [200, 201, 300, 301],
          [210, 211, 310, 311],
        ],
      ],
    ])
  })

  it('packed(k) puts pack(k) in front, input shape unchanged, data-last for pipe', () => {
    const d = mlp([2], [64, 64, 64], leakyRelu(0.2), 1)
    const p = pipe(d, packed(4))
    expect(p.inputShape).toEqual([2])
    expect(p.layers).toEqual([pack(4), ...d.layers])
    expect(packSizeOf(p)).toBe(4)
    expect(packSizeOf(d)).toBe(1)
    const checked = checkNetwork(p, 'discriminator')
    expect(E.isRight(checked) && checked.right.layers.map((l) => l.outputShape)).toEqual([[8], [64], [64], [64], [64], [64], [64], [1]])
  })
})

describe('pack: errors with paths', () => {
  it('refuses a bad k and a rank-2 input, and still checks the layers after a bad k', () => {
    expect(errorsOf(sequential([2], [pack(0), dense(1)]))).toEqual([['InvalidConfig', 'd.layers[0].packSize']])
    expect(errorsOf(sequential([2], [pack(2.5), dense(0)]))).toEqual([
      ['InvalidConfig', 'd.layers[0].packSize'],
      ['InvalidConfig', 'd.layers[1].units'],
    ])
    expect(errorsOf(sequential([2, 3], [pack(2), flatten, dense(1)]))).toEqual([['ShapeMismatch', 'd.layers[0]']])
  })

  it('refuses a pack anywhere but first, inside another layer, in a generator, and in a labelled network', () => {
    expect(errorsOf(sequential([2], [dense(4), pack(2), dense(1)]))).toEqual([['InvalidConfig', 'd.layers[1]']])
    expect(errorsOf(sequential([4], [pack(2), pack(2), dense(1)]))).toEqual([['InvalidConfig', 'd.layers[1]']])
    expect(errorsOf(sequential([4], [residual([pack(1)]), dense(1)]))).toEqual([['InvalidConfig', 'd.layers[0].block[0]']])
    const labelled = withLabelInput(3)(packed(2)(mlp([2], [8], relu, 1)))
    const label = checkNetwork(labelled, 'discriminator')
    expect(E.isLeft(label) && label.left.map((e) => [e._tag, e.path, e.expected])).toEqual([
      ['InvalidConfig', 'discriminator.layers[0]', expect.stringContaining('label input')],
    ])
    const inGenerator = checkGan(gan({ generator: packed(2)(mlp([2], [8], relu, 2)), discriminator: mlp([2], [8], relu, 1) }))
    expect(E.isLeft(inGenerator) && inGenerator.left.map((e) => [e._tag, e.path, e.expected])).toEqual([
      ['InvalidConfig', 'generator.layers[0]', expect.stringContaining('generator')],
    ])
  })
})

/** A vanilla MLP GAN on 2-D points whose discriminator judges packs of `packSize`. */
const packedGan = (packSize: number, penalties: ReadonlyArray<Penalty> = []) =>
  compileOrThrow(
    gan({
      generator: mlp([2], [16, 16], relu, 2),
      discriminator: packed(packSize)(mlp([2], [16, 16], leakyRelu(0.2), 1)),
      latent: normalLatent(2),
      penalties,
    }),
  )

describe('a packed discriminator in training', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('refuses a batch size k does not divide at trainer creation, naming both', () => {
    const r = createTrainer(packedGan(4), ring(), { seed: 1, batchSize: 30 })
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.actual])).toEqual([['InvalidConfig', 'batchSize', '30']])
    expect(E.isLeft(r) && r.left[0]!.expected).toContain('multiple of 4')
  })

  it('discriminate gives one score a pack, and refuses a count k does not divide', async () => {
    const trainer = createTrainerOrThrow(packedGan(4), ring(), { seed: 1, batchSize: 32 })
    expect((await trainer.discriminateOrThrow(new Float32Array(8 * 2))).length).toBe(2)
    const bad = await trainer.discriminate(new Float32Array(6 * 2))
    expect(E.isLeft(bad) && bad.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'examples.length']])
    trainer.dispose()
  })

  it('estimates the activations after the pack per pack', () => {
    const estimate = estimateMemory(packedGan(4), 32)
    const elements = (path: string) => estimate.contributors.find((c) => c.path === path)?.elements
    expect(elements('discriminator.layers[0]')).toBe(32 * 2) // 8 packs of 4 · 2
    expect(elements('discriminator.layers[1]')).toBe(8 * 16)
    expect(elements('generator.layers[0]')).toBe(32 * 16)
  })

  it('penalises the gradient norm per pack: R1 of a linear packed D is γ/2·‖w‖², GP is λ(‖w‖ − 1)²', async () => {
    const D = compiled(sequential([2], [pack(2), dense(1, { useBias: false })]))
    const params = { 'layers[1].kernel': tf.tensor([[1], [2], [2], [4]]) } // ‖w‖ = 5 over the pack
    const inputs = { real: tf.tensor([[1, 2], [-1, 0.5], [0, 0], [3, 1]]), fake: tf.zeros([4, 2]), epsilon: tf.tensor1d([0.3, 0.9, 0.5, 0.1]), seed: 1 }
    const value = async (t: () => Tensor) => {
      const v = tf.tidy(t)
      const n = (await v.data())[0]!
      v.dispose()
      return n
    }
    expect(await value(() => penaltyValue(r1({ gamma: 2 }), D, params, inputs))).toBeCloseTo(25, 4)
    expect(await value(() => penaltyValue(gradientPenalty({ weight: 1 }), D, params, inputs))).toBeCloseTo(16, 3)
    tf.dispose([...Object.values(params), inputs.real, inputs.fake, inputs.epsilon])
  })

  it('trains 50 steps leak-free and deterministically, with R1 and WGAN-GP finite too', async () => {
    const before = liveTensorCount()
    const run = async () => {
      const trainer = createTrainerOrThrow(packedGan(4), ring(), { seed: 7, batchSize: 32 })
      const counts = new Map<number, number>()
      const reports: Array<StepReport> = []
      for await (const r of trainer.runOrThrow({ steps: 50 })) {
        reports.push(r)
        if (r.step === 10 || r.step === 50) counts.set(r.step, liveTensorCount())
      }
      trainer.dispose()
      return { counts, reports }
    }
    const first = await run()
    expect(first.counts.get(50)).toBe(first.counts.get(10))
    expect(first.reports.every((r) => Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss))).toBe(true)
    const second = await run()
    expect(second.reports).toEqual(first.reports)
    expect(liveTensorCount()).toBe(before)
    for (const penalty of [r1(), gradientPenalty()]) {
      const trainer = createTrainerOrThrow(packedGan(2, [penalty]), ring(), { seed: 2, batchSize: 16 })
      for await (const r of trainer.runOrThrow({ steps: 3 })) expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.discriminatorPenalty)).toBe(true)
      trainer.dispose()
    }
    expect(liveTensorCount()).toBe(before)
  })
})

describe('packed discriminator gradients against finite differences (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('over features: pack(2) → dense → tanh → dense', async () => {
    expect(await checkGradients([3], [pack(2), dense(4), tanh, dense(1)], { batch: 4 })).toBeLessThan(gradientTolerance)
  })

  it('over channels: pack(2) → conv2d → tanh → flatten → dense', async () => {
    expect(await checkGradients([3, 3, 1], [pack(2), conv2d(2, 2), tanh, flatten, dense(1)], { batch: 4 })).toBeLessThan(gradientTolerance)
  })
})
