// The WebGPU path, exercised where the runtime has navigator.gpu (Deno; on a CPU-only Linux machine
// through Mesa's lavapipe). Elsewhere it skips and says so; in CI (CI=true) under Deno a missing
// WebGPU is a failure, since CI installs lavapipe.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import {
  compileOrThrow,
  createTrainerOrThrow,
  liveTensorCount,
  readParams,
  ring,
  useBackend,
  Rng,
  avgPool,
  batchNorm,
  conv2d,
  conv2dTranspose,
  dense,
  gradientPenalty,
  leakyRelu,
  r1,
  tanh,
  upsample,
  concat,
  embedding,
  flatten,
  fromLabel,
  oneHot,
  pixelShuffle,
  prelu,
  projection,
  residual,
  tileSpatial,
  type CompiledGan,
  type Layer,
  watchDeviceWork,
  fromSampler,
  defineRecipe,
  configCodec,
  gan,
  mlp,
  relu,
  sgd,
} from '../src/index.ts'
import { startRunOrThrow } from '../src/node.ts'
import { dropout as dropoutMasked } from '../src/compile/dropout-mask.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'
import { checkPenaltyGradients, penalisedDiscriminators } from './support/penalty-check.ts'
import { vanillaGan } from '../recipes/vanilla.ts'
import { runtime } from './support/runtime.ts'

const hasGpu = typeof navigator !== 'undefined' && (navigator as { gpu?: unknown }).gpu !== undefined
const inCi = process.env['CI'] === 'true'

if (!hasGpu)
  console.warn(
    `\n*** WebGPU tests SKIPPED: ${runtime} has no navigator.gpu here.` +
      (runtime === 'deno' ? ' Install mesa-vulkan-drivers (lavapipe) and set XDG_RUNTIME_DIR. ***\n' : ' They run under Deno. ***\n'),
  )

describe('webgpu availability in CI', () => {
  it.skipIf(!(runtime === 'deno' && inCi))('Deno in CI has navigator.gpu (lavapipe installed by .ci/run)', () => {
    expect(hasGpu).toBe(true)
  })
})

const forwardOn = async (
  backend: 'cpu' | 'webgpu',
  compiled: CompiledGan,
  paramValues: Record<string, Float32Array>,
  input: Float32Array,
): Promise<Float32Array> => {
  await useBackend(backend)
  const params = Object.fromEntries(
    compiled.generator.paramSpecs.map((s) => [s.path, tf.tensor(paramValues[s.path]!, [...s.shape])]),
  )
  const out = tf.tidy(() => compiled.generator.apply(params, tf.tensor(input, [input.length / 4, 4]), { training: false }))
  const values = (await out.data()) as Float32Array
  out.dispose()
  compiled.generator.dispose(params)
  return values
}

describe.skipIf(!hasGpu)('webgpu backend', () => {
  afterAll(async () => {
    await useBackend('cpu')
  })

  it('activates', async () => {
    const r = await useBackend('webgpu')
    expect(r).toEqual({ _tag: 'Right', right: { name: 'webgpu', reason: 'requested' } })
  })

  it('trains the vanilla GAN: finite losses, no leaks', async () => {
    await useBackend('webgpu')
    const compiled = compileOrThrow(vanillaGan({ width: 32, latentDim: 2, learningRate: 1e-3 }))
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 64 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 60 })) {
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true)
      if (r.step === 10 || r.step === 60) counts.set(r.step, liveTensorCount())
    }
    expect(counts.get(60)).toBe(counts.get(10))
    const samples = await trainer.sampleOrThrow(16)
    expect(Array.from(samples).every(Number.isFinite)).toBe(true)
    trainer.dispose()
  }, 300_000)

  it('reports the numbers the cpu backend reports for the same run (within 1e-3)', async () => {
    const compiled = compileOrThrow(vanillaGan({ width: 16, latentDim: 2, learningRate: 1e-3 }))
    const reports = async (backend: 'cpu' | 'webgpu') => {
      await useBackend(backend)
      const trainer = createTrainerOrThrow(compiled, ring(), { seed: 5, batchSize: 32 })
      const out: Array<number> = []
      for await (const r of trainer.runOrThrow({ steps: 3 }))
        out.push(r.discriminatorLoss, r.generatorLoss, r.realScore, r.fakeScore, r.discriminatorGradientNorm, r.generatorGradientNorm)
      trainer.dispose()
      return out
    }
    const onCpu = await reports('cpu')
    const onGpu = await reports('webgpu')
    expect(onCpu.every((v) => v > 0)).toBe(true)
    onGpu.forEach((v, i) => expect(Math.abs(v - onCpu[i]!)).toBeLessThan(1e-3))
  }, 300_000)

  it('is deterministic: the same seed gives the same losses', async () => {
    await useBackend('webgpu')
    const compiled = compileOrThrow(vanillaGan({ width: 16, latentDim: 2, learningRate: 1e-3 }))
    const losses = async () => {
      const trainer = createTrainerOrThrow(compiled, ring(), { seed: 5, batchSize: 32 })
      const out: Array<number> = []
      for await (const r of trainer.runOrThrow({ steps: 5 })) out.push(r.discriminatorLoss, r.generatorLoss)
      trainer.dispose()
      return out
    }
    expect(await losses()).toEqual(await losses())
  }, 300_000)

  it('computes layer gradients that match finite differences', async () => {
    await useBackend('webgpu')
    const cases: ReadonlyArray<readonly [ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean }?]> = [
      [[4], [dense(3), tanh]],
      [[4], [dense(3), leakyRelu(0.2)]],
      [[4], [dense(3), batchNorm()], { training: true }],
      [[4, 4, 2], [conv2d(3, 3, { stride: 2 })]],
      [[2, 2, 3], [conv2dTranspose(2, 3, { stride: 2 })]],
      [[2, 2, 2], [conv2d(2, 1), upsample(2)]],
      [[4, 4, 2], [conv2d(2, 1), avgPool(2)]],
    ]
    for (const [shape, layers, options] of cases)
      expect(await checkGradients(shape, layers, options)).toBeLessThan(gradientTolerance)
  }, 300_000)

  it('computes the graph layers\' gradients (residual, concat with a label, pixel shuffle, PReLU, projection) like finite differences', async () => {
    await useBackend('webgpu')
    const cases: ReadonlyArray<readonly [ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean; labelClasses?: number; epsilon?: number }?]> = [
      [[4], [residual([dense(4), tanh]), dense(2)]],
      [[3, 3, 2], [conv2d(8, 3), pixelShuffle(2), prelu({ initialAlpha: 0.1 }), flatten, dense(2)], { epsilon: 1e-3 }],
      [[4, 4, 1], [concat([[], fromLabel([oneHot(3), tileSpatial(4, 4)])]), conv2d(2, 3), flatten, dense(1)], { labelClasses: 3 }],
      [[5], [concat([[dense(3)], fromLabel([embedding(3, 2)])]), tanh, projection], { labelClasses: 3 }],
    ]
    for (const [shape, layers, options] of cases)
      expect(await checkGradients(shape, layers, { batch: 4, ...options })).toBeLessThan(gradientTolerance)
  }, 300_000)

  it('differentiates gradient penalties twice, matching finite differences', async () => {
    await useBackend('webgpu')
    const discriminators = await penalisedDiscriminators()
    for (const name of ['MLP (leaky ReLU, tanh)', 'MLP (sigmoid, ReLU)', 'convolutions (stride 1, two channels, valid padding, sigmoid)']) {
      const [shape, layers] = discriminators[name]!
      for (const penalty of [gradientPenalty(), r1()]) {
        const { worst, checked, skipped } = await checkPenaltyGradients(shape, layers, penalty)
        expect({ name, ok: worst < 1e-2 }).toEqual({ name, ok: true })
        expect(skipped).toBeLessThanOrEqual(checked * 0.05)
      }
    }
  }, 600_000)

  it('gives the same forward output as cpu for the same initial parameters (within 1e-4)', async () => {
    const compiled = compileOrThrow(vanillaGan({ width: 32, latentDim: 4, learningRate: 1e-3 }))
    await useBackend('cpu')
    const params = compiled.generator.init(42)
    const values = await readParams(params)
    compiled.generator.dispose(params)
    const input = Rng.fromSeed(9).normals(64 * 4)
    const onCpu = await forwardOn('cpu', compiled, values, input)
    const onGpu = await forwardOn('webgpu', compiled, values, input)
    let worst = 0
    for (let i = 0; i < onCpu.length; i++) worst = Math.max(worst, Math.abs(onCpu[i]! - onGpu[i]!))
    expect(worst).toBeLessThan(1e-4)
  }, 300_000)

  it("makes dropout masks on the device: the rate's share zeroed, the rest scaled, the same for a seed, nothing uploaded", async () => {
    await useBackend('webgpu')
    const rate = 0.3
    const watch = watchDeviceWork()
    const x = tf.fill([64, 14, 14, 16], 1)
    const masked = async (seed: number) => {
      const y = dropoutMasked(x, rate, seed)
      const values = (await y.data()) as Float32Array
      y.dispose()
      return values
    }
    const a = await masked(11)
    const counts = watch.counts()
    watch.stop()
    // The mask is 200,704 floats: none of it crossed to the device (the seed and rate ride in the
    // shader's uniforms).
    expect(counts.uploadBytes).toBeLessThan(1000)
    const zeros = a.filter((v) => v === 0).length / a.length
    expect(Math.abs(zeros - rate)).toBeLessThan(0.005)
    expect(a.every((v) => v === 0 || Math.abs(v - 1 / (1 - rate)) < 1e-6)).toBe(true)
    expect(await masked(11)).toEqual(a)
    const b = await masked(12)
    const agree = a.filter((v, i) => (v === 0) === (b[i] === 0)).length / a.length
    // Independent masks agree where both drop or both keep: 0.3² + 0.7² = 0.58.
    expect(Math.abs(agree - 0.58)).toBeLessThan(0.01)
    // Neighbours are independent too: P(both zero) ≈ rate².
    let bothZero = 0
    for (let i = 1; i < a.length; i++) if (a[i] === 0 && a[i - 1] === 0) bothZero++
    expect(Math.abs(bothZero / (a.length - 1) - rate * rate)).toBeLessThan(0.005)
    x.dispose()
  }, 120_000)

  it('keeps the reports on the device between reads: 0 readbacks and 0 new pipelines per queued step after warm-up', async () => {
    await useBackend('webgpu')
    const trainer = createTrainerOrThrow(compileOrThrow(vanillaGan({ width: 32, latentDim: 2, learningRate: 1e-3 })), ring(), { seed: 1, batchSize: 64 })
    for (let i = 0; i < 3; i++) await trainer.queueStepOrThrow()
    await trainer.readQueuedReportsOrThrow()
    const watch = watchDeviceWork()
    for (let i = 0; i < 10; i++) await trainer.queueStepOrThrow()
    const between = watch.counts()
    const reports = await trainer.readQueuedReportsOrThrow()
    const after = watch.counts()
    watch.stop()
    expect(between.readbacks).toBe(0)
    expect(between.pipelines).toBe(0)
    expect(between.dispatches).toBeGreaterThan(0)
    expect(after.readbacks).toBe(1)
    expect(reports.map((r) => r.step)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    expect(reports.every((r) => Number.isFinite(r.discriminatorLoss))).toBe(true)
    trainer.dispose()
  }, 300_000)

  it('raises the health alarms with deferred reads, at most log-every − 1 steps late', async () => {
    // SGD with a learning rate of 1000 on data far from the start: the weights grow a thousandfold
    // a step and overflow float32 at step 3, between reads (the run reads at steps 1, 5, 10, …).
    const recipe = defineRecipe({
      name: 'exploding',
      description: 'an MLP GAN with a learning rate that overflows float32',
      config: configCodec({}),
      runDefaults: { batch: 16 },
      build: () =>
        gan({
          generator: mlp([2], [16], relu, 2),
          discriminator: mlp([2], [16], relu, 1),
          optimizers: { generator: sgd({ learningRate: 1e3 }), discriminator: sgd({ learningRate: 1e3 }) },
        }),
      data: () => fromSampler('far', [2], (n, rng) => rng.normals(n * 2, 5, 0.01)),
      render: () => new Uint8Array(0),
    })
    const out = mkdtempSync(join(tmpdir(), 'ganfp-webgpu-alarm-'))
    try {
      const alarms: Array<{ step: number; fatal: boolean; kind: string }> = []
      const summary = await startRunOrThrow(recipe, 'builtin:jumping', ['--out', out, '--steps', '40', '--log-every', '5', '--backend', 'webgpu'], {
        alarm: (a) => alarms.push(a),
      })
      if (summary === 'help') throw new Error('unexpected help')
      const fatal = alarms.find((a) => a.fatal)!
      expect(summary.ended).toBe('non-finite')
      expect(fatal.kind).toBe('NonFinite')
      // The run noticed at the first read after the bad step: a multiple of log-every.
      console.log(`webgpu: non-finite at step ${fatal.step}, noticed at step ${summary.step}`)
      expect(fatal.step).toBeGreaterThan(1)
      expect(summary.step % 5).toBe(0)
      expect(summary.step - fatal.step).toBeGreaterThanOrEqual(0)
      expect(summary.step - fatal.step).toBeLessThan(5)
      const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; alarms: Array<{ kind: string }> })
      expect(rows.find((r) => r.step === fatal.step)?.alarms[0]?.kind).toBe('NonFinite')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 300_000)
})
