// The multi-threaded wasm backend (src/compile/wasm-threads.ts) under Deno and Bun: it starts with
// the threads asked for, and a training run is bit for bit the one a single thread gives. The
// wasm backend starts once per process, so each thread count is its own subprocess; spawned from
// the Node suite (whose own wasm tests already run threaded), the Deno and Bun suites skip it.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const script = 'tests/support/wasm-threads-run.ts'
const commands = {
  deno: (threads: number) => [join(root, 'node_modules', '.bin', 'deno'), ['run', '-A', script, String(threads)]] as const,
  bun: (threads: number) => [join(root, 'node_modules', '.bin', 'bun'), ['run', script, String(threads)]] as const,
}

interface RunResult {
  readonly threads: number
  readonly losses: ReadonlyArray<number>
  readonly generator: string
}

const run = (runner: keyof typeof commands, threads: number): RunResult => {
  const [command, argv] = commands[runner](threads)
  const result = spawnSync(command, argv, { cwd: root, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } })
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RunResult
}

describe.skipIf(runtime !== 'node')('multi-threaded wasm', () => {
  for (const runner of ['deno', 'bun'] as const)
    it(`${runner}: two threads start, and three DCGAN steps equal one thread's bit for bit`, () => {
      const one = run(runner, 1)
      const two = run(runner, 2)
      expect(one.threads).toBe(1)
      expect(two.threads).toBe(2)
      expect(two.losses.every(Number.isFinite)).toBe(true)
      expect(two.losses).toEqual(one.losses)
      expect(two.generator).toBe(one.generator)
    }, 600_000)
})
