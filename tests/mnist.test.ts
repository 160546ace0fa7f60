// The bundled MNIST and Fashion-MNIST sets: decoded pixel statistics and labels, protocol Q2's
// split, and the seeded image dataset; then a small convolutional GAN trains on the digits.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  compileOrThrow,
  conv2d,
  conv2dTranspose,
  createTrainerOrThrow,
  dense,
  flatten,
  gan,
  imageDataset,
  leakyRelu,
  liveTensorCount,
  relu,
  reshape,
  sequential,
  shuffledIndices,
  splitHeldOut,
  tanh,
  useBackend,
  batchNorm,
  type LabelledImages,
} from '../src/index.ts'
import { loadBundledImagesOrThrow } from '../src/node.ts'

const load = (set: 'mnist' | 'fashion'): LabelledImages => loadBundledImagesOrThrow(set)

const classCounts = (images: LabelledImages): ReadonlyArray<number> => {
  const counts = new Array<number>(10).fill(0)
  for (const label of images.labels) counts[label]!++
  return counts
}

const extent = (values: ArrayLike<number>): readonly [number, number] => {
  let low = Infinity
  let high = -Infinity
  for (let i = 0; i < values.length; i++) {
    low = Math.min(low, values[i]!)
    high = Math.max(high, values[i]!)
  }
  return [low, high]
}

const meanIntensity = (images: LabelledImages): number => {
  let sum = 0
  for (const p of images.pixels) sum += p
  return sum / images.pixels.length / 255
}

describe('bundled MNIST', () => {
  it('decodes 10,000 labelled 28×28 digits with MNIST pixel statistics', () => {
    const mnist = load('mnist')
    expect([mnist.count, mnist.height, mnist.width, mnist.pixels.length]).toEqual([10_000, 28, 28, 10_000 * 784])
    expect(classCounts(mnist)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978])
    // MNIST's well-known mean intensity is 0.1307; background is 0, strokes reach 255.
    expect(meanIntensity(mnist)).toBeCloseTo(0.131, 2)
    expect(extent(mnist.pixels)).toEqual([0, 255])
  })

  it('splits as protocol Q2 says: 200 per class held out, 8,000 for training, disjoint', () => {
    const { train, heldOut } = splitHeldOut(load('mnist'))
    expect(heldOut.count).toBe(2000)
    expect(classCounts(heldOut)).toEqual(new Array(10).fill(200))
    expect(train.count).toBe(8000)
    const key = (images: LabelledImages, i: number) => images.pixels.subarray(i * 784, (i + 1) * 784).join(',')
    const trainKeys = new Set(Array.from({ length: train.count }, (_, i) => key(train, i)))
    const overlap = Array.from({ length: heldOut.count }, (_, i) => key(heldOut, i)).filter((k) => trainKeys.has(k))
    expect(overlap.length).toBeLessThan(5) // MNIST has a few exact duplicates, not shared indices
  })
})

describe('bundled Fashion-MNIST', () => {
  it('decodes 70,000 images, 7,000 per class, with Fashion-MNIST pixel statistics', () => {
    const fashion = load('fashion')
    expect(fashion.count).toBe(70_000)
    expect(classCounts(fashion)).toEqual(new Array(10).fill(7000))
    expect(meanIntensity(fashion)).toBeCloseTo(0.286, 2) // the published training-set mean is 0.2860
    expect(fashion.classNames[9]).toBe('Ankle boot')
    const { train, heldOut } = splitHeldOut(fashion)
    expect([train.count, heldOut.count]).toEqual([68_000, 2000])
  })
})

describe('image datasets', () => {
  it('shuffles reproducibly from a seed', () => {
    expect(Array.from(shuffledIndices(50, 3))).toEqual(Array.from(shuffledIndices(50, 3)))
    expect(Array.from(shuffledIndices(50, 3))).not.toEqual(Array.from(shuffledIndices(50, 4)))
    expect([...shuffledIndices(50, 3)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('serves one epoch of [-1, 1] batches in a seeded order, dropping the partial batch', async () => {
    const { heldOut } = splitHeldOut(load('mnist'))
    const dataset = imageDataset(heldOut)
    expect(dataset.exampleShape).toEqual([28, 28, 1])
    const epoch = async (seed: number) => {
      const batches = []
      for await (const b of dataset.batches({ batchSize: 300, seed })) batches.push(b)
      return batches
    }
    const a = await epoch(1)
    expect(a).toHaveLength(6) // 2,000 / 300 → 6 full batches
    expect(a[0]!.shape).toEqual([300, 28, 28, 1])
    expect(extent(a[0]!.values)).toEqual([-1, 1])
    expect((await epoch(1))[3]!.values).toEqual(a[3]!.values)
    expect((await epoch(2))[0]!.values).not.toEqual(a[0]!.values)
  })
})

describe('a small convolutional GAN on MNIST', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('trains with finite losses and no leaks, and samples 28×28 images in [-1, 1]', async () => {
    const { train } = splitHeldOut(load('mnist'))
    const spec = gan({
      generator: sequential([8], [dense(7 * 7 * 8), reshape([7, 7, 8]), batchNorm(), relu, conv2dTranspose(4, 3, { stride: 2 }), relu, conv2dTranspose(1, 3, { stride: 2 }), tanh]),
      discriminator: sequential([28, 28, 1], [conv2d(4, 3, { stride: 2 }), leakyRelu(0.2), conv2d(8, 3, { stride: 2 }), leakyRelu(0.2), flatten, dense(1)]),
    })
    const trainer = createTrainerOrThrow(compileOrThrow(spec), imageDataset(train), { seed: 1, batchSize: 8 })
    const counts = new Map<number, number>()
    for await (const r of trainer.runOrThrow({ steps: 12 })) {
      expect(Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)).toBe(true)
      if (r.step === 4 || r.step === 12) counts.set(r.step, liveTensorCount())
    }
    expect(counts.get(12)).toBe(counts.get(4))
    const samples = await trainer.sampleOrThrow(3)
    expect(samples).toHaveLength(3 * 784)
    expect(samples.every((v) => v >= -1 && v <= 1)).toBe(true)
    trainer.dispose()
  }, 300_000)
})
