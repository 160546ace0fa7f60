import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  GanException,
  alternating,
  batchNorm,
  compileOrThrow,
  createTrainer,
  createTrainerOrThrow,
  dense,
  dropout,
  fromSampler,
  gan,
  hinge,
  leakyRelu,
  leastSquares,
  liveTensorCount,
  relu,
  readParams,
  ring,
  sequential,
  useBackend,
  wasserstein,
  type StepReport,
} from '../src/index.ts'
import { tf } from '../src/compile/tf.ts'
import { trainSlantedLand } from '../recipes/slanted-land.ts'

/**
 * A small GAN that exercises every kind of state: batch-norm statistics, dropout, Adam slots and
 * the generator's moving average.
 */
const smallGan = () =>
  compileOrThrow(
    gan({
      generator: sequential([4], [dense(16), batchNorm(), relu, dense(2)]),
      discriminator: sequential([2], [dense(16), leakyRelu(0.2), dropout(0.2), dense(1)]),
      schedule: alternating({ generatorAverageDecay: 0.99 }),
    }),
  )

const collect = async (seed: number, steps: number): Promise<ReadonlyArray<StepReport>> => {
  const trainer = createTrainerOrThrow(smallGan(), ring(), { seed, batchSize: 32 })
  const reports: Array<StepReport> = []
  for await (const r of trainer.runOrThrow({ steps })) reports.push(r)
  trainer.dispose()
  return reports
}

describe('training loop', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('is leak-free: the live tensor count after step 10 equals the count after step 500', async () => {
    const before = liveTensorCount()
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 1, batchSize: 32 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 500 })) {
      if (r.step === 10 || r.step === 500) counts.set(r.step, liveTensorCount())
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true)
    }
    await trainer.sampleOrThrow(100)
    expect(counts.get(500)).toBe(counts.get(10))
    expect(liveTensorCount()).toBe(counts.get(500))
    trainer.dispose()
    expect(liveTensorCount()).toBe(before)
  })

  it('is leak-free with instance noise and two discriminator updates per step (noise on for the whole run)', async () => {
    const noisy = compileOrThrow(
      gan({
        generator: sequential([4], [dense(16), relu, dense(2)]),
        discriminator: sequential([2], [dense(16), leakyRelu(0.2), dense(1)]),
        schedule: alternating({ discriminatorStepsPerGeneratorStep: 2, instanceNoise: { std: 0.1, decaySteps: 10_000 } }),
      }),
    )
    const trainer = createTrainerOrThrow(noisy, ring(), { seed: 3, batchSize: 16 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 200 })) if (r.step === 10 || r.step === 200) counts.set(r.step, liveTensorCount())
    expect(counts.get(200)).toBe(counts.get(10))
    trainer.dispose()
  })

  it('is deterministic: the same seed gives the same losses, another seed different ones', async () => {
    const a = await collect(7, 20)
    const b = await collect(7, 20)
    const c = await collect(8, 20)
    expect(b).toEqual(a)
    expect(c.map((r) => r.generatorLoss)).not.toEqual(a.map((r) => r.generatorLoss))
  })

  it('reports the step, both losses and D scores as probabilities', async () => {
    const [first] = await collect(3, 1)
    expect(first!.step).toBe(1)
    expect(first!.realScore).toBeGreaterThan(0)
    expect(first!.realScore).toBeLessThan(1)
    expect(first!.fakeScore).toBeGreaterThan(0)
    expect(first!.fakeScore).toBeLessThan(1)
  })

  it('clips the critic to [−c, c] after every update under wasserstein({ weightClip }), and reports raw scores', async () => {
    const clip = 0.01
    const compiled = compileOrThrow(
      gan({
        generator: sequential([4], [dense(16), relu, dense(2)]),
        discriminator: sequential([2], [dense(16), leakyRelu(0.2), dense(1)]),
        loss: wasserstein({ weightClip: clip }),
      }),
    )
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 2, batchSize: 32 })
    const reports = []
    for (let i = 0; i < 3; i++) reports.push(await trainer.stepOrThrow())
    const values = (await Promise.all(compiled.discriminator.trainablePaths.map((p) => trainer.paramsOrThrow().discriminator[p]!.data()))).flatMap((v) => Array.from(v))
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(clip * (1 + 1e-6))
    // The clip is active: Glorot-initialised weights of a 2→16 layer exceed 0.01 by far.
    expect(values.filter((v) => Math.abs(Math.abs(v) - clip) < 1e-7).length).toBeGreaterThan(10)
    // A clipped critic's scores are tiny raw numbers, negative as well as positive, not probabilities near ½.
    expect(reports.every((r) => Number.isFinite(r.discriminatorLoss) && Math.abs(r.realScore) < 0.1)).toBe(true)
    trainer.dispose()
  })

  it('trains with least squares and hinge losses: finite losses, and the loss each defines', async () => {
    for (const loss of [leastSquares(), hinge()]) {
      const compiled = compileOrThrow(
        gan({ generator: sequential([4], [dense(16), relu, dense(2)]), discriminator: sequential([2], [dense(16), relu, dense(1)]), loss }),
      )
      const trainer = createTrainerOrThrow(compiled, ring(), { seed: 4, batchSize: 32 })
      const reports = []
      for (let i = 0; i < 5; i++) reports.push(await trainer.stepOrThrow())
      expect(reports.every((r) => [r.discriminatorLoss, r.generatorLoss].every(Number.isFinite))).toBe(true)
      // Both losses are ≥ 0 by construction for least squares; hinge's D loss is ≥ 0 too.
      expect(reports.every((r) => r.discriminatorLoss >= 0)).toBe(true)
      trainer.dispose()
    }
  })

  it('stops cleanly when its AbortSignal aborts', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 1, batchSize: 16 })
    const controller = new AbortController()
    let last = 0
    for await (const r of trainer.runOrThrow({ steps: 1000, signal: controller.signal })) {
      last = r.step
      if (r.step === 5) controller.abort()
    }
    expect(last).toBe(5)
    expect(trainer.stepCount()).toBe(5)
    trainer.dispose()
  })

  it('runs k discriminator updates per generator update', async () => {
    const spec = { ...smallGan().spec, schedule: alternating({ discriminatorStepsPerGeneratorStep: 3 }) }
    let batches = 0
    const counting = fromSampler('counting', [2], (n, rng) => {
      batches++
      return rng.normals(n * 2)
    })
    const trainer = createTrainerOrThrow(compileOrThrow(spec), counting, { seed: 1, batchSize: 8 })
    for await (const _ of trainer.runOrThrow({ steps: 4 }));
    expect(batches).toBe(12)
    trainer.dispose()
  })

  it('keeps a moving average of the generator, by hand, and samples from it', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 2, batchSize: 16 })
    const initial = await readParams(trainer.paramsOrThrow().generator)
    await trainer.stepOrThrow()
    const { generator, generatorAverage } = trainer.paramsOrThrow()
    const trained = await readParams(generator)
    const average = await readParams(generatorAverage!)
    // First update: decay = min(0.99, (1 + 0) / (10 + 0)) = 0.1.
    for (const path of Object.keys(initial))
      initial[path]!.forEach((v, i) => expect(average[path]![i]).toBeCloseTo(0.1 * v + 0.9 * trained[path]![i]!, 5))
    const latents = new Float32Array([0.5, -1, 2, 0.25])
    const fromAverage = tf.tidy(() =>
      trainer.compiled.generator.apply(generatorAverage!, tf.tensor(latents, [1, 4]), { training: false }),
    )
    expect(Array.from(await trainer.generateOrThrow(latents))).toEqual(Array.from(await fromAverage.data()))
    fromAverage.dispose()
    trainer.dispose()
  })

  it('rejects data of the wrong shape before training, naming the dataset', () => {
    const r = createTrainer(smallGan(), fromSampler('points3d', [3], (n) => new Float32Array(n * 3)), { seed: 1, batchSize: 8 })
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([['ShapeMismatch', 'data(points3d).exampleShape']])
    const bad = createTrainer(smallGan(), ring(), { seed: 1.5, batchSize: 0 })
    expect(E.isLeft(bad) && bad.left.map((e) => e.path)).toEqual(['batchSize', 'seed'])
  })

  it('returns InvalidData naming the batch and element when data holds a NaN; stepOrThrow throws it', async () => {
    const poisoned = fromSampler('poisoned', [2], (n) => new Float32Array(n * 2).fill(NaN, 5, 6))
    const before = liveTensorCount()
    const trainer = createTrainerOrThrow(smallGan(), poisoned, { seed: 1, batchSize: 8 })
    const result = await trainer.step()
    expect(E.isLeft(result) && result.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'data(poisoned).batch[0].values[5]']])
    const error = await trainer.stepOrThrow().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GanException)
    // The next batch is poisoned the same way, and still the first the run would use.
    expect((error as GanException).message).toBe(new GanException(E.isLeft(result) ? result.left : []).message)
    trainer.dispose()
    expect(liveTensorCount()).toBe(before)
  })

  it('keeps the live tensor count when a step fails on a bad batch after a discriminator update', async () => {
    const twice = { ...smallGan().spec, schedule: alternating({ discriminatorStepsPerGeneratorStep: 2 }) }
    let batches = 0
    // Every second batch has the wrong length: the second update of each step fails.
    const halfBad = fromSampler('half-bad', [2], (n, rng) => (++batches % 2 === 0 ? new Float32Array(n * 2 - 1) : rng.normals(n * 2)))
    const trainer = createTrainerOrThrow(compileOrThrow(twice), halfBad, { seed: 1, batchSize: 8 })
    const before = liveTensorCount()
    const result = await trainer.step()
    expect(E.isLeft(result) && result.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'data(half-bad).batch[1].values.length']])
    expect(batches).toBe(2)
    expect(liveTensorCount()).toBe(before)
    expect(trainer.stepCount()).toBe(0)
    trainer.dispose()
  })

  it('ends a run after its first Left, and runOrThrow throws it', async () => {
    let batches = 0
    const goneBad = fromSampler('gone-bad', [2], (n, rng) => (++batches > 2 ? new Float32Array(n * 2).fill(Infinity) : rng.normals(n * 2)))
    const trainer = createTrainerOrThrow(smallGan(), goneBad, { seed: 1, batchSize: 8 })
    const results = []
    for await (const r of trainer.run({ steps: 10 })) results.push(r)
    expect(results.map((r) => r._tag)).toEqual(['Right', 'Right', 'Left'])
    const last = results[2]!
    expect(E.isLeft(last) && last.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'data(gone-bad).batch[2].values[0]']])
    const steps: Array<number> = []
    const error = await (async () => {
      for await (const r of trainer.runOrThrow({ steps: 10 })) steps.push(r.step)
    })().catch((e: unknown) => e)
    expect(steps).toEqual([])
    expect(error).toBeInstanceOf(GanException)
    expect((error as GanException).errors.map((e) => e.path)).toEqual(['data(gone-bad).batch[2].values[0]'])
    trainer.dispose()
  })

  it('returns bad lengths and a disposed trainer as Lefts, and the twins throw them', async () => {
    const trainer = createTrainerOrThrow(smallGan(), ring(), { seed: 1, batchSize: 8 })
    const odd = await trainer.generate(new Float32Array(6))
    expect(E.isLeft(odd) && odd.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'latents.length']])
    const examples = await trainer.discriminate(new Float32Array(3))
    expect(E.isLeft(examples) && examples.left.map((e) => e.path)).toEqual(['examples.length'])
    const fractional = await trainer.sample(1.5)
    expect(E.isLeft(fractional) && fractional.left.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'n']])
    await expect(trainer.generateOrThrow(new Float32Array(6))).rejects.toThrow(new GanException(E.isLeft(odd) ? odd.left : []).message)
    trainer.dispose()
    const disposed = [await trainer.step(), await trainer.sample(2), await trainer.snapshot(), trainer.params()]
    for (const r of disposed) expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'trainer']])
    await expect(trainer.stepOrThrow()).rejects.toThrow(GanException)
    await expect(trainer.snapshotOrThrow()).rejects.toThrow(/a disposed trainer/)
    expect(() => trainer.paramsOrThrow()).toThrow(GanException)
  })

  it('meets protocol Q5 with the slanted-land recipe defaults', async () => {
    const result = await trainSlantedLand({ steps: 300, batch: 32, learningRate: 0.05, seed: 1 })
    expect(result.faceFraction).toBeGreaterThanOrEqual(0.95)
    expect(result.discriminatorAccuracy).toBeGreaterThanOrEqual(0.95)
  })
})
