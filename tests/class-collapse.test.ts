/**
 * The intra-class collapse alarm: the spread inside classes against the whole batch's, judged
 * against the data's own, and the alarm raised by a run whose generator ignores its latent.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adam,
  alternating,
  classSpread,
  concat,
  configCodec,
  defineRecipe,
  dense,
  embedding,
  flag,
  fromLabel,
  gan,
  initialHealthState,
  labelledMixtureDataset,
  leakyRelu,
  modeSeeking,
  nonNegativeNumberFlag,
  normalLatent,
  observeClassSpread,
  positiveNumberFlag,
  projection,
  relu,
  sequential,
  useBackend,
  withLabelInput,
  type Alarm,
} from '../src/index.ts'
import { startRunOrThrow } from '../src/node.ts'

/** Four classes, each a wide blob (σ 1) around its own centre at radius 3: varied within a class. */
const wideBlobs = labelledMixtureDataset({ name: 'wide-blobs', modes: [[3, 0], [0, 3], [-3, 0], [0, -3]], std: 1 })

/** A conditional MLP GAN whose latent has standard deviation `latentStd` (tiny: it ignores it). */
const blobsRecipe = defineRecipe({
  name: 'blobs',
  description: 'a conditional MLP GAN on four wide labelled blobs',
  config: configCodec({
    'latent-std': flag(positiveNumberFlag, 1, 'standard deviation of the latent'),
    'mode-seeking': flag(nonNegativeNumberFlag, 0, 'weight of a mode-seeking term (0: none)'),
  }),
  runDefaults: { batch: 32, sampleEvery: 25 },
  build: (config) =>
    gan({
      generator: withLabelInput(4)(sequential([4], [concat([[], fromLabel([embedding(4, 8)])]), dense(32), relu, dense(32), relu, dense(2)])),
      discriminator: withLabelInput(4)(sequential([2], [dense(32), leakyRelu(0.2), projection])),
      latent: normalLatent(4, { std: config['latent-std'] }),
      schedule: alternating(config['mode-seeking'] === 0 ? {} : { modeSeeking: modeSeeking({ weight: config['mode-seeking'] }) }),
      optimizers: { generator: adam({ learningRate: 1e-3, beta1: 0.5 }), discriminator: adam({ learningRate: 1e-3, beta1: 0.5 }) },
    }),
  data: () => wideBlobs,
  render: () => new Uint8Array(0),
})

describe('intra-class collapse', () => {
  let directory = ''
  beforeAll(async () => {
    await useBackend('cpu')
    directory = mkdtempSync(join(tmpdir(), 'ganfp-class-collapse-'))
  })
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  it('classSpread: within-class spread against the whole batch, by hand', () => {
    // Class 0: (0, 0) and (2, 0), each 1 from their mean; class 1: (10, 0) twice, 0 apart.
    // Whole batch mean (5.5, 0): distances 5.5, 3.5, 4.5, 4.5, mean 4.5.
    const s = classSpread(new Float32Array([0, 0, 2, 0, 10, 0, 10, 0]), new Int32Array([0, 0, 1, 1]))
    expect(s.within).toBeCloseTo(0.5, 6)
    expect(s.overall).toBeCloseTo(4.5, 6)
    expect(s.ratio).toBeCloseTo(0.5 / 4.5, 6)
    // A class with one sample says nothing about its spread and is left out.
    expect(classSpread(new Float32Array([0, 0, 2, 0, 7, 7]), new Int32Array([0, 0, 1])).within).toBeCloseTo(1, 6)
  })

  it('the alarm compares with the real data, latches once and clears', () => {
    const collapsed = { within: 0.1, overall: 4, ratio: 0.025 }
    const varied = { within: 3, overall: 4, ratio: 0.75 }
    // Against data whose classes are varied (ratio 0.9): raised once, then cleared.
    const first = observeClassSpread(initialHealthState, collapsed, 0.9, 100)
    expect(first.alarms.map((a) => [a.kind, a.step, a.fatal])).toEqual([['ClassCollapse', 100, false]])
    expect(first.alarms[0]!.message).toMatch(/spread 0\.100, 3% of the whole batch's 4\.00 \(real data: 90%\)/)
    expect(observeClassSpread(first.state, collapsed, 0.9, 200).alarms).toEqual([])
    const cleared = observeClassSpread(first.state, varied, 0.9, 300)
    expect(cleared.alarms).toEqual([])
    expect(cleared.state.active).toEqual([])
    // Against data whose classes are tight modes (ratio 0.02), the same batch is healthy.
    expect(observeClassSpread(initialHealthState, collapsed, 0.02, 100).alarms).toEqual([])
  })

  const run = async (name: string, latentStd: number, modeSeekingWeight = 0): Promise<ReadonlyArray<Alarm>> => {
    const alarms: Array<Alarm> = []
    const out = join(directory, name)
    await startRunOrThrow(blobsRecipe, 'builtin:blobs', ['--out', out, '--steps', '100', '--latent-std', String(latentStd), '--mode-seeking', String(modeSeekingWeight), '--backend', 'cpu', '--seed', '1'], {
      alarm: (a) => alarms.push(a),
    })
    return alarms
  }

  it('a run whose generator ignores its latent raises ClassCollapse at once, a plain one later, one with mode seeking never', async () => {
    const collapsed = await run('collapsed', 1e-4)
    const alarm = collapsed.find((a) => a.kind === 'ClassCollapse')
    expect(alarm).toBeDefined()
    expect(alarm!.message).toMatch(/intra-class collapse/)
    // The unconditional alarm does not see it: the classes still differ from each other.
    expect(collapsed.some((a) => a.kind === 'Collapse')).toBe(false)
    // Raised on the first grid, before step 1: the generator ignored its latent from the start.
    expect(alarm!.step).toBe(0)
    // A plain conditional GAN on these blobs collapses inside its classes too, more slowly; the
    // mode-seeking term keeps each class as varied as the data.
    expect((await run('plain', 1)).some((a) => a.kind === 'ClassCollapse')).toBe(true)
    expect((await run('mode-seeking', 1, 1)).filter((a) => a.kind === 'ClassCollapse')).toEqual([])
  })
})
