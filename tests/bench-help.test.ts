// Every benchmark script that takes ganfp flags answers `--help` with its options and exits at
// once, without training: `bun run bench/q1.ts --help` once ignored the flag and trained the
// ring for minutes. README quotes these commands; their runs are too long for the suite.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The bench scripts whose options are ganfp flags (`parseFlags`); the others parse their own. */
const flagScripts = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.ts') && readFileSync(join(root, 'bench', name), 'utf8').includes('parseFlags('))
  .sort()

describe.skipIf(runtime !== 'node')('bench scripts', () => {
  it('are found', () => {
    expect(flagScripts).toEqual(expect.arrayContaining(['b1.ts', 'b2.ts', 'q1.ts', 'q2.ts', 'quality.ts', 'srgan-steps.ts']))
  })

  for (const name of flagScripts)
    it(`bench/${name} --help prints its options and trains nothing`, () => {
      const started = performance.now()
      const r = spawnSync(join(root, 'node_modules', '.bin', 'bun'), ['run', join('bench', name), '--help'], { cwd: root, encoding: 'utf8', timeout: 60_000 })
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' })
      expect(r.stdout).toMatch(/--\w/)
      expect(r.stdout).not.toMatch(/\| seed \||steps\/s|ms\/iteration/)
      // Loading the library takes a few seconds on a busy machine; a training run takes minutes.
      expect(performance.now() - started).toBeLessThan(45_000)
    })
})
