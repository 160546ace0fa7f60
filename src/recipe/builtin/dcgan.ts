/**
 * The `dcgan` recipe's options and the GAN they give (the bundled 28×28 sets, or a folder at any
 * power-of-two size), and the kernel-initialiser option it shares with `cgan`. The recipe module
 * (recipes/dcgan.ts) trains with it and `builtinGanOf` rebuilds a run's GAN from it.
 *
 * @since 0.3.0
 */
import { diffAugment } from '../../dsl/augmentation.ts'
import type { Gan } from '../../dsl/gan.ts'
import { hinge, leastSquares, nonSaturating, wasserstein, type GanLoss } from '../../dsl/loss.ts'
import { gradientPenalty, r1 } from '../../dsl/penalty.ts'
import { configCodec, type ConfigCodec } from '../../io/config.ts'
import { flag, oneOfFlag, positiveIntFlag, positiveNumberFlag, truncationFlag, truncationOrAutoFlag, unitIntervalFlag, type Flag, type FlagValues } from '../../io/flags.ts'
import { normalInit, type KernelInit } from '../../layers/kernel-init.ts'
import { cganGan } from '../../zoo/cgan.ts'
import { dcganGan } from '../../zoo/dcgan.ts'
import { imageShapeOf } from '../../zoo/dcgan-sizes.ts'
import { imageDataFlags, imageDataProblems, type ImageDataFlags } from '../image-data.ts'

/**
 * The `--init` option of the image recipes. Runs made before it existed started from
 * Glorot-uniform, and resume that way.
 *
 * @example
 * import { kernelInitFlag } from 'ganfp'
 * kernelInitFlag.defaultValue // 'glorot'
 * @since 0.3.0
 * @category recipes
 */
export const kernelInitFlag: Flag<'glorot' | 'normal'> = flag(
  oneOfFlag(['glorot', 'normal'] as const),
  'glorot',
  "how every dense and convolution kernel starts: Glorot-uniform, or N(0, 0.02) (normal: the DCGAN paper's and PyTorch example's)",
  { before: 'glorot' },
)

/**
 * The `--truncation` option of the image recipes: the ψ their final samples (the ones written and
 * scored) are drawn with (`SampleOptions.truncation`). It changes no training step; runs made
 * before it existed sampled with none (1).
 *
 * @example
 * import { truncationOption } from 'ganfp'
 * truncationOption(1).defaultValue // 1
 * @since 0.3.0
 * @category recipes
 */
export const truncationOption = (defaultValue: number): Flag<number> =>
  flag(truncationFlag, defaultValue, 'ψ of the final samples: latents drawn nearer their centre, more typical and less varied (1: none)', { before: 1 })

/**
 * The networks' kernel initialiser an `--init` value names: `glorot` leaves the GAN as it is.
 *
 * @example
 * import { kernelInitOf } from 'ganfp'
 * kernelInitOf('glorot') // {}
 * @since 0.3.0
 * @category recipes
 */
export const kernelInitOf = (init: 'glorot' | 'normal'): { readonly kernelInit?: KernelInit } => (init === 'normal' ? { kernelInit: normalInit(0.02) } : {})

/**
 * The `dcgan` recipe's options, by flag name.
 * @since 0.3.0
 * @category recipes
 */
export type DcganFlags = ImageDataFlags & {
  readonly width: Flag<number>
  readonly 'latent-dim': Flag<number>
  readonly lr: Flag<number>
  readonly beta1: Flag<number>
  readonly 'average-decay': Flag<number>
  readonly loss: Flag<'non-saturating' | 'least-squares' | 'hinge' | 'wasserstein'>
  readonly penalty: Flag<'none' | 'gp' | 'r1'>
  readonly 'penalty-weight': Flag<number>
  readonly 'penalty-every': Flag<number>
  readonly 'critic-steps': Flag<number>
  readonly augment: Flag<'none' | 'translation-cutout' | 'colour-translation-cutout'>
  readonly init: Flag<'glorot' | 'normal'>
  readonly labels: Flag<'auto' | 'none'>
  readonly truncation: Flag<number | 'auto'>
}

/**
 * The `dcgan` recipe's own options (the image data options among them); the run options
 * (`--steps`, `--batch`, `--out`, …) come on top.
 *
 * @example
 * import { dcganFlags } from 'ganfp'
 * dcganFlags.width.defaultValue // 16
 * @since 0.3.0
 * @category recipes
 */
export const dcganFlags: DcganFlags = {
  ...imageDataFlags,
  width: flag(positiveIntFlag, 16, 'channels of the last generator block (64: the classic DCGAN size)'),
  'latent-dim': flag(positiveIntFlag, 64, 'latent dimension'),
  lr: flag(positiveNumberFlag, 2e-4, 'Adam learning rate of both networks'),
  beta1: flag(unitIntervalFlag, 0.5, "Adam's β1"),
  'average-decay': flag(unitIntervalFlag, 0.999, "decay of the generator's moving average used for sampling (0: none)"),
  loss: flag(oneOfFlag(['non-saturating', 'least-squares', 'hinge', 'wasserstein'] as const), 'non-saturating', 'adversarial loss'),
  penalty: flag(oneOfFlag(['none', 'gp', 'r1'] as const), 'none', 'gradient penalty on the discriminator (gp: WGAN-GP)'),
  'penalty-weight': flag(positiveNumberFlag, 10, 'λ of WGAN-GP, γ of R1'),
  'penalty-every': flag(positiveIntFlag, 1, 'apply the penalty every n-th discriminator update, scaled by n (lazy)'),
  'critic-steps': flag(positiveIntFlag, 1, 'discriminator updates per generator update (WGAN: 5)'),
  augment: flag(
    oneOfFlag(['none', 'translation-cutout', 'colour-translation-cutout'] as const),
    'none',
    'DiffAugment of both inputs of the discriminator (colour-: with brightness, saturation and contrast jitter)',
  ),
  init: kernelInitFlag,
  // Q2's 20 minutes on MNIST, seed 1: unconditional, precision 0.38 and FD 7.3× floor; with the classes 0.79 and 2.3× (README, Quality report).
  labels: flag(
    oneOfFlag(['auto', 'none'] as const),
    'auto',
    "auto: on the bundled sets both networks read each image's class (the cgan recipe's networks, mode seeking 0.05) and the samples draw the ten classes evenly; none, and always on a folder: the unconditional DCGAN",
    { before: 'none' },
  ),
  truncation: flag(truncationOrAutoFlag, 'auto', 'ψ of the final samples: latents drawn nearer their centre, more typical and less varied (1: none; auto: with --labels auto 0.8 on MNIST and 0.9 on Fashion-MNIST, else 1)', {
    before: 1,
  }),
}

/**
 * The `dcgan` recipe's configuration: its options' values.
 * @since 0.3.0
 * @category recipes
 */
export type DcganConfig = FlagValues<DcganFlags>

/**
 * The `dcgan` recipe's configuration codec, with the image options' checks across options.
 *
 * @example
 * import { dcganConfig } from 'ganfp'
 * dcganConfig.decode({ dataset: 'folder', size: 48 })._tag // 'Left': --folder and --size
 * @since 0.3.0
 * @category recipes
 */
export const dcganConfig: ConfigCodec<DcganFlags> = configCodec(dcganFlags, imageDataProblems)

const losses: Readonly<Record<DcganConfig['loss'], () => GanLoss>> = {
  'non-saturating': () => nonSaturating(),
  'least-squares': () => leastSquares(),
  hinge: () => hinge(),
  wasserstein: () => wasserstein(),
}

/**
 * The classes a `dcgan` configuration's networks read: the bundled sets' ten with `--labels auto`,
 * none (the unconditional DCGAN) with `--labels none` or on a folder.
 *
 * @example
 * import { dcganClassesOf, dcganConfig, getOrThrow } from 'ganfp'
 * dcganClassesOf(getOrThrow(dcganConfig.decode({}))) // 10
 * dcganClassesOf(getOrThrow(dcganConfig.decode({ labels: 'none' }))) // undefined
 * @since 0.3.0
 * @category recipes
 */
export const dcganClassesOf = (config: DcganConfig): number | undefined => (config.labels === 'auto' && config.dataset !== 'folder' ? 10 : undefined)

/**
 * The ψ a `dcgan` configuration's final samples are drawn with: its `--truncation`, or with `auto`
 * 1 (none) for the unconditional DCGAN and, when the networks read classes, 0.8 on MNIST (the cgan
 * recipe's) and 0.9 on Fashion-MNIST, where 0.8 took recall below 0.5.
 *
 * @example
 * import { dcganConfig, dcganTruncationOf, getOrThrow } from 'ganfp'
 * dcganTruncationOf(getOrThrow(dcganConfig.decode({}))) // 0.8
 * dcganTruncationOf(getOrThrow(dcganConfig.decode({ dataset: 'fashion' }))) // 0.9
 * dcganTruncationOf(getOrThrow(dcganConfig.decode({ labels: 'none' }))) // 1
 * @since 0.3.0
 * @category recipes
 */
export const dcganTruncationOf = (config: DcganConfig): number =>
  config.truncation !== 'auto' ? config.truncation : dcganClassesOf(config) === undefined ? 1 : conditionalTruncation[config.dataset === 'fashion' ? 'fashion' : 'mnist']

// Q2's 20-minute seed-1 runs, scored at ψ 1, 0.9, 0.85, 0.8 (README, Quality report): MNIST keeps
// recall ≥ 0.62 at 0.8 (precision 0.79); Fashion-MNIST's recall falls to 0.44 there, 0.51 at 0.9.
const conditionalTruncation = { mnist: 0.8, fashion: 0.9 } as const

/**
 * The GAN the `dcgan` recipe trains for a configuration: the DCGAN, or with classes
 * (`dcganClassesOf`) the same networks conditioned as the `cgan` recipe's defaults condition them.
 *
 * @example
 * import { compileOrThrow, dcganConfig, dcganRecipeGan, getOrThrow } from 'ganfp'
 * compileOrThrow(dcganRecipeGan(getOrThrow(dcganConfig.decode({ width: 4 })))).generator.outputShape // [28, 28, 1]
 * compileOrThrow(dcganRecipeGan(getOrThrow(dcganConfig.decode({ width: 4 })))).generator.labelClasses // 10
 * compileOrThrow(dcganRecipeGan(getOrThrow(dcganConfig.decode({ width: 4, labels: 'none' })))).generator.labelClasses // undefined
 * @since 0.3.0
 * @category recipes
 */
export const dcganRecipeGan = (config: DcganConfig): Gan => {
  const weight = config['penalty-weight']
  const every = config['penalty-every']
  const options = {
    ...imageShapeOf(config),
    width: config.width,
    latentDim: config['latent-dim'],
    learningRate: config.lr,
    beta1: config.beta1,
    generatorAverageDecay: config['average-decay'] === 0 ? undefined : config['average-decay'],
    loss: losses[config.loss](),
    penalties: config.penalty === 'gp' ? [gradientPenalty({ weight, every })] : config.penalty === 'r1' ? [r1({ gamma: weight, every })] : [],
    criticSteps: config['critic-steps'],
    ...(config.augment === 'none' ? {} : { augmentation: diffAugment({ color: config.augment === 'colour-translation-cutout' }) }),
    ...kernelInitOf(config.init),
  }
  const classes = dcganClassesOf(config)
  // The cgan recipe's defaults for what the DCGAN options do not set; without mode seeking each class collapses to one image.
  return classes === undefined ? dcganGan(options) : cganGan({ ...options, classes, embeddingDim: 16, labelIn: 'both', modeSeekingWeight: 0.05 })
}
