// The DCGAN and CGAN recipes by size and channels (src/zoo/dcgan-sizes.ts, src/recipe/image-data.ts,
// recipes/dcgan.ts, recipes/cgan.ts): the architectures' shapes at 16/32/64 in grey and colour,
// the sizes refused with their reasons, and a colour DCGAN and CGAN trained a few steps on a
// tiny folder, leak-free, with colour grids, the real image shape in samples.npy and classes.json.
import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pngjs from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import srgan from '../recipes/srgan.ts'
import {
  builtinGanOf,
  cganGan,
  compileOrThrow,
  dcganGan,
  dcganSizeProblems,
  decodeConfig,
  getOrThrow,
  liveTensorCount,
  useBackend,
  type Recipe,
} from '../src/index.ts'
import { parseRecipeArgs, resumeRun, startRun } from '../src/node.ts'
import { lossColumns } from './support/metrics.ts'
import { recipeResult } from '../src/recipe/define.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-folder-recipes-'))
const folder = join(scratch, 'colours')
const flat = join(scratch, 'flat')

/** 2 classes × 8 images of 40×30, each class its own colour (sub-folders sort blue, red). */
const writeFolder = (): void => {
  const colours = { red: [220, 30, 30], blue: [30, 60, 220] } as const
  for (const [name, [r, g, b]] of Object.entries(colours)) {
    mkdirSync(join(folder, name), { recursive: true })
    for (let i = 0; i < 8; i++) {
      const png = new pngjs.PNG({ width: 40, height: 30 })
      for (let p = 0; p < 40 * 30; p++) png.data.set([r, g + 10 * i, b, 255], 4 * p)
      writeFileSync(join(folder, name, `${i}.png`), pngjs.PNG.sync.write(png))
    }
  }
  mkdirSync(flat, { recursive: true })
  writeFileSync(join(flat, 'one.png'), readFileSync(join(folder, 'red', '0.png')))
}

const npyShape = (file: string): string => {
  const npy = readFileSync(file)
  return /'shape': \(([^)]*)\)/.exec(npy.subarray(10, 10 + npy.readUInt16LE(8)).toString())?.[1] ?? ''
}

const problemsOf = (recipe: Recipe, argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const parsed = parseRecipeArgs(recipe, argv)
  return E.isLeft(parsed) ? parsed.left.map((e) => `${e.path}: expected ${e.expected}, found ${e.actual}`) : []
}

const cganOptions = { width: 4, latentDim: 8, embeddingDim: 4, labelIn: 'both', learningRate: 2e-4, beta1: 0.5, generatorAverageDecay: 0.999 } as const

describe('DCGAN and CGAN by size and channels', () => {
  beforeAll(async () => {
    writeFolder()
    await useBackend('cpu')
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('build S×S×C generators and critics at 16, 32 and 64, grey and colour; 28 keeps the bundled layout', () => {
    for (const size of [16, 32, 64])
      for (const channels of [1, 3] as const) {
        const plain = compileOrThrow(dcganGan({ width: 4, latentDim: 8, size, channels }))
        expect([plain.generator.outputShape, plain.discriminator.inputShape, plain.discriminator.outputShape]).toEqual([[size, size, channels], [size, size, channels], [1]])
        const conditional = compileOrThrow(cganGan({ ...cganOptions, size, channels, classes: 3, generatorNorm: 'conditional' }))
        expect([conditional.generator.outputShape, conditional.generator.labelClasses, conditional.discriminator.inputShape]).toEqual([[size, size, channels], 3, [size, size, channels]])
      }
    // log2(S) − 2 blocks: the transposed convolutions of 64 are 3 + the output one, of 16 one + the output one.
    const transposed = (size: number) => dcganGan({ width: 4, latentDim: 8, size, channels: 3 }).generator.layers.filter((l) => l._tag === 'Conv2dTranspose').length
    expect([transposed(16), transposed(32), transposed(64)]).toEqual([2, 3, 4])
    // The PyTorch example at ngf = 64 and a 100-d latent: its 3,576,704 generator parameters.
    const reference = compileOrThrow(dcganGan({ width: 64, latentDim: 100, size: 64, channels: 3 })).generator.paramSpecs
    expect(reference.filter((p) => p.trainable).reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)).toBe(3576704)
    expect(dcganGan({ width: 4, latentDim: 8 })).toEqual(dcganGan({ width: 4, latentDim: 8, size: 28, channels: 1 }))
    expect(compileOrThrow(dcganGan({ width: 4, latentDim: 8 })).generator.outputShape).toEqual([28, 28, 1])
  })

  it('refuse sizes that are not a power of two from 16 to 256, saying why', () => {
    for (const size of [16, 32, 64, 128, 256]) expect(dcganSizeProblems(size, '--size')).toEqual([])
    const reason = 'a power of two from 16 to 256 (halved to 4×4 block by block)'
    for (const size of [48, 8, 512, 0, 2.5])
      expect(dcganSizeProblems(size, '--size')).toEqual([{ _tag: 'InvalidConfig', path: '--size', expected: reason, actual: String(size) }])
    for (const recipe of [dcgan, cgan] as ReadonlyArray<Recipe>) {
      expect(problemsOf(recipe, ['--dataset', 'folder', '--folder', folder, '--size', '48'])).toEqual([`--size: expected ${reason}, found 48`])
      expect(problemsOf(recipe, ['--dataset', 'folder'])).toEqual(['--folder: expected a folder of images with --dataset folder, found nothing'])
      expect(problemsOf(recipe, ['--size', '64', '--channels', '3'])).toEqual([
        '--size: expected 28 or auto with --dataset mnist (28×28 grey images; --dataset folder for your own), found 64',
        '--channels: expected 1 or auto with --dataset mnist (28×28 grey images; --dataset folder for your own), found "3"',
      ])
      expect(problemsOf(recipe, ['--size', '28', '--channels', '1'])).toEqual([])
    }
    // SRGAN's --size names its high-resolution crop (its --crop, which still works).
    expect(problemsOf(srgan, ['--dataset', 'folder', '--size', '30'])).toEqual(['--size: expected a multiple of 4, found 30'])
    expect(problemsOf(srgan, ['--dataset', 'folder', '--crop', '30'])).toEqual(['--crop: expected a multiple of 4, found 30'])
    const sr = getOrThrow(builtinGanOf({ recipe: 'srgan', config: { dataset: 'folder', size: 16, channels: '3', content: 'mse' } }))
    expect([sr.discriminator.inputShape, sr.generator.inputShape]).toEqual([[16, 16, 3], [4, 4, 3]])
    // A block count past any SRGAN (fast-check found 2^53, which no array can hold) is refused, not thrown on.
    expect(problemsOf(srgan, ['--blocks', '1000'])).toEqual(['--blocks: expected at most 256 residual blocks, found 1000'])
    const huge = builtinGanOf({ recipe: 'srgan', config: { blocks: 9007199254740992 } })
    expect(E.isLeft(huge) && huge.left.map((e) => e.path)).toEqual(['run.config.blocks'])
    const record = { recipe: 'dcgan', config: { dataset: 'folder', folder, size: 512 } }
    expect(E.isLeft(builtinGanOf(record)) && builtinGanOf(record)).toMatchObject({ left: [{ path: 'run.config.size', actual: '512' }] })
  })

  it('take --flip alone as --flip yes, and still read a value after it', () => {
    const flipOf = (argv: ReadonlyArray<string>) => E.map((p: { readonly recipeConfig: Readonly<Record<string, unknown>> }) => p.recipeConfig['flip'])(parseRecipeArgs(dcgan, ['--dataset', 'folder', '--folder', folder, ...argv]))
    expect([flipOf(['--flip']), flipOf(['--flip', '--size', '32']), flipOf(['--flip', 'no']), flipOf([])]).toEqual([E.right('yes'), E.right('yes'), E.right('no'), E.right('no')])
    expect(problemsOf(dcgan, ['--dataset', 'folder', '--folder', folder, '--flip', 'maybe'])).toEqual(['--flip: expected one of no, yes, found "maybe"'])
  })

  it('rebuild a folder run from its record as the recipe built it (a CGAN with its class count)', async () => {
    const argv = ['--dataset', 'folder', '--folder', folder, '--size', '32', '--width', '4']
    const recordOf = (recipe: Recipe) => ({ recipe: recipe.name, config: getOrThrow(parseRecipeArgs(recipe, argv)).recipeConfig })
    const built = (recipe: Recipe) => recipeResult(() => recipe.build(getOrThrow(decodeConfig(recipe.config, recordOf(recipe).config))))
    expect(builtinGanOf(recordOf(dcgan))).toEqual(await built(dcgan))
    expect(builtinGanOf(recordOf(cgan), { labelClasses: 2 })).toEqual(await built(cgan))
    expect(E.isLeft(builtinGanOf(recordOf(cgan)))).toBe(true)
  })

  it('a colour DCGAN trains on a folder leak-free: colour grids and samples.npy of N×16×16×3', async () => {
    const out = join(scratch, 'dcgan')
    const before = liveTensorCount()
    const summary = await startRun(dcgan, 'builtin:dcgan', ['--dataset', 'folder', '--folder', folder, '--size', '16', '--flip', 'yes', '--width', '2', '--latent-dim', '8', '--batch', '4', '--steps', '3', '--sample-every', '3', '--backend', 'cpu', '--out', out])
    expect(summary).toMatchObject({ _tag: 'Right', right: { ended: 'completed', step: 3 } })
    expect(liveTensorCount()).toBe(before)
    const grid = pngjs.PNG.sync.read(readFileSync(join(out, 'samples.png')))
    expect([grid.width, grid.height]).toEqual([8 * 18 + 2, 8 * 18 + 2]) // 8×8 samples of 16 px + 2 px gutters
    const coloured = Array.from({ length: grid.width * grid.height }, (_, p) => grid.data[4 * p] !== grid.data[4 * p + 1]).some(Boolean)
    expect(coloured).toBe(true)
    expect(npyShape(join(out, 'samples.npy'))).toBe('2000, 16, 16, 3')
  }, 60_000)

  it('a folder run stopped and resumed logs what an uninterrupted one logs, across epochs, with flips', async () => {
    // 16 images in batches of 4: an epoch is 4 steps, so step 3 → 7 resumes mid-epoch and crosses into the next.
    const argv = ['--dataset', 'folder', '--folder', folder, '--size', '16', '--flip', '--width', '2', '--latent-dim', '8', '--batch', '4', '--steps', '7', '--log-every', '1', '--sample-every', '7', '--backend', 'cpu']
    const whole = join(scratch, 'whole')
    expect(await startRun(dcgan, 'builtin:dcgan', [...argv, '--out', whole])).toMatchObject({ _tag: 'Right', right: { ended: 'completed', step: 7 } })
    const cut = join(scratch, 'cut')
    const stop = new AbortController()
    const first = await startRun(dcgan, 'builtin:dcgan', [...argv, '--out', cut], { step: (report) => void (report.step === 3 && stop.abort()) }, stop.signal)
    expect(first).toMatchObject({ _tag: 'Right', right: { ended: 'interrupted', step: 3 } })
    expect(await resumeRun(cut, async () => dcgan)).toMatchObject({ _tag: 'Right', right: { ended: 'completed', step: 7 } })
    expect(lossColumns(cut)).toEqual(lossColumns(whole))
  }, 60_000)

  it('a colour CGAN trains on class sub-folders leak-free, writes classes.json in label order, and refuses a flat folder', async () => {
    const out = join(scratch, 'cgan')
    const before = liveTensorCount()
    const argv = ['--dataset', 'folder', '--folder', folder, '--size', '16', '--width', '2', '--latent-dim', '8', '--embedding-dim', '4', '--batch', '4', '--steps', '3', '--per-class', '4', '--sample-every', '3', '--backend', 'cpu']
    const summary = await startRun(cgan, 'builtin:cgan', [...argv, '--generator-norm', 'conditional', '--out', out])
    expect(summary).toMatchObject({ _tag: 'Right', right: { ended: 'completed', step: 3 } })
    expect(liveTensorCount()).toBe(before)
    expect(JSON.parse(readFileSync(join(out, 'classes.json'), 'utf8'))).toEqual(['blue', 'red'])
    const rows = pngjs.PNG.sync.read(readFileSync(join(out, 'classes.png')))
    expect([rows.width, rows.height]).toEqual([2 * 18 + 2, 2 * 18 + 2]) // a row and a column per class
    expect(npyShape(join(out, 'samples.npy'))).toBe('8, 16, 16, 3')
    expect(npyShape(join(out, 'labels.npy'))).toBe('8,')
    const refused = await startRun(cgan, 'builtin:cgan', ['--dataset', 'folder', '--folder', flat, '--size', '16', '--out', join(scratch, 'never')])
    expect(E.isLeft(refused) && refused.left.map((e) => `${e.path}: ${e.expected}`)).toEqual(['--folder: one sub-folder per class, at least two, for a conditional GAN'])
  }, 60_000)
})
