// Latent-space tools against hand values.
import { describe, expect, it } from 'vitest'
import { attributeDirection, interpolateLatents, nearestNeighbours, Rng, shiftLatents, truncateLatents } from '../src/index.ts'

const norm = (v: ArrayLike<number>, from = 0, n = v.length) => {
  let s = 0
  for (let i = from; i < from + n; i++) s += v[i]! ** 2
  return Math.sqrt(s)
}

describe('latent tools', () => {
  it('linear interpolation is evenly spaced and hits both ends', () => {
    const path = interpolateLatents(new Float32Array([1, -1]), new Float32Array([3, 3]), 5, 'linear')
    expect(Array.from(path)).toEqual([1, -1, 1.5, 0, 2, 1, 2.5, 2, 3, 3])
  })

  it('spherical interpolation follows the great circle: ends exact, norms interpolated, equal angles between steps', () => {
    const a = new Float32Array([2, 0])
    const b = new Float32Array([0, 4])
    const path = interpolateLatents(a, b, 3, 'spherical')
    expect(Array.from(path.subarray(0, 2)).map((v) => Number(v.toFixed(5)))).toEqual([2, 0])
    expect(Array.from(path.subarray(4, 6)).map((v) => Number(v.toFixed(5)))).toEqual([0, 4])
    // The midpoint: at 45°, norm (2 + 4) / 2 = 3.
    expect(path[2]!).toBeCloseTo(3 / Math.SQRT2, 5)
    expect(path[3]!).toBeCloseTo(3 / Math.SQRT2, 5)
    // High-dimensional Gaussian latents: the linear midpoint shrinks to ≈ 1/√2 of the norm, slerp's does not.
    const rng = Rng.fromSeed(3)
    const x = rng.normals(512)
    const y = rng.normals(512)
    const linear = interpolateLatents(x, y, 3, 'linear')
    const spherical = interpolateLatents(x, y, 3, 'spherical')
    const typical = (norm(x) + norm(y)) / 2
    expect(norm(linear, 512, 512) / typical).toBeLessThan(0.8)
    expect(norm(spherical, 512, 512) / typical).toBeCloseTo(1, 5)
  })

  it('attribute direction, shift and truncation are the plain arithmetic', () => {
    const direction = attributeDirection(new Float32Array([1, 2, 3, 4]), new Float32Array([0, 0, 2, 2]), 2)
    expect(Array.from(direction)).toEqual([1, 2]) // means (2, 3) − (1, 1)
    expect(Array.from(shiftLatents(new Float32Array([0, 0, 1, 1]), direction, 2))).toEqual([2, 4, 3, 5])
    expect(Array.from(truncateLatents(new Float32Array([1, -2]), 0.5))).toEqual([0.5, -1])
  })

  it('nearest neighbours match a brute-force search', () => {
    const rng = Rng.fromSeed(5)
    const reference = rng.uniforms(40 * 6)
    const samples = rng.uniforms(7 * 6)
    const { indices, distances } = nearestNeighbours(samples, 7, reference, 40)
    for (let s = 0; s < 7; s++) {
      let best = Number.POSITIVE_INFINITY
      let bestIndex = -1
      for (let r = 0; r < 40; r++) {
        let d = 0
        for (let k = 0; k < 6; k++) d += (samples[s * 6 + k]! - reference[r * 6 + k]!) ** 2
        if (d < best) [best, bestIndex] = [d, r]
      }
      expect(indices[s]).toBe(bestIndex)
      expect(distances[s]!).toBeCloseTo(Math.sqrt(best), 5)
    }
  })
})
