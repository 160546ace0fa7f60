// `builtinGanOf` (src/recipe/builtin-gan.ts): the GAN of a built-in recipe's run from its checkpoint's
// run record is the very value the recipe's `build` makes from the same configuration, for the
// defaults and for every option that changes the GAN (both go through src/recipe/builtin/; this
// checks the record's decoding: values, options added since, run options beside them); a bad
// record is reported with its paths.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import srgan from '../recipes/srgan.ts'
import vanilla from '../recipes/vanilla.ts'
import { builtinGanOf, decodeConfig, getOrThrow, gradientPenalty, judgeWeights, mse, normalInit, r1, srganGan, vanillaGan, type Recipe } from '../src/index.ts'
import { parseRecipeArgs } from '../src/node.ts'

/** What a checkpoint of `ganfp train NAME ARGV` holds in `run`: the recipe's name and every option's value. */
const recordOf = (recipe: Recipe, argv: ReadonlyArray<string>) => {
  const parsed = getOrThrow(parseRecipeArgs(recipe, argv))
  return { recipe: recipe.name, config: { ...parsed.recipeConfig, ...parsed.run }, phase: 0 }
}

const built = async (recipe: Recipe, argv: ReadonlyArray<string>) => {
  const parsed = getOrThrow(parseRecipeArgs(recipe, argv))
  return recipe.build(getOrThrow(decodeConfig(recipe.config, parsed.recipeConfig)))
}

const cases: ReadonlyArray<readonly [Recipe, ReadonlyArray<ReadonlyArray<string>>]> = [
  [
    vanilla,
    [
      [],
      ['--dataset', 'grid'],
      ['--dataset', 'grid', '--pack', '4', '--width', '8'],
      ['--dataset', 'grid', '--latent', 'uniform'],
      ['--latent', 'normal'],
      ['--width', '16', '--latent-dim', '3', '--learning-rate', '0.01', '--average-decay', '0', '--pack', '1'],
      ['--loss', 'minimax'],
      ['--loss', 'hinge'],
      ['--loss', 'wasserstein-gp'],
      ['--dataset', 'grid', '--r1', '0'],
      ['--r1', '2', '--loss', 'wasserstein-gp'],
      ['--dataset', 'grid', '--beta1', '0.5', '--beta2', '0.999'],
      ['--dataset', 'grid', '--learning-rate-schedule', 'constant'],
      ['--learning-rate-schedule', 'cosine', '--learning-rate', '0.001'],
      ['--dataset', 'grid', '--learning-rate-decay-steps', '8000'],
    ],
  ],
  [
    dcgan,
    [
      [],
      ['--width', '4', '--latent-dim', '8', '--lr', '0.001', '--beta1', '0.9', '--average-decay', '0'],
      ['--loss', 'wasserstein', '--penalty', 'gp', '--penalty-weight', '5', '--penalty-every', '4', '--critic-steps', '5'],
      ['--loss', 'hinge', '--penalty', 'r1'],
      ['--loss', 'least-squares', '--augment', 'translation-cutout'],
      ['--augment', 'colour-translation-cutout'],
      ['--init', 'normal'],
      ['--init', 'glorot', '--dataset', 'folder', '--folder', 'faces', '--size', '32', '--channels', '3'],
      ['--init', 'normal', '--dataset', 'folder', '--folder', 'faces', '--size', '32', '--channels', '3'],
    ],
  ],
  [
    cgan,
    [
      [],
      ['--width', '2', '--latent-dim', '8', '--embedding-dim', '4', '--label-in', 'projection', '--minibatch-stddev', '2', '--average-decay', '0'],
      ['--label-in', 'input', '--lr', '0.001', '--beta1', '0.7'],
      ['--loss', 'hinge', '--generator-norm', 'conditional', '--mode-seeking', '0.5', '--augment', 'translation-cutout'],
      ['--init', 'normal', '--label-in', 'projection'],
    ],
  ],
  [srgan, [['--content', 'mse'], ['--content', 'mse', '--filters', '4', '--blocks', '1', '--pretrain-steps', '3', '--adversarial-weight', '0.01', '--lr', '0.002']]],
]

describe('builtinGanOf', () => {
  for (const [recipe, argvs] of cases)
    it(`${recipe.name}: the GAN of a run record is the recipe's own`, async () => {
      for (const argv of argvs) {
        const record = recordOf(recipe, argv)
        expect({ argv, gan: builtinGanOf(record) }).toEqual({ argv, gan: E.right(await built(recipe, argv)) })
      }
    })

  it("srgan: the perceptual content term with the judge's weights, MSE alone without them; a folder run's crop shape", async () => {
    const record = recordOf(srgan, ['--dataset', 'fashion'])
    expect(builtinGanOf(record, { judgeWeights: await judgeWeights('fashion') })).toEqual(E.right(await built(srgan, ['--dataset', 'fashion'])))
    const withoutJudge = getOrThrow(builtinGanOf(record))
    expect(withoutJudge).toEqual(srganGan({ highShape: [28, 28, 1], filters: 32, blocks: 4, pretrainSteps: 1500, content: mse(), adversarialWeight: 1e-3, learningRate: 1e-3 }))
    expect(builtinGanOf(record, { judgeWeights: await judgeWeights('mnist') })).toEqual(
      E.left([{ _tag: 'InvalidConfig', path: 'options.judgeWeights.dataset', expected: "the run's dataset, fashion", actual: 'mnist' }]),
    )
    const folder = getOrThrow(builtinGanOf({ recipe: 'srgan', config: { dataset: 'folder', crop: 16, channels: '3', content: 'mse' } }))
    expect(folder.discriminator.inputShape).toEqual([16, 16, 3])
    expect(folder.generator.inputShape).toEqual([4, 4, 3])
  })

  it('vanilla: a record from before --pack (no pack, a number for width) is the unpacked GAN it trained', () => {
    const old = { recipe: 'vanilla', config: { dataset: 'ring', width: 64, 'latent-dim': 2, 'learning-rate': 0.001, 'average-decay': 0.999 } }
    expect(builtinGanOf(old)).toEqual(E.right(vanillaGan({ width: 64, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.999 })))
  })

  it('vanilla: --r1 auto is a lazy R1 penalty of γ 0.1 on the grid and none on the ring; a grid record from before --r1 has none', () => {
    const penaltiesOf = (config: Readonly<Record<string, unknown>>) => getOrThrow(builtinGanOf({ recipe: 'vanilla', config })).penalties
    expect(penaltiesOf({ dataset: 'grid', r1: 'auto' })).toEqual([r1({ gamma: 0.1, every: 4 })])
    expect(penaltiesOf({ dataset: 'ring', r1: 'auto' })).toEqual([])
    expect(penaltiesOf({ dataset: 'ring', r1: 0.5 })).toEqual([r1({ gamma: 0.5, every: 4 })])
    expect(penaltiesOf({ dataset: 'grid', loss: 'wasserstein-gp', r1: 0 })).toEqual([gradientPenalty({ weight: 10 })])
    const { r1: gamma, ...old } = recordOf(vanilla, ['--dataset', 'grid']).config as Readonly<Record<string, unknown>>
    expect(gamma).toBe('auto')
    expect(penaltiesOf(old)).toEqual([])
    expect(builtinGanOf({ recipe: 'vanilla', config: { r1: -1 } })).toEqual(
      E.left([{ _tag: 'InvalidConfig', path: 'run.config.r1', expected: 'a number ≥ 0 or auto', actual: '-1' }]),
    )
  })

  it('vanilla: --learning-rate-schedule auto is a cosine from 2e-3 to a tenth over the run on the grid, constant on the ring; a record from before kept 1e-3 constant', () => {
    const ratesOf = (config: Readonly<Record<string, unknown>>) => {
      const { optimizers } = getOrThrow(builtinGanOf({ recipe: 'vanilla', config }))
      return [optimizers.generator, optimizers.discriminator].map((o) => [o.learningRate, o.schedule])
    }
    const cosine = (steps: number) => ({ _tag: 'Cosine', steps, final: 0.1 })
    const constant = { _tag: 'Constant' }
    expect(ratesOf({ dataset: 'grid', 'learning-rate-schedule': 'auto', 'learning-rate-decay-steps': 'auto' })).toEqual([[2e-3, cosine(20000)], [2e-3, cosine(20000)]])
    expect(ratesOf({ dataset: 'ring', 'learning-rate-schedule': 'auto', 'learning-rate-decay-steps': 'auto' })).toEqual([[5e-4, constant], [5e-4, constant]])
    // The auto rate follows the schedule chosen; an explicit rate is kept under either; the
    // cosine falls over the mixture's run length unless told.
    expect(ratesOf({ dataset: 'grid', 'learning-rate-schedule': 'constant' })).toEqual([[1e-3, constant], [1e-3, constant]])
    expect(ratesOf({ dataset: 'ring', 'learning-rate-schedule': 'cosine', 'learning-rate-decay-steps': 'auto' })).toEqual([[5e-4, cosine(20000)], [5e-4, cosine(20000)]])
    expect(ratesOf({ dataset: 'grid', 'learning-rate-decay-steps': 5000, 'learning-rate-schedule': 'auto' })).toEqual([[2e-3, cosine(5000)], [2e-3, cosine(5000)]])
    expect(ratesOf({ dataset: 'grid', 'learning-rate': 0.004, 'learning-rate-schedule': 'constant' })).toEqual([[0.004, constant], [0.004, constant]])
    const { 'learning-rate-schedule': schedule, 'learning-rate-decay-steps': decay, ...older } = recordOf(vanilla, ['--dataset', 'grid']).config as Readonly<Record<string, unknown>>
    expect([schedule, decay]).toEqual(['auto', 'auto'])
    // Recorded before the schedule: a constant 1e-3. Recorded with it but before its length: a cosine over 20,000, as then.
    expect(ratesOf(older)).toEqual([[1e-3, constant], [1e-3, constant]])
    expect(ratesOf({ ...older, 'learning-rate-schedule': 'auto' })).toEqual([[2e-3, cosine(20000)], [2e-3, cosine(20000)]])
    expect(builtinGanOf({ recipe: 'vanilla', config: { 'learning-rate-schedule': 'linear', 'learning-rate-decay-steps': 0 } })).toEqual(
      E.left([
        { _tag: 'InvalidConfig', path: 'run.config.learning-rate-schedule', expected: 'one of auto, constant, cosine', actual: '"linear"' },
        { _tag: 'InvalidConfig', path: 'run.config.learning-rate-decay-steps', expected: 'a positive integer or auto', actual: '0' },
      ]),
    )
  })

  it('vanilla: a run is 20,000 steps of 192 on the grid and of 256 on the ring unless --steps and --batch say, and its record holds them', () => {
    const runOf = (argv: ReadonlyArray<string>) => {
      const { steps, batch } = getOrThrow(parseRecipeArgs(vanilla, argv)).run
      return [steps, batch]
    }
    expect([runOf(['--dataset', 'grid']), runOf(['--dataset', 'ring']), runOf([])]).toEqual([[20000, 192], [20000, 256], [20000, 256]])
    expect([runOf(['--dataset', 'grid', '--batch', '256']), runOf(['--dataset', 'ring', '--steps', '300', '--batch', '64'])]).toEqual([[20000, 256], [300, 64]])
    expect(recordOf(vanilla, ['--dataset', 'grid']).config).toMatchObject({ steps: 20000, batch: 192, threads: 2 })
  })

  it("vanilla: --beta1/--beta2 auto are Adam's 0 and 0.99 on the grid, 0.5 and 0.999 on the ring; a record from before them trained with 0.5 and 0.999", () => {
    const betasOf = (config: Readonly<Record<string, unknown>>) => {
      const { optimizers } = getOrThrow(builtinGanOf({ recipe: 'vanilla', config }))
      return [optimizers.generator, optimizers.discriminator].map((o) => (o._tag === 'Adam' ? [o.beta1, o.beta2] : o._tag))
    }
    expect(betasOf({ dataset: 'grid', beta1: 'auto', beta2: 'auto' })).toEqual([[0, 0.99], [0, 0.99]])
    expect(betasOf({ dataset: 'ring', beta1: 'auto', beta2: 'auto' })).toEqual([[0.5, 0.999], [0.5, 0.999]])
    expect(betasOf({ dataset: 'grid', beta1: 0.9, beta2: 'auto' })).toEqual([[0.9, 0.99], [0.9, 0.99]])
    const { beta1, beta2, ...old } = recordOf(vanilla, ['--dataset', 'grid']).config as Readonly<Record<string, unknown>>
    expect([beta1, beta2]).toEqual(['auto', 'auto'])
    expect(betasOf(old)).toEqual([[0.5, 0.999], [0.5, 0.999]])
    expect(builtinGanOf({ recipe: 'vanilla', config: { beta1: 1, beta2: -0.5 } })).toEqual(
      E.left([
        { _tag: 'InvalidConfig', path: 'run.config.beta1', expected: 'a number in [0, 1) or auto', actual: '1' },
        { _tag: 'InvalidConfig', path: 'run.config.beta2', expected: 'a number in [0, 1) or auto', actual: '-0.5' },
      ]),
    )
  })

  it('dcgan and cgan: --init normal starts every kernel from N(0, 0.02); --init glorot, and a record from before --init, is the GAN as it was', async () => {
    for (const recipe of [dcgan, cgan]) {
      const normal = getOrThrow(builtinGanOf(recordOf(recipe, ['--init', 'normal'])))
      const kernels = [...normal.generator.layers, ...normal.discriminator.layers].filter((l) => l._tag === 'Dense' || l._tag === 'Conv2d' || l._tag === 'Conv2dTranspose')
      expect(kernels.length).toBeGreaterThanOrEqual(4)
      expect(kernels.every((l) => JSON.stringify(l.kernelInit) === JSON.stringify(normalInit(0.02)))).toBe(true)
      const plain = await built(recipe, [])
      expect(JSON.stringify(getOrThrow(builtinGanOf(recordOf(recipe, ['--init', 'glorot']))))).toBe(JSON.stringify(plain))
      expect(JSON.stringify(plain)).not.toContain('kernelInit')
      const { init, ...old } = recordOf(recipe, []).config as Readonly<Record<string, unknown>>
      expect(init).toBe('glorot')
      expect(JSON.stringify(getOrThrow(builtinGanOf({ recipe: recipe.name, config: old })))).toBe(JSON.stringify(plain))
    }
    expect(builtinGanOf({ recipe: 'dcgan', config: { init: 'he' } })).toEqual(
      E.left([{ _tag: 'InvalidConfig', path: 'run.config.init', expected: 'one of glorot, normal', actual: '"he"' }]),
    )
  })

  it('reports every problem of a record with its path', () => {
    const paths = (run: unknown, path?: string) => {
      const result = builtinGanOf(run, path === undefined ? {} : { path })
      return E.isLeft(result) ? result.left.map((e) => `${e.path}: ${e.actual}`) : []
    }
    expect(paths(null)).toEqual(['run: null'])
    expect(paths({ recipe: 'pix2pix', config: [] })).toEqual(['run.recipe: "pix2pix"', 'run.config: an array'])
    expect(paths({ recipe: 'dcgan', config: { width: 0, 'latent-dim': 2.5, loss: 'l2', 'average-decay': 2 } }, 'checkpoint(x).run')).toEqual([
      'checkpoint(x).run.config.width: 0',
      'checkpoint(x).run.config.latent-dim: 2.5',
      'checkpoint(x).run.config.average-decay: 2',
      'checkpoint(x).run.config.loss: "l2"',
    ])
    expect(paths({ recipe: 'srgan', config: { dataset: 'folder', crop: 30, content: 'mse' } })).toEqual(['run.config.crop: 30'])
    expect(paths({ recipe: 'cgan', config: { 'label-in': 3 } })).toEqual(['run.config.label-in: 3'])
    // A page has no folder: a folder record without one still gives its GAN; a size the layout cannot build does not.
    expect(paths({ recipe: 'dcgan', config: { dataset: 'folder', size: 32, channels: '3' } })).toEqual([])
    expect(paths({ recipe: 'dcgan', config: { dataset: 'folder', size: 48, channels: '3' } })).toEqual(['run.config.size: 48'])
  })
})
