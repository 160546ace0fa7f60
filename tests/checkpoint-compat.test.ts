// Checkpoints written before the architecture change (issue 16) still resume after it, exactly.
// tests/fixtures/runs-before-issue-16/ holds three runs made by ganfp at commit 5d206ab with
// `ganfp train RECIPE … --steps 20 --checkpoint-every 10 --log-every 1 --backend cpu --batch 8`
// (dcgan and cgan with --width 2 --latent-dim 8): each run's manifest, its metrics for all 20
// steps, and its step-10 checkpoint. Restored by today's code, each must log steps 11 to 20 with
// the very losses and scores the old code logged, and the same gradient norms up to float32
// rounding (since issue 17 the norm sums the squares of all gradients in one pass, in another
// order than per tensor).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import vanilla from '../recipes/vanilla.ts'
import { restoreRunOrThrow } from '../src/node.ts'
import type { Recipe } from '../src/index.ts'

const fixtures = fileURLToPath(new URL('./fixtures/runs-before-issue-16/', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-compat-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const compared = ['discriminatorLoss', 'generatorLoss', 'realScore', 'fakeScore'] as const
const norms = ['discriminatorGradientNorm', 'generatorGradientNorm'] as const

describe('a checkpoint written before the architecture change', () => {
  const runs: ReadonlyArray<readonly [string, Recipe]> = [
    ['vanilla', vanilla],
    ['dcgan', dcgan],
    ['cgan', cgan],
  ]
  for (const [name, recipe] of runs)
    it(`${name}: resumes at step 10 and logs steps 11–20 as the old code did (losses and scores exactly)`, async () => {
      const run = join(scratch, name)
      cpSync(join(fixtures, name), run, { recursive: true })
      const logged = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, number>)
      const { trainer, checkpoint } = await restoreRunOrThrow(run, async () => recipe, { backend: 'cpu' })
      try {
        expect(checkpoint.step).toBe(10)
        for (let step = 11; step <= 20; step++) {
          const report = await trainer.stepOrThrow()
          const old = logged.find((row) => row['step'] === step)!
          expect({ step: report.step, ...Object.fromEntries(compared.map((k) => [k, report[k]])) }).toEqual({
            step,
            ...Object.fromEntries(compared.map((k) => [k, old[k]])),
          })
          for (const k of norms) expect({ step, k, relativeError: Math.abs(report[k] - old[k]!) / old[k]! < 1e-5 }).toEqual({ step, k, relativeError: true })
        }
      } finally {
        trainer.dispose()
      }
    }, 120_000)
})
