/**
 * The `cgan` recipe's options and the GAN they give: the conditional DCGAN on the bundled sets'
 * ten classes or a folder's class sub-folders. The recipe module (recipes/cgan.ts) trains with it
 * and `builtinGanOf` rebuilds a run's GAN from it.
 *
 * @since 0.3.0
 */
import { diffAugment } from '../../dsl/augmentation.ts'
import type { Gan } from '../../dsl/gan.ts'
import { hinge } from '../../dsl/loss.ts'
import { configCodec, type ConfigCodec } from '../../io/config.ts'
import { flag, nonNegativeIntFlag, nonNegativeNumberFlag, oneOfFlag, positiveIntFlag, positiveNumberFlag, unitIntervalFlag, type Flag, type FlagValues } from '../../io/flags.ts'
import { cganGan } from '../../zoo/cgan.ts'
import { imageShapeOf } from '../../zoo/dcgan-sizes.ts'
import { imageDataFlags, imageDataProblems, type ImageDataFlags } from '../image-data.ts'
import { kernelInitFlag, kernelInitOf, truncationOption } from './dcgan.ts'

/**
 * The `cgan` recipe's options, by flag name.
 * @since 0.3.0
 * @category recipes
 */
export type CganFlags = ImageDataFlags & {
  readonly width: Flag<number>
  readonly 'latent-dim': Flag<number>
  readonly 'embedding-dim': Flag<number>
  readonly 'label-in': Flag<'both' | 'input' | 'projection'>
  readonly lr: Flag<number>
  readonly beta1: Flag<number>
  readonly 'average-decay': Flag<number>
  readonly 'minibatch-stddev': Flag<number>
  readonly loss: Flag<'non-saturating' | 'hinge'>
  readonly 'generator-norm': Flag<'batch' | 'conditional'>
  readonly 'mode-seeking': Flag<number>
  readonly augment: Flag<'none' | 'translation-cutout'>
  readonly init: Flag<'glorot' | 'normal'>
  readonly 'per-class': Flag<number>
  readonly truncation: Flag<number>
}

/**
 * The `cgan` recipe's own options (the image data options among them); the run options
 * (`--steps`, `--batch`, `--out`, …) come on top.
 *
 * @example
 * import { cganFlags } from 'ganfp'
 * cganFlags['mode-seeking'].defaultValue // 0.05
 * @since 0.3.0
 * @category recipes
 */
export const cganFlags: CganFlags = {
  ...imageDataFlags,
  width: flag(positiveIntFlag, 16, 'channels of the last generator block (64: the classic DCGAN size)'),
  'latent-dim': flag(positiveIntFlag, 64, 'latent dimension'),
  'embedding-dim': flag(positiveIntFlag, 16, "size of the generator's label embedding"),
  'label-in': flag(oneOfFlag(['both', 'input', 'projection'] as const), 'both', 'how the discriminator reads the label'),
  lr: flag(positiveNumberFlag, 2e-4, 'Adam learning rate of both networks'),
  beta1: flag(unitIntervalFlag, 0.5, "Adam's β1"),
  'average-decay': flag(unitIntervalFlag, 0.999, "decay of the generator's moving average used for sampling (0: none)"),
  // Off by default: 20 min with groups of 4 left recall at 0 (coverage 0.085 against 0.061).
  'minibatch-stddev': flag(
    nonNegativeIntFlag,
    0,
    "group size of a minibatch-stddev feature in the critic (0: none); it lets the critic see a group's lack of variety",
  ),
  loss: flag(oneOfFlag(['non-saturating', 'hinge'] as const), 'non-saturating', 'adversarial loss (hinge: the projection discriminator’s usual one)'),
  'generator-norm': flag(oneOfFlag(['batch', 'conditional'] as const), 'batch', 'batch norm in the generator, or conditional batch norm (a scale and shift per class)'),
  // Without it the CGAN draws one image per class (recall 0.00); runs recorded before it had none.
  'mode-seeking': flag(
    nonNegativeNumberFlag,
    0.05,
    'weight of the mode-seeking term (Mao et al.): pairs of latents of one class must give different images (0: none)',
    { before: 0 },
  ),
  augment: flag(oneOfFlag(['none', 'translation-cutout'] as const), 'none', 'DiffAugment of both inputs of the discriminator'),
  init: kernelInitFlag,
  'per-class': flag(positiveIntFlag, 1000, 'samples per class written and scored at the end (1,000 for the class-accuracy check)'),
  // Q3's 20 minutes: precision 0.76–0.77 on seeds 1–3 (untruncated, seeds 1–2: 0.66–0.68); README.
  truncation: truncationOption(0.8),
}

/**
 * The `cgan` recipe's configuration: its options' values.
 * @since 0.3.0
 * @category recipes
 */
export type CganConfig = FlagValues<CganFlags>

/**
 * The `cgan` recipe's configuration codec, with the image options' checks across options.
 *
 * @example
 * import { cganConfig } from 'ganfp'
 * cganConfig.decode({ 'label-in': 'projection', loss: 'hinge' })._tag // 'Right'
 * @since 0.3.0
 * @category recipes
 */
export const cganConfig: ConfigCodec<CganFlags> = configCodec(cganFlags, imageDataProblems)

/**
 * The GAN the `cgan` recipe trains for a configuration and its class count (a folder's class
 * sub-folders; the bundled sets have ten).
 *
 * @example
 * import { cganConfig, cganRecipeGan, compileOrThrow, getOrThrow } from 'ganfp'
 * compileOrThrow(cganRecipeGan(getOrThrow(cganConfig.decode({ width: 2 })), 10)).generator.outputShape // [28, 28, 1]
 * @since 0.3.0
 * @category recipes
 */
export const cganRecipeGan = (config: CganConfig, classes: number): Gan =>
  cganGan({
    ...imageShapeOf(config),
    classes,
    width: config.width,
    latentDim: config['latent-dim'],
    embeddingDim: config['embedding-dim'],
    labelIn: config['label-in'],
    learningRate: config.lr,
    beta1: config.beta1,
    generatorAverageDecay: config['average-decay'] === 0 ? undefined : config['average-decay'],
    minibatchStddevGroup: config['minibatch-stddev'],
    generatorNorm: config['generator-norm'],
    ...(config.loss === 'hinge' ? { loss: hinge() } : {}),
    ...(config['mode-seeking'] === 0 ? {} : { modeSeekingWeight: config['mode-seeking'] }),
    ...(config.augment === 'none' ? {} : { augmentation: diffAugment({ color: false }) }),
    ...kernelInitOf(config.init),
  })
