// `ganfp export RUN --format onnx` as users run it: a run directory (a small CGAN from the
// checkpoint-compatibility fixtures, copied) exported by the command, then served by ONNX Runtime,
// whose samples must be the run's own. Spawned from the Node
// suite only (the command under Deno); the exporter itself is tested on every runtime in
// tests/onnx-export.test.ts.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as ort from 'onnxruntime-web'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'
import { builtinRecipes } from '../src/cli/builtins.ts'
import { loadRecipeOrThrow } from '../src/run/load-recipe.ts'
import { restoreRunOrThrow } from '../src/run/start.ts'
import { Rng } from '../src/random.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-export-'))
const ganfp = (args: ReadonlyArray<string>) => {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'deno'), ['run', '-A', 'src/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000, env })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}
const load = (reference: string) => loadRecipeOrThrow(reference, { builtins: builtinRecipes })

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const maxAbsDifference = (a: Float32Array, b: Float32Array): number => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0)

describe.skipIf(runtime !== 'node')('ganfp export --format onnx', () => {
  const run = join(scratch, 'cgan')
  cpSync(join(root, 'tests', 'fixtures', 'runs-before-issue-16', 'cgan'), run, { recursive: true })
  it('exports a trained CGAN generator that ONNX Runtime samples as ganfp does', async () => {
    const exported = ganfp(['export', run, '--format', 'onnx'])
    expect(exported.status, exported.stderr).toBe(0)
    expect(exported.stdout).toContain('labels int32 [batch] in [0, 10)')
    const file = join(run, 'generator.onnx')
    ort.env.wasm.numThreads = 1
    const session = await ort.InferenceSession.create(readFileSync(file))
    const restored = await restoreRunOrThrow(run, load, { backend: 'cpu' })
    try {
      const n = 6
      const perSample = restored.trainer.compiled.generator.inputShape.reduce((a, b) => a * b, 1)
      const latents = Rng.fromSeed(5).normals(n * perSample)
      const labels = Int32Array.from({ length: n }, (_, i) => (i * 3) % 10)
      const expected = await restored.trainer.generateOrThrow(latents, labels)
      const served = await session.run({
        input: new ort.Tensor('float32', latents, [n, ...restored.trainer.compiled.generator.inputShape]),
        labels: new ort.Tensor('int32', labels, [n]),
      })
      expect(served['output']!.dims).toEqual([n, ...restored.trainer.compiled.generator.outputShape])
      expect(maxAbsDifference(served['output']!.data as Float32Array, expected)).toBeLessThanOrEqual(1e-4)
    } finally {
      restored.trainer.dispose()
    }
  }, 600_000)

  it('exports the discriminator to a named file', () => {
    const out = join(scratch, 'critic.onnx')
    const exported = ganfp(['export', run, '--format', 'onnx', '--network', 'discriminator', '--out', out])
    expect(exported.status, exported.stderr).toBe(0)
    expect(existsSync(out)).toBe(true)
  }, 300_000)

  it('refuses bad requests with exit 2, a message naming the option, and writes nothing', () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [['export', run, '--format', 'pdf'], '--format'],
      [['export', run, '--format', 'onnx', '--network', 'critic'], '--network'],
      [['export', run, '--format', 'onnx', '--network', 'discriminator', '--weights', 'average', '--out', join(scratch, 'no.onnx')], '--weights'],
      [['export', join(scratch, 'no-such-run'), '--format', 'onnx', '--out', join(scratch, 'no.onnx')], 'no-such-run'],
    ]
    for (const [args, named] of cases) {
      const result = ganfp(args)
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2)
      expect(result.stderr).toContain(named)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    expect(existsSync(join(scratch, 'no.onnx'))).toBe(false)
  }, 300_000)
})
