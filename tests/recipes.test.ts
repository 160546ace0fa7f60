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

const run = (runner: keyof typeof runners, script: string, args: ReadonlyArray<string>) => {
  const [command, argv] = runners[runner](script, args)
  const result = spawnSync(command, argv, {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
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
    it(`${runner} runs vanilla.ts and writes samples.csv and samples.png`, () => {
      const out = join(scratch, `${runner}-ring`)
      const r = run(runner, 'recipes/vanilla.ts', ['--dataset', 'ring', '--steps', '40', '--log-every', '20', '--out', out])
      expect(r.stderr).not.toMatch(/error/i)
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/step 40 {2}D loss \d/)
      if (runner === 'deno' && denoBackend.length > 0) expect(r.stdout).toContain('backend webgpu (requested)')
      expect(r.stdout).toMatch(/Q1 ring: modes captured \d\/8, high quality [\d.]+%, reverse KL/)
      const csv = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n')
      expect(csv[0]).toBe('x,y')
      expect(csv).toHaveLength(2501)
      expect(csv.slice(1).every((line) => line.split(',').map(Number).every(Number.isFinite))).toBe(true)
      const png = readFileSync(join(out, 'samples.png'))
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG')
    }, 300_000)

    it(`${runner} runs slanted-land.ts and meets Q5`, () => {
      const r = run(runner, 'recipes/slanted-land.ts', [])
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
    for (const f of ['--dataset', '--steps', '--seed', '--backend', '--out']) expect(r.stdout).toContain(f)
  })
})
