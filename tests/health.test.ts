import * as E from 'fp-ts/lib/Either.js'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adam,
  compileOrThrow,
  createTrainerOrThrow,
  defaultHealthThresholds,
  configCodec,
  defineRecipe,
  dense,
  flag,
  fromSampler,
  gan,
  initialHealthState,
  leakyRelu,
  mlp,
  nonSaturating,
  observeSpread,
  observeStep,
  positiveNumberFlag,
  relu,
  sampleSpread,
  sequential,
  sgd,
  tanh,
  useBackend,
  wasserstein,
  type Alarm,
  type Dataset,
  type HealthState,
  type StepReport,
  type Trainer,
} from '../src/index.ts'
import { listCheckpointsOrThrow, readCheckpoint, startRunOrThrow } from '../src/node.ts'

/** Points around (5, 5): far from where a fresh generator puts its samples, and with almost no spread. */
const farPoint: Dataset = fromSampler('far-point', [2], (n, rng) => rng.normals(n * 2, 5, 0.01))

const trainWatching = async (
  trainer: Trainer,
  steps: number,
  thresholds = defaultHealthThresholds,
  spreadEvery = 0,
): Promise<ReadonlyArray<Alarm>> => {
  let state: HealthState = initialHealthState
  const alarms: Array<Alarm> = []
  const fixed = new Float32Array(64 * 2).map((_, i) => Math.sin(i * 12.9898) * 2)
  if (spreadEvery > 0) state = observeSpread(state, sampleSpread(await trainer.generateOrThrow(fixed), 64), 0, thresholds).state
  for await (const r of trainer.runOrThrow({ steps })) {
    const observed = observeStep(state, r, trainer.compiled.spec.loss, thresholds)
    state = observed.state
    alarms.push(...observed.alarms)
    if (spreadEvery > 0 && r.step % spreadEvery === 0) {
      const spread = observeSpread(state, sampleSpread(await trainer.generateOrThrow(fixed), 64), r.step, thresholds)
      state = spread.state
      alarms.push(...spread.alarms)
    }
  }
  return alarms
}

let directory = ''

describe('health alarms', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    directory = mkdtempSync(join(tmpdir(), 'ganfp-health-'))
  })
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  it('DiscriminatorWon: a generator that cannot learn against a fast discriminator', async () => {
    const compiled = compileOrThrow(
      gan({
        generator: mlp([2], [16], relu, 2),
        discriminator: mlp([2], [32], leakyRelu(0.2), 1),
        optimizers: { generator: sgd({ learningRate: 1e-9 }), discriminator: adam({ learningRate: 1e-2 }) },
      }),
    )
    const trainer = createTrainerOrThrow(compiled, farPoint, { seed: 1, batchSize: 32 })
    const alarms = await trainWatching(trainer, 150, { ...defaultHealthThresholds, wonSteps: 30 })
    trainer.dispose()
    expect(alarms.map((a) => a.kind)).toEqual(['DiscriminatorWon']) // raised once, not every step
    expect(alarms[0]!.message).toContain('for 30 steps')
    expect(alarms[0]!.fatal).toBe(false)
  })

  it('DiscriminatorWon stays quiet for a critic loss, whose scores have no 1 and 0', async () => {
    const compiled = compileOrThrow(
      gan({
        generator: mlp([2], [16], relu, 2),
        discriminator: mlp([2], [32], leakyRelu(0.2), 1),
        loss: wasserstein({ weightClip: 0.5 }),
        optimizers: { generator: sgd({ learningRate: 1e-9 }), discriminator: adam({ learningRate: 1e-2 }) },
      }),
    )
    const trainer = createTrainerOrThrow(compiled, farPoint, { seed: 1, batchSize: 32 })
    const alarms = await trainWatching(trainer, 80, { ...defaultHealthThresholds, wonSteps: 30 })
    trainer.dispose()
    expect(alarms.filter((a) => a.kind === 'DiscriminatorWon')).toEqual([])
  })

  it('Collapse: a tanh generator driven into saturation by data at one corner', async () => {
    const corner = fromSampler('corner', [2], (n) => new Float32Array(n * 2).fill(0.999))
    const compiled = compileOrThrow(
      gan({
        generator: sequential([2], [dense(16), relu, dense(2), tanh]),
        discriminator: mlp([2], [16], leakyRelu(0.2), 1),
        optimizers: { generator: adam({ learningRate: 1e-2 }), discriminator: adam({ learningRate: 1e-2 }) },
      }),
    )
    const trainer = createTrainerOrThrow(compiled, corner, { seed: 3, batchSize: 32 })
    const alarms = await trainWatching(trainer, 60, defaultHealthThresholds, 20)
    trainer.dispose()
    const collapse = alarms.find((a) => a.kind === 'Collapse')
    expect(collapse).toBeDefined()
    expect(collapse!.message).toMatch(/fell to \d+% of its peak/)
  })

  it('ExplodingGradients: data whose scale jumps a thousandfold mid-run', async () => {
    let drawn = 0
    const jumping = fromSampler('jumping', [2], (n, rng) => rng.normals(n * 2, 0, drawn++ < 100 ? 1 : 1000))
    const compiled = compileOrThrow(gan({ generator: mlp([2], [16], relu, 2), discriminator: mlp([2], [16], leakyRelu(0.2), 1) }))
    const trainer = createTrainerOrThrow(compiled, jumping, { seed: 1, batchSize: 32 })
    const alarms = await trainWatching(trainer, 110)
    trainer.dispose()
    const explosion = alarms.find((a) => a.kind === 'ExplodingGradients')
    expect(explosion).toBeDefined()
    expect(explosion!.step).toBeGreaterThan(100)
    expect(explosion!.message).toMatch(/discriminator gradient norm .* is \d+× its running average/)
  })

  it('NonFinite: the run stops, says where, keeps only good checkpoints and logs the alarm', async () => {
    const exploding = defineRecipe({
      name: 'exploding',
      description: 'an MLP GAN with a learning rate that overflows float32',
      config: configCodec({ lr: flag(positiveNumberFlag, 1e25, 'SGD learning rate') }),
      runDefaults: { batch: 16 },
      build: (config) =>
        gan({
          generator: mlp([2], [16], relu, 2),
          discriminator: mlp([2], [16], leakyRelu(0.2), 1),
          optimizers: { generator: sgd({ learningRate: config.lr }), discriminator: sgd({ learningRate: config.lr }) },
        }),
      data: () => farPoint,
      render: () => new Uint8Array(0),
    })
    const out = join(directory, 'non-finite')
    const alarms: Array<Alarm> = []
    const summary = await startRunOrThrow(exploding, 'builtin:exploding', ['--out', out, '--steps', '50', '--checkpoint-every', '1', '--backend', 'cpu'], {
      alarm: (a) => alarms.push(a),
    })
    if (summary === 'help') throw new Error('unexpected help')
    expect(summary.ended).toBe('non-finite')
    expect(summary.step).toBeLessThan(50)
    const fatal = alarms.find((a) => a.fatal)!
    expect(fatal.kind).toBe('NonFinite')
    expect(fatal.message).toMatch(/(loss|gradient norm) is (NaN|-?Infinity)|non-finite values in/)
    expect(fatal.message).toMatch(/(generator|discriminator)\.params\.layers\[\d\]\.(kernel|bias)/)
    // Every checkpoint left is readable and finite; none is from the failing step.
    const checkpoints = listCheckpointsOrThrow(join(out, 'checkpoints'))
    for (const { path, step } of checkpoints) {
      expect(step).toBeLessThan(summary.step)
      const read = readCheckpoint(path)
      expect(E.isRight(read) && Object.values(read.right.snapshot.generator.params).every((t) => t.values.every(Number.isFinite))).toBe(true)
    }
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.at(-1).alarms[0].kind).toBe('NonFinite')
  })

  it('the monitor reports every non-finite quantity by name', () => {
    const report: StepReport = {
      step: 7,
      phase: 0,
      discriminatorUpdates: 1,
      contentLoss: 0,
      discriminatorLoss: Number.NaN,
      generatorLoss: 0.7,
      realScore: 0.5,
      fakeScore: 0.5,
      discriminatorPenalty: 0,
      discriminatorGradientNorm: Number.POSITIVE_INFINITY,
      generatorGradientNorm: 1,
    }
    const { alarms } = observeStep(initialHealthState, report, nonSaturating())
    expect(alarms).toEqual([
      { kind: 'NonFinite', step: 7, fatal: true, message: 'discriminator loss is NaN, discriminator gradient norm is Infinity at step 7' },
    ])
  })

  it('a discriminator that sat out a pretraining phase is judged against its own history only', () => {
    const report = (step: number, discriminatorUpdates: number, discriminatorGradientNorm: number) => ({
      step,
      phase: discriminatorUpdates === 0 ? 0 : 1,
      discriminatorUpdates,
      contentLoss: 0,
      discriminatorLoss: discriminatorUpdates === 0 ? 0 : 1.3,
      generatorLoss: 0.7,
      realScore: 0.5,
      fakeScore: 0.5,
      discriminatorPenalty: 0,
      discriminatorGradientNorm,
      generatorGradientNorm: 1,
    })
    let state = initialHealthState
    const raised: Array<string> = []
    const observe = (r: ReturnType<typeof report>) => {
      const observed = observeStep(state, r, nonSaturating())
      state = observed.state
      raised.push(...observed.alarms.map((a) => `${a.step} ${a.kind}`))
    }
    for (let step = 1; step <= 300; step++) observe(report(step, 0, 0)) // pretraining: no D updates
    for (let step = 301; step <= 400; step++) observe(report(step, 1, 8)) // the game starts at norm 8
    expect(raised).toEqual([])
    observe(report(401, 1, 8 * 1000)) // a real explosion is still caught
    expect(raised).toEqual(['401 ExplodingGradients'])
  })

  it('sample spread is the mean distance from the mean sample', () => {
    // Four corners of a 2×2 square around (1, 1): each √2 from the centre.
    expect(sampleSpread(new Float32Array([0, 0, 2, 0, 0, 2, 2, 2]), 4)).toBeCloseTo(Math.SQRT2, 6)
    expect(sampleSpread(new Float32Array([3, 3, 3, 3]), 2)).toBe(0)
  })
})
