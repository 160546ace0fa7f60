// Evaluation off MNIST: the random feature network and the floor on a procedural colour set whose
// answers are known (real < noisy < one class), any image size, shape mismatches, and the
// commands on a folder run (in-process).
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pngjs from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Rng, encodeNpyOrThrow, evaluateAgainstReference, randomFeatureDimension, randomFeatures, useBackend, type ImageSet, type ReferenceEvaluation } from '../src/index.ts'
import { cliMain } from '../src/cli/main.ts'
import { evaluateCommand } from '../src/cli/evaluate.ts'
import { builtinRecipes } from '../src/cli/builtins.ts'
import { loadRecipeOrThrow } from '../src/run/load-recipe.ts'

const loadRecipe = (reference: string) => loadRecipeOrThrow(reference, { builtins: builtinRecipes })

/** Reddish discs, greenish squares or bluish rings (the class) on two-colour gradients. */
const shapes = (count: number, seed: number, options: { readonly side?: number; readonly width?: number; readonly channels?: 1 | 3; readonly onlyClass?: number } = {}): ImageSet => {
  const height = options.side ?? 32
  const width = options.width ?? height
  const channels = options.channels ?? 3
  const rng = Rng.fromSeed(seed)
  const values = new Float32Array(count * height * width * channels)
  for (let i = 0; i < count; i++) {
    const kind = options.onlyClass ?? rng.int(3)
    const top = [rng.uniform(), rng.uniform(), rng.uniform()].map((v) => 0.2 + 0.3 * v)
    const bottom = [rng.uniform(), rng.uniform(), rng.uniform()].map((v) => 0.2 + 0.3 * v)
    const colour = [0, 1, 2].map((k) => (k === kind ? 0.6 + 0.4 * rng.uniform() : 0.3 * rng.uniform()))
    const r = (0.15 + 0.15 * rng.uniform()) * Math.min(height, width)
    const cy = height * (0.3 + 0.4 * rng.uniform())
    const cx = width * (0.3 + 0.4 * rng.uniform())
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const d = Math.hypot(y - cy, x - cx)
        const inside = kind === 0 ? d < r : kind === 1 ? Math.max(Math.abs(y - cy), Math.abs(x - cx)) < r : d < r && d > 0.6 * r
        const t = y / (height - 1)
        const rgb = inside ? colour : top.map((v, k) => (1 - t) * v + t * bottom[k]!)
        const at = ((i * height + y) * width + x) * channels
        if (channels === 3) for (let k = 0; k < 3; k++) values[at + k] = rgb[k]!
        else values[at] = 0.299 * rgb[0]! + 0.587 * rgb[1]! + 0.114 * rgb[2]!
      }
  }
  return { values, count, height, width, channels }
}

const noisy = (images: ImageSet, std: number, seed: number): ImageSet => {
  const rng = Rng.fromSeed(seed)
  return { ...images, values: images.values.map((v) => Math.min(1, Math.max(0, v + std * rng.normal()))) }
}

/** What the command prints while a test runs, kept instead of shown (by hand: Deno's vitest shim has no `vi`). */
const capturedLog = () => {
  const lines: Array<string> = []
  const original = console.log
  console.log = (...args: ReadonlyArray<unknown>) => void lines.push(String(args[0]))
  return { printed: (): string => lines.join('\n'), restore: (): void => void (console.log = original) }
}

describe('random-feature evaluation', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  it('the floor on a colour set ranks real < noisy < one class', async () => {
    const reference = shapes(300, 1)
    const evaluate = async (samples: ImageSet): Promise<ReferenceEvaluation> => {
      const result = await evaluateAgainstReference(samples, reference, { name: 'shapes' })
      if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
      return result.right
    }
    const real = await evaluate(shapes(150, 2))
    const noise = await evaluate(noisy(shapes(150, 2), 0.07, 3))
    const oneClass = await evaluate(shapes(150, 2, { onlyClass: 0 }))
    const rows = { floor: real.floor, fresh: real.samples, noise: noise.samples, oneClass: oneClass.samples }
    console.table(rows)
    // The floor is the same computation whatever the samples are.
    expect(noise.floor).toEqual(real.floor)
    expect(real.floor.count).toBe(150)
    // Fresh images of the same distribution sit near the floor; noise and one class far above it.
    expect(real.samples.fd).toBeLessThan(2 * real.floor.fd)
    expect(real.floor.fd).toBeLessThan(noise.samples.fd)
    expect(noise.samples.fd).toBeLessThan(oneClass.samples.fd)
    expect(1 - real.floor.coverage).toBeLessThan(1 - noise.samples.coverage)
    expect(1 - noise.samples.coverage).toBeLessThan(1 - oneClass.samples.coverage)
    expect(real.floor.kid).toBeLessThan(noise.samples.kid)
    // Real halves: high precision and recall; noise leaves the real manifold (precision and
    // density fall); one class keeps fidelity but loses diversity (recall falls, precision not).
    expect(real.floor.precision).toBeGreaterThan(0.8)
    expect(real.floor.recall).toBeGreaterThan(0.8)
    expect(noise.samples.precision).toBeLessThan(real.floor.precision - 0.1)
    expect(noise.samples.density).toBeLessThan(real.floor.density - 0.2)
    expect(oneClass.samples.precision).toBeGreaterThan(0.8)
    expect(oneClass.samples.recall).toBeLessThan(real.floor.recall / 2)
  }, 60_000)

  it('features are deterministic and depend on the seed', async () => {
    const images = shapes(12, 4)
    const a = await randomFeatures(images)
    const b = await randomFeatures(images)
    const c = await randomFeatures(images, { seed: 5 })
    if (E.isLeft(a) || E.isLeft(b) || E.isLeft(c)) throw new Error('features failed')
    expect(Array.from(a.right.values)).toEqual(Array.from(b.right.values))
    expect(Array.from(a.right.values)).not.toEqual(Array.from(c.right.values))
  })

  it('any size and channel count works: 16×16×1, 32×32×3, 64×48×3, 200×120×3', async () => {
    for (const [side, width, channels] of [[16, 16, 1], [32, 32, 3], [64, 48, 3], [200, 120, 3]] as const) {
      const features = await randomFeatures(shapes(3, 6, { side, width, channels }))
      expect(E.isRight(features) && [features.right.count, features.right.dimension]).toEqual([3, randomFeatureDimension])
      expect(E.isRight(features) && Array.from(features.right.values).every(Number.isFinite)).toBe(true)
    }
    const result = await evaluateAgainstReference(shapes(10, 6, { side: 64, width: 48 }), shapes(24, 7, { side: 64, width: 48 }), { name: 'shapes' })
    expect(E.isRight(result) && result.right.imageShape).toEqual([64, 48, 3])
    expect(E.isRight(result) && result.right.floor.count).toBe(10)
  }, 30_000)

  it('mismatched shapes are one ShapeMismatch naming both', async () => {
    const result = await evaluateAgainstReference(shapes(10, 6, { side: 16 }), shapes(24, 7, { side: 32, channels: 1 }), { name: 'shapes' })
    expect(E.isLeft(result) && result.left).toEqual([
      { _tag: 'ShapeMismatch', path: 'samples', expected: '32×32×1 (the reference images)', actual: '16×16×3' },
    ])
  })
})

describe('ganfp eval, truncation and nearest on a folder run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ganfp-any-size-'))
  const folder = join(scratch, 'shapes')
  const run = join(scratch, 'run')
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  /** The shapes as PNG files, one sub-folder per class. */
  const writeFolder = (images: ImageSet, labelOf: (i: number) => number) => {
    const size = images.height * images.width * 3
    for (let i = 0; i < images.count; i++) {
      const png = new pngjs.PNG({ width: images.width, height: images.height })
      for (let p = 0; p < images.height * images.width; p++) {
        for (let k = 0; k < 3; k++) png.data[4 * p + k] = Math.round(255 * images.values[i * size + 3 * p + k]!)
        png.data[4 * p + 3] = 255
      }
      const dir = join(folder, `class-${labelOf(i)}`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${String(i).padStart(3, '0')}.png`), pngjs.PNG.sync.write(png))
    }
  }

  it('trains 2 steps on a colour folder, then scores the run against its folder with the floor', async () => {
    const images = shapes(60, 8, { side: 16 })
    writeFolder(images, (i) => i % 2)
    const log = capturedLog()
    try {
      await cliMain(['train', 'dcgan', '--dataset', 'folder', '--folder', folder, '--size', '16', '--channels', '3', '--width', '2', '--batch', '4', '--steps', '2', '--backend', 'cpu', '--out', run])
      await cliMain(['eval', run, '--backend', 'cpu'])
      const written = JSON.parse(readFileSync(join(run, 'eval.json'), 'utf8')) as ReferenceEvaluation
      expect(written.imageShape).toEqual([16, 16, 3])
      expect(written.reference).toEqual({ name: 'shapes', count: 60, compared: 30 })
      expect(written.floor.count).toBe(30)
      // Two steps of training are far from the real images.
      expect(written.samples.fd).toBeGreaterThan(written.floor.fd)
      const printed = log.printed()
      expect(printed).toContain('| real-vs-real floor | 30 |')
      expect(printed).toContain('never with published FID/KID')
      await cliMain(['truncation', run, '--psi', '1,0.5', '--backend', 'cpu'])
      await cliMain(['nearest', run, '--n', '10', '--out', join(scratch, 'nearest.png'), '--backend', 'cpu'])
      const after = log.printed()
      expect(after).toMatch(/\| 0\.5 \| \d/)
      expect(after).toContain('real images left out of the search (10)')
      expect(existsSync(join(scratch, 'nearest.png'))).toBe(true)
      // attribute classifies by a small classifier trained on the class folders first; two steps of
      // training make samples of one class only, which it reports as such.
      await expect(cliMain(['attribute', run, '--from-class', '0', '--to-class', '1', '--n', '50', '--out', join(scratch, 'attribute.png'), '--backend', 'cpu'])).rejects.toMatchObject({
        errors: [{ _tag: 'InvalidConfig', path: '--from-class/--to-class' }],
      })
      expect(log.printed()).toContain('training a small classifier on 60 images')
    } finally {
      log.restore()
    }
  }, 60_000)

  it('scores a .npy against a folder, and refuses one of another shape naming both', async () => {
    const samples = shapes(20, 9, { side: 16 })
    const npy = join(scratch, 'samples.npy')
    writeFileSync(npy, encodeNpyOrThrow(samples.values, [20, 16, 16, 3]))
    const log = capturedLog()
    try {
      await cliMain(['eval', npy, '--reference', folder, '--backend', 'cpu'])
      const written = JSON.parse(readFileSync(join(scratch, 'samples.eval.json'), 'utf8')) as ReferenceEvaluation
      expect([written.floor.count, written.samples.count]).toEqual([20, 20])
      const grey = join(scratch, 'grey.npy')
      writeFileSync(grey, encodeNpyOrThrow(shapes(20, 9, { side: 16, channels: 1 }).values, [20, 16, 16]))
      const wrong = join(scratch, 'wrong.npy')
      writeFileSync(wrong, encodeNpyOrThrow(shapes(20, 9, { side: 8 }).values, [20, 8, 8, 3]))
      await expect(evaluateCommand(grey, { reference: npy, backend: 'cpu' }, loadRecipe)).rejects.toMatchObject({
        errors: [{ _tag: 'ShapeMismatch', path: 'samples', expected: '16×16×3 (the reference images)', actual: '16×16×1' }],
      })
      await expect(evaluateCommand(wrong, { reference: npy, backend: 'cpu' }, loadRecipe)).rejects.toMatchObject({
        errors: [{ _tag: 'ShapeMismatch', expected: '16×16×3 (the reference images)', actual: '8×8×3' }],
      })
    } finally {
      log.restore()
    }
  }, 30_000)
})
