// The built recipe as its users get it: imported by the package's own name (through `exports`),
// its configuration decoded, and trained a few steps with ganfp's public `startRunOrThrow`.
// Runs under `node --test` and `bun test` (run `npm run build` first).
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { recipeProblems } from 'ganfp'
import { recipeHelp, startRunOrThrow } from 'ganfp/node'
import recipe, { lsganFlags } from 'ganfp-recipe-lsgan'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-recipe-lsgan-'))

describe('ganfp-recipe-lsgan', () => {
  after(() => rmSync(scratch, { recursive: true, force: true }))

  test('is a recipe whose defaults decode', () => {
    assert.deepEqual(recipeProblems(recipe, 'ganfp-recipe-lsgan'), [])
    assert.equal(recipe.name, 'lsgan-fashion')
    const defaults = recipe.config.decode({})
    assert.equal(defaults._tag, 'Right')
    assert.deepEqual(defaults.right, { width: 16, 'latent-dim': 64, lr: 2e-4, beta1: 0.5, 'average-decay': 0.999, 'judge-samples': 0 })
  })

  test('has its options, with descriptions in --help, and checks them together', () => {
    assert.deepEqual(Object.keys(recipe.config.options), Object.keys(lsganFlags))
    const help = recipeHelp(recipe)
    for (const option of Object.keys(lsganFlags)) assert.match(help, new RegExp(`--${option}\\b`))
    assert.deepEqual(recipe.config.decode({ width: '8', lr: '0.001' }).right?.width, 8)
    assert.equal(recipe.config.decode({ width: '0' })._tag, 'Left')
    // 1 to 9 judged samples are too few for protocol Q2's statistics: an error across options.
    const tooFew = recipe.config.decode({ 'judge-samples': '5' })
    assert.equal(tooFew._tag, 'Left')
    assert.match(tooFew.left.map((e) => e.message).join('\n'), /--judge-samples/)
  })

  test('trains two steps into a run directory with a checkpoint, samples and evaluation.json', async () => {
    const out = join(scratch, 'run')
    const summary = await startRunOrThrow(recipe, 'ganfp-recipe-lsgan', ['--steps', '2', '--batch', '4', '--width', '2', '--out', out, '--backend', 'cpu'])
    assert.notEqual(summary, 'help')
    assert.equal(summary.ended, 'completed')
    assert.equal(summary.step, 2)
    assert.equal(summary.directory, out)
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
    assert.deepEqual(manifest.recipe, { name: 'lsgan-fashion', module: 'ganfp-recipe-lsgan' })
    assert.equal(manifest.config.width, 2)
    for (const file of ['metrics.jsonl', 'samples.png', join('samples', 'step-00000002.png')]) assert.ok(existsSync(join(out, file)), file)
    assert.deepEqual(readdirSync(join(out, 'checkpoints')), ['step-00000002'])
    const evaluation = JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8'))
    assert.equal(evaluation.step, 2)
    const { samples, pixelMean, pixelStd, realPixelMean, realPixelStd } = evaluation.scores
    assert.equal(samples, 256)
    for (const value of [pixelMean, pixelStd, realPixelMean, realPixelStd]) assert.ok(value >= 0 && value <= 1, String(value))
    // Fashion-MNIST's training images: mostly dark background, mean intensity about 0.29.
    assert.ok(Math.abs(realPixelMean - 0.286) < 0.01, String(realPixelMean))
  })
})
