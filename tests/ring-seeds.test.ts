/**
 * Protocol Q1's ring in short runs of the vanilla recipe's defaults on several seeds: every mode
 * kept. On wasm with one thread (the fastest for layers this small; wasm gives the same bits on
 * every runtime), so three seeds fit the unit-test budget; the full protocol is bench/quality.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../src/index.ts'
import { trainVanilla, vanillaDefaults } from '../recipes/vanilla.ts'

describe('the vanilla recipe on the ring', () => {
  beforeAll(async () => {
    await useBackend('wasm', { wasmThreads: 1 })
  })

  it('captures all 8 modes on seeds 1, 2 and 7 in 2,000 steps', async () => {
    // Seed 7 is the one that lost a mode before the ring's discriminator judged pairs (PacGAN2).
    for (const seed of [1, 2, 7]) {
      const { report } = await trainVanilla({ ...vanillaDefaults, steps: 2000, batch: 128, seed })
      expect(`seed ${seed}: ${report.modesCaptured}/8`).toBe(`seed ${seed}: 8/8`)
    }
  }, 600_000)
})
