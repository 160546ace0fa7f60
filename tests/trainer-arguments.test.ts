// The trainer's arguments are checked where they come in (issue 18, item 3): bad counts and seeds
// are GanErrors with their paths, never a silent 0 or 3 steps, an empty sample or a RangeError.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { compileOrThrow, createTrainer, createTrainerOrThrow, GanException, mixtureDataset, ringMixture, useBackendOrThrow, vanillaGan, type StepReport, type Trainer } from '../src/index.ts'

const trainer = (): Trainer =>
  createTrainerOrThrow(compileOrThrow(vanillaGan({ width: 8, latentDim: 2, learningRate: 1e-3 })), mixtureDataset(ringMixture), { seed: 1, batchSize: 8 })

const collect = async (t: Trainer, options: { steps: number; readEvery?: number }) => {
  const out: Array<E.Either<ReadonlyArray<{ path: string; actual: string }>, StepReport>> = []
  for await (const r of t.run(options)) out.push(r)
  return out
}

describe('trainer arguments', () => {
  beforeAll(async () => {
    await useBackendOrThrow('cpu')
  })

  it('run: steps and readEvery must be whole numbers in range; one Left naming each, and no step taken', async () => {
    const t = trainer()
    const cases: ReadonlyArray<readonly [{ steps: number; readEvery?: number }, string, string]> = [
      [{ steps: -5 }, 'steps', '-5'],
      [{ steps: Number.NaN }, 'steps', 'NaN'],
      [{ steps: 2.5 }, 'steps', '2.5'],
      [{ steps: Number.POSITIVE_INFINITY }, 'steps', 'Infinity'],
      [{ steps: '3' as unknown as number }, 'steps', '"3"'],
      [{ steps: 3, readEvery: 0 }, 'readEvery', '0'],
      [{ steps: 3, readEvery: 1.5 }, 'readEvery', '1.5'],
    ]
    for (const [options, path, actual] of cases) {
      const results = await collect(t, options)
      expect({ options, results: results.length, left: E.isLeft(results[0]!) }).toEqual({ options, results: 1, left: true })
      const errors = (results[0] as E.Left<ReadonlyArray<{ path: string; actual: string }>>).left
      expect(errors.map((e) => [e.path, e.actual])).toEqual([[path, actual]])
    }
    expect(t.stepCount()).toBe(0)
    // Both at once are both reported; the throwing twin throws them.
    const both = await collect(t, { steps: -1, readEvery: 0 })
    expect(E.isLeft(both[0]!) && both[0].left.map((e) => e.path)).toEqual(['steps', 'readEvery'])
    const thrown = await (async () => {
      for await (const _ of t.runOrThrow({ steps: -1 })) void _
    })().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(thrown instanceof GanException).toBe(true)
    // 0 steps is a valid request for nothing.
    expect(await collect(t, { steps: 0 })).toEqual([])
    t.dispose()
  })

  it('sample: n a whole number ≥ 0 that fits in memory, and a whole-number seed', async () => {
    const t = trainer()
    for (const [n, actual] of [
      [Number.NaN, 'NaN'],
      [-1, '-1'],
      [1.5, '1.5'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
    ] as const) {
      const r = await t.sample(n)
      expect({ n, paths: E.isLeft(r) && r.left.map((e) => [e.path, e.actual]) }).toEqual({ n, paths: [['n', actual]] })
    }
    const huge = await t.sample(1e9)
    expect(E.isLeft(huge) && huge.left[0]!.path).toBe('n')
    expect(E.isLeft(huge) && huge.left[0]!.expected).toMatch(/at most \d+ samples at once/)
    const badSeed = await t.sample(4, { seed: 0.5 })
    expect(E.isLeft(badSeed) && badSeed.left.map((e) => e.path)).toEqual(['options.seed'])
    const none = await t.sample(0)
    expect(E.isRight(none) && none.right.length).toBe(0)
    const four = await t.sample(4, { seed: 3 })
    expect(E.isRight(four) && four.right.length).toBe(8)
    t.dispose()
  })
})

describe('createTrainer options', () => {
  it('shows a string as a string: batchSize "64" is found "64", not 64 (issue 18, item 10)', () => {
    const compiled = compileOrThrow(vanillaGan({ width: 8, latentDim: 2, learningRate: 1e-3 }))
    const r = createTrainer(compiled, mixtureDataset(ringMixture), { seed: '1' as unknown as number, batchSize: '64' as unknown as number })
    expect(E.isLeft(r) && r.left.map((e) => [e.path, e.actual])).toEqual([
      ['batchSize', '"64"'],
      ['seed', '"1"'],
    ])
  })
})
