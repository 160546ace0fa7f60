// The CGAN and SRGAN recipes in process, on whichever runtime runs the suite (Node, Bun, Deno):
// they build, train a few steps at a tiny size without leaking, cross SRGAN's phase boundary, and
// sample what they are asked for. Also the options that choose a recipe's loss (SRGAN's content
// loss on a folder, vanilla's --loss).
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import { compileOrThrow, cosineDecay, createTrainerOrThrow, decodeConfig, getOrThrow, r1, useBackend, vanillaGan, withPenalties, type Recipe } from '../src/index.ts'
import { parseRecipeArgs, prepareRecipe, type RecipeSetup } from '../src/node.ts'
import cgan from '../recipes/cgan.ts'
import srgan from '../recipes/srgan.ts'
import vanilla from '../recipes/vanilla.ts'

const setupOf = async (recipe: Recipe, argv: ReadonlyArray<string>): Promise<RecipeSetup> => {
  const parsed = parseRecipeArgs(recipe, argv)
  if (E.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left))
  const prepared = await prepareRecipe(recipe, parsed.right.recipeConfig, parsed.right.run.batch)
  if (E.isLeft(prepared)) throw new Error(JSON.stringify(prepared.left))
  return prepared.right.setup
}

const leakFree = async (setup: RecipeSetup, steps: { readonly first: number; readonly more: number }) => {
  const trainer = createTrainerOrThrow(compileOrThrow(setup.gan), setup.dataset, { seed: 1, batchSize: setup.batchSize })
  const phases = new Set<number>()
  for await (const r of trainer.runOrThrow({ steps: steps.first })) phases.add(r.phase)
  const early = tf.memory().numTensors
  for await (const r of trainer.runOrThrow({ steps: steps.more })) {
    phases.add(r.phase)
    expect(Number.isFinite(r.generatorLoss)).toBe(true)
  }
  return { trainer, phases, early, late: tf.memory().numTensors }
}

describe('the CGAN and SRGAN recipes in process', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('CGAN: trains without leaks and samples each class asked for', async () => {
    const setup = await setupOf(cgan, ['--width', '2', '--batch', '4', '--latent-dim', '8'])
    const { trainer, early, late } = await leakFree(setup, { first: 3, more: 12 })
    expect(late).toBe(early)
    expect(trainer.compiled.generator.labelClasses).toBe(10)
    const sevens = await trainer.sampleOrThrow(3, { seed: 1, labels: 7 })
    expect(sevens.length).toBe(3 * 784)
    // The label reaches the generator: other classes, other images from the same latents.
    expect(Array.from(await trainer.sampleOrThrow(3, { seed: 1, labels: 2 }))).not.toEqual(Array.from(sevens))
    trainer.dispose()
  })

  it('CGAN: every discriminator conditioning builds and steps (input map, projection, both with a minibatch-stddev feature)', async () => {
    for (const labelIn of ['input', 'projection', 'both']) {
      const setup = await setupOf(cgan, ['--width', '2', '--batch', '4', '--label-in', labelIn, '--minibatch-stddev', labelIn === 'both' ? '2' : '0'])
      const trainer = createTrainerOrThrow(compileOrThrow(setup.gan), setup.dataset, { seed: 1, batchSize: 4 })
      const report = await trainer.stepOrThrow()
      expect(Number.isFinite(report.discriminatorLoss)).toBe(true)
      trainer.dispose()
    }
  })

  it('SRGAN: pretrains on MSE, crosses into the adversarial phase without leaks, and upsamples ×4', async () => {
    const setup = await setupOf(srgan, ['--filters', '4', '--blocks', '1', '--batch', '4', '--pretrain-steps', '4'])
    const { trainer, phases, early, late } = await leakFree(setup, { first: 2, more: 6 })
    expect([...phases]).toEqual([0, 1])
    expect(late).toBe(early)
    expect(trainer.compiled.generator.inputShape).toEqual([7, 7, 1])
    expect(trainer.compiled.generator.outputShape).toEqual([28, 28, 1])
    const upsampled = await trainer.generateOrThrow(new Float32Array(2 * 49))
    expect(upsampled.length).toBe(2 * 784)
    // Its inputs come from the data: there is no latent to sample from.
    const sampled = await trainer.sample(2)
    expect(E.isLeft(sampled) && sampled.left.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'latent']])
    trainer.dispose()
  })

  it('SRGAN: a folder crop size that 4 does not divide is an error before anything is built', async () => {
    const parsed = parseRecipeArgs(srgan, ['--dataset', 'folder', '--crop', '30', '--content', 'perceptual'])
    expect(E.isLeft(parsed) && parsed.left.map((e) => e.path)).toEqual(['--crop', '--content'])
    // The same check when the configuration comes from code.
    const prepared = await prepareRecipe(srgan, { dataset: 'folder', crop: 30, content: 'perceptual' }, 4)
    expect(E.isLeft(prepared) && prepared.left.map((e) => e.path)).toEqual(['--crop', '--content'])
    const mixed = parseRecipeArgs(srgan, ['--dataset', 'folder', '--content', 'mse+perceptual'])
    expect(E.isLeft(mixed) && mixed.left.map((e) => [e.path, e.actual])).toEqual([['--content', '"mse+perceptual"']])
  })

  it("SRGAN: a folder without --content trains on MSE (README's command); the bundled sets keep MSE + perceptual", async () => {
    const buildOf = async (config: Record<string, unknown>) => await srgan.build(getOrThrow(decodeConfig(srgan.config, config)))
    const folder = getOrThrow(parseRecipeArgs(srgan, ['--dataset', 'folder', '--folder', 'photos', '--crop', '32']))
    expect(folder.recipeConfig['content']).toBe('auto')
    expect(await buildOf(folder.recipeConfig)).toEqual(await buildOf({ ...folder.recipeConfig, content: 'mse' }))
    const bundled = getOrThrow(parseRecipeArgs(srgan, ['--dataset', 'fashion']))
    expect(await buildOf(bundled.recipeConfig)).toEqual(await buildOf({ ...bundled.recipeConfig, content: 'mse+perceptual' }))
    expect(await buildOf(bundled.recipeConfig)).not.toEqual(await buildOf({ ...bundled.recipeConfig, content: 'mse' }))
  })

  it('vanilla: --loss changes the loss the GAN trains with; the defaults are the zoo’s MLP GAN, by mixture', async () => {
    const defaults = await setupOf(vanilla, [])
    expect(defaults.gan).toEqual(vanillaGan({ width: 64, latentDim: 2, learningRate: 5e-4, generatorAverageDecay: 0.998, packing: 2 }))
    const cosine = cosineDecay({ steps: 20000, final: 0.1 })
    expect((await setupOf(vanilla, ['--dataset', 'grid'])).gan).toEqual(
      withPenalties([r1({ gamma: 0.1, every: 4 })])(
        vanillaGan({ width: 128, latentDim: 2, learningRate: 2e-3, learningRateSchedule: cosine, generatorAverageDecay: 0.999, beta1: 0, beta2: 0.99 }),
      ),
    )
    expect((await setupOf(vanilla, ['--dataset', 'grid', '--beta1', '0.5', '--beta2', '0.999', '--learning-rate-schedule', 'constant'])).gan).toEqual(
      withPenalties([r1({ gamma: 0.1, every: 4 })])(vanillaGan({ width: 128, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.999 })),
    )
    const choices = [
      ['non-saturating', 'NonSaturating', 0],
      ['minimax', 'Minimax', 0],
      ['least-squares', 'LeastSquares', 0],
      ['hinge', 'Hinge', 0],
      ['wasserstein-gp', 'Wasserstein', 1],
    ] as const
    const firstSteps = new Set<string>()
    for (const [name, tag, penalties] of choices) {
      const setup = await setupOf(vanilla, ['--loss', name, '--width', '8', '--batch', '16'])
      expect([name, setup.gan.loss._tag, setup.gan.penalties.length]).toEqual([name, tag, penalties])
      const trainer = createTrainerOrThrow(compileOrThrow(setup.gan), setup.dataset, { seed: 1, batchSize: 16 })
      const r = await trainer.stepOrThrow()
      // Same seed, networks and batch: only the loss differs, so the first step's two losses do.
      firstSteps.add(`${r.discriminatorLoss} ${r.generatorLoss}`)
      trainer.dispose()
    }
    expect(firstSteps.size).toBe(choices.length)
  })
})
