/**
 * The GAN of a built-in recipe's run, rebuilt from the run record its checkpoints carry
 * (`{ recipe, config, … }`, as `checkpointFromBytes` and `checkpointFromFiles` return it in
 * `run`): what a page needs to sample from a run of `ganfp train vanilla`, `dcgan`, `cgan` or
 * `srgan` without the recipe modules, which are Node-side.
 *
 * The mapping from a configuration to a GAN is each recipe's `build`; `tests/builtin-gan.test.ts`
 * checks that both give the same GAN value.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import { mse, weightedSum, type ContentLoss } from '../dsl/content.ts'
import { diffAugment, type DiffAugment } from '../dsl/augmentation.ts'
import type { Gan } from '../dsl/gan.ts'
import { hinge, leastSquares, minimax, nonSaturating, wasserstein, type GanLoss } from '../dsl/loss.ts'
import { gradientPenalty, r1, type Penalty } from '../dsl/penalty.ts'
import { judgePerceptual, type JudgeWeights } from '../eval/judge.ts'
import { normalInit, type KernelInit } from '../layers/kernel-init.ts'
import { cganGan } from './cgan.ts'
import { dcganGan } from './dcgan.ts'
import { dcganSizeProblems, imageShapeOf } from './dcgan-sizes.ts'
import { vanillaGan, vanillaSettingsFor } from './mlp-gan.ts'
import { srganGan, srganMaxBlocks } from './srgan.ts'

/**
 * What `builtinGanOf` may be told: where the record came from, for error paths (default `run`),
 * and the shipped judge's weights for an SRGAN run whose content loss has a perceptual term.
 *
 * @since 0.2.0
 * @category model
 */
export interface BuiltinGanOptions {
  readonly path?: string
  readonly judgeWeights?: JudgeWeights
  /** A CGAN run on a folder: its class count (the length of the run's `classes.json`). */
  readonly labelClasses?: number
}

/** Reads configuration fields, each problem collected with its path; an absent field takes the recipe's default. */
const fieldReader = (config: Readonly<Record<string, unknown>>, path: string, errors: Array<GanError>) => {
  const read = <A>(key: string, fallback: A, expected: string, accept: (v: unknown) => v is A): A => {
    const value = key in config ? config[key] : fallback
    if (accept(value)) return value
    errors.push(invalidConfig(`${path}.${key}`, expected, describeValue(value)))
    return fallback
  }
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
  return {
    positiveInt: (key: string, fallback: number) => read(key, fallback, 'a positive integer', (v): v is number => Number.isInteger(v) && (v as number) > 0),
    nonNegativeInt: (key: string, fallback: number) => read(key, fallback, 'an integer ≥ 0', (v): v is number => Number.isInteger(v) && (v as number) >= 0),
    positiveNumber: (key: string, fallback: number) => read(key, fallback, 'a number > 0', (v): v is number => isNumber(v) && v > 0),
    nonNegativeNumber: (key: string, fallback: number) => read(key, fallback, 'a number ≥ 0', (v): v is number => isNumber(v) && v >= 0),
    unitInterval: (key: string, fallback: number) => read(key, fallback, 'a number in [0, 1]', (v): v is number => isNumber(v) && v >= 0 && v <= 1),
    positiveIntOrAuto: (key: string, fallback: number | 'auto') =>
      read(key, fallback, 'a positive integer or auto', (v): v is number | 'auto' => v === 'auto' || (Number.isInteger(v) && (v as number) > 0)),
    positiveNumberOrAuto: (key: string, fallback: number | 'auto') =>
      read(key, fallback, 'a number > 0 or auto', (v): v is number | 'auto' => v === 'auto' || (isNumber(v) && v > 0)),
    unitIntervalOrAuto: (key: string, fallback: number | 'auto') =>
      read(key, fallback, 'a number in [0, 1] or auto', (v): v is number | 'auto' => v === 'auto' || (isNumber(v) && v >= 0 && v <= 1)),
    oneOf: <A extends string>(key: string, choices: ReadonlyArray<A>, fallback: A): A =>
      read(key, fallback, `one of ${choices.join(', ')}`, (v): v is A => typeof v === 'string' && (choices as ReadonlyArray<string>).includes(v)),
  }
}

type Reader = ReturnType<typeof fieldReader>

/** A moving-average decay of 0 keeps none, as the recipes' `--average-decay 0`. */
const averageDecay = (decay: number): number | undefined => (decay === 0 ? undefined : decay)

const vanillaOf = (read: Reader): Gan => {
  // As the recipe's `auto` settings (by mixture); a record from before `--pack` has none.
  const dataset = read.oneOf('dataset', ['ring', 'grid'] as const, 'ring')
  const byMixture = vanillaSettingsFor(dataset)
  const orAuto = <A>(value: A | 'auto', auto: A): A => (value === 'auto' ? auto : value)
  const packing = orAuto(read.positiveIntOrAuto('pack', 1), byMixture.packing)
  const spec = vanillaGan({
    width: orAuto(read.positiveIntOrAuto('width', 'auto'), byMixture.width),
    latentDim: read.positiveInt('latent-dim', 2),
    learningRate: orAuto(read.positiveNumberOrAuto('learning-rate', 'auto'), byMixture.learningRate),
    generatorAverageDecay: averageDecay(orAuto(read.unitIntervalOrAuto('average-decay', 'auto'), byMixture.averageDecay)),
    ...(packing === 1 ? {} : { packing }),
    // A record from before `--latent` drew normal latents.
    ...(orAuto(read.oneOf('latent', ['auto', 'normal', 'uniform'] as const, 'normal'), byMixture.latent) === 'uniform' ? { latent: 'uniform' as const } : {}),
  })
  // As the recipe's `--loss`: the default leaves the GAN as it is; WGAN-GP adds its penalty.
  const loss = read.oneOf('loss', ['non-saturating', 'minimax', 'least-squares', 'hinge', 'wasserstein-gp'] as const, 'non-saturating')
  if (loss === 'non-saturating') return spec
  if (loss === 'wasserstein-gp') return { ...spec, loss: wasserstein(), penalties: [gradientPenalty({ weight: 10 })] }
  return { ...spec, loss: loss === 'minimax' ? minimax() : loss === 'hinge' ? hinge() : leastSquares() }
}

const losses: Readonly<Record<'non-saturating' | 'least-squares' | 'hinge' | 'wasserstein', () => GanLoss>> = {
  'non-saturating': () => nonSaturating(),
  'least-squares': () => leastSquares(),
  hinge: () => hinge(),
  wasserstein: () => wasserstein(),
}

/** As the image recipes' `--dataset`, `--size` and `--channels` (`auto`: 28×28×1 bundled, 64×64×3 folder); records from before them are 28×28×1. */
const imageShape = (read: Reader, path: string, errors: Array<GanError>) => {
  const dataset = read.oneOf('dataset', ['mnist', 'fashion', 'folder'] as const, 'mnist')
  const shape = imageShapeOf({ dataset, size: read.positiveIntOrAuto('size', 'auto'), channels: read.oneOf('channels', ['auto', '1', '3'] as const, 'auto') })
  if (dataset === 'folder') errors.push(...dcganSizeProblems(shape.size, `${path}.size`))
  return { dataset, shape }
}

/** As the SRGAN recipe's `--blocks`: at most `srganMaxBlocks` (past it, the default stands in while the error is reported). */
const srganBlocks = (read: Reader, path: string, errors: Array<GanError>): number => {
  const blocks = read.positiveInt('blocks', 4)
  if (blocks <= srganMaxBlocks) return blocks
  errors.push(invalidConfig(`${path}.blocks`, `at most ${srganMaxBlocks} residual blocks`, String(blocks)))
  return 4
}

const dcganOf = (read: Reader, path: string, errors: Array<GanError>): Gan => {
  const loss = read.oneOf('loss', ['non-saturating', 'least-squares', 'hinge', 'wasserstein'] as const, 'non-saturating')
  const penalty = read.oneOf('penalty', ['none', 'gp', 'r1'] as const, 'none')
  const weight = read.positiveNumber('penalty-weight', 10)
  const every = read.positiveInt('penalty-every', 1)
  const penalties: ReadonlyArray<Penalty> =
    penalty === 'gp' ? [gradientPenalty({ weight, every })] : penalty === 'r1' ? [r1({ gamma: weight, every })] : []
  return dcganGan({
    ...imageShape(read, path, errors).shape,
    width: read.positiveInt('width', 16),
    latentDim: read.positiveInt('latent-dim', 64),
    learningRate: read.positiveNumber('lr', 2e-4),
    beta1: read.unitInterval('beta1', 0.5),
    generatorAverageDecay: averageDecay(read.unitInterval('average-decay', 0.999)),
    loss: losses[loss](),
    penalties,
    criticSteps: read.positiveInt('critic-steps', 1),
    ...dcganAugmentation(read.oneOf('augment', ['none', 'translation-cutout', 'colour-translation-cutout'] as const, 'none')),
    ...kernelInitOption(read),
  })
}

/** As the DCGAN recipe's `--augment`: DiffAugment's policies, with or without its colour jitter. */
const dcganAugmentation = (augment: 'none' | 'translation-cutout' | 'colour-translation-cutout'): { readonly augmentation?: DiffAugment } =>
  augment === 'none' ? {} : { augmentation: diffAugment({ color: augment === 'colour-translation-cutout' }) }

/** As the DCGAN and CGAN recipes' `--init`: `glorot` (and records from before it) leaves the GAN as it was; `normal` is N(0, 0.02). */
const kernelInitOption = (read: Reader): { readonly kernelInit?: KernelInit } =>
  read.oneOf('init', ['glorot', 'normal'] as const, 'glorot') === 'normal' ? { kernelInit: normalInit(0.02) } : {}

/** As the CGAN recipe's `--mode-seeking`: 0 adds no term. */
const modeSeekingWeight = (weight: number): { readonly modeSeekingWeight?: number } => (weight === 0 ? {} : { modeSeekingWeight: weight })

const cganOf = (read: Reader, path: string, errors: Array<GanError>, labelClasses: number | undefined): Gan => {
  const { dataset, shape } = imageShape(read, path, errors)
  if (dataset === 'folder' && !(Number.isInteger(labelClasses) && labelClasses! >= 2))
    errors.push(invalidConfig('options.labelClasses', "a folder CGAN run's class count (≥ 2; the length of its classes.json)", describeValue(labelClasses)))
  return cganGan({
    ...shape,
    ...(dataset === 'folder' && labelClasses !== undefined ? { classes: labelClasses } : {}),
    width: read.positiveInt('width', 16),
    latentDim: read.positiveInt('latent-dim', 64),
    embeddingDim: read.positiveInt('embedding-dim', 16),
    labelIn: read.oneOf('label-in', ['both', 'input', 'projection'] as const, 'both'),
    learningRate: read.positiveNumber('lr', 2e-4),
    beta1: read.unitInterval('beta1', 0.5),
    generatorAverageDecay: averageDecay(read.unitInterval('average-decay', 0.999)),
    minibatchStddevGroup: read.nonNegativeInt('minibatch-stddev', 0),
    generatorNorm: read.oneOf('generator-norm', ['batch', 'conditional'] as const, 'batch'),
    ...(read.oneOf('loss', ['non-saturating', 'hinge'] as const, 'non-saturating') === 'hinge' ? { loss: hinge() } : {}),
    ...modeSeekingWeight(read.nonNegativeNumber('mode-seeking', 0)),
    ...(read.oneOf('augment', ['none', 'translation-cutout'] as const, 'none') === 'none' ? {} : { augmentation: diffAugment({ color: false }) }),
    ...kernelInitOption(read),
  })
}


const srganOf = (read: Reader, path: string, errors: Array<GanError>, judge: JudgeWeights | undefined): Gan => {
  const dataset = read.oneOf('dataset', ['mnist', 'fashion', 'folder'] as const, 'mnist')
  // `--size` names the crop as the other image recipes do; `auto` (and records from before it) is `--crop`.
  const size = read.positiveIntOrAuto('size', 'auto')
  const crop = size === 'auto' ? read.positiveInt('crop', 32) : size
  const channels = read.oneOf('channels', ['1', '3'] as const, '1')
  // `auto` (the recipe's default) is the perceptual mix on the bundled sets: the branch below.
  const content = read.oneOf('content', ['auto', 'mse+perceptual', 'mse', 'perceptual'] as const, 'auto')
  const perceptualWeight = read.nonNegativeNumber('perceptual-weight', 0.01)
  if (dataset === 'folder' && crop % 4 !== 0) errors.push(invalidConfig(`${path}.${size === 'auto' ? 'crop' : 'size'}`, 'a multiple of 4', String(crop)))
  // As the recipe: a folder run trains on MSE alone; the perceptual term needs the judge's weights.
  let contentLoss: ContentLoss = mse()
  if (dataset !== 'folder' && content !== 'mse' && judge !== undefined) {
    if (judge.dataset !== dataset) errors.push(invalidConfig('options.judgeWeights.dataset', `the run's dataset, ${dataset}`, judge.dataset))
    const perceptualLoss = judgePerceptual(judge)
    contentLoss = content === 'perceptual' ? perceptualLoss : weightedSum([[mse(), 1], [perceptualLoss, perceptualWeight]])
  }
  return srganGan({
    highShape: dataset === 'folder' ? [crop, crop, channels === '3' ? 3 : 1] : [28, 28, 1],
    filters: read.positiveInt('filters', 32),
    blocks: srganBlocks(read, path, errors),
    pretrainSteps: read.positiveInt('pretrain-steps', 1500),
    content: contentLoss,
    adversarialWeight: read.positiveNumber('adversarial-weight', 1e-3),
    learningRate: read.positiveNumber('lr', 1e-3),
  })
}

/** The recipes `builtinGanOf` knows. */
const builtinRecipes = ['vanilla', 'dcgan', 'cgan', 'srgan'] as const

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The GAN a run of a built-in recipe (`vanilla`, `dcgan`, `cgan`, `srgan`) trained, from the run
 * record of one of its checkpoints: `{ recipe, config }`, where `config` holds the recipe's options
 * by flag name (`latent-dim`, `width`, …; an absent one takes its default, other keys are
 * ignored). Every problem is reported with its path (`run.recipe`, `run.config.width`; `path`
 * replaces `run`). An SRGAN run's perceptual content term needs `judgeWeights` (the run's
 * dataset's, `await judgeWeights('mnist')`); without them the content loss is MSE alone, which
 * only training reads: sampling and generating are the same either way. A CGAN run on a folder
 * needs `labelClasses`, its class count (the length of the run's `classes.json`).
 *
 * @example
 * import { builtinGanOf, compileOrThrow, getOrThrow } from 'ganfp'
 * const spec = getOrThrow(builtinGanOf({ recipe: 'dcgan', config: { width: 8, 'latent-dim': 32 } }))
 * compileOrThrow(spec).generator.inputShape // [32]
 * builtinGanOf({ recipe: 'pix2pix', config: {} })._tag
 * // 'Left': InvalidConfig at run.recipe: expected a built-in recipe (vanilla, dcgan, cgan or srgan), found "pix2pix"
 *
 * @since 0.2.0
 * @category zoo
 */
export const builtinGanOf = (run: unknown, options: BuiltinGanOptions = {}): E.Either<ReadonlyArray<GanError>, Gan> => {
  const path = options.path ?? 'run'
  if (!isRecord(run)) return E.left([invalidConfig(path, 'a run record { recipe, config }', run === null ? 'null' : Array.isArray(run) ? 'an array' : typeof run)])
  const errors: Array<GanError> = []
  const recipe = run['recipe']
  const config = run['config']
  const known = builtinRecipes.find((name) => name === recipe)
  if (known === undefined)
    errors.push(invalidConfig(`${path}.recipe`, 'a built-in recipe (vanilla, dcgan, cgan or srgan)', describeValue(recipe)))
  if (!isRecord(config))
    errors.push(invalidConfig(`${path}.config`, "an object of the recipe's options", config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config))
  if (known === undefined || !isRecord(config)) return E.left(errors)
  const read = fieldReader(config, `${path}.config`, errors)
  const built =
    known === 'vanilla'
      ? vanillaOf(read)
      : known === 'dcgan'
        ? dcganOf(read, `${path}.config`, errors)
        : known === 'cgan'
          ? cganOf(read, `${path}.config`, errors, options.labelClasses)
          : srganOf(read, `${path}.config`, errors, options.judgeWeights)
  return errors.length > 0 ? E.left(errors) : E.right(built)
}
