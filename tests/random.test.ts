import { describe, expect, it } from 'vitest'
import { Rng } from '../src/index.ts'

describe('Rng', () => {
  it('repeats a sequence from the same seed and resumes from a saved state', () => {
    const a = Rng.fromSeed(42)
    const b = Rng.fromSeed(42)
    expect(Array.from({ length: 5 }, () => a.nextUint32())).toEqual(Array.from({ length: 5 }, () => b.nextUint32()))
    const saved = a.state()
    const next = Array.from({ length: 5 }, () => a.uniform())
    expect(Array.from({ length: 5 }, () => Rng.fromState(saved).uniform())[0]).toBe(next[0])
    const resumed = Rng.fromState(saved)
    expect(Array.from({ length: 5 }, () => resumed.uniform())).toEqual(next)
  })

  it('gives different streams for different seeds and for forks', () => {
    const root = Rng.fromSeed(1)
    const f1 = root.fork()
    const f2 = root.fork()
    expect(f1.nextUint32()).not.toBe(f2.nextUint32())
    expect(Rng.fromSeed(1).nextUint32()).not.toBe(Rng.fromSeed(2).nextUint32())
  })

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const rng = Rng.fromSeed(3)
    const u = rng.uniforms(100_000)
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...u)).toBeLessThan(1)
    const n = rng.normals(100_000)
    const mean = n.reduce((a, b) => a + b, 0) / n.length
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(Math.abs(variance - 1)).toBeLessThan(0.02)
  })
})
