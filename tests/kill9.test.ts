// kill -9 at random moments while a process writes checkpoints: the newest checkpoint left must
// always read back whole. The writer runs under Bun (fast to start); spawned from the Node suite.
import * as E from 'fp-ts/lib/Either.js'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { readLatestCheckpoint } from '../src/node.ts'
import { Rng } from '../src/index.ts'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-kill9-'))

/** Starts the writer, SIGKILLs it `delayMs` after its first checkpoint, resolves on its exit. */
const killWhileWriting = (directory: string, delayMs: number) =>
  new Promise<string | null>((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'bun'), ['run', 'tests/support/checkpoint-writer.ts', directory], { cwd: root })
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs))
    child.on('error', reject)
    child.on('exit', (_code, signal) => resolve(signal))
  })

describe.skipIf(runtime !== 'node')('kill -9 while checkpointing', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('20 kills at random moments never leave an unreadable or torn latest checkpoint', async () => {
    const directory = join(scratch, 'checkpoints')
    const delays = Rng.fromSeed(9)
    let previous = 0
    for (let kill = 0; kill < 20; kill++) {
      expect(await killWhileWriting(directory, 5 + delays.int(300))).toBe('SIGKILL')
      const latest = readLatestCheckpoint(directory)
      if (E.isLeft(latest)) throw new Error(`kill ${kill}: ${JSON.stringify(latest.left)}`)
      const { step, snapshot, run } = latest.right
      expect(step).toBeGreaterThan(previous)
      previous = step
      // Whole: every value of every tensor is this step's, and the run record agrees.
      expect(run).toEqual({ step })
      for (const tensor of [snapshot.generator.params['layers[0].kernel']!, snapshot.generatorAverage!['layers[0].kernel']!])
        expect(tensor.values.every((v) => v === step)).toBe(true)
      // At most `keep` checkpoints and one writer's debris are ever on disk.
      expect(readdirSync(directory).filter((name) => name.startsWith('step-')).length).toBeLessThanOrEqual(3)
    }
  }, 300_000)
})
