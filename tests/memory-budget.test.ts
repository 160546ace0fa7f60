// Sizes that would exhaust memory (issue 18, item 2): the estimate of training memory, the
// budget createTrainer holds it to before allocating, and `ganfp sample` streaming `.npy` arrays
// to disk and refusing PNG grids too large to draw.
import * as E from 'fp-ts/lib/Either.js'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GanException,
  adam,
  alternating,
  compileOrThrow,
  createTrainer,
  decodeNpyOrThrow,
  encodeNpyHeader,
  encodeNpyOrThrow,
  encodeNpyValues,
  estimateMemory,
  formatBytes,
  fromSampler,
  gan,
  memoryBudget,
  mlp,
  parseByteSize,
  relu,
  rmsProp,
  sampleLatentOrThrow,
  sgd,
  Rng,
  type Gan,
  type GanError,
} from '../src/index.ts'
import { restoreRunOrThrow, startRun } from '../src/node.ts'
import { cliMain } from '../src/cli/main.ts'
import { tf } from '../src/compile/tf.ts'
import { initOptimizerSlotNames } from '../src/train/optimizer.ts'
import tinyRecipe from './support/tiny-recipe.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-memory-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The errors of a Left (a failed test otherwise). */
const left = <A>(result: E.Either<ReadonlyArray<GanError>, A>): ReadonlyArray<GanError> => {
  if (E.isRight(result)) throw new Error('expected a Left')
  return result.left
}

/** The errors of the GanException `f` throws (Bun and Deno's expect lack `.rejects` on functions). */
const thrown = async (f: () => Promise<unknown>): Promise<ReadonlyArray<GanError>> => {
  try {
    await f()
  } catch (error) {
    if (error instanceof GanException) return error.errors
    throw error
  }
  throw new Error('expected a GanException')
}

/** Data of `shape` that is never drawn: the trainer is refused before it asks. */
const zeros = (size: number) => fromSampler('zeros', [size], (n) => new Float32Array(n * size))

const small = (options: Partial<Pick<Gan, 'optimizers' | 'schedule'>> = {}) =>
  compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [3], relu, 1), ...options }))

describe('estimateMemory', () => {
  it('gives a small MLP GAN the figures counted by hand', () => {
    const estimate = estimateMemory(small(), 8)
    // G: 2·4 + 4 + 4·2 + 2 = 22; D: 2·3 + 3 + 3·1 + 1 = 13.
    expect(estimate.parameters).toEqual({ generator: 22, discriminator: 13, total: 35 })
    expect(estimate.bytes).toEqual({
      parameters: 35 * 4,
      optimizerState: 2 * 35 * 4, // Adam's m and v
      gradients: 35 * 4,
      // batch 8 × outputs (G: 4 + 4 + 2; D twice: 3 + 3 + 1) × 2 for the backward pass × 4 bytes
      activations: 8 * (10 + 2 * 7) * 2 * 4,
      total: 2096,
    })
    expect(estimate.contributors[0]).toEqual({ path: 'discriminator.layers[0]', kind: 'activations', elements: 24, bytes: 384 })
    expect(estimate.contributors.find((c) => c.path === 'generator.layers[0].kernel')).toEqual({
      path: 'generator.layers[0].kernel',
      kind: 'parameter',
      elements: 8,
      bytes: 8 * 4 * 4, // value, gradient, m, v
    })
  })

  it('counts the slots each optimizer keeps, as the trainer makes them', () => {
    for (const optimizer of [adam(), rmsProp(), sgd({ learningRate: 0.1 }), sgd({ learningRate: 0.1, momentum: 0.9 })]) {
      const estimate = estimateMemory(small({ optimizers: { generator: optimizer, discriminator: optimizer } }), 8)
      expect(estimate.bytes.optimizerState).toBe(initOptimizerSlotNames(optimizer, 1).length * 35 * 4)
    }
  })

  it("counts the generator's moving average as a second copy of its parameters", () => {
    const averaged = estimateMemory(small({ schedule: alternating({ generatorAverageDecay: 0.999 }) }), 8)
    expect(averaged.bytes.parameters).toBe((2 * 22 + 13) * 4)
  })

  it('answers for sizes far beyond memory without allocating', () => {
    const compiled = compileOrThrow(gan({ generator: mlp([1_000_000], [1_000_000], relu, 1), discriminator: mlp([1], [4], relu, 1) }))
    const estimate = estimateMemory(compiled, 64)
    expect(estimate.parameters.generator).toBe(1e12 + 2_000_001)
    expect(estimate.contributors[0]!.path).toBe('generator.layers[0].kernel')
    expect(formatBytes(estimate.bytes.total)).toMatch(/^16\.0 TB$/)
  })
})

describe('the memory budget', () => {
  const wide = () => compileOrThrow(gan({ generator: mlp([8], [60000], relu, 60000), discriminator: mlp([60000], [16], relu, 1) }))

  it('refuses a GAN of 14 GB of parameters before allocating, naming the largest path', () => {
    const compiled = wide()
    const before = tf.memory()
    const started = performance.now()
    const errors = left(createTrainer(compiled, zeros(60000), { seed: 1, batchSize: 64, memoryBudget: 8e9 }))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(tf.memory().numBytes).toBe(before.numBytes)
    expect(tf.memory().numTensors).toBe(before.numTensors)
    expect(errors).toHaveLength(1)
    const error = errors[0]!
    expect(error._tag).toBe('InvalidConfig')
    expect(error.path).toBe('generator.layers[2].kernel')
    expect(error.expected).toContain('8.0 GB (the memoryBudget option')
    expect(error.actual).toMatch(/^an estimate of 57\.\d GB/)
    expect(error.note).toMatch(/^largest: generator\.layers\[2\]\.kernel 57\.6 GB \(3,600,000,000 parameters\)/)
  })

  it('refuses a layer of 1e12 parameters with a GanError under the default budget, not a RangeError', () => {
    const compiled = compileOrThrow(gan({ generator: mlp([1_000_000], [1_000_000], relu, 1), discriminator: mlp([1], [4], relu, 1) }))
    const before = tf.memory().numTensors
    const errors = left(createTrainer(compiled, zeros(1), { seed: 1, batchSize: 64 }))
    expect(tf.memory().numTensors).toBe(before)
    expect(errors.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'generator.layers[0].kernel']])
    expect(errors[0]!.expected).toMatch(/50% of [\d.]+ [kMGT]?B/)
  })

  it('reports a bad budget with the other problems, before anything is made', () => {
    const errors = left(createTrainer(small(), zeros(2), { seed: 1, batchSize: 0, memoryBudget: -1 }))
    expect(errors.map((e) => e.path)).toEqual(['batchSize', 'memoryBudget'])
    expect(left(createTrainer(small(), zeros(2), { seed: 1, batchSize: 8, memoryBudget: Number.NaN })).map((e) => e.path)).toEqual(['memoryBudget'])
  })

  it('takes GANFP_MEMORY_BUDGET when no option is given', () => {
    const saved = process.env['GANFP_MEMORY_BUDGET']
    try {
      process.env['GANFP_MEMORY_BUDGET'] = '1kB'
      expect(left(createTrainer(small(), zeros(2), { seed: 1, batchSize: 8 }))[0]!.expected).toContain('1.0 kB (GANFP_MEMORY_BUDGET')
      process.env['GANFP_MEMORY_BUDGET'] = 'lots'
      expect(left(memoryBudget()).map((e) => e.path)).toEqual(['GANFP_MEMORY_BUDGET'])
      process.env['GANFP_MEMORY_BUDGET'] = 'off'
      const trainer = createTrainer(wide(), zeros(60000), { seed: 1, batchSize: 64, memoryBudget: 8e9 })
      expect(E.isLeft(trainer)).toBe(true) // the option wins over the variable
    } finally {
      if (saved === undefined) delete process.env['GANFP_MEMORY_BUDGET']
      else process.env['GANFP_MEMORY_BUDGET'] = saved
    }
  })

  it('reads sizes with units', () => {
    expect([parseByteSize('16GB'), parseByteSize('1.5 KiB'), parseByteSize('8000'), parseByteSize('off')]).toEqual([16e9, 1536, 8000, Infinity])
    expect([parseByteSize(''), parseByteSize('-1'), parseByteSize('12 parsecs'), parseByteSize('0')]).toEqual([undefined, undefined, undefined, undefined])
  })
})

describe('.npy in parts', () => {
  it('writes the same bytes as encodeNpy, header then values', () => {
    const values = new Float32Array([1.5, -2, 3, 4, 5, 6])
    const header = encodeNpyHeader('float32', [3, 2])
    if (E.isLeft(header)) throw new Error('header')
    expect([...header.right, ...encodeNpyValues(values)]).toEqual([...encodeNpyOrThrow(values, [3, 2])])
    expect(E.isLeft(encodeNpyHeader('float32', [1e300]))).toBe(true)
  })
})

describe('ganfp sample', () => {
  const run = join(scratch, 'run')
  beforeAll(async () => {
    const summary = await startRun(tinyRecipe, join(root, 'tests/support/tiny-recipe.ts'), ['--out', run, '--backend', 'cpu', '--steps', '10'])
    if (E.isLeft(summary)) throw new GanException(summary.left)
  }, 120_000)

  it('refuses a PNG grid beyond 10,000 samples up front, naming --n (exit 2)', async () => {
    const errors = await thrown(() => cliMain(['sample', run, '--n', '20000000', '--out', join(scratch, 'x.png')]))
    expect(errors.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', '--n']])
    expect(errors[0]!.expected).toContain('at most 10,000 samples')
    expect(existsSync(join(scratch, 'x.png'))).toBe(false)
    // As users run it: exit 2, the message on stderr and no stack.
    const bun = join(root, 'node_modules', '.bin', 'bun')
    const r = spawnSync(bun, ['run', 'src/cli.ts', 'sample', run, '--n', '20000000', '--out', join(scratch, 'x.png')], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('InvalidConfig at --n: expected at most 10,000 samples for a PNG grid')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }, 120_000)

  it('streams a .npy in batches, equal to sampling in one go, leaving no temporary file', async () => {
    const folder = join(scratch, 'npy')
    const out = join(folder, 'samples.npy')
    await cliMain(['sample', run, '--n', '3000', '--out', out, '--seed', '5'])
    const array = decodeNpyOrThrow(new Uint8Array(readFileSync(out)), out)
    expect(array.shape).toEqual([3000, 2])
    expect(readdirSync(folder)).toEqual(['samples.npy'])
    const restored = await restoreRunOrThrow(run, async () => tinyRecipe)
    try {
      const latents = sampleLatentOrThrow(restored.setup.gan.latent, 3000, Rng.fromSeed(5))
      const once = await restored.trainer.generateOrThrow(latents)
      expect(Array.from(array.values)).toEqual(Array.from(once))
    } finally {
      restored.trainer.dispose()
    }
  }, 120_000)

  it('refuses a .npy larger than the free space, and an unwritable one, leaving nothing behind', async () => {
    const folder = join(scratch, 'huge')
    const errors = await thrown(() => cliMain(['sample', run, '--n', '1000000000000000', '--out', join(folder, 'x.npy')]))
    expect(errors.map((e) => e.path)).toEqual(['--n'])
    expect(errors[0]!.expected).toMatch(/^at most [\d,]+ samples: [\d.]+ [kMGT]?B free under /)
    expect(existsSync(folder)).toBe(false)
    const file = join(scratch, 'a-file')
    writeFileSync(file, 'not a folder')
    const notAFolder = join(file, 'x.npy')
    const unwritable = await thrown(() => cliMain(['sample', run, '--n', '4', '--out', notAFolder]))
    expect(unwritable.map((e) => [e._tag, e.path])).toEqual([['FileSystem', notAFolder]])
    expect(readdirSync(scratch).filter((name) => name.endsWith('.tmp'))).toEqual([])
    const proc = await thrown(() => cliMain(['sample', run, '--n', '4', '--out', '/proc/ganfp/x.npy']))
    expect(proc.map((e) => [e._tag, e.path])).toEqual([['FileSystem', '/proc/ganfp/x.npy']])
  }, 120_000)
})
