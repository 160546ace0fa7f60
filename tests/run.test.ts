import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GanException,
  alternating,
  invalidConfig,
  type GanError,
  configCodec,
  defineRecipe,
  flag,
  gan,
  leakyRelu,
  libraryVersion,
  mixtureScatter,
  mlp,
  modeSeeking,
  positiveIntFlag,
  relu,
  ring,
  ringMixture,
  useBackend,
} from '../src/index.ts'
import { encodePng, resumeRun, resumeRunOrThrow, startRun, startRunOrThrow, type RunSummary } from '../src/node.ts'
import { lossColumns } from './support/metrics.ts'

/** A small MLP GAN on the ring as a recipe, with one option of its own. */
const ringRecipe = defineRecipe({
  name: 'tiny-ring',
  description: 'a small MLP GAN on the Q1 ring',
  config: configCodec({ width: flag(positiveIntFlag, 16, 'hidden units') }),
  runDefaults: { steps: 30, batch: 32, checkpointEvery: 10, sampleEvery: 10, logEvery: 5 },
  build: (config) =>
    gan({
      generator: mlp([2], [config.width], relu, 2),
      discriminator: mlp([2], [config.width], leakyRelu(0.2), 1),
      schedule: alternating({ generatorAverageDecay: 0.99 }),
    }),
  data: () => ring(),
  render: (samples) => encodePng(mixtureScatter(ringMixture, samples, 64)),
})

const loadRecipe = async () => ringRecipe
const completed = (result: E.Either<ReadonlyArray<GanError>, RunSummary | 'help'>): RunSummary => {
  if (E.isLeft(result)) throw new GanException(result.left)
  if (result.right === 'help') throw new Error('unexpected help')
  return result.right
}

let scratch = ''

describe('runs: directories, checkpoints and resume', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-run-'))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('writes a complete run directory', async () => {
    const out = join(scratch, 'complete')
    const summary = completed(await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', out, '--backend', 'cpu', '--keep', '2']))
    expect(summary).toMatchObject({ ended: 'completed', step: 30 })
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({
      format: 'ganfp-run',
      recipe: { name: 'tiny-ring', module: 'builtin:tiny-ring' },
      config: { width: 16, steps: 30, seed: 1, backend: 'cpu' },
      seed: 1,
      backend: { requested: 'cpu', name: 'cpu' },
      versions: { ganfp: libraryVersion },
    })
    // Logged: step 1 and every 5th.
    expect(lossColumns(out).map((r) => r.step)).toEqual([1, 5, 10, 15, 20, 25, 30])
    expect(readdirSync(join(out, 'samples')).sort()).toEqual(['latest.png', 'step-00000000.png', 'step-00000010.png', 'step-00000020.png', 'step-00000030.png'])
    expect(readdirSync(join(out, 'checkpoints'))).toEqual(['step-00000020', 'step-00000030'])
    const svg = readFileSync(join(out, 'loss.svg'), 'utf8')
    expect(svg).toContain('D loss')
    expect((svg.match(/<polyline/g) ?? []).length).toBe(4) // D and G loss, D(x) and D(G(z))
    const record = JSON.parse(readFileSync(join(out, 'checkpoints', 'step-00000030', 'manifest.json'), 'utf8')).run
    expect(record).toMatchObject({ recipe: 'tiny-ring', config: { width: 16, seed: 1 }, phase: 0 })
    expect(record.config.out).toBeUndefined()
  })

  it('a run stopped early and resumed logs what an uninterrupted run logs', async () => {
    const whole = join(scratch, 'whole')
    completed(await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', whole, '--backend', 'cpu']))
    const cut = join(scratch, 'cut')
    const stop = new AbortController()
    const first = completed(
      await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', cut, '--backend', 'cpu'], {
        step: (report) => {
          if (report.step === 13) stop.abort()
        },
      }, stop.signal),
    )
    expect(first).toMatchObject({ ended: 'interrupted', step: 13 })
    const resumed = await resumeRun(cut, loadRecipe)
    expect(resumed).toMatchObject({ _tag: 'Right', right: { ended: 'completed', step: 30 } })
    expect(lossColumns(cut)).toEqual(lossColumns(whole))
    // And a finished run can be taken further.
    expect(await resumeRunOrThrow(cut, loadRecipe, { steps: 35 })).toMatchObject({ ended: 'completed', step: 35 })
    // Not backwards, nor to where it is: an error naming --steps and the step, and nothing rewritten.
    const before = readdirSync(cut).map((name) => [name, readFileSync(join(cut, name === 'checkpoints' || name === 'samples' ? 'manifest.json' : name))] as const)
    for (const steps of [10, 35]) {
      const refused = await resumeRun(cut, loadRecipe, { steps })
      expect(E.isLeft(refused) && refused.left.map((e) => [e.path, e.actual])).toEqual([['--steps', String(steps)]])
      expect(E.isLeft(refused) && refused.left[0]!.expected).toContain('step 35')
    }
    // A finished run resumed with no --steps has nothing to do: the same refusal, saying why.
    const done = await resumeRun(cut, loadRecipe)
    expect(E.isLeft(done) && done.left.map((e) => [e.path, e.actual])).toEqual([['--steps', "none given, and the run's own 30 steps are done"]])
    expect(readdirSync(cut).map((name) => [name, readFileSync(join(cut, name === 'checkpoints' || name === 'samples' ? 'manifest.json' : name))] as const)).toEqual(before)
  })

  it('refuses a checkpoint whose recorded configuration differs from the run directory', async () => {
    const out = join(scratch, 'tampered')
    completed(await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', out, '--backend', 'cpu', '--steps', '10']))
    const manifestPath = join(out, 'checkpoints', 'step-00000010', 'manifest.json')
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
    manifest.run.config.seed = 99
    writeFileSync(manifestPath, JSON.stringify(manifest))
    const refused = await resumeRun(out, loadRecipe, { steps: 20 })
    expect(E.isLeft(refused) && refused.left[0]).toMatchObject({ _tag: 'CheckpointMismatch', expected: '1 (manifest.json)', actual: '99' })
    expect(E.isLeft(refused) && refused.left[0]!.path).toMatch(/run\.config\.seed$/)
    await expect(resumeRunOrThrow(out, loadRecipe, { steps: 20 })).rejects.toBeInstanceOf(GanException)
  })

  it('never writes a run over another, and a directory that is not a run cannot be resumed', async () => {
    const out = join(scratch, 'complete')
    const overwrite = await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', out])
    expect(E.isLeft(overwrite) && overwrite.left[0]).toMatchObject({ path: '--out', actual: expect.stringContaining('ganfp resume') })
    await expect(startRunOrThrow(ringRecipe, 'builtin:tiny-ring', ['--out', out])).rejects.toBeInstanceOf(GanException)
    const missing = join(scratch, 'missing')
    const notRun = await resumeRun(missing, loadRecipe)
    expect(E.isLeft(notRun) && notRun.left[0]).toMatchObject({ _tag: 'InvalidConfig', path: 'RUN_DIR' })
    expect(existsSync(missing)).toBe(false)
  })

  it("a batch the GAN cannot train on is named by the run's flag, --batch, and nothing is written", async () => {
    // The mode-seeking term pairs example i with example i + N/2: an odd batch cannot be paired.
    const pairing = defineRecipe({ ...ringRecipe, build: (config) => ({ ...ringRecipe.build(config), schedule: alternating({ modeSeeking: modeSeeking() }) }) })
    const out = join(scratch, 'odd-batch')
    const result = await startRun(pairing, 'builtin:pairing', ['--out', out, '--backend', 'cpu', '--batch', '31'])
    expect(E.isLeft(result) && result.left.map((e) => [e._tag, e.path, e.actual])).toEqual([['InvalidConfig', '--batch', '31']])
    expect(existsSync(out)).toBe(false)
  })

  it('a run directory that cannot be made is a FileSystem error naming it, before any step', async () => {
    const file = join(scratch, 'a-file')
    writeFileSync(file, 'not a folder')
    const out = join(file, 'run')
    const result = await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', out, '--backend', 'cpu'])
    expect(E.isLeft(result) && result.left[0]).toMatchObject({ _tag: 'FileSystem', path: join(out, 'manifest.json') })
    expect(E.isLeft(result) && result.left[0]!.actual).toContain(file)
    await expect(startRunOrThrow(ringRecipe, 'builtin:tiny-ring', ['--out', out, '--backend', 'cpu'])).rejects.toBeInstanceOf(GanException)
    // An existing file as the run directory, too.
    const asFile = await startRun(ringRecipe, 'builtin:tiny-ring', ['--out', file, '--backend', 'cpu'])
    expect(E.isLeft(asFile) && asFile.left[0]).toMatchObject({ _tag: 'FileSystem', path: file })
  })

  it('a recipe loader that fails is a Left from restore, not a throw', async () => {
    const out = join(scratch, 'complete')
    const failed = await resumeRun(out, async () => E.left([invalidConfig('RECIPE', 'a recipe', 'none')]))
    expect(E.isLeft(failed) && failed.left[0]).toMatchObject({ _tag: 'InvalidConfig', path: 'RECIPE' })
    const thrown = await resumeRun(out, async () => {
      throw new GanException([invalidConfig('RECIPE', 'a recipe', 'thrown')])
    })
    expect(E.isLeft(thrown) && thrown.left[0]).toMatchObject({ actual: 'thrown' })
  })
})
