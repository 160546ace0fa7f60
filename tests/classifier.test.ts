// A DSL classifier that learns MNIST, leaves no tensors behind, and rebuilds from its weights.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  classifierFromWeights,
  liveTensorCount,
  selectImages,
  shuffledIndices,
  smallClassifier,
  splitHeldOut,
  trainImageClassifier,
  useBackend,
} from '../src/index.ts'
import { loadBundledImages } from '../src/node.ts'

describe('image classifier', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  it('learns MNIST digits from 2,000 images well above chance, leak-free', async () => {
    const loaded = loadBundledImages('mnist')
    if (E.isLeft(loaded)) throw new Error(loaded.left.actual)
    const { train, heldOut } = splitHeldOut(loaded.right)
    const before = liveTensorCount()
    const judge = await trainImageClassifier(selectImages(train, Array.from(shuffledIndices(train.count, 5).subarray(0, 2000))), { epochs: 2, seed: 3 })
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
    const rebuilt = classifierFromWeights([28, 28, 1], 10, smallClassifier(), await judge.weights())
    expect(Array.from(await rebuilt.probabilities(pixels.subarray(0, 20 * 784), 20))).toEqual(Array.from(probabilities.subarray(0, 200)))
    rebuilt.dispose()
    judge.dispose()
    expect(liveTensorCount()).toBe(before)
  })
})
