import { describe, expect, it } from 'vitest'
import { gridMixture, mixtureDataset, mixtureReport, ringMixture, type Mixture2d } from '../src/index.ts'

const atModes = (mixture: Mixture2d, perMode: ReadonlyArray<number>, offset = 0): Float32Array =>
  new Float32Array(mixture.modes.flatMap(([x, y], m) => Array.from({ length: perMode[m]! }, () => [x + offset, y]).flat()))

describe('Q1 mixture metrics', () => {
  it('defines the ring and the grid as protocol Q1 says', () => {
    expect(ringMixture.modes).toHaveLength(8)
    for (const [x, y] of ringMixture.modes) expect(Math.hypot(x, y)).toBeCloseTo(1, 12)
    expect(ringMixture.std).toBe(0.01)
    expect(gridMixture.modes).toHaveLength(25)
    expect(gridMixture.std).toBe(0.05)
  })

  it('scores samples drawn from the true ring as 8/8 modes, ~all high quality, KL ≈ 0', async () => {
    const it = mixtureDataset(ringMixture).batches({ batchSize: 2500, seed: 1 })[Symbol.asyncIterator]()
    const real = (await it.next()).value!.values
    const r = mixtureReport(ringMixture, real)
    expect(r.modesCaptured).toBe(8)
    // A 2-D isotropic Gaussian holds 1 − e^(−9/2) ≈ 98.9% of its mass within 3σ (binomial sd ≈ 0.2%).
    expect(Math.abs(r.highQualityFraction - (1 - Math.exp(-4.5)))).toBeLessThan(0.006)
    expect(r.reverseKl).toBeLessThan(0.01)
  })

  it('counts a mode as captured only with at least 20 high-quality samples', () => {
    const r = mixtureReport(ringMixture, atModes(ringMixture, [100, 100, 100, 100, 100, 100, 100, 19]))
    expect(r.modesCaptured).toBe(7)
    expect(r.minPerMode).toBe(20)
    expect(r.highQualityFraction).toBe(1)
    // The third parameter moves the rule, and the report says which rule it counted by.
    const stricter = mixtureReport(ringMixture, atModes(ringMixture, [100, 100, 100, 100, 100, 100, 100, 19]), 101)
    expect([stricter.modesCaptured, stricter.minPerMode]).toEqual([0, 101])
  })

  it('computes reverse KL against uniform by hand: all mass on 2 of 8 modes gives log 4', () => {
    const r = mixtureReport(ringMixture, atModes(ringMixture, [50, 50, 0, 0, 0, 0, 0, 0]))
    expect(r.reverseKl).toBeCloseTo(Math.log(4), 10)
  })

  it('does not count points beyond 3σ as high quality', () => {
    const r = mixtureReport(ringMixture, atModes(ringMixture, [30, 30, 30, 30, 30, 30, 30, 30], 0.031))
    expect(r.highQualityFraction).toBe(0)
    expect(r.modesCaptured).toBe(0)
  })
})
