// The Q2 feature metrics against hand-computed values.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { frechetDistance, frechetDistanceOrThrow, gaussianStatistics, GanException, kernelDistance, manifoldMetrics, Rng } from '../src/index.ts'
import { symmetricEigen } from '../src/eval/feature-metrics.ts'

const features = (dimension: number, rows: ReadonlyArray<ReadonlyArray<number>>) => ({ count: rows.length, dimension, values: rows.flat() })

describe('Gaussian statistics and the Fréchet distance', () => {
  it('computes the unbiased covariance', () => {
    const s = gaussianStatistics(features(2, [[1, 0], [3, 2], [5, 1]]))
    expect(Array.from(s.mean)).toEqual([3, 1])
    expect(Array.from(s.covariance)).toEqual([4, 1, 1, 1])
  })

  it('finds the eigenvalues and orthonormal eigenvectors of a symmetric matrix', () => {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3.
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2)
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)])
    const column = (j: number) => [vectors[j]!, vectors[2 + j]!]
    expect(Math.abs(column(0)[0]! * column(1)[0]! + column(0)[1]! * column(1)[1]!)).toBeLessThan(1e-12)
    // A random 6×6 symmetric matrix: A v = λ v for every pair.
    const rng = Rng.fromSeed(4)
    const n = 6
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = rng.normal()
    const eig = symmetricEigen(a, n)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        let av = 0
        for (let k = 0; k < n; k++) av += a[i * n + k]! * eig.vectors[k * n + j]!
        expect(av).toBeCloseTo(eig.values[j]! * eig.vectors[i * n + j]!, 10)
      }
  })

  it('matches the closed forms: 1-D, and diagonal covariances', () => {
    // 1-D: (μa − μb)² + (σa − σb)².
    const a = { dimension: 1, mean: new Float64Array([1]), covariance: new Float64Array([4]) }
    const b = { dimension: 1, mean: new Float64Array([-2]), covariance: new Float64Array([9]) }
    expect(frechetDistanceOrThrow(a, b)).toBeCloseTo(9 + 1, 10)
    // Diagonal: Σ (μ differences)² + Σ (√ca − √cb)².
    const c = { dimension: 2, mean: new Float64Array([0, 1]), covariance: new Float64Array([1, 0, 0, 16]) }
    const d = { dimension: 2, mean: new Float64Array([1, 1]), covariance: new Float64Array([4, 0, 0, 1]) }
    expect(frechetDistanceOrThrow(c, d)).toBeCloseTo(1 + 1 + 9, 10)
  })

  it('is zero for identical statistics and invariant to a rotation of both sets', () => {
    const rng = Rng.fromSeed(9)
    const rows = (shift: number) => Array.from({ length: 200 }, () => [rng.normal() + shift, 2 * rng.normal(), rng.normal() * 0.5 + rng.normal()])
    const x = rows(0)
    const y = rows(1)
    const sx = gaussianStatistics(features(3, x))
    expect(Math.abs(frechetDistanceOrThrow(sx, sx))).toBeLessThan(1e-9)
    const rotate = (r: ReadonlyArray<number>) => [0.6 * r[0]! - 0.8 * r[1]!, 0.8 * r[0]! + 0.6 * r[1]!, r[2]!]
    const plain = frechetDistanceOrThrow(sx, gaussianStatistics(features(3, y)))
    const rotated = frechetDistanceOrThrow(gaussianStatistics(features(3, x.map(rotate))), gaussianStatistics(features(3, y.map(rotate))))
    expect(plain).toBeGreaterThan(0.5)
    expect(rotated).toBeCloseTo(plain, 8)
  })

  it('returns statistics of different dimensions as a ShapeMismatch; the twin throws it', () => {
    const one = gaussianStatistics(features(1, [[0], [2]]))
    const two = gaussianStatistics(features(2, [[0, 1], [2, 3]]))
    const same = frechetDistance(one, one)
    expect(E.isRight(same) && same.right).toBeCloseTo(0, 10)
    const r = frechetDistance(one, two)
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.expected, e.actual])).toEqual([['ShapeMismatch', 'b.dimension', '1 (a.dimension)', '2']])
    expect(() => frechetDistanceOrThrow(one, two)).toThrow(new GanException(E.isLeft(r) ? r.left : []).message)
  })
})

describe('kernel distance (KID)', () => {
  it('matches a hand computation on two points per set', () => {
    // d = 1, k(x, y) = (xy + 1)³. X = {0, 1}, Y = {2, 3}:
    // within X: k(0,1) = 1; within Y: k(2,3) = 343; across: k(0,2) + k(0,3) + k(1,2) + k(1,3) = 1 + 1 + 27 + 64.
    expect(kernelDistance(features(1, [[0], [1]]), features(1, [[2], [3]]))).toBeCloseTo(1 + 343 - (2 * 93) / 4, 10)
  })
})

describe('precision, recall, density and coverage', () => {
  it('counts samples inside the k-NN balls by hand', () => {
    // Real points 0, 1, 2, 3 on a line, k = 1: every ball has radius 1.
    const real = features(1, [[0], [1], [2], [3]])
    // Generated: 0.5 and 2.9 lie in real balls, 10 does not; its own 1-NN radius is 7.1, so the
    // generated balls (radii 2.4, 2.4, 7.1) reach every real point.
    const fake = features(1, [[0.5], [2.9], [10]])
    const m = manifoldMetrics(real, fake, 1, 1)
    expect(m.precision).toBeCloseTo(2 / 3, 12)
    expect(m.recall).toBe(1)
    // 0.5 is in the balls of 0 and 1; 2.9 in those of 2 and 3: 4 memberships / (k · 3).
    expect(m.density).toBeCloseTo(4 / 3, 12)
    expect(m.coverage).toBe(1)
    // Far-away samples: nothing is precise and nothing covered.
    const far = manifoldMetrics(real, features(1, [[100], [101]]), 1, 1)
    expect([far.precision, far.density, far.coverage]).toEqual([0, 0, 0])
  })
})
