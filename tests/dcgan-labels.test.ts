// The DCGAN recipe's `--labels`: on the bundled sets its networks read each image's class (the cgan
// recipe's conditioning) and its samples draw the classes evenly; `none`, a folder and runs
// recorded before the option give the unconditional DCGAN as before.
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  builtinGanOf,
  cganConfig,
  cganRecipeGan,
  compileOrThrow,
  dcganClassesOf,
  dcganConfig,
  dcganFlags,
  dcganRecipeGan,
  dcganTruncationOf,
  decodeNpy,
  formatGanError,
  truncationOrAutoFlag,
  useBackend,
  type DcganConfig,
} from '../src/index.ts'
import { startRun } from '../src/node.ts'
import dcgan from '../recipes/dcgan.ts'

/** A decoded configuration; a refusal fails the test. */
const decoded = <A>(value: E.Either<unknown, A>): A => {
  if (E.isLeft(value)) throw new Error(`refused: ${JSON.stringify(value.left)}`)
  return value.right
}
const configOf = (given: Record<string, unknown>): DcganConfig => decoded(dcganConfig.decode(given))

describe('the DCGAN recipe’s --labels', () => {
  it('reads the bundled sets’ ten classes by default, none with --labels none or on a folder', () => {
    expect(dcganClassesOf(configOf({}))).toBe(10)
    expect(dcganClassesOf(configOf({ dataset: 'fashion' }))).toBe(10)
    expect(dcganClassesOf(configOf({ labels: 'none' }))).toBeUndefined()
    expect(dcganClassesOf(configOf({ dataset: 'folder', folder: 'faces', size: 32 }))).toBeUndefined()
    expect(E.isLeft(dcganConfig.decode({ labels: 'yes' }))).toBe(true)
    // Runs recorded before the option trained the unconditional DCGAN.
    expect(dcganFlags.labels.before).toBe('none')
  })

  it('draws the final samples at ψ 0.8 (MNIST) or 0.9 (Fashion-MNIST) when the classes are read and 1 when not, unless --truncation says', () => {
    expect(dcganTruncationOf(configOf({}))).toBe(0.8)
    expect(dcganTruncationOf(configOf({ dataset: 'fashion' }))).toBe(0.9)
    expect(dcganTruncationOf(configOf({ dataset: 'fashion', labels: 'none' }))).toBe(1)
    expect(dcganTruncationOf(configOf({ labels: 'none' }))).toBe(1)
    expect(dcganTruncationOf(configOf({ dataset: 'folder', folder: 'faces', size: 32 }))).toBe(1)
    expect(dcganTruncationOf(configOf({ truncation: 0.6 }))).toBe(0.6)
    expect(dcganTruncationOf(configOf({ labels: 'none', truncation: 0.9 }))).toBe(0.9)
    expect(truncationOrAutoFlag.decode('auto')).toEqual(E.right('auto'))
    for (const bad of ['0', '1.01', 'none', '']) expect(E.isLeft(truncationOrAutoFlag.decode(bad))).toBe(true)
    expect(dcganFlags.truncation.before).toBe(1)
  })

  it('conditions the networks exactly as the cgan recipe’s defaults do', () => {
    const shared = { width: 4, 'latent-dim': 16 }
    expect(dcganRecipeGan(configOf(shared))).toEqual(cganRecipeGan(decoded(cganConfig.decode(shared)), 10))
    const compiled = compileOrThrow(dcganRecipeGan(configOf(shared)))
    expect([compiled.generator.labelClasses, compiled.discriminator.labelClasses]).toEqual([10, 10])
    expect(compiled.spec.schedule.modeSeeking?.weight).toBe(0.05)
    const unconditional = compileOrThrow(dcganRecipeGan(configOf({ ...shared, labels: 'none' })))
    expect([unconditional.generator.labelClasses, unconditional.discriminator.labelClasses, unconditional.spec.schedule.modeSeeking]).toEqual([undefined, undefined, undefined])
  })

  it('keeps the DCGAN options that the cgan recipe lacks: penalty, critic steps, loss, colour augmentation', () => {
    const spec = dcganRecipeGan(configOf({ width: 4, penalty: 'r1', 'penalty-weight': 5, 'penalty-every': 4, 'critic-steps': 2, loss: 'hinge', augment: 'colour-translation-cutout' }))
    expect(spec.penalties).toEqual([expect.objectContaining({ _tag: 'R1', gamma: 5, every: 4 })])
    expect(spec.schedule.discriminatorStepsPerGeneratorStep).toBe(2)
    expect(spec.loss._tag).toBe('Hinge')
    expect(spec.augmentation).toEqual(expect.objectContaining({ color: true }))
    expect(compileOrThrow(spec).generator.labelClasses).toBe(10)
  })

  it('rebuilds a run recorded before the option as the unconditional DCGAN', () => {
    const old = builtinGanOf({ recipe: 'dcgan', config: { width: 4, 'latent-dim': 16 } })
    if (E.isLeft(old)) throw new Error(old.left.map(formatGanError).join('\n'))
    expect(old.right).toEqual(dcganRecipeGan(configOf({ width: 4, 'latent-dim': 16, labels: 'none' })))
  })
})

describe('a conditional DCGAN run', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ganfp-dcgan-labels-'))
  beforeAll(async () => {
    await useBackend('cpu')
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('trains on MNIST’s labels and writes 2,000 samples, resumable as a conditional run', async () => {
    const out = join(scratch, 'run')
    const run = await startRun(dcgan, 'builtin:dcgan', ['--steps', '2', '--width', '2', '--batch', '8', '--backend', 'cpu', '--checkpoint-every', '1', '--out', out])
    if (E.isLeft(run)) throw new Error(run.left.map(formatGanError).join('\n'))
    const samples = decodeNpy(readFileSync(join(out, 'samples.npy')), 'samples.npy')
    expect(E.isRight(samples) && samples.right.shape).toEqual([2000, 28, 28])
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    expect([manifest.config.labels, manifest.config.truncation]).toEqual(['auto', 'auto'])
    const rebuilt = builtinGanOf({ recipe: 'dcgan', config: manifest.config })
    expect(E.isRight(rebuilt) && compileOrThrow(rebuilt.right).generator.labelClasses).toBe(10)
    expect(existsSync(join(out, 'samples.png'))).toBe(true)
  }, 120_000)
})
