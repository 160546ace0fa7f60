// The shipped judges: their weights load, fit the architecture, and classify the held-out split
// as well as protocol Q2 asks (MNIST ≥ 98%, Fashion-MNIST ≥ 85%).
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GanException,
  classifierFromWeights,
  classifierFromWeightsOrThrow,
  conditionalAccuracy,
  judgeArchitecture,
  judgeWeights,
  liveTensorCount,
  loadJudge,
  splitHeldOut,
  useBackend,
  type ImageClassifier,
  type LabelledImages,
} from '../src/index.ts'
import { loadBundledImagesOrThrow } from '../src/node.ts'

const accuracy = (judge: ImageClassifier, images: LabelledImages): Promise<number> =>
  conditionalAccuracy(judge, Float32Array.from(images.pixels, (p) => p / 255), images.labels)

describe('the shipped judges', () => {
  beforeAll(async () => {
    await useBackend('wasm')
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  for (const [dataset, floor] of [
    ['mnist', 0.98],
    ['fashion', 0.85],
  ] as const)
    it(`${dataset}: held-out accuracy ≥ ${floor * 100}%, as recorded when it was trained`, async () => {
      const { heldOut } = splitHeldOut(loadBundledImagesOrThrow(dataset))
      const before = liveTensorCount()
      const judge = await loadJudge(dataset)
      const measured = await accuracy(judge, heldOut)
      judge.dispose()
      expect(liveTensorCount()).toBe(before)
      expect(measured).toBeGreaterThanOrEqual(floor)
      const weights = await judgeWeights(dataset)
      expect(Math.abs(measured - weights.heldOutAccuracy)).toBeLessThan(0.002)
      // Small enough to ship: under 1 MB of float32.
      expect(weights.params.reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0) * 4).toBeLessThan(1_000_000)
    }, 120_000)

  it('weights that do not fit the architecture are a ShapeMismatch naming the parameter', () => {
    const wrong = { 'layers[0].kernel': { shape: [3, 3, 1, 16], values: new Float32Array(144) } }
    const before = liveTensorCount()
    const r = classifierFromWeights([28, 28, 1], 10, judgeArchitecture(), wrong)
    expect(liveTensorCount()).toBe(before)
    if (E.isRight(r)) throw new Error('expected a Left')
    expect(r.left[0]).toMatchObject({ _tag: 'ShapeMismatch', path: 'classifier.layers[0].kernel', expected: '[3, 3, 1, 32]', actual: '[3, 3, 1, 16]' })
    expect(r.left.map((e) => e.path)).toContain('classifier.layers[13].bias')
    const error = (() => {
      try {
        classifierFromWeightsOrThrow([28, 28, 1], 10, judgeArchitecture(), wrong)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(GanException)
    expect((error as GanException).message).toBe(new GanException(r.left).message)
  })
})
