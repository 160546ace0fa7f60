/**
 * The `srgan` recipe's options, the checks across them, and the GAN they give (×4 super-resolution
 * of the bundled 28×28 sets or of crops from a folder). The recipe module (recipes/srgan.ts)
 * trains with it and `builtinGanOf` rebuilds a run's GAN from it.
 *
 * @since 0.3.0
 */
import { mse, weightedSum, type ContentLoss } from '../../dsl/content.ts'
import type { Gan } from '../../dsl/gan.ts'
import { invalidConfig, type GanError } from '../../errors.ts'
import { judgePerceptual, type JudgeWeights } from '../../eval/judge.ts'
import { configCodec, type ConfigCodec } from '../../io/config.ts'
import { flag, nonNegativeNumberFlag, oneOfFlag, positiveIntFlag, positiveIntOrAutoFlag, positiveNumberFlag, stringFlag, type Flag, type FlagValues } from '../../io/flags.ts'
import { srganGan, srganMaxBlocks } from '../../zoo/srgan.ts'

/**
 * The `srgan` recipe's upscaling factor.
 *
 * @example
 * import { srganFactor } from 'ganfp'
 * 28 / srganFactor // 7: the low-resolution side of a bundled image
 * @since 0.3.0
 * @category recipes
 */
export const srganFactor: number = 4

/**
 * The `srgan` recipe's options, by flag name.
 * @since 0.3.0
 * @category recipes
 */
export type SrganFlags = {
  readonly dataset: Flag<'mnist' | 'fashion' | 'folder'>
  readonly folder: Flag<string>
  readonly crop: Flag<number>
  readonly size: Flag<number | 'auto'>
  readonly 'crops-per-image': Flag<number>
  readonly channels: Flag<'1' | '3'>
  readonly filters: Flag<number>
  readonly blocks: Flag<number>
  readonly 'pretrain-steps': Flag<number>
  readonly content: Flag<'auto' | 'mse+perceptual' | 'mse' | 'perceptual'>
  readonly 'perceptual-weight': Flag<number>
  readonly 'adversarial-weight': Flag<number>
  readonly 'eval-images': Flag<number>
  readonly lr: Flag<number>
}

/**
 * The `srgan` recipe's own options; the run options (`--steps`, `--batch`, `--out`, …) come on top.
 *
 * @example
 * import { srganFlags } from 'ganfp'
 * srganFlags.blocks.defaultValue // 4
 * @since 0.3.0
 * @category recipes
 */
export const srganFlags: SrganFlags = {
  dataset: flag(oneOfFlag(['mnist', 'fashion', 'folder'] as const), 'mnist', 'bundled image set, or folder (--folder)'),
  folder: flag(stringFlag, 'images', 'with --dataset folder: a folder of PNG and JPEG images of any size (flat, or one sub-folder per class)'),
  crop: flag(positiveIntFlag, 32, 'with --dataset folder: high-resolution crop size (a multiple of 4); --size says the same'),
  size: flag(positiveIntOrAutoFlag, 'auto', 'with --dataset folder: high-resolution crop size, as the other image recipes name it (auto: --crop)'),
  'crops-per-image': flag(positiveIntFlag, 16, 'with --dataset folder: crops cut from each image'),
  channels: flag(oneOfFlag(['1', '3'] as const), '1', 'with --dataset folder: 1 (luminance) or 3 (RGB)'),
  filters: flag(positiveIntFlag, 32, 'channels of the residual trunk (SRGAN: 64)'),
  blocks: flag(positiveIntFlag, 4, 'residual blocks (SRGAN: 16)'),
  'pretrain-steps': flag(positiveIntFlag, 1500, 'steps of MSE pretraining before the adversarial phase'),
  content: flag(
    oneOfFlag(['auto', 'mse+perceptual', 'mse', 'perceptual'] as const),
    'auto',
    'content loss of the adversarial phase (perceptual: judge features, bundled sets only); auto: mse+perceptual on mnist and fashion, mse with --dataset folder',
  ),
  'perceptual-weight': flag(nonNegativeNumberFlag, 0.01, 'weight of the perceptual term in mse+perceptual'),
  'adversarial-weight': flag(positiveNumberFlag, 1e-3, 'weight of the adversarial loss (SRGAN: 10⁻³)'),
  'eval-images': flag(positiveIntFlag, 2000, 'held-out images super-resolved and scored (PSNR, SSIM) at the end'),
  lr: flag(positiveNumberFlag, 1e-3, 'Adam learning rate of the pretraining; the adversarial phase uses a tenth of it'),
}

/**
 * The `srgan` recipe's configuration: its options' values.
 * @since 0.3.0
 * @category recipes
 */
export type SrganConfig = FlagValues<SrganFlags>

/**
 * The content loss `--content` names: `auto` is the perceptual mix where the 28×28 judge knows the
 * images (the bundled sets) and MSE alone on the user's folder.
 *
 * @example
 * import { srganContent } from 'ganfp'
 * srganContent({ content: 'auto', dataset: 'folder' }) // 'mse'
 * @since 0.3.0
 * @category recipes
 */
export const srganContent = (config: Pick<SrganConfig, 'content' | 'dataset'>): 'mse+perceptual' | 'mse' | 'perceptual' =>
  config.content !== 'auto' ? config.content : config.dataset === 'folder' ? 'mse' : 'mse+perceptual'

/**
 * The high-resolution crop side of a folder run: `--size`, or `--crop` when it is `auto`.
 *
 * @example
 * import { srganCrop } from 'ganfp'
 * srganCrop({ crop: 32, size: 'auto' }) // 32
 * @since 0.3.0
 * @category recipes
 */
export const srganCrop = (config: Pick<SrganConfig, 'crop' | 'size'>): number => (config.size === 'auto' ? config.crop : config.size)

/** The options that rule each other out: a folder's crop must divide by 4, and the judge's loss needs digits. */
const srganProblems = (config: SrganConfig): ReadonlyArray<GanError> => [
  ...(config.blocks > srganMaxBlocks ? [invalidConfig('--blocks', `at most ${srganMaxBlocks} residual blocks`, String(config.blocks))] : []),
  ...(config.dataset === 'folder' && srganCrop(config) % srganFactor !== 0
    ? [invalidConfig(config.size === 'auto' ? '--crop' : '--size', `a multiple of ${srganFactor}`, String(srganCrop(config)))]
    : []),
  ...(config.size !== 'auto' && config.crop !== srganFlags.crop.defaultValue && config.crop !== config.size
    ? [invalidConfig('--size', `the same as --crop (${config.crop}), or one of the two`, String(config.size))]
    : []),
  ...(config.dataset !== 'folder' && config.size !== 'auto' && config.size !== 28
    ? [invalidConfig('--size', `28 or auto with --dataset ${config.dataset} (28×28 images)`, String(config.size))]
    : []),
  ...(config.dataset === 'folder' && srganContent(config) !== 'mse'
    ? [invalidConfig('--content', 'mse or auto with --dataset folder (the perceptual loss uses a 28×28 digit judge)', JSON.stringify(config.content))]
    : []),
]

/**
 * The `srgan` recipe's configuration codec, with its checks across options.
 *
 * @example
 * import { srganConfig } from 'ganfp'
 * srganConfig.decode({ dataset: 'folder', crop: 30 })._tag // 'Left': a multiple of 4
 * @since 0.3.0
 * @category recipes
 */
export const srganConfig: ConfigCodec<SrganFlags> = configCodec(srganFlags, srganProblems)

/**
 * The high-resolution image shape a configuration trains on (known before any image is read).
 *
 * @example
 * import { getOrThrow, srganConfig, srganHighShape } from 'ganfp'
 * srganHighShape(getOrThrow(srganConfig.decode({ dataset: 'folder', size: 64, channels: '3' }))) // [64, 64, 3]
 * @since 0.3.0
 * @category recipes
 */
export const srganHighShape = (config: Pick<SrganConfig, 'dataset' | 'crop' | 'size' | 'channels'>): readonly [number, number, number] =>
  config.dataset === 'folder' ? [srganCrop(config), srganCrop(config), config.channels === '3' ? 3 : 1] : [28, 28, 1]

/**
 * The GAN the `srgan` recipe trains for a configuration. Its perceptual content term reads the
 * shipped judge's weights for the run's dataset (`await judgeWeights('mnist')`); without them the
 * content loss is MSE alone, which only training reads: sampling is the same either way.
 *
 * @example
 * import { compileOrThrow, getOrThrow, srganConfig, srganRecipeGan } from 'ganfp'
 * compileOrThrow(srganRecipeGan(getOrThrow(srganConfig.decode({ filters: 4, blocks: 1 })))).generator.inputShape // [7, 7, 1]
 * @since 0.3.0
 * @category recipes
 */
export const srganRecipeGan = (config: SrganConfig, judge?: JudgeWeights): Gan => {
  const content = srganContent(config)
  const perceptual = content === 'mse' || judge === undefined ? undefined : judgePerceptual(judge)
  const contentLoss: ContentLoss =
    perceptual === undefined ? mse() : content === 'perceptual' ? perceptual : weightedSum([[mse(), 1], [perceptual, config['perceptual-weight']]])
  return srganGan({
    highShape: srganHighShape(config),
    filters: config.filters,
    blocks: config.blocks,
    pretrainSteps: config['pretrain-steps'],
    content: contentLoss,
    adversarialWeight: config['adversarial-weight'],
    learningRate: config.lr,
  })
}
