// A run whose newest checkpoint is damaged: the error lists the intact older checkpoints and the
// command that resumes from one; `--from step-N` resumes there, with newer checkpoints moved aside
// (kept on disk) and the metrics of an uninterrupted run. A checkpoint of another shape names its path.
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GanException, formatGanErrors, gan, leakyRelu, mlp, relu, useBackend, type GanError } from '../src/index.ts'
import { resumeRun, setAsideCheckpoints, startRun } from '../src/node.ts'
import { cliMain } from '../src/cli/main.ts'
import tinyRecipe from './support/tiny-recipe.ts'
import { lossColumns } from './support/metrics.ts'

const recipeModule = fileURLToPath(new URL('./support/tiny-recipe.ts', import.meta.url))
const loadRecipe = async () => tinyRecipe
const argv = (out: string, steps = 30) => ['--out', out, '--backend', 'cpu', '--steps', String(steps), '--checkpoint-every', '10', '--keep', '3']
const name = (step: number) => `step-${String(step).padStart(8, '0')}`

const errorsOf = <A>(result: E.Either<ReadonlyArray<GanError>, A>): ReadonlyArray<GanError> => (E.isLeft(result) ? result.left : [])
/** The problems `ganfp …` would print (it exits 2 on a GanException), or 'ok'. */
const cli = async (args: ReadonlyArray<string>): Promise<string> => {
  try {
    await cliMain(args)
    return 'ok'
  } catch (error) {
    if (error instanceof GanException) return error.message
    throw error
  }
}

let scratch = ''

describe('resuming a run whose newest checkpoint is damaged', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-fallback-'))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('lists the intact older checkpoints and the command; --from resumes there, moving newer ones aside', async () => {
    const whole = join(scratch, 'whole')
    expect(E.isRight(await startRun(tinyRecipe, recipeModule, argv(whole)))).toBe(true)
    const run = join(scratch, 'damaged')
    expect(E.isRight(await startRun(tinyRecipe, recipeModule, argv(run)))).toBe(true)
    const checkpoints = join(run, 'checkpoints')
    expect(readdirSync(checkpoints).sort()).toEqual([name(10), name(20), name(30)])
    // The newest altered, the oldest with a manifest cut short: only step 20 is intact.
    const newestTensors = join(checkpoints, name(30), 'tensors.bin')
    const bytes = readFileSync(newestTensors)
    bytes[7] = bytes[7]! ^ 0xff
    writeFileSync(newestTensors, bytes)
    truncateSync(join(checkpoints, name(10), 'manifest.json'), 40)

    const refused = errorsOf(await resumeRun(run, loadRecipe))
    expect(refused.map((e) => [e._tag, e.path])).toEqual([
      ['CheckpointCorrupt', `checkpoint(${join(checkpoints, name(30))}).tensors.bin`],
      ['CheckpointCorrupt', `checkpoint(${join(checkpoints, name(30))})`],
    ])
    expect(refused[1]!.actual).toContain(`intact older checkpoints: ${name(20)}`)
    expect(refused[1]!.actual).not.toContain(name(10))
    expect(refused[1]!.note).toBe(`resume from one with: ganfp resume ${run} --from ${name(20)}`)
    // The command line says the same, and nothing was touched.
    const printed = await cli(['resume', run])
    expect(printed).toContain('the file was altered')
    expect(printed).toContain(`ganfp resume ${run} --from ${name(20)}`)
    expect(readdirSync(checkpoints).sort()).toEqual([name(10), name(20), name(30)])

    // --from naming nothing, or a damaged checkpoint: an error at --from listing the intact ones.
    for (const from of ['step-40', 'latest']) {
      const missing = errorsOf(await resumeRun(run, loadRecipe, { from }))
      expect(missing.map((e) => [e._tag, e.path, e.actual])).toEqual([['InvalidConfig', '--from', expect.stringContaining(JSON.stringify(from))]])
      expect(missing[0]!.expected).toContain(`(${name(20)})`)
    }
    const damaged = errorsOf(await resumeRun(run, loadRecipe, { from: 'step-10' }))
    expect(damaged.at(-1)).toMatchObject({ _tag: 'InvalidConfig', path: '--from', expected: expect.stringContaining(`(${name(20)})`) })
    expect(damaged[0]!.path).toContain(`checkpoint(${join(checkpoints, name(10))}).manifest.json`)
    expect(await cli(['resume', run, '--from', 'step-40'])).toContain('InvalidConfig at --from')

    // Resumed from step 20 (unpadded works too): the damaged step 30 moved aside, intact on disk.
    expect(await cli(['resume', run, '--from', 'step-20'])).toBe('ok')
    const aside = join(run, 'checkpoints-set-aside', name(30), 'tensors.bin')
    expect(existsSync(aside) && readFileSync(aside).equals(bytes)).toBe(true)
    expect(readdirSync(checkpoints).sort()).toEqual([name(10), name(20), name(30)])
    expect(lossColumns(run)).toEqual(lossColumns(whole))
    // The run resumes as any other now.
    expect(errorsOf(await resumeRun(run, loadRecipe, { steps: 35 }))).toEqual([])
  })

  it('a checkpoint whose tensor has another shape than the spec names the checkpoint and the parameter', async () => {
    const run = join(scratch, 'reshaped')
    expect(E.isRight(await startRun(tinyRecipe, recipeModule, argv(run, 10)))).toBe(true)
    // The same recipe and configuration, built twice as wide: only the tensors disagree.
    const wider: typeof tinyRecipe = {
      ...tinyRecipe,
      build: (config) => gan({ generator: mlp([2], [config.width * 2], relu, 2), discriminator: mlp([2], [config.width], leakyRelu(0.2), 1) }),
    }
    const refused = errorsOf(await resumeRun(run, async () => wider))
    const kernel = `checkpoint(${join(run, 'checkpoints', name(10))}).generator.params.layers[0].kernel`
    expect(refused.find((e) => e.path === kernel)).toMatchObject({ _tag: 'CheckpointMismatch', expected: 'shape [2, 16]', actual: 'shape [2, 8]' })
    expect(refused.every((e) => e._tag === 'CheckpointMismatch' && e.path.startsWith(`checkpoint(${join(run, 'checkpoints', name(10))}).`))).toBe(true)
    expect(formatGanErrors(refused)).toContain(kernel)
  })

  it('setAsideCheckpoints renames the newer checkpoints, never over one already set aside', () => {
    const checkpoints = join(scratch, 'aside', 'checkpoints')
    const aside = join(scratch, 'aside', 'checkpoints-set-aside')
    for (const step of [1, 2, 3]) mkdirSync(join(checkpoints, name(step)), { recursive: true })
    mkdirSync(join(aside, name(3)), { recursive: true })
    const moved = setAsideCheckpoints(checkpoints, 1, aside)
    expect(E.isRight(moved) && moved.right.map((m) => m.to)).toEqual([join(aside, name(2)), join(aside, `${name(3)}.2`)])
    expect(readdirSync(checkpoints)).toEqual([name(1)])
    expect(readdirSync(aside).sort()).toEqual([name(2), name(3), `${name(3)}.2`])
    expect(setAsideCheckpoints(checkpoints, 1, aside)).toEqual(E.right([]))
  })
})
