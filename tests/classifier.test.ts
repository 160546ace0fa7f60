// A DSL classifier that learns MNIST, leaves no tensors behind, and rebuilds from its weights.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classifierFromWeights,
  classifierFromWeightsOrThrow,
  conv2d,
  liveTensorCount,
  selectImages,
  shuffledIndices,
  smallClassifier,
  splitHeldOut,
  trainImageClassifier,
  trainImageClassifierOrThrow,
  useBackend,
} from '../src/index.ts'
import { loadBundledImagesOrThrow } from '../src/node.ts'

describe('image classifier', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  it('learns MNIST digits from 2,000 images well above chance, leak-free', async () => {
    const { train, heldOut } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
    const before = liveTensorCount()
    const judge = await trainImageClassifierOrThrow(selectImages(train, Array.from(shuffledIndices(train.count, 5).subarray(0, 2000))), { epochs: 2, seed: 3 })
    const pixels = Float32Array.from(heldOut.pixels, (p) => p / 255)
    const probabilities = await judge.probabilities(pixels, heldOut.count)
    let correct = 0
    for (let i = 0; i < heldOut.count; i++) {
      const row = probabilities.subarray(i * 10, i * 10 + 10)
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
      if (row.indexOf(Math.max(...row)) === heldOut.labels[i]) correct++
    }
    expect(correct / heldOut.count).toBeGreaterThan(0.85)
    const features = await judge.features(pixels.subarray(0, 10 * 784), 10)
    expect([features.count, features.dimension, features.values.length]).toEqual([10, 128, 1280])
    expect(Array.from(features.values).every((v) => v >= 0)).toBe(true)
    // Exported weights rebuild the same classifier.
    const rebuilt = classifierFromWeightsOrThrow([28, 28, 1], 10, smallClassifier(), await judge.weights())
    expect(Array.from(await rebuilt.probabilities(pixels.subarray(0, 20 * 784), 20))).toEqual(Array.from(probabilities.subarray(0, 200)))
    rebuilt.dispose()
    judge.dispose()
    expect(liveTensorCount()).toBe(before)
  })

  it('returns bad options, too few images and an architecture that does not fit as errors, before any tensor exists', async () => {
    const { train } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
    const before = liveTensorCount()
    const few = selectImages(train, [0, 1, 2])
    const r = await trainImageClassifier(few, { epochs: -1, batchSize: 0, seed: 0.5 })
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([
      ['InvalidConfig', 'seed'],
      ['InvalidConfig', 'epochs'],
      ['InvalidConfig', 'batchSize'],
    ])
    const tooFew = await trainImageClassifier(few, { batchSize: 4 })
    expect(E.isLeft(tooFew) && tooFew.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'images(mnist).count']])
    await expect(trainImageClassifierOrThrow(few, { batchSize: 4 })).rejects.toThrow(/InvalidData at images\(mnist\)\.count/)
    // A 3×3 convolution without padding cannot run on a 1×1 image.
    const tiny = classifierFromWeights([1, 1, 1], 10, { featureLayers: [conv2d(4, 3, { padding: 'valid' })], featureDimension: 4 }, {})
    expect(E.isLeft(tiny) && tiny.left[0]!._tag).toBe('ShapeMismatch')
    expect(liveTensorCount()).toBe(before)
  })

  it('names every parameter that does not fit when rebuilding from weights', () => {
    const r = classifierFromWeights([28, 28, 1], 10, smallClassifier(16), {})
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])[0]).toEqual(['ShapeMismatch', 'classifier.layers[0].kernel'])
    expect(() => classifierFromWeightsOrThrow([28, 28, 1], 10, smallClassifier(16), {})).toThrow(/ShapeMismatch at classifier\.layers\[0\]\.kernel/)
  })
})
