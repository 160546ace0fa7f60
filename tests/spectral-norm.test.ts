// Spectral normalisation (Miyato et al. 2018): σ against singular values computed by hand, one
// power iteration against its hand computation, gradients against finite differences, shape and
// configuration errors with paths, fusion as the inner layer's, u as state (updated in training
// only, in snapshots, resumed exactly) and no tensor leak.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  alternating,
  checkNetwork,
  compileOrThrow,
  conv2d,
  conv2dTranspose,
  createTrainerOrThrow,
  dense,
  flatten,
  gan,
  gradientPenalty,
  leakyRelu,
  liveTensorCount,
  readParams,
  relu,
  ring,
  sequential,
  sigmoid,
  spectralNorm,
  tanh,
  useBackend,
  type Layer,
} from '../src/index.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { tf } from '../src/compile/tf.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'
import { stepReports as runSteps } from './support/reports.ts'

const compiled = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>, fuse = true) => {
  const checked = checkNetwork(sequential(inputShape, layers), 'net')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right, { fuse })
}

const errorsOf = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>) => {
  const checked = checkNetwork(sequential(inputShape, layers), 'net')
  if (E.isRight(checked)) throw new Error('expected the network to be rejected')
  return checked.left.map((e) => [e._tag, e.path])
}

const values = async (t: tf.Tensor): Promise<Array<number>> => Array.from(await t.data())

const expectClose = (actual: ReadonlyArray<number>, expected: ReadonlyArray<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length)
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance))
}

// A dense kernel [fanIn = 2, out = 3]: W·Wᵀ = [[2, 1], [1, 2]] has eigenvalues 3 and 1, so the
// singular values of W are √3 and 1.
const W = [
  [1, 0, 1],
  [0, 1, 1],
]
const identity2 = [
  [1, 0],
  [0, 1],
]

/** The spectral-normalised dense layer with kernel W and stored u, run on the identity: its output is W / σ. */
const runDense = (u: ReadonlyArray<number>, mode: { readonly training: boolean }, powerIterations = 1) => {
  const net = compiled([2], [spectralNorm(dense(3, { useBias: false }), { powerIterations })])
  const initial = net.init(1)
  net.dispose(initial)
  const params = { 'layers[0].kernel': tf.tensor2d(W), 'layers[0].u': tf.tensor1d([...u]) }
  const x = tf.tensor2d(identity2)
  const result = net.forward(params, x, { ...mode, seed: 1 })
  return { net, params, x, result }
}

describe('spectral normalisation (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('divides the kernel by its largest singular value, given enough power iterations', async () => {
    const { params, x, result } = runDense([0.6, 0.8, 0], { training: true }, 50)
    expectClose(await values(result.output), W.flat().map((w) => w / Math.sqrt(3)))
    // u converges to the top singular direction of W (as [fanIn, out]): Wᵀ·(1, 1)/√2, normalised.
    expectClose(await values(result.stateUpdates['layers[0].u']!), [1, 1, 2].map((c) => c / Math.sqrt(6)))
    tf.dispose([x, result.output, ...Object.values(result.stateUpdates), ...Object.values(params)])
  })

  it('one power iteration from a known u: v = normalize(W u), u′ = normalize(Wᵀ v), σ = vᵀ W u′', async () => {
    // W u = (0.6, 0.8), already a unit vector: v = (0.6, 0.8). Wᵀ v = (0.6, 0.8, 1.4), of norm
    // √2.96: u′ = (0.6, 0.8, 1.4) / √2.96, and σ = vᵀ W u′ = ‖Wᵀ v‖ = √2.96.
    const { params, x, result } = runDense([0.6, 0.8, 0], { training: true })
    const norm = Math.sqrt(2.96)
    expectClose(await values(result.stateUpdates['layers[0].u']!), [0.6, 0.8, 1.4].map((c) => c / norm))
    expectClose(await values(result.output), W.flat().map((w) => w / norm))
    tf.dispose([x, result.output, ...Object.values(result.stateUpdates), ...Object.values(params)])
  })

  it('in inference σ = ‖W u‖ from the stored u, which is not updated', async () => {
    // u = (0, 0, 1): W u = (1, 1), σ = √2.
    const { params, x, result } = runDense([0, 0, 1], { training: false })
    expect(Object.keys(result.stateUpdates)).toEqual([])
    expectClose(await values(result.output), W.flat().map((w) => w / Math.SQRT2))
    tf.dispose([x, result.output, ...Object.values(params)])
  })

  it('normalises conv2d over [kh·kw·in, out] and conv2dTranspose over [kh·kw·in, out] (its axis 2 is out)', async () => {
    // Top singular value of M by power iteration on MᵀM in float64, for reference.
    const sigmaOf = (m: ReadonlyArray<ReadonlyArray<number>>): number => {
      const columns = m[0]!.length
      let u = Array.from({ length: columns }, (_, i) => 1 + i)
      for (let k = 0; k < 500; k++) {
        const mu = m.map((row) => row.reduce((s, w, j) => s + w * u[j]!, 0))
        const next = u.map((_, j) => m.reduce((s, row, i) => s + row[j]! * mu[i]!, 0))
        const n = Math.hypot(...next)
        u = next.map((c) => c / n)
      }
      return Math.hypot(...m.map((row) => row.reduce((s, w, j) => s + w * u[j]!, 0)))
    }
    for (const layer of [conv2d(3, 2), conv2dTranspose(3, 2)]) {
      const net = compiled([3, 3, 2], [spectralNorm(layer, { powerIterations: 100 })])
      const params = net.init(4)
      expect(net.paramSpecs.find((p) => p.path === 'layers[0].u')).toEqual({ path: 'layers[0].u', shape: [3], trainable: false, init: { _tag: 'UnitVector' } })
      const kernel = params['layers[0].kernel']!
      // [kh, kw, in, out] as is; [kh, kw, out, in] with its last two axes swapped.
      const asMatrix = layer._tag === 'Conv2d' ? kernel : tf.transpose(kernel, [0, 1, 3, 2])
      const m = (await tf.reshape(asMatrix, [-1, 3]).array()) as Array<Array<number>>
      const x = tf.zeros([1, 3, 3, 2])
      const { output, stateUpdates } = net.forward(params, x, { training: true })
      // With u converged, inference divides by ‖W u‖ = σ: σ times the normalised layer's output
      // is the plain layer's (its bias starts at 0).
      const probe = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 3)
      const plain = compiled([3, 3, 2], [layer]).apply(params, probe, { training: false })
      const normalised = net.apply({ ...params, ...stateUpdates }, probe, { training: false })
      const scaled = tf.mul(normalised, sigmaOf(m))
      expectClose(await values(scaled), await values(plain), 1e-4)
      tf.dispose([asMatrix, x, output, probe, plain, normalised, scaled, ...Object.values(stateUpdates)])
      net.dispose(params)
    }
  })

  it('rejects a layer without a kernel and a bad powerIterations, all at once, and checks the layers after it', () => {
    expect(errorsOf([3], [spectralNorm(relu, { powerIterations: 0 }), dense(0)])).toEqual([
      ['InvalidConfig', 'net.layers[0].layer'],
      ['InvalidConfig', 'net.layers[0].powerIterations'],
      ['InvalidConfig', 'net.layers[1].units'],
    ])
    expect(errorsOf([3], [spectralNorm(dense(0), { powerIterations: 1.5 })])).toEqual([
      ['InvalidConfig', 'net.layers[0].layer.units'],
      ['InvalidConfig', 'net.layers[0].powerIterations'],
    ])
    expect(errorsOf([3], [spectralNorm({ _tag: 'Dense2' } as unknown as Layer)])).toEqual([['UnknownLayer', 'net.layers[0].layer']])
    expect(errorsOf([3], [spectralNorm(spectralNorm(dense(2)))])).toEqual([['InvalidConfig', 'net.layers[0].layer']])
  })

  it('has the shapes of its inner layer, its parameters at their plain paths and u as state', () => {
    const layers = [conv2d(4, 3, { stride: 2 }), leakyRelu(0.2), conv2dTranspose(2, 3, { stride: 2 }), flatten, dense(1)]
    const shapes = (ls: ReadonlyArray<Layer>) => {
      const r = checkNetwork(sequential([8, 8, 1], ls), 'd')
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      return r.right.layers.map((l) => l.outputShape)
    }
    const normalised = layers.map((l) => (l._tag === 'LeakyRelu' || l._tag === 'Flatten' ? l : spectralNorm(l)))
    expect(shapes(normalised)).toEqual(shapes(layers))
    const net = compiled([8, 8, 1], normalised)
    expect(net.paramSpecs.map((p) => [p.path, p.shape, p.trainable])).toEqual([
      ['layers[0].kernel', [3, 3, 1, 4], true],
      ['layers[0].bias', [4], true],
      ['layers[0].u', [4], false],
      ['layers[2].kernel', [3, 3, 2, 4], true],
      ['layers[2].bias', [2], true],
      ['layers[2].u', [2], false],
      ['layers[4].kernel', [128, 1], true],
      ['layers[4].bias', [1], true],
      ['layers[4].u', [1], false],
    ])
  })

  it('starts u as a unit vector drawn from the init seed', async () => {
    const net = compiled([4], [spectralNorm(dense(5))])
    const [a, b, c] = [net.init(1), net.init(1), net.init(2)]
    const u = await values(a['layers[0].u']!)
    expect(Math.hypot(...u)).toBeCloseTo(1, 6)
    expect(await values(b['layers[0].u']!)).toEqual(u)
    expect(await values(c['layers[0].u']!)).not.toEqual(u)
    for (const p of [a, b, c]) net.dispose(p)
  })

  it('fuses a following activation exactly as its inner layer would', async () => {
    const kernels = async (layers: ReadonlyArray<Layer>, fuse: boolean) => {
      const net = compiled([4, 4, 1], layers, fuse)
      const params = net.init(1)
      const x = tf.zeros([2, 4, 4, 1])
      const profile = await tf.profile(() => {
        net.apply(params, x, { training: false }).dispose()
      })
      net.dispose(params)
      x.dispose()
      return profile.kernels.map((k) => k.name)
    }
    const fusable = [spectralNorm(conv2d(2, 3)), leakyRelu(0.2), flatten, spectralNorm(dense(3)), sigmoid]
    const fused = await kernels(fusable, true)
    expect(fused).toContain('FusedConv2D')
    expect(fused).toContain('_FusedMatMul')
    expect(fused).not.toContain('LeakyRelu')
    expect(fused).not.toContain('Sigmoid')
    expect(await kernels(fusable, false)).toContain('LeakyRelu')
    // A transposed convolution takes no activation: neither does its normalised form.
    expect(await kernels([spectralNorm(conv2dTranspose(2, 3)), relu], true)).toContain('Relu')
  })
})

for (const backend of ['cpu', 'wasm'] as const)
  describe(`spectral normalisation gradients against finite differences (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    // In inference u is fixed and v = normalize(W u), so σ = ‖W u‖; the layer's gradient holds u
    // and v constant, giving dσ/dW = v uᵀ, which is exactly the derivative of ‖W u‖ with u fixed.
    // Finite differences of the inference pass must therefore agree. (In training u itself is
    // recomputed from W, which the stop-gradient deliberately ignores, as torch does.)
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>]> = [
      ['dense', [4], [spectralNorm(dense(3))]],
      ['dense without bias', [4], [spectralNorm(dense(3, { useBias: false }))]],
      ['dense with a fused leaky ReLU', [4], [spectralNorm(dense(3)), leakyRelu(0.2), dense(2)]],
      ['conv2d', [4, 4, 2], [spectralNorm(conv2d(2, 3, { stride: 2 })), tanh, flatten, dense(2)]],
      ['conv2dTranspose', [2, 2, 2], [spectralNorm(conv2dTranspose(2, 3, { stride: 2 })), flatten, dense(2)]],
    ]
    for (const [name, shape, layers] of cases)
      it(name, async () => {
        expect(await checkGradients(shape, layers)).toBeLessThan(gradientTolerance)
      })
  })

/** A tiny GAN whose discriminator is spectrally normalised throughout. */
const spectralGan = (penalised = false) =>
  compileOrThrow(
    gan({
      generator: sequential([4], [dense(16), relu, dense(2)]),
      discriminator: sequential([2], [spectralNorm(dense(16)), leakyRelu(0.2), spectralNorm(dense(16), { powerIterations: 2 }), leakyRelu(0.2), spectralNorm(dense(1))]),
      schedule: alternating({ discriminatorStepsPerGeneratorStep: 2 }),
      ...(penalised ? { penalties: [gradientPenalty()] } : {}),
    }),
  )


describe('spectral normalisation in training', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('updates u in training steps only, and keeps it in the snapshot', async () => {
    const trainer = createTrainerOrThrow(spectralGan(), ring(), { seed: 3, batchSize: 16 })
    const u = async () => values(trainer.paramsOrThrow().discriminator['layers[0].u']!)
    const initial = await u()
    await trainer.discriminateOrThrow(new Float32Array(2 * 8))
    expect(await u()).toEqual(initial)
    await runSteps(trainer, 2)
    const trained = await u()
    expect(trained).not.toEqual(initial)
    expect(Math.hypot(...trained)).toBeCloseTo(1, 5)
    const snapshot = await trainer.snapshotOrThrow()
    expect(Array.from(snapshot.discriminator.params['layers[2].u']!.values)).toEqual(await values(trainer.paramsOrThrow().discriminator['layers[2].u']!))
    expect(snapshot.discriminator.params['layers[4].u']!.shape).toEqual([1])
    // State is not trained: the optimizer keeps no slots for it.
    expect(Object.keys(snapshot.discriminator.optimizerSlots).some((k) => k.includes('.u'))).toBe(false)
    trainer.dispose()
  })

  it('resumes exactly: snapshot at step k, restore, continue, bit-identical to the uninterrupted run', async () => {
    const options = { seed: 5, batchSize: 16 }
    const uninterrupted = createTrainerOrThrow(spectralGan(), ring(), options)
    const expected = await runSteps(uninterrupted, 12)
    const expectedParams = await readParams(uninterrupted.paramsOrThrow().discriminator)
    uninterrupted.dispose()

    const first = createTrainerOrThrow(spectralGan(), ring(), options)
    await runSteps(first, 5)
    const snapshot = await first.snapshotOrThrow()
    first.dispose()
    const resumed = createTrainerOrThrow(spectralGan(), ring(), { ...options, resumeFrom: snapshot })
    expect(await runSteps(resumed, 7)).toEqual(expected.slice(5))
    const params = await readParams(resumed.paramsOrThrow().discriminator)
    expect(Object.keys(params)).toEqual(Object.keys(expectedParams))
    for (const [path, v] of Object.entries(params)) expect({ path, values: Array.from(v) }).toEqual({ path, values: Array.from(expectedParams[path]!) })
    resumed.dispose()
  })

  it('trains with a gradient penalty through it (twice differentiable): finite losses', async () => {
    const trainer = createTrainerOrThrow(spectralGan(true), ring(), { seed: 2, batchSize: 16 })
    for (const r of await runSteps(trainer, 3)) expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true)
    trainer.dispose()
  })

  it('leaks no tensor: the live count after step 10 equals the count after step 300', async () => {
    const before = liveTensorCount()
    const trainer = createTrainerOrThrow(spectralGan(), ring(), { seed: 1, batchSize: 32 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 300 })) if (r.step === 10 || r.step === 300) counts.set(r.step, liveTensorCount())
    expect(counts.get(300)).toBe(counts.get(10))
    trainer.dispose()
    expect(liveTensorCount()).toBe(before)
  })
})
