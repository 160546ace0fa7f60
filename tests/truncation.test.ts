// The truncation trick when sampling (`SampleOptions.truncation`, `truncateSampledLatents`): latents
// drawn nearer their distribution's centre, checked through an affine generator, whose samples
// must move toward the centre's image by exactly ψ. Runs under vitest, Bun and Deno.
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cganFlags,
  checkpointFromBytesOrThrow,
  checkpointToBytes,
  compileOrThrow,
  createTrainerOrThrow,
  dcganFlags,
  dense,
  gan,
  GanException,
  normalLatent,
  ring,
  samplerFromSnapshotOrThrow,
  sequential,
  truncateSampledLatents,
  truncationFlag,
  uniformLatent,
  useBackend,
  type Latent,
} from '../src/index.ts'
import { cliMain } from '../src/cli/main.ts'

const affineGan = (latent: Latent) =>
  compileOrThrow(gan({ generator: sequential([3], [dense(2)]), discriminator: sequential([2], [dense(1)]), latent }))

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>) => {
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) expect(actual[i]!).toBeCloseTo(expected[i]!, 5)
}

describe('truncated sampling', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('moves latents toward the centre of their distribution by ψ', () => {
    expect(Array.from(truncateSampledLatents(normalLatent(2, { mean: 1 }), new Float32Array([3, -1]), 0.5))).toEqual([2, 0])
    expect(Array.from(truncateSampledLatents(uniformLatent(2, { low: 0, high: 4 }), new Float32Array([4, 0]), 0.25))).toEqual([2.5, 1.5])
    const latents = new Float32Array([0.3, -7])
    expect(truncateSampledLatents(normalLatent(2), latents, 1)).toBe(latents)
  })

  const latents: ReadonlyArray<readonly [string, Latent, number]> = [
    ['a normal latent with mean 1', normalLatent(3, { mean: 1, std: 2 }), 1],
    ['a uniform latent on [2, 6]', uniformLatent(3, { low: 2, high: 6 }), 4],
  ]
  for (const [name, latent, centre] of latents) {
    it(`draws samples ψ of the way from the centre’s image to the untruncated ones (${name})`, async () => {
      const trainer = createTrainerOrThrow(affineGan(latent), ring(), { seed: 3, batchSize: 8 })
      const full = await trainer.sampleOrThrow(6, { seed: 5 })
      const atCentre = await trainer.generateOrThrow(new Float32Array(6 * 3).fill(centre))
      for (const psi of [0.25, 0.7]) {
        const truncated = await trainer.sampleOrThrow(6, { seed: 5, truncation: psi })
        close(truncated, Array.from(full, (v, i) => atCentre[i]! + psi * (v - atCentre[i]!)))
      }
      expect(Array.from(await trainer.sampleOrThrow(6, { seed: 5, truncation: 1 }))).toEqual(Array.from(full))
      // A snapshot's sampler truncates the same way, bit for bit.
      const { snapshot } = checkpointFromBytesOrThrow(checkpointToBytes(await trainer.snapshotOrThrow()))
      const sampler = samplerFromSnapshotOrThrow(affineGan(latent), snapshot)
      expect(Array.from(await sampler.sampleOrThrow(6, { seed: 5, truncation: 0.7 }))).toEqual(Array.from(await trainer.sampleOrThrow(6, { seed: 5, truncation: 0.7 })))
      sampler.dispose()
      trainer.dispose()
    })
  }

  it('refuses a ψ outside (0, 1], with every problem of the call at once', async () => {
    const trainer = createTrainerOrThrow(affineGan(normalLatent(3)), ring(), { seed: 3, batchSize: 8 })
    for (const psi of [0, -0.5, 1.5, Number.NaN, '0.5']) {
      const error = await trainer.sampleOrThrow(2, { seed: 1.5, truncation: psi as number }).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(GanException)
      expect((error as GanException).errors.map((e) => e.path)).toEqual(['options.seed', 'options.truncation'])
      expect((error as GanException).errors[1]!.expected).toContain('0 < ψ ≤ 1')
    }
    trainer.dispose()
  })

  it('is the image recipes’ --truncation option, read as a number in (0, 1]', () => {
    expect(truncationFlag.decode('0.8')).toEqual({ _tag: 'Right', right: 0.8 })
    expect(truncationFlag.decode('1')).toEqual({ _tag: 'Right', right: 1 })
    for (const bad of ['0', '1.2', '-0.5', 'abc', '']) expect(truncationFlag.decode(bad)._tag).toBe('Left')
    // Runs recorded before the option existed sampled without truncation.
    expect(dcganFlags.truncation.before).toBe(1)
    expect(cganFlags.truncation.before).toBe(1)
  })
})

describe('ganfp truncation on a conditional run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ganfp-truncation-'))
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true })
    await useBackend('cpu')
  })

  it('asks for each class in turn and prints the share the judge sees as the class asked for, per ψ', async () => {
    const run = join(scratch, 'cgan')
    cpSync(fileURLToPath(new URL('./fixtures/runs-before-issue-16/cgan', import.meta.url)), run, { recursive: true })
    const lines: Array<string> = []
    const original = console.log
    console.log = (...args: ReadonlyArray<unknown>) => void lines.push(String(args[0]))
    try {
      // wasm: the judge's 2,000-image passes take minutes on the cpu backend.
      await cliMain(['truncation', run, '--psi', '0.5', '--backend', 'wasm'])
    } finally {
      console.log = original
    }
    const printed = lines.join('\n')
    expect(printed).toContain('| ψ | FD | precision | recall | density | coverage | labels followed |')
    expect(printed).toMatch(/\| 0\.5 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| \d+\.\d\d% \|/)
  }, 300_000)
})
