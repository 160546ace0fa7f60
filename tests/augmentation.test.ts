// Differentiable augmentation (DiffAugment, issue 19): the DSL value and its checks, the ops by
// hand on tiny images, their gradients against finite differences, and training with it.
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  compile,
  compileOrThrow,
  conv2d,
  conv2dTranspose,
  createTrainerOrThrow,
  dense,
  diffAugment,
  flatten,
  fromSampler,
  gan,
  leakyRelu,
  liveTensorCount,
  mlp,
  r1,
  relu,
  reshape,
  sequential,
  tanh,
  useBackend,
  withAugmentation,
  withPenalties,
  Rng,
  type DiffAugment,
  type Gan,
  type StepReport,
} from '../src/index.ts'
import { augment, augmentationDraws, augmentWith, type AugmentationDraws } from '../src/compile/augmentation.ts'
import { tf, type Tensor } from '../src/compile/tf.ts'
import { gradientTolerance } from './support/gradient-check.ts'

// `+ 0` reads −0 (a zero times a negative value) as 0.
const valuesOf = (t: Tensor): Array<number> => Array.from(t.dataSync(), (v) => v + 0)

/** The 4×4 image 1..16 as [1, 4, 4, 1]. */
const counting = (): Tensor => tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1])

const none: AugmentationDraws = { color: undefined, translation: undefined, cutout: undefined }

describe('diffAugment, the value', () => {
  it("defaults to the paper's color,translation,cutout policy, and gan() adds no key without it", () => {
    expect(diffAugment()).toEqual({ _tag: 'DiffAugment', color: true, translation: 0.125, cutout: 0.5 })
    expect(diffAugment({ color: false, translation: 0.25 })).toEqual({ _tag: 'DiffAugment', color: false, translation: 0.25, cutout: 0.5 })
    const plain = gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) })
    expect(Object.keys(plain)).not.toContain('augmentation')
    expect(JSON.stringify(plain)).not.toContain('augmentation')
    expect(Object.keys(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1), augmentation: undefined }))).not.toContain('augmentation')
    const images = gan({ generator: sequential([4], [dense(16), reshape([4, 4, 1])]), discriminator: sequential([4, 4, 1], [flatten, dense(1)]) })
    expect(pipe(images, withAugmentation(diffAugment())).augmentation).toEqual(diffAugment())
    expect(E.isRight(compile(pipe(images, withAugmentation(diffAugment()))))).toBe(true)
  })

  it('refuses a discriminator input that is not an image, and bad fields, by path, all at once', () => {
    const points = pipe(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }), withAugmentation(diffAugment()))
    const rank1 = compile(points)
    expect(E.isLeft(rank1) && rank1.left.map((e) => [e._tag, e.path])).toEqual([['ShapeMismatch', 'augmentation']])
    const images = gan({ generator: sequential([4], [dense(16), reshape([4, 4, 1])]), discriminator: sequential([4, 4, 1], [flatten, dense(1)]) })
    const bad = { _tag: 'DiffAugment', color: 'yes', translation: -0.1, cutout: 1.5 } as unknown as DiffAugment
    const fields = compile(pipe(images, withAugmentation(bad)))
    expect(E.isLeft(fields) && fields.left.map((e) => [e.path, e.actual])).toEqual([
      ['augmentation.color', '"yes"'],
      ['augmentation.translation', '-0.1'],
      ['augmentation.cutout', '1.5'],
    ])
    const both = compile(pipe(points, withAugmentation(diffAugment({ translation: 2 }))))
    expect(E.isLeft(both) && both.left.map((e) => e.path)).toEqual(['augmentation.translation', 'augmentation'])
    const notOne = compile(pipe(images, withAugmentation({ _tag: 'Flip' } as unknown as DiffAugment)))
    expect(E.isLeft(notOne) && notOne.left.map((e) => [e.path, e.actual])).toEqual([['augmentation', 'Flip']])
    // The edges of [0, 1] are allowed: 0 is off, 1 the whole image.
    expect(E.isRight(compile(pipe(images, withAugmentation(diffAugment({ translation: 0, cutout: 1 })))))).toBe(true)
  })
})

describe('the augmentation ops', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('translates each example by its shift, zero outside, every channel alike', () => {
    const x = tf.tidy(() => tf.concat([counting(), tf.neg(counting())], 3))
    const batch = tf.concat([x, x])
    const shifted = tf.tidy(() => augmentWith(batch, { ...none, translation: { rows: Int32Array.of(1, -2), columns: Int32Array.of(-1, 0) } }))
    // Output (i, j) reads input (i + rows, j + columns).
    const first = [0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 0, 0, 0]
    const second = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    const interleave = (v: ReadonlyArray<number>) => v.flatMap((a) => [a, a === 0 ? 0 : -a])
    expect(valuesOf(shifted)).toEqual([...interleave(first), ...interleave(second)])
    for (const t of [x, batch, shifted]) t.dispose()
  })

  it('cuts out the drawn square, clipped to the image', () => {
    const x = counting()
    const cut = tf.tidy(() => augmentWith(x, { ...none, cutout: { top: Int32Array.of(1), left: Int32Array.of(-1), height: 2, width: 2 } }))
    expect(valuesOf(cut)).toEqual([1, 2, 3, 4, 0, 6, 7, 8, 0, 10, 11, 12, 13, 14, 15, 16])
    // With draws from a seed: zero exactly inside the square the draws name, x elsewhere.
    const policy = diffAugment({ color: false, translation: 0, cutout: 0.5 })
    for (const seed of [1, 2, 3, 4, 5]) {
      const { cutout } = augmentationDraws(policy, [1, 4, 4, 1], seed)
      expect(cutout!.height).toBe(2)
      const out = valuesOf(tf.tidy(() => augment(policy, x, seed)))
      const top = cutout!.top[0]!, left = cutout!.left[0]!
      const expected = Array.from({ length: 16 }, (_, k) => {
        const i = Math.floor(k / 4), j = k % 4
        return i >= top && i < top + 2 && j >= left && j < left + 2 ? 0 : k + 1
      })
      expect({ seed, out }).toEqual({ seed, out: expected })
    }
    x.dispose()
  })

  it('draws translation and cutout as the reference does: shifts in ±round(size·fraction), squares of round(size·fraction)', () => {
    const draws = augmentationDraws(diffAugment(), [64, 8, 16, 3], 9)
    const rows = Array.from(draws.translation!.rows), columns = Array.from(draws.translation!.columns)
    expect([Math.min(...rows), Math.max(...rows)]).toEqual([-1, 1])
    expect([Math.min(...columns), Math.max(...columns)]).toEqual([-2, 2])
    expect([draws.cutout!.height, draws.cutout!.width]).toEqual([4, 8])
    // Centres in [0, size]: tops in [−2, 6], lefts in [−4, 12].
    expect(Math.min(...draws.cutout!.top) >= -2 && Math.max(...draws.cutout!.top) <= 6).toBe(true)
    expect(Math.min(...draws.cutout!.left) >= -4 && Math.max(...draws.cutout!.left) <= 12).toBe(true)
    expect(augmentationDraws(diffAugment({ translation: 0, cutout: 0 }), [4, 8, 8, 3], 9)).toEqual({ ...none, color: augmentationDraws(diffAugment(), [4, 8, 8, 3], 9).color })
  })

  it('applies brightness, saturation and contrast as the reference formulas say, with the drawn factors', () => {
    const [n, h, w, c] = [2, 2, 2, 3]
    const xs = Rng.fromSeed(4).uniforms(n * h * w * c, -1, 1)
    const policy = diffAugment({ translation: 0, cutout: 0 })
    const { color } = augmentationDraws(policy, [n, h, w, c], 11)
    for (let b = 0; b < n; b++) {
      expect(color!.brightness[b]! >= -0.5 && color!.brightness[b]! < 0.5).toBe(true)
      expect(color!.saturation[b]! >= 0 && color!.saturation[b]! < 2).toBe(true)
      expect(color!.contrast[b]! >= 0.5 && color!.contrast[b]! < 1.5).toBe(true)
    }
    const expected: Array<number> = []
    for (let b = 0; b < n; b++) {
      const image = Array.from(xs.slice(b * h * w * c, (b + 1) * h * w * c), (v) => v + color!.brightness[b]!)
      for (let p = 0; p < h * w; p++) {
        const pixel = image.slice(p * c, (p + 1) * c)
        const mean = pixel.reduce((s, v) => s + v, 0) / c
        for (let k = 0; k < c; k++) image[p * c + k] = (pixel[k]! - mean) * color!.saturation[b]! + mean
      }
      const mean = image.reduce((s, v) => s + v, 0) / image.length
      expected.push(...image.map((v) => (v - mean) * color!.contrast[b]! + mean))
    }
    const x = tf.tensor4d(xs, [n, h, w, c])
    const out = tf.tidy(() => augment(policy, x, 11))
    valuesOf(out).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5))
    tf.dispose([x, out])
  })

  it('is deterministic in its seed, and keeps the shape', () => {
    const x = tf.tensor4d(Rng.fromSeed(1).uniforms(3 * 8 * 8 * 3, -1, 1), [3, 8, 8, 3])
    const [a, b, c] = [5, 5, 6].map((seed) => tf.tidy(() => augment(diffAugment(), x, seed)))
    expect(a!.shape).toEqual([3, 8, 8, 3])
    expect(valuesOf(b!)).toEqual(valuesOf(a!))
    expect(valuesOf(c!)).not.toEqual(valuesOf(a!))
    tf.dispose([x, a!, b!, c!])
  })
})

for (const backend of ['cpu', 'wasm'] as const)
  describe(`augmentation gradients against finite differences (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    /** The largest relative difference between tfjs's gradient of Σ w ⊙ augment(x) and central differences, and the gradient. */
    const compareGradients = (policy: DiffAugment): { readonly worst: number; readonly gradient: ReadonlyArray<number> } => {
      const shape = [2, 4, 4, 2] as const
      const size = shape.reduce((a, b) => a * b, 1)
      const rng = Rng.fromSeed(3)
      const xs = rng.uniforms(size, -1, 1)
      const weights = tf.tensor4d(rng.uniforms(size, -1, 1), [...shape])
      const objective = (x: Tensor): Tensor => tf.sum(tf.mul(augment(policy, x, 21), weights))
      const x = tf.tensor4d(xs, [...shape])
      const analytic = tf.tidy(() => tf.grad(objective)(x))
      const gradient = valuesOf(analytic)
      const evaluate = (values: Float32Array): number => {
        const t = tf.tidy(() => objective(tf.tensor4d(values, [...shape])))
        const v = t.dataSync()[0]!
        t.dispose()
        return v
      }
      const epsilon = 1e-2
      let worst = 0
      for (let i = 0; i < size; i++) {
        const plus = xs.slice(), minus = xs.slice()
        plus[i]! += epsilon
        minus[i]! -= epsilon
        const numeric = (evaluate(plus) - evaluate(minus)) / (2 * epsilon)
        worst = Math.max(worst, Math.abs(gradient[i]! - numeric) / Math.max(1, Math.abs(numeric)))
      }
      tf.dispose([x, weights, analytic])
      return { worst, gradient }
    }

    it('the full policy, with respect to x', () => {
      // A translation of 0.25 shifts a 4×4 image by up to a pixel; cutout zeroes a 2×2 square.
      expect(compareGradients(diffAugment({ translation: 0.25 })).worst).toBeLessThan(gradientTolerance)
    })

    it('translation and cutout alone: the gradient is zero exactly where an input is shifted out or cut', () => {
      const { worst, gradient } = compareGradients(diffAugment({ color: false, translation: 0.25 }))
      expect(worst).toBeLessThan(gradientTolerance)
      expect(gradient.some((g) => g === 0) && gradient.some((g) => g !== 0)).toBe(true)
    })
  })

/** A tiny conv GAN on 8×8 images: translation shifts by a pixel, cutout zeroes 4×4. */
const tinyConvGan = (): Gan =>
  gan({
    generator: sequential([8], [dense(4 * 4 * 4), relu, reshape([4, 4, 4]), conv2dTranspose(1, 3, { stride: 2 }), tanh]),
    discriminator: sequential([8, 8, 1], [conv2d(4, 3, { stride: 2 }), leakyRelu(0.2), flatten, dense(1)]),
  })

const squares = fromSampler('squares', [8, 8, 1], (n, rng) => {
  const out = new Float32Array(n * 64).fill(-1)
  for (let b = 0; b < n; b++) {
    const top = rng.int(5), left = rng.int(5)
    for (let i = top; i < top + 3; i++) for (let j = left; j < left + 3; j++) out[b * 64 + i * 8 + j] = 1
  }
  return out
})

const run = async (spec: Gan, steps: number, onStep?: (r: StepReport) => void): Promise<ReadonlyArray<StepReport>> => {
  const trainer = createTrainerOrThrow(compileOrThrow(spec), squares, { seed: 5, batchSize: 8 })
  const reports: Array<StepReport> = []
  try {
    for await (const r of trainer.runOrThrow({ steps })) {
      reports.push(r)
      onStep?.(r)
    }
  } finally {
    trainer.dispose()
  }
  return reports
}

describe('training with augmentation', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('a tiny conv GAN with augmentation and R1 trains 30 steps leak-free and deterministically', async () => {
    const spec = pipe(tinyConvGan(), withAugmentation(diffAugment()), withPenalties([r1({ gamma: 1 })]))
    const before = liveTensorCount()
    const counts = new Map<number, number>()
    const a = await run(spec, 30, (r) => {
      if (r.step === 10 || r.step === 30) counts.set(r.step, liveTensorCount())
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true)
    })
    expect(counts.get(30)).toBe(counts.get(10))
    expect(liveTensorCount()).toBe(before)
    const b = await run(spec, 30)
    expect(b).toEqual(a)
  }, 60_000)

  it('changes the game when on, and leaves a GAN without it exactly as it was', async () => {
    const plain = tinyConvGan()
    // The same GAN written as a literal with exactly the fields it had before augmentation existed.
    const literal: Gan = {
      _tag: 'Gan',
      generator: plain.generator,
      discriminator: plain.discriminator,
      latent: plain.latent,
      loss: plain.loss,
      schedule: plain.schedule,
      optimizers: plain.optimizers,
      penalties: plain.penalties,
    }
    expect(plain).toEqual(literal)
    expect(Object.keys(plain).sort()).toEqual(Object.keys(literal).sort())
    const withoutFeature = await run(literal, 5)
    expect(await run(plain, 5)).toEqual(withoutFeature)
    const augmented = await run(pipe(plain, withAugmentation(diffAugment())), 5)
    expect(augmented.map((r) => r.discriminatorLoss)).not.toEqual(withoutFeature.map((r) => r.discriminatorLoss))
    // The generator's first update already sees augmented fakes; its initial weights are the same.
    expect(augmented[0]!.generatorLoss).not.toBe(withoutFeature[0]!.generatorLoss)
  }, 60_000)
})
