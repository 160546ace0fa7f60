// The recipes as users run them: subprocesses under `deno run` and `bun run`, with exit codes and
// outputs checked. Spawned once, from the Node suite; the Deno and Bun suites skip this file.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pngjs from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const runners = {
  deno: (script: string, args: ReadonlyArray<string>) => [bin('deno'), ['run', '-A', script, ...args, ...denoBackend]] as const,
  bun: (script: string, args: ReadonlyArray<string>) => [bin('bun'), ['run', script, ...args]] as const,
}
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-recipes-'))

const run = (runner: keyof typeof runners, script: string, args: ReadonlyArray<string>, timeout = 300_000) => spawn(...runners[runner](script, args), timeout)

/** The ganfp command itself (no backend flag: the CLI's sampling commands pick theirs). */
const cli = (runner: keyof typeof runners, args: ReadonlyArray<string>) =>
  spawn(bin(runner), runner === 'deno' ? ['run', '-A', 'src/cli.ts', ...args] : ['run', 'src/cli.ts', ...args])

const spawn = (command: string, argv: ReadonlyArray<string>, timeout = 300_000) => {
  const result = spawnSync(command, argv, {
    cwd: root,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' },
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Whether Deno here has a WebGPU adapter (lavapipe on CI): then the Deno runs use it explicitly. */
const denoHasWebGpu = (): boolean =>
  runtime === 'node' &&
  spawnSync(bin('deno'), ['eval', 'const a = await navigator.gpu?.requestAdapter(); Deno.exit(a ? 0 : 1)'], {
    env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp' },
  }).status === 0
const denoBackend = denoHasWebGpu() ? ['--backend', 'webgpu'] : []

describe.skipIf(runtime !== 'node')('recipes as subprocesses', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  for (const runner of ['deno', 'bun'] as const) {
    it(`${runner} runs vanilla.ts as a recipe: a run directory, samples.csv, samples.png and the Q1 figures`, () => {
      const out = join(scratch, `${runner}-ring`)
      const r = run(runner, 'recipes/vanilla.ts', ['--dataset', 'ring', '--steps', '40', '--log-every', '20', '--out', out])
      expect(r.stderr).not.toMatch(/error/i)
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`completed 40 steps in ${out}`)
      if (runner === 'deno' && denoBackend.length > 0) expect(r.stdout).toContain('on webgpu (requested)')
      expect(r.stdout).toMatch(/Q1 ring: modes captured \d\/8 \(a mode counts with ≥ 20 high-quality samples\), high quality [\d.]+% \(within 3σ of a mode\), reverse KL/)
      expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 20, 40])
      const csv = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')
      expect(csv[0]).toBe('x,y')
      expect(csv).toHaveLength(2501)
      expect(csv.slice(1).every((line) => line.split(',').map(Number).every(Number.isFinite))).toBe(true)
      const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'))
      expect(evaluation).toMatchObject({ step: 40, scores: { mixture: 'ring', samples: 2500, modes: 8, minPerMode: 20 } })
      expect(evaluation.scores.modesCaptured).toBeLessThanOrEqual(8)
      for (const png of [join(out, 'samples.png'), join(out, 'samples', 'step-00000040.png')])
        expect(pngjs.PNG.sync.read(readFileSync(png)).width).toBe(512)
    }, 300_000)

    it(`${runner} runs slanted-land.ts and meets Q5`, () => {
      const r = run(runner, 'recipes/slanted-land.ts', ['--out', join(scratch, `${runner}-slanted`)])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('generator weights')
      const faces = Number(/faces among 1000 samples: ([\d.]+)%/.exec(r.stdout)?.[1])
      const accuracy = Number(/faces vs noise: ([\d.]+)%/.exec(r.stdout)?.[1])
      expect(faces).toBeGreaterThanOrEqual(95)
      expect(accuracy).toBeGreaterThanOrEqual(95)
    }, 300_000)
  }

  for (const runner of ['deno', 'bun'] as const)
    it(`${runner} runs dcgan.ts (tiny size) and writes a run directory, sample grids and samples.npy`, () => {
      const out = join(scratch, `${runner}-dcgan`)
      const r = run(runner, 'recipes/dcgan.ts', ['--steps', '2', '--width', '2', '--batch', '4', '--sample-every', '2', '--log-every', '1', '--out', out])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`completed 2 steps in ${out}`)
      expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2)
      for (const png of [join(out, 'samples.png'), join(out, 'samples', 'step-00000002.png')]) {
        const decoded = pngjs.PNG.sync.read(readFileSync(png))
        expect([decoded.width, decoded.height]).toEqual([8 * 30 + 2, 8 * 30 + 2]) // 8×8 grid of 28 px + 2 px gutters
      }
      const npy = readFileSync(join(out, 'samples.npy'))
      const headerLength = npy.readUInt16LE(8)
      expect(npy.subarray(1, 6).toString()).toBe('NUMPY')
      expect(npy.subarray(10, 10 + headerLength).toString()).toContain("'descr': '<f4', 'fortran_order': False, 'shape': (2000, 28, 28)")
      const values = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.length))
      expect(values).toHaveLength(2000 * 784)
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true)
    }, 300_000)

  const npyHeader = (file: string): string => {
    const npy = readFileSync(file)
    return npy.subarray(10, 10 + npy.readUInt16LE(8)).toString()
  }

  for (const runner of ['deno', 'bun'] as const)
    it(`${runner} runs cgan.ts (tiny size): a row per class, samples.npy + labels.npy, the Q3 figure; ganfp sample --label`, () => {
      const out = join(scratch, `${runner}-cgan`)
      // Under Deno on lavapipe's WebGPU this run (2 steps, then the Q3 evaluation) took 201–208 s
      // alone on a 2-core machine on 2026-12-04, and past 300 s beside the rest of the suite.
      const r = run(runner, 'recipes/cgan.ts', ['--steps', '2', '--width', '2', '--batch', '4', '--per-class', '20', '--sample-every', '2', '--out', out], 600_000)
      expect(r.stderr).not.toMatch(/error/i)
      expect(r.status).toBe(0)
      const classes = pngjs.PNG.sync.read(readFileSync(join(out, 'classes.png')))
      expect([classes.width, classes.height]).toEqual([10 * 30 + 2, 10 * 30 + 2])
      expect(npyHeader(join(out, 'samples.npy'))).toContain("'descr': '<f4', 'fortran_order': False, 'shape': (200, 28, 28)")
      expect(npyHeader(join(out, 'labels.npy'))).toContain("'descr': '<i4', 'fortran_order': False, 'shape': (200,)")
      expect(r.stdout).toMatch(/Q3: the judge classifies [\d.]+% of 200 samples as their requested label/)
      expect(r.stdout).toContain('| real-vs-real floor |')
      const grid = join(out, 'sevens.png')
      const sampled = cli(runner, ['sample', out, '--label', '7', '--n', '4', '--out', grid])
      expect(sampled.status).toBe(0)
      expect(pngjs.PNG.sync.read(readFileSync(grid)).width).toBe(2 * 30 + 2)
      const wrong = cli(runner, ['sample', out, '--label', '10'])
      expect(wrong.status).toBe(2)
      expect(wrong.stderr).toContain('InvalidConfig at --label: expected a class in [0, 10), found 10')
    }, 900_000)

  for (const runner of ['deno', 'bun'] as const)
    it(`${runner} runs srgan.ts (tiny size): comparison grid, lr/sr/hr arrays, PSNR and SSIM of bicubic, pretrained and SRGAN`, () => {
      const out = join(scratch, `${runner}-srgan`)
      const r = run(runner, 'recipes/srgan.ts', ['--steps', '4', '--pretrain-steps', '2', '--filters', '4', '--blocks', '1', '--batch', '4', '--eval-images', '40', '--out', out])
      expect(r.stderr).not.toMatch(/error/i)
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/MSE pretraining done: PSNR [\d.]+ dB on 40 held-out images/)
      for (const row of ['bicubic', 'MSE-pretrained generator', 'SRGAN (adversarial)']) expect(r.stdout).toMatch(new RegExp(`\\| ${row.replace(/[()]/g, '\\$&')} \\| [\\d.]+ \\| [\\d.]+ \\| [\\d.]+% \\|`))
      expect(npyHeader(join(out, 'lr.npy'))).toContain("'shape': (40, 7, 7, 1)")
      for (const name of ['sr', 'hr', 'sr-pretrained']) expect(npyHeader(join(out, `${name}.npy`))).toContain("'shape': (40, 28, 28, 1)")
      const comparison = pngjs.PNG.sync.read(readFileSync(join(out, 'comparison.png')))
      expect([comparison.width, comparison.height]).toEqual([5 * 30 + 2, 16 * 30 + 2])
      // Paired runs sample from held-out inputs.
      const sampled = cli(runner, ['sample', out, '--n', '4', '--out', join(out, 'sampled.png')])
      expect(sampled.status).toBe(0)
    }, 300_000)

  it('reports every bad flag at once and exits 2, writing nothing', () => {
    const out = join(scratch, 'never')
    const r = run('bun', 'recipes/vanilla.ts', ['--steps', '0', '--dataset', 'moon', '--out', out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('2 problems')
    expect(r.stderr).toContain('InvalidConfig at --dataset: expected one of ring, grid, found "moon"')
    expect(r.stderr).toContain('InvalidConfig at --steps: expected a positive integer, found "0"')
    expect(existsSync(out)).toBe(false)
  })

  it('prints its options with --help', () => {
    const r = run('bun', 'recipes/vanilla.ts', ['--help'])
    expect(r.status).toBe(0)
    for (const f of ['--dataset', '--steps', '--batch', '--seed', '--backend', '--out']) expect(r.stdout).toContain(f)
    expect(r.stdout).toMatch(/--steps +generator steps in all \(a positive integer; default 20000\)/)
    expect(r.stdout).toMatch(/--batch +examples per batch \(a positive integer; default 256\)/)
  })
})
