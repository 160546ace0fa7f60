// The `ganfp` command as users run it: subprocesses under Deno and Bun, with exit codes, signals
// and the run directory checked. Spawned from the Node suite only; the Deno and Bun suites skip it.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import pngjs from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'
import { Rng } from '../src/random.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const cli = {
  deno: ['run', '-A', 'src/cli.ts'],
  bun: ['run', 'src/cli.ts'],
} as const
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-cli-'))

const ganfp = (runner: keyof typeof cli, args: ReadonlyArray<string>) => {
  const result = spawnSync(bin(runner), [...cli[runner], ...args], { cwd: root, encoding: 'utf8', timeout: 300_000, env })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A tiny DCGAN run on the cpu backend (exact resume is promised there). */
const tinyRun = (out: string, steps: number) => [
  'train',
  'dcgan',
  '--dataset',
  'fashion',
  '--width',
  '2',
  '--batch',
  '4',
  '--steps',
  String(steps),
  '--backend',
  'cpu',
  '--log-every',
  '5',
  '--sample-every',
  '50',
  '--checkpoint-every',
  '40',
  '--out',
  out,
]

type Row = { readonly step: number; readonly discriminatorLoss: number; readonly generatorLoss: number; readonly realScore: number; readonly fakeScore: number }
const metrics = (dir: string): ReadonlyArray<Row> =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row)
    .map(({ step, discriminatorLoss, generatorLoss, realScore, fakeScore }) => ({ step, discriminatorLoss, generatorLoss, realScore, fakeScore }))

/** Starts a run, sends SIGINT once its metrics reach `afterStep`, and waits for it to exit. */
const interruptAt = (runner: keyof typeof cli, args: ReadonlyArray<string>, out: string, afterStep: number) =>
  new Promise<{ readonly status: number | null; readonly stdout: string }>((resolve, reject) => {
    const child = spawn(bin(runner), [...cli[runner], ...args], { cwd: root, env })
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += String(chunk)))
    child.stderr.on('data', (chunk) => (stdout += String(chunk)))
    const poll = setInterval(() => {
      const path = join(out, 'metrics.jsonl')
      if (!existsSync(path)) return
      const last = readFileSync(path, 'utf8').trim().split('\n').at(-1)
      if (last !== undefined && last !== '' && (JSON.parse(last) as Row).step >= afterStep) {
        clearInterval(poll)
        child.kill('SIGINT')
      }
    }, 50)
    child.on('error', reject)
    child.on('exit', (status) => {
      clearInterval(poll)
      resolve({ status, stdout })
    })
  })

/** A DCGAN run whose steps take a second or more on wasm, so a Ctrl-C lands inside a step. */
const slowRun = (out: string) =>
  ['train', 'dcgan', '--width', '64', '--batch', '128', '--steps', '8', '--backend', 'wasm', '--log-every', '1', '--checkpoint-every', '1', '--out', out]

/**
 * Starts `args`, sends SIGINT once metrics reach step 2, and a second one `secondAfterNotice` ms
 * after the notice is printed (when given); times the notice and the exit from the first signal.
 */
const ctrlC = (runner: keyof typeof cli, args: ReadonlyArray<string>, out: string, secondAfterNotice?: number) =>
  new Promise<{ stdout: string; stepAtSignal: number; noticeMs: number; secondMs: number; exitMs: number; status: number | null; signal: string | null }>(
    (resolve, reject) => {
      const child = spawn(bin(runner), [...cli[runner], ...args], { cwd: root, env })
      let stdout = ''
      let firstAt = 0
      let stepAtSignal = -1
      let noticeMs = -1
      let secondMs = -1
      const onOutput = (chunk: unknown): void => {
        stdout += String(chunk)
        if (firstAt === 0 || noticeMs >= 0 || !stdout.includes('interrupted: writing a checkpoint')) return
        noticeMs = Date.now() - firstAt
        if (secondAfterNotice !== undefined)
          setTimeout(() => {
            secondMs = Date.now() - firstAt
            child.kill('SIGINT')
          }, secondAfterNotice)
      }
      child.stdout.on('data', onOutput)
      child.stderr.on('data', onOutput)
      const poll = setInterval(() => {
        const path = join(out, 'metrics.jsonl')
        if (!existsSync(path)) return
        const last = readFileSync(path, 'utf8').trim().split('\n').at(-1)
        if (last === undefined || last === '' || (JSON.parse(last) as Row).step < 2) return
        clearInterval(poll)
        stepAtSignal = (JSON.parse(last) as Row).step
        firstAt = Date.now()
        child.kill('SIGINT')
      }, 20)
      child.on('error', reject)
      child.on('exit', (status, signal) => {
        clearInterval(poll)
        resolve({ stdout, stepAtSignal, noticeMs, secondMs, exitMs: Date.now() - firstAt, status, signal })
      })
    },
  )

describe.skipIf(runtime !== 'node')('the ganfp command', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  for (const runner of ['deno', 'bun'] as const)
    it(`${runner}: Ctrl-C checkpoints and exits 0; resume ends with the losses of an uninterrupted run`, async () => {
      const steps = 160
      const whole = join(scratch, `${runner}-whole`)
      const r = ganfp(runner, tinyRun(whole, steps))
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`completed ${steps} steps`)

      const cut = join(scratch, `${runner}-cut`)
      const stopped = await interruptAt(runner, tinyRun(cut, steps), cut, 42)
      expect(stopped.status).toBe(0)
      const at = Number(/stopped at step (\d+)/.exec(stopped.stdout)?.[1])
      expect(at).toBeGreaterThanOrEqual(42)
      expect(at).toBeLessThan(steps)
      expect(readdirSync(join(cut, 'checkpoints'))).toContain(`step-${String(at).padStart(8, '0')}`)

      const resumed = ganfp(runner, ['resume', cut])
      expect(resumed.status).toBe(0)
      expect(resumed.stdout).toContain(`completed ${steps} steps`)
      // Every logged step, before and after the interruption, equals the uninterrupted run's.
      expect(metrics(cut)).toEqual(metrics(whole))

      for (const file of ['manifest.json', 'loss.svg', 'samples/latest.png', 'samples/step-00000000.png', 'samples/step-00000150.png', 'samples.npy'])
        expect(existsSync(join(cut, file))).toBe(true)
      expect(readFileSync(join(cut, 'loss.svg'), 'utf8')).toMatch(/^<svg[\s\S]*polyline[\s\S]*<\/svg>\n$/)
      const manifest = JSON.parse(readFileSync(join(cut, 'manifest.json'), 'utf8'))
      expect(manifest).toMatchObject({ recipe: { name: 'dcgan', module: 'builtin:dcgan' }, seed: 1, backend: { name: 'cpu' }, runtime: { name: runner } })

      const grid = join(scratch, `${runner}-grid.png`)
      const sampled = ganfp(runner, ['sample', cut, '--n', '16', '--out', grid])
      expect(sampled.status).toBe(0)
      const png = pngjs.PNG.sync.read(readFileSync(grid))
      expect([png.width, png.height]).toEqual([4 * 30 + 2, 4 * 30 + 2]) // 4×4 grid of 28 px + 2 px gutters

      // Q2 scores of the run from its newest checkpoint, with the floor, as a table and eval.json.
      const evaluated = ganfp(runner, ['eval', cut])
      expect(evaluated.status).toBe(0)
      expect(evaluated.stdout).toMatch(/\| real-vs-real floor \| 2000 \| [\d.]+ \| 1\.0 \|/)
      expect(evaluated.stdout).toMatch(/\| samples \| 2000 \| [\d.]+ \| [\d.]+ \|/)
      const report = JSON.parse(readFileSync(join(cut, 'eval.json'), 'utf8'))
      expect(report).toMatchObject({ dataset: 'fashion', floor: { count: 2000 }, samples: { count: 2000 } })
      expect(report.samples.fd).toBeGreaterThan(report.floor.fd)
      if (runner !== 'bun') return

      // The latent tools on the same run.
      const strip = join(scratch, 'strip.png')
      expect(ganfp(runner, ['interpolate', cut, '--from', '3', '--to', '4', '--steps', '6', '--spherical', '--out', strip]).status).toBe(0)
      expect([pngjs.PNG.sync.read(readFileSync(strip)).width, pngjs.PNG.sync.read(readFileSync(strip)).height]).toEqual([6 * 30 + 2, 30 + 2])
      const attribute = ganfp(runner, ['attribute', cut, '--from-class', '0', '--to-class', '1', '--out', join(scratch, 'attribute.png')])
      // A barely trained generator may not make both classes: then the error says so (exit 2).
      if (attribute.status === 0) expect(attribute.stdout).toMatch(/\| 1\.5 \| [\d.]+% \| [\d.]+% \|/)
      else expect(attribute.stderr).toContain('--from-class/--to-class')
      const truncation = ganfp(runner, ['truncation', cut, '--psi', '1,0.5'])
      expect(truncation.status).toBe(0)
      expect(truncation.stdout).toMatch(/\| 0\.5 \| [\d.]+ \| [\d.]+ \| [\d.]+ \|/)
      const nearest = ganfp(runner, ['nearest', cut, '--n', '40', '--out', join(scratch, 'nearest.png')])
      expect(nearest.status).toBe(0)
      expect(nearest.stdout).toMatch(/generated \(40\): min [\d.]+, 1st percentile [\d.]+, median [\d.]+/)
    }, 600_000)

  for (const runner of ['deno', 'bun'] as const)
    it(`${runner}: the first Ctrl-C stops after the step in flight, with no steps queued behind it`, async () => {
      const out = join(scratch, `${runner}-ctrl-c`)
      const r = await ctrlC(runner, slowRun(out), out)
      expect(r.status).toBe(0)
      const at = Number(/stopped at step (\d+)/.exec(r.stdout)?.[1])
      // Metrics showed step k; step k + 1 was in flight (k + 2 if it had just begun when the row was read).
      expect(at).toBeGreaterThanOrEqual(r.stepAtSignal)
      expect(at).toBeLessThanOrEqual(r.stepAtSignal + 2)
      expect(r.noticeMs).toBeGreaterThanOrEqual(0)
      // Deno's watcher thread prints the notice mid-step; Node and Bun print it once the step ends.
      if (runner === 'deno') expect(r.noticeMs).toBeLessThan(500)
      expect(readdirSync(join(out, 'checkpoints'))).toContain(`step-${String(at).padStart(8, '0')}`)
    }, 300_000)

  it('deno: a second Ctrl-C quits at once, mid-step, and the newest complete checkpoint resumes', async () => {
    const out = join(scratch, 'deno-ctrl-c-twice')
    const r = await ctrlC('deno', slowRun(out), out, 200)
    expect(r.noticeMs).toBeLessThan(500)
    expect(r.secondMs).toBeGreaterThan(0)
    // The step in flight takes over a second: the process ended well before it would have.
    expect(r.exitMs - r.secondMs).toBeLessThan(700)
    expect(r.signal ?? r.status).toBe('SIGKILL')
    expect(r.stdout).not.toContain('stopped at step')
    const resumed = ganfp('deno', ['resume', out])
    expect(resumed.stderr).toBe('')
    expect(resumed.stdout).toContain('completed 8 steps')
  }, 300_000)

  it('creates files 0644 and folders 0755 under umask 0 (as `npm run` runs scripts), on Deno, Bun and Node', () => {
    const runners = { deno: [bin('deno'), ...cli.deno], bun: [bin('bun'), ...cli.bun], node: [process.execPath, 'dist/cli.js'] } as const
    for (const [name, command] of Object.entries(runners)) {
      const out = join(scratch, `${name}-umask`, 'run')
      const quoted = [...command, ...tinyRun(out, 3), '--checkpoint-every', '2'].map((a) => `'${a}'`).join(' ')
      const r = spawnSync('sh', ['-c', `umask 000 && exec ${quoted}`], { cwd: root, encoding: 'utf8', timeout: 300_000, env })
      expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' })
      const modes: Array<string> = []
      const walk = (path: string): void => {
        const stat = statSync(path)
        modes.push(`${relative(scratch, path)} ${(stat.mode & 0o777).toString(8)}`)
        if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry))
      }
      walk(join(scratch, `${name}-umask`))
      // Every file 644, every folder 755: metrics.jsonl, checkpoints, grids and the run folder's parents too.
      expect(modes.filter((line) => !/ (644|755)$/.test(line))).toEqual([])
      expect(modes.some((line) => /metrics\.jsonl 644$/.test(line))).toBe(true)
      expect(modes.some((line) => /tensors\.bin 644$/.test(line))).toBe(true)
    }
  }, 600_000)

  it('trains, resumes and samples a recipe given as a module path', () => {
    const out = join(scratch, 'module-recipe')
    const trained = ganfp('bun', ['train', 'tests/support/tiny-recipe.ts', '--width', '12', '--steps', '10', '--out', out])
    expect(trained.status).toBe(0)
    expect(trained.stdout).toContain('completed 10 steps')
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect(manifest.recipe).toEqual({ name: 'tiny-ring', module: join(root, 'tests/support/tiny-recipe.ts') })
    expect(manifest.config.width).toBe(12)
    const resumed = ganfp('bun', ['resume', out, '--steps', '20'])
    expect(resumed.status).toBe(0)
    expect(resumed.stdout).toContain('completed 20 steps')
    const sampled = ganfp('bun', ['sample', out, '--n', '9', '--out', join(out, 'grid.png')])
    expect(sampled.status).toBe(0)
    expect(existsSync(join(out, 'grid.png'))).toBe(true)
  })

  it('evaluates a folder of PNGs', () => {
    const folder = join(scratch, 'pngs')
    mkdirSync(folder)
    const rng = Rng.fromSeed(4)
    for (let i = 0; i < 12; i++) {
      const png = new pngjs.PNG({ width: 28, height: 28 })
      for (let p = 0; p < 784; p++) {
        const v = Math.round(255 * rng.uniform())
        png.data.set([v, v, v, 255], p * 4)
      }
      writeFileSync(join(folder, `${String(i).padStart(2, '0')}.png`), pngjs.PNG.sync.write(png))
    }
    const r = ganfp('bun', ['eval', folder, '--dataset', 'mnist'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/\| samples \| 12 \|/)
    expect(existsSync(join(folder, 'eval.json'))).toBe(true)
  })

  it('a bad option exits 2 with a message naming it, and creates no run directory', () => {
    const out = join(scratch, 'never')
    const r = ganfp('bun', ['train', 'dcgan', '--lr', '-1', '--steps', '0', '--out', out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('InvalidConfig at --lr: expected a number > 0, found "-1"')
    expect(r.stderr).toContain('InvalidConfig at --steps: expected a positive integer, found "0"')
    expect(existsSync(out)).toBe(false)
  })

  it('refuses to write a run over another, and names what to do', () => {
    const out = join(scratch, 'deno-whole')
    const r = ganfp('bun', ['train', 'dcgan', '--out', out])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain(`ganfp resume ${out}`)
  })

  it('a run directory that cannot be written exits 2 with a FileSystem error naming it, no stack trace', () => {
    const file = join(scratch, 'a-file')
    writeFileSync(file, 'not a folder')
    for (const runner of ['deno', 'bun'] as const) {
      for (const out of [join(file, 'run'), '/proc/forbidden']) {
        const r = ganfp(runner, ['train', 'vanilla', '--steps', '1', '--backend', 'cpu', '--out', out])
        expect({ runner, out, status: r.status }).toEqual({ runner, out, status: 2 })
        expect(r.stderr).toContain(`FileSystem at ${join(out, 'manifest.json')}: expected a writable file`)
        expect(r.stderr).not.toMatch(/^\s+at /m)
      }
      // --out naming an existing file: a run directory it cannot be.
      const onFile = ganfp(runner, ['train', 'vanilla', '--steps', '1', '--backend', 'cpu', '--out', file])
      expect({ runner, status: onFile.status }).toEqual({ runner, status: 2 })
      expect(onFile.stderr).toContain(`FileSystem at ${file}: expected a new or empty directory, found ENOTDIR`)
      expect(onFile.stderr).not.toMatch(/^\s+at /m)
      expect(readFileSync(file, 'utf8')).toBe('not a folder')
    }
    // A sample grid that cannot be written: the same kind of message, from `ganfp sample`.
    const run = join(scratch, 'sample-source')
    expect(ganfp('bun', ['train', 'vanilla', '--steps', '2', '--backend', 'cpu', '--out', run]).status).toBe(0)
    for (const runner of ['deno', 'bun'] as const) {
      const r = ganfp(runner, ['sample', run, '--n', '4', '--out', '/proc/x/a.png'])
      expect({ runner, status: r.status }).toEqual({ runner, status: 2 })
      expect(r.stderr).toContain('FileSystem at /proc/x/a.png: expected a writable file')
      expect(r.stderr).not.toMatch(/^\s+at /m)
    }
  })

  it('a bare `ganfp` prints the help and exits 0', () => {
    for (const runner of ['deno', 'bun'] as const) {
      const r = ganfp(runner, [])
      expect({ runner, status: r.status, stderr: r.stderr }).toEqual({ runner, status: 0, stderr: '' })
      expect(r.stdout).toContain('Usage: ganfp')
      expect(r.stdout).toContain('train <recipe>')
    }
  })

  it('an unknown command or recipe exits 2', () => {
    expect(ganfp('bun', ['bogus']).status).toBe(2)
    const r = ganfp('bun', ['train', 'nonexistent-recipe'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('InvalidConfig at RECIPE')
  })

  it("--help lists a recipe's options with types and defaults", () => {
    const r = ganfp('bun', ['train', 'dcgan', '--help'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/--lr +Adam learning rate of both networks \(a number > 0; default 0\.0002\)/)
    expect(r.stdout).toMatch(/--dataset +bundled image set \(28×28 grey\), or folder: your own images \(--folder\) \(one of mnist, fashion, folder; default mnist\)/)
    expect(r.stdout).toMatch(/--steps +generator steps in all \(a positive integer; default 2000\)/)
  })
})
