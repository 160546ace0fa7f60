// Conditional batch norm: forward values against hand computations (training and inference, rank 1
// and rank 3), batch norm's statistics and state, gradients against finite differences (also
// through a gradient penalty), shape errors with paths, a conditional GAN that trains leak-free and
// deterministically, and the cgan zoo's option.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf, type Tensor } from '../src/compile/tf.ts'
import {
  adam,
  alternating,
  batchNorm,
  cganGan,
  checkNetwork,
  compileOrThrow,
  concat,
  conditionalBatchNorm,
  createTrainerOrThrow,
  dense,
  embedding,
  flatten,
  fromLabel,
  gan,
  gradientPenalty,
  labelledMixtureDataset,
  leakyRelu,
  normalLatent,
  projection,
  relu,
  reshape,
  ringMixture,
  Rng,
  sequential,
  useBackend,
  withLabelInput,
  type Layer,
  type Params,
} from '../src/index.ts'
import { compileNetwork, type CompiledNetwork } from '../src/compile/network.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'
import { checkPenaltyGradients } from './support/penalty-check.ts'
import { stepReports as run } from './support/reports.ts'

const network = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>, classes = 2): CompiledNetwork => {
  const checked = checkNetwork(withLabelInput(classes)(sequential(inputShape, layers)), 'net')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}

const expectClose = (actual: ArrayLike<number>, expected: ReadonlyArray<number>, tolerance = 1e-5): void => {
  expect(actual.length).toBe(expected.length)
  expected.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThan(tolerance))
}

const values = async (t: Tensor): Promise<Array<number>> => Array.from(await t.data())

// Two features whose batch statistics are easy: means [4, 3], (biased) variances [5, 5].
const x4 = [1, 2, 3, 6, 5, 4, 7, 0]
const centered = [-3, -1, -1, 3, 1, 1, 3, -3]
const labels4 = [0, 1, 0, 1]
const gammaTable = [2, 0.5, -1, 3] // class 0: [2, 0.5]; class 1: [-1, 3]
const betaTable = [0.1, 0.2, 1, -1]
/** γ[label]·x̂ + β[label] for rows of two channels, x̂ given. */
const modulated = (normalised: ReadonlyArray<number>, labelOfRow: (row: number) => number): Array<number> =>
  normalised.map((v, i) => {
    const k = labelOfRow(Math.floor(i / 2)) * 2 + (i % 2)
    return gammaTable[k]! * v + betaTable[k]!
  })

const withTables = (params: Params, local: string): Params => ({
  ...params,
  [`${local}.gamma`]: tf.tensor2d(gammaTable, [2, 2]),
  [`${local}.beta`]: tf.tensor2d(betaTable, [2, 2]),
})

describe('conditionalBatchNorm', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('has batch norm’s state and a [classes, channels] table per affine, initialised to 1 and 0', async () => {
    const net = network([2], [conditionalBatchNorm()], 3)
    expect(net.paramSpecs.map((s) => [s.path, s.shape, s.trainable])).toEqual([
      ['layers[0].gamma', [3, 2], true],
      ['layers[0].beta', [3, 2], true],
      ['layers[0].movingMean', [2], false],
      ['layers[0].movingVariance', [2], false],
    ])
    const params = net.init(1)
    expect(await values(params['layers[0].gamma']!)).toEqual([1, 1, 1, 1, 1, 1])
    expect(await values(params['layers[0].beta']!)).toEqual([0, 0, 0, 0, 0, 0])
    net.dispose(params)
  })

  it('training: batch statistics, then each example’s class row; moving averages updated with its momentum', async () => {
    const net = network([2], [conditionalBatchNorm({ momentum: 0.9 })])
    const params = withTables(net.init(1), 'layers[0]')
    const x = tf.tensor2d(x4, [4, 2])
    const labels = tf.tensor1d(labels4, 'int32')
    const { output, stateUpdates } = net.forward(params, x, { training: true }, labels)
    const r = 1 / Math.sqrt(5 + 1e-3)
    expectClose(await values(output), modulated(centered.map((c) => c * r), (row) => labels4[row]!))
    // 0.9·old + 0.1·batch, from the initial mean 0 and variance 1.
    expectClose(await values(stateUpdates['layers[0].movingMean']!), [0.4, 0.3])
    expectClose(await values(stateUpdates['layers[0].movingVariance']!), [1.4, 1.4])
    tf.dispose([x, labels, output, ...Object.values(stateUpdates), ...Object.values(params)])
  })

  it('inference: the moving statistics, then each example’s class row; no state updates', async () => {
    const net = network([2], [conditionalBatchNorm()])
    const params = {
      ...withTables(net.init(1), 'layers[0]'),
      'layers[0].movingMean': tf.tensor1d([1, 2]),
      'layers[0].movingVariance': tf.tensor1d([4, 0.25]),
    }
    const x = tf.tensor2d(x4, [4, 2])
    const labels = tf.tensor1d([1, 1, 0, 1], 'int32')
    const { output, stateUpdates } = net.forward(params, x, { training: false }, labels)
    const scale = [1 / Math.sqrt(4 + 1e-3), 1 / Math.sqrt(0.25 + 1e-3)]
    const normalised = x4.map((v, i) => (v - [1, 2][i % 2]!) * scale[i % 2]!)
    expectClose(await values(output), modulated(normalised, (row) => [1, 1, 0, 1][row]!))
    expect(Object.keys(stateUpdates)).toEqual([])
    tf.dispose([x, labels, output, ...Object.values(params)])
  })

  it('rank 3: statistics per channel over batch, height and width; one class row per example', async () => {
    const net = network([1, 2, 2], [conditionalBatchNorm()])
    const params = withTables(net.init(1), 'layers[0]')
    // The same eight numbers as [2, 1, 2, 2]: each channel's statistics are the rank-1 case's.
    const x = tf.tensor4d(x4, [2, 1, 2, 2])
    const labels = tf.tensor1d([0, 1], 'int32')
    const output = net.apply(params, x, { training: true }, labels)
    const r = 1 / Math.sqrt(5 + 1e-3)
    // Rows 0 and 1 (the two positions) are example 0's, rows 2 and 3 example 1's.
    expectClose(await values(output), modulated(centered.map((c) => c * r), (row) => (row < 2 ? 0 : 1)))
    expect(output.shape).toEqual([2, 1, 2, 2])
    tf.dispose([x, labels, output, ...Object.values(params)])
  })

  it('with every class row equal, is batch norm (fused activation and moving statistics included)', async () => {
    const layers = (norm: Layer): ReadonlyArray<Layer> => [dense(3), norm, leakyRelu(0.2), dense(2)]
    const conditional = network([4], layers(conditionalBatchNorm({ momentum: 0.8, epsilon: 1e-2 })))
    const plain = network([4], layers(batchNorm({ momentum: 0.8, epsilon: 1e-2 })))
    const rng = Rng.fromSeed(4)
    const gamma = rng.uniforms(3, 0.5, 2)
    const beta = rng.uniforms(3, -1, 1)
    const plainParams = { ...plain.init(2), 'layers[1].gamma': tf.tensor1d(gamma), 'layers[1].beta': tf.tensor1d(beta) }
    const base = conditional.init(2)
    const conditionalParams = {
      ...base,
      'layers[1].gamma': tf.tensor2d([...gamma, ...gamma], [2, 3]),
      'layers[1].beta': tf.tensor2d([...beta, ...beta], [2, 3]),
    }
    const x = tf.tensor2d(rng.uniforms(20, -1, 1), [5, 4])
    const labels = tf.tensor1d([0, 1, 1, 0, 1], 'int32')
    for (const training of [true, false]) {
      const a = conditional.forward(conditionalParams, x, { training }, labels)
      const b = plain.forward(plainParams, x, { training })
      expectClose(await values(a.output), await values(b.output))
      expect(Object.keys(a.stateUpdates).sort()).toEqual(Object.keys(b.stateUpdates).sort())
      for (const path of Object.keys(b.stateUpdates)) expectClose(await values(a.stateUpdates[path]!), await values(b.stateUpdates[path]!))
      tf.dispose([a.output, b.output, ...Object.values(a.stateUpdates), ...Object.values(b.stateUpdates)])
    }
    tf.dispose([x, labels, ...Object.values(plainParams), ...Object.values(base), conditionalParams['layers[1].gamma'], conditionalParams['layers[1].beta']])
  })

  const gradientCases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>, boolean]> = [
    ['training: batch statistics', [4], [dense(3), conditionalBatchNorm()], true],
    ['inference: moving statistics', [4], [dense(3), conditionalBatchNorm()], false],
    ['a fused leaky ReLU (training)', [4], [dense(3), conditionalBatchNorm(), leakyRelu(0.2), dense(2)], true],
    ['rank 3, per channel (training)', [6], [reshape([1, 2, 3]), conditionalBatchNorm(), flatten, dense(2)], true],
  ]
  for (const [name, shape, layers, training] of gradientCases)
    it(`gradients against finite differences: ${name}`, async () => {
      expect(await checkGradients(shape, layers, { training, batch: 4, labelClasses: 2 })).toBeLessThan(gradientTolerance)
    })

  it('gradients of the input and both tables, with tables away from 1 and 0, against finite differences', async () => {
    const net = network([2], [conditionalBatchNorm()])
    const rng = Rng.fromSeed(9)
    const params = withTables(net.init(1), 'layers[0]')
    const xValues = rng.uniforms(8, -1, 1)
    const weights = tf.tensor2d(rng.uniforms(8, -1, 1), [4, 2])
    const labels = tf.tensor1d(labels4, 'int32')
    const objective = (x: Tensor, gamma: Tensor, beta: Tensor): Tensor =>
      tf.sum(tf.mul(net.apply({ ...params, 'layers[0].gamma': gamma, 'layers[0].beta': beta }, x, { training: true }, labels), weights))
    const inputs = [tf.tensor2d(xValues, [4, 2]), params['layers[0].gamma']!, params['layers[0].beta']!] as const
    const analytic = tf.grads((x: Tensor, g: Tensor, b: Tensor) => objective(x, g, b))([...inputs])
    const epsilon = 1e-2
    let worst = 0
    for (const [k, input] of inputs.entries()) {
      const base = (await input.data()) as Float32Array
      const gradient = await analytic[k]!.data()
      for (let i = 0; i < base.length; i++) {
        const at = async (delta: number): Promise<number> => {
          const shifted = base.slice()
          shifted[i]! += delta
          const moved = inputs.map((t, j) => (j === k ? tf.tensor(shifted, t.shape) : t)) as [Tensor, Tensor, Tensor]
          const v = tf.tidy(() => objective(...moved))
          const value = (await v.data())[0]!
          tf.dispose([v, moved[k]])
          return value
        }
        const numeric = ((await at(epsilon)) - (await at(-epsilon))) / (2 * epsilon)
        worst = Math.max(worst, Math.abs(gradient[i]! - numeric) / Math.max(1, Math.abs(numeric)))
      }
    }
    expect(worst).toBeLessThan(gradientTolerance)
    tf.dispose([weights, labels, inputs[0], ...analytic, ...Object.values(params)])
  })

  it('a gradient penalty through it matches double finite differences', async () => {
    const layers = [dense(3), conditionalBatchNorm(), leakyRelu(0.2), dense(1)]
    const { worst, checked } = await checkPenaltyGradients([4], layers, gradientPenalty(), { labelClasses: 2, batch: 4 })
    expect(checked).toBeGreaterThan(15)
    expect(worst).toBeLessThan(1e-2)
  })

  it('refuses a network without a label input, a rank-2 input and bad options, each at its path', () => {
    const unlabelled = checkNetwork(sequential([4], [dense(3), conditionalBatchNorm()]), 'g')
    expect(E.isLeft(unlabelled) && unlabelled.left.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'g.layers[1]']])
    const rank2 = checkNetwork(withLabelInput(2)(sequential([4], [reshape([2, 2]), conditionalBatchNorm(), flatten])), 'g')
    expect(E.isLeft(rank2) && rank2.left.map((e) => [e._tag, e.path, e.actual])).toEqual([['ShapeMismatch', 'g.layers[1]', 'input [2, 2]']])
    const everything = checkNetwork(sequential([2, 2], [conditionalBatchNorm({ momentum: 1, epsilon: 0 }), flatten, dense(1)]), 'd')
    expect(E.isLeft(everything) && everything.left.map((e) => e.path)).toEqual(['d.layers[0].momentum', 'd.layers[0].epsilon', 'd.layers[0]', 'd.layers[0]'])
  })

  it('trains a tiny conditional GAN leak-free (live tensors equal at steps 10 and 30) and deterministically', async () => {
    const spec = gan({
      generator: withLabelInput(8)(
        sequential([4], [concat([[], fromLabel([embedding(8, 4)])]), dense(16), conditionalBatchNorm(), relu, dense(2)]),
      ),
      discriminator: withLabelInput(8)(sequential([2], [dense(16), leakyRelu(0.2), projection])),
      latent: normalLatent(4),
      schedule: alternating({ generatorAverageDecay: 0.9 }),
      optimizers: { generator: adam({ learningRate: 1e-3, beta1: 0.5 }), discriminator: adam({ learningRate: 1e-3, beta1: 0.5 }) },
    })
    const compiled = compileOrThrow(spec)
    const data = labelledMixtureDataset(ringMixture)
    const trainer = createTrainerOrThrow(compiled, data, { seed: 4, batchSize: 16 })
    const first = await run(trainer, 10)
    const at10 = tf.memory().numTensors
    await run(trainer, 20)
    const samples = await trainer.sampleOrThrow(8, { seed: 1, labels: 3 })
    expect(tf.memory().numTensors).toBe(at10)
    expect(samples.every(Number.isFinite)).toBe(true)
    const again = createTrainerOrThrow(compiled, data, { seed: 4, batchSize: 16 })
    expect(await run(again, 10)).toEqual(first)
    trainer.dispose()
    again.dispose()
  })

  it('cganGan: generatorNorm "conditional" compiles with class tables; the default keeps today’s parameters', () => {
    const options = { width: 2, latentDim: 8, embeddingDim: 4, labelIn: 'both', learningRate: 1e-3, beta1: 0.5, generatorAverageDecay: undefined } as const
    const specs = (norm?: 'batch' | 'conditional') =>
      compileOrThrow(cganGan(norm === undefined ? options : { ...options, generatorNorm: norm })).generator.paramSpecs.map((s) => [s.path, s.shape, s.trainable])
    const norms = (classes: ReadonlyArray<number>) => (at: number, channels: number) => [
      [`layers[${at}].gamma`, [...classes, channels], true],
      [`layers[${at}].beta`, [...classes, channels], true],
      [`layers[${at}].movingMean`, [channels], false],
      [`layers[${at}].movingVariance`, [channels], false],
    ]
    const generator = (norm: (at: number, channels: number) => ReadonlyArray<unknown>) => [
      ['layers[0].branches[1].layers[0].embeddings', [10, 4], true],
      ['layers[1].kernel', [12, 392], true],
      ...norm(2, 392),
      ['layers[5].kernel', [5, 5, 4, 8], true],
      ...norm(6, 4),
      ['layers[8].kernel', [5, 5, 2, 4], true],
      ...norm(9, 2),
      ['layers[11].kernel', [5, 5, 1, 2], true],
      ['layers[11].bias', [1], true],
    ]
    expect(specs()).toEqual(generator(norms([])))
    expect(specs('batch')).toEqual(generator(norms([])))
    expect(specs('conditional')).toEqual(generator(norms([10])))
  })
})
