// `ganfp export` as users run it, under Deno from the Node suite: a run directory (a small CGAN
// from the checkpoint-compatibility fixtures, copied) exported to ONNX and served by ONNX Runtime,
// whose samples must be the run's own; a recipe exported to a PyTorch package, trained by torchrun
// with two processes, and the result sampled and exported again by ganfp. The exporters themselves
// are tested on every runtime in tests/onnx-export.test.ts and tests/torch-export.test.ts.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
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
import { python, runTorchrun, standaloneLauncher } from './support/torchrun.ts'

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
    expect({ status: exported.status, output: exported.stderr }).toMatchObject({ status: 0 })
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
    expect({ status: exported.status, output: exported.stderr }).toMatchObject({ status: 0 })
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
      expect({ status: result.status, output: `${args.join(' ')}: ${result.stderr}` }).toMatchObject({ status: 2 })
      expect(result.stderr).toContain(named)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    expect(existsSync(join(scratch, 'no.onnx'))).toBe(false)
  }, 300_000)
})

const torchCheck = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' })
// Outside CI a machine without Debian's python3-torch skips loudly; in CI (which installs it) a missing one fails.
const skipTorch = torchCheck.status !== 0 && process.env['CI'] === undefined
if (skipTorch && runtime === 'node') console.warn('tests/export-cli.test.ts: SKIPPING the torchrun run: /usr/bin/python3 with torch and numpy is missing (CI installs python3-torch)')

describe.skipIf(runtime !== 'node')('ganfp export --format torch', () => {
  const pkg = join(scratch, 'torch-dcgan')
  it('writes a package from a recipe and its options: the spec, the data as uint8, step-0 parameters', () => {
    const exported = ganfp(['export', 'dcgan', '--format', 'torch', '--out', pkg, '--width', '2', '--batch', '8', '--seed', '3'])
    expect({ status: exported.status, output: exported.stderr }).toMatchObject({ status: 0 })
    expect(exported.stdout).toContain('recipe dcgan, step 0, seed 3')
    expect(exported.stdout).toMatch(/data: [\d,]+ examples of 28×28×1 as uint8/)
    for (const file of ['train.py', 'spec.json', 'README.md', 'data/images.npy', 'ganfp_torch/train.py']) expect({ file, exists: existsSync(join(pkg, file)) }).toEqual({ file, exists: true })
    expect(statSync(join(pkg, 'spec.json')).mode & 0o777).toBe(0o644)
    const spec = JSON.parse(readFileSync(join(pkg, 'spec.json'), 'utf8')) as { readonly run: { readonly seed: number; readonly config: Readonly<Record<string, unknown>> } }
    expect(spec.run.seed).toBe(3)
    expect(spec.run.config['width']).toBe(2)
  }, 300_000)

  it.skipIf(skipTorch)('torchrun with 2 processes trains it into a run directory that ganfp samples, exports and resumes from', () => {
    const run = join(scratch, 'torch-run')
    const trained = runTorchrun([...standaloneLauncher(2), join(pkg, 'train.py'), '--steps', '6', '--out', run])
    expect({ status: trained.status, output: `${trained.stdout}\n${trained.stderr}` }).toMatchObject({ status: 0 })
    const grid = join(scratch, 'torch-grid.png')
    const sampled = ganfp(['sample', run, '--n', '16', '--out', grid])
    expect({ status: sampled.status, output: sampled.stderr }).toMatchObject({ status: 0 })
    expect(sampled.stdout).toContain('from step 6')
    expect(ganfp(['export', run, '--format', 'onnx']).status).toBe(0)
    expect(existsSync(join(run, 'generator.onnx'))).toBe(true)
    const resumed = ganfp(['resume', run, '--steps', '8'])
    expect({ status: resumed.status, output: resumed.stderr }).toMatchObject({ status: 0 })
  }, 600_000)

  it("goes on from a run directory's newest checkpoint", () => {
    const run = join(scratch, 'dcgan-fixture')
    cpSync(join(root, 'tests', 'fixtures', 'runs-before-issue-16', 'dcgan'), run, { recursive: true })
    const out = join(scratch, 'torch-from-run')
    const exported = ganfp(['export', run, '--format', 'torch', '--out', out])
    expect({ status: exported.status, output: exported.stderr }).toMatchObject({ status: 0 })
    expect(exported.stdout).toContain(`run ${run}, step 10`)
  }, 300_000)

  it('refuses what it cannot do with exit 2, naming the option or the spec path, and writes nothing', () => {
    const taken = join(scratch, 'taken')
    mkdirSync(taken)
    writeFileSync(join(taken, 'notes.txt'), 'mine\n')
    const missing = join(scratch, 'never-written')
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [['export', 'dcgan', '--format', 'torch', '--out', taken], '--out'],
      [['export', 'dcgan', '--format', 'torch'], '--out'],
      [['export', 'dcgan', '--format', 'torch', '--out', missing, '--network', 'generator'], '--network'],
      [['export', 'dcgan', '--format', 'torch', '--out', missing, '--width', '2', '--augment', 'translation-cutout'], 'gan.augmentation'],
      [['export', 'dcgan', '--format', 'torch', '--out', missing, '--widht', '2'], '--widht'],
      [['export', 'no-such-recipe', '--format', 'torch', '--out', missing], 'no-such-recipe'],
    ]
    for (const [args, named] of cases) {
      const result = ganfp(args)
      expect({ status: result.status, output: `${args.join(' ')}: ${result.stderr}` }).toMatchObject({ status: 2 })
      expect(result.stderr).toContain(named)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    // The command's own options and the recipe's, named in one report.
    const both = ganfp(['export', 'dcgan', '--format', 'torch', '--widht', '2', '--seed', 'x'])
    expect({ status: both.status, output: both.stderr }).toMatchObject({ status: 2 })
    for (const named of ['--out', '--widht', '--seed']) expect(both.stderr).toContain(named)
    expect(readdirSync(taken)).toEqual(['notes.txt'])
    expect(existsSync(missing)).toBe(false)
    expect(readdirSync(scratch).filter((name) => name.includes('.tmp'))).toEqual([])
  }, 300_000)
})
