// Known-answer tests of the image metrics: PSNR, SSIM, histogram entropy, and the Q2 evaluation
// with the shipped judge on sets whose answers are known.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  Rng,
  conditionalAccuracy,
  histogramEntropy,
  loadJudge,
  psnr,
  splitHeldOut,
  ssim,
  useBackend,
  type ImageClassifier,
} from '../src/index.ts'
import { evaluateImages, loadBundledImagesOrThrow } from '../src/node.ts'

const batch = (values: ArrayLike<number>, count: number, side: number) => ({ values, count, height: side, width: side, channels: 1 })

describe('PSNR and SSIM', () => {
  it('PSNR of known noise matches 10·log10(1 / MSE)', () => {
    const rng = Rng.fromSeed(1)
    const original = rng.uniforms(3 * 64, 0.2, 0.8)
    // ±0.05 noise: MSE = 0.0025 (up to float32 rounding), PSNR = 26.0206 dB.
    const noisy = original.map((v, i) => v + (i % 2 === 0 ? 0.05 : -0.05))
    expect(psnr(batch(noisy, 3, 8), batch(original, 3, 8))).toBeCloseTo(10 * Math.log10(1 / 0.0025), 4)
    expect(psnr(batch(original, 3, 8), batch(original, 3, 8))).toBe(100)
  })

  it('SSIM of an image with itself is 1; noise, a shift of contrast or brightness lower it', () => {
    const rng = Rng.fromSeed(2)
    const image = Float32Array.from({ length: 28 * 28 }, (_, i) => 0.5 + 0.4 * Math.sin(i / 9) * Math.cos(i / 50))
    const same = ssim(batch(image, 1, 28), batch(image, 1, 28))
    expect(same).toBeCloseTo(1, 12)
    const noisy = image.map((v) => Math.min(1, Math.max(0, v + (rng.uniform() - 0.5) * 0.4)))
    const dim = image.map((v) => v * 0.5)
    for (const other of [noisy, dim]) {
      const s = ssim(batch(other, 1, 28), batch(image, 1, 28))
      expect(s).toBeLessThan(0.95)
      expect(s).toBeGreaterThan(0)
    }
    // Symmetric in its arguments.
    expect(ssim(batch(noisy, 1, 28), batch(image, 1, 28))).toBeCloseTo(ssim(batch(image, 1, 28), batch(noisy, 1, 28)), 12)
  })

  it('label entropy: uniform over 10 classes is log2 10, one class is 0', () => {
    expect(histogramEntropy(new Array(10).fill(0.1))).toBeCloseTo(Math.log2(10), 12)
    expect(histogramEntropy([0, 1, 0])).toBe(0)
  })
})

describe('Q2 evaluation with the shipped judge', () => {
  let judge: ImageClassifier
  beforeAll(async () => {
    await useBackend('wasm')
    judge = await loadJudge('mnist')
  })
  afterAll(async () => {
    judge.dispose()
    await useBackend('cpu')
  })

  const heldOutImages = () => {
    const { heldOut } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
    return { images: Float32Array.from(heldOut.pixels, (p) => p / 255), count: heldOut.count }
  }

  it('the held-out images against themselves: FD ≈ 0, precision and recall 1, a full histogram; the floor is above 0', async () => {
    const { images, count } = heldOutImages()
    const result = await evaluateImages(images, count, { dataset: 'mnist', judge })
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
    const { samples, floor } = result.right
    expect(samples.fd).toBeLessThan(1e-6)
    expect([samples.precision, samples.recall, samples.coverage]).toEqual([1, 1, 1])
    expect(samples.entropy).toBeGreaterThan(3.2)
    expect(floor.fd).toBeGreaterThan(samples.fd)
    expect(floor.precision).toBeGreaterThan(0.8)
  }, 120_000)

  it('a collapsed set (one image 2,000 times): recall ≈ 0 and a one-class histogram', async () => {
    const { images } = heldOutImages()
    const one = images.subarray(0, 784)
    const collapsed = new Float32Array(2000 * 784)
    for (let i = 0; i < 2000; i++) collapsed.set(one, i * 784)
    const result = await evaluateImages(collapsed, 2000, { dataset: 'mnist', judge })
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
    const { samples, floor } = result.right
    expect(samples.recall).toBeLessThan(0.01)
    expect(samples.histogram.filter((h) => h > 0)).toEqual([1])
    expect(samples.entropy).toBe(0)
    expect(samples.fd).toBeGreaterThan(10 * floor.fd)
  }, 120_000)

  it('conditional accuracy (Q3) of the held-out images at their true labels is the judge accuracy; at shifted labels, near 0', async () => {
    const { heldOut } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
    const images = Float32Array.from(heldOut.pixels, (p) => p / 255)
    expect(await conditionalAccuracy(judge, images, heldOut.labels)).toBeGreaterThanOrEqual(0.98)
    expect(await conditionalAccuracy(judge, images, heldOut.labels.map((l) => (l + 1) % 10))).toBeLessThan(0.02)
  })

  it('images outside [0, 1] or of the wrong size are errors with paths, before the judge runs', async () => {
    const result = await evaluateImages(new Float32Array(20 * 784).fill(2), 21, { dataset: 'mnist', judge })
    expect(E.isLeft(result) && result.left.map((e) => e.path)).toEqual(['samples.values.length', 'samples.values[0]'])
  })
})
