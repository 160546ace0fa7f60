/**
 * SRGAN (Ledig et al.) scaled to small images, ×4:
 * - generator: a 3×3 convolution and PReLU, then `--blocks` residual blocks (conv, batch norm,
 *   PReLU, conv, batch norm, skip) and a conv + batch norm, all inside a global skip; then two
 *   ×2 sub-pixel upsamplings (conv to 4× the channels, pixel shuffle, PReLU) and a conv to the
 *   image channels, tanh;
 * - discriminator: strided 3×3 convolutions with batch norm and leaky ReLU, a dense layer, a logit;
 * - schedule: `--pretrain-steps` of MSE pretraining (SRResNet), then the adversarial phase:
 *   content + 10⁻³ × adversarial, as in the paper.
 *
 * The paper's content loss compares VGG features, whose weights cannot be downloaded here. This
 * recipe's stand-in is a perceptual loss on the project's own judge classifier (the 7×7×64 map of
 * its fourth convolution, `judgePerceptual`) plus the pixel MSE (`--content`, default `auto`:
 * that mix on the bundled sets, MSE alone on a folder, whose images the 28×28 judge does not
 * know). The judge's accuracy on super-resolved digits is then not an independent score; PSNR
 * and SSIM are.
 *
 * Data (protocol Q4): 28×28 MNIST / Fashion images as high resolution, their 7×7 box (area
 * average) downsample as input; or `--dataset folder --folder DIR`: square crops of `--size`
 * (or `--crop`, its older name) pixels from the user's PNG and JPEG images (any size; 90% for
 * training, 10% held out), the input their box downsample by 4.
 *
 * A completed run writes `OUT/comparison.png` (LR | bicubic | MSE-pretrained | SRGAN | HR rows),
 * `OUT/lr.npy`, `OUT/sr.npy`, `OUT/sr-pretrained.npy`, `OUT/hr.npy` (float32 in [0, 1]) for the
 * held-out images, and prints PSNR and SSIM of bicubic, the pretrained and the adversarial
 * generator.
 *
 * Run: `ganfp train srgan --out runs/sr`, or `deno run -A recipes/srgan.ts --out out/srgan` (or
 * `bun run`); `ganfp sample runs/sr` super-resolves held-out inputs.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  bicubicUpsampleOrThrow,
  boxDownsampleOrThrow,
  comparisonGrid,
  conditionalAccuracy,
  configCodec,
  decodeNpy,
  defineRecipe,
  encodeNpyOrThrow,
  flag,
  getOrThrow,
  invalidConfig,
  judgePerceptual,
  judgeWeights,
  loadJudge,
  mse,
  nearestUpsampleOrThrow,
  nonNegativeNumberFlag,
  oneOfFlag,
  pixelsToUnit,
  positiveIntFlag,
  positiveIntOrAutoFlag,
  positiveNumberFlag,
  psnr,
  selectImages,
  shuffledIndices,
  splitHeldOut,
  srganDiscriminator,
  srganGan,
  srganGenerator,
  srganMaxBlocks,
  ssim,
  stringFlag,
  superResolutionDataset,
  toUnitRange,
  weightedSum,
  type ContentLoss,
  type FlagValues,
  type GanError,
  type ImageBatch,
  type LabelledImages,
  type RecipeContext,
  type Trainer,
} from 'ganfp'
import { encodePng, loadBundledImages, loadImageFolderCrops, runIfMain, writeFileAtomicOrThrow } from 'ganfp/node'

/** The recipe's own options; the run options (`--steps`, `--batch`, `--out`, …) come on top. */
export const srganFlags = {
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

/** The recipe's configuration: its flags' values. */
export type SrganConfig = FlagValues<typeof srganFlags>

const factor = 4

/** The SRGAN networks and GAN (the core's zoo), re-exported where scripts have found them. */
export { srganDiscriminator, srganGan, srganGenerator }

/**
 * The content loss `--content` names: `auto` is the perceptual mix where the 28×28 judge knows the
 * images (the bundled sets) and MSE alone on the user's folder.
 */
const contentOf = (config: Pick<SrganConfig, 'content' | 'dataset'>): 'mse+perceptual' | 'mse' | 'perceptual' =>
  config.content !== 'auto' ? config.content : config.dataset === 'folder' ? 'mse' : 'mse+perceptual'

/** The high-resolution crop side of a folder run: `--size`, or `--crop` when it is `auto`. */
const cropOf = (config: Pick<SrganConfig, 'crop' | 'size'>): number => (config.size === 'auto' ? config.crop : config.size)

/** The options that rule each other out: a folder's crop must divide by 4, and the judge's loss needs digits. */
const checkOptions = (config: SrganConfig): ReadonlyArray<GanError> => [
  ...(config.blocks > srganMaxBlocks ? [invalidConfig('--blocks', `at most ${srganMaxBlocks} residual blocks`, String(config.blocks))] : []),
  ...(config.dataset === 'folder' && cropOf(config) % factor !== 0
    ? [invalidConfig(config.size === 'auto' ? '--crop' : '--size', `a multiple of ${factor}`, String(cropOf(config)))]
    : []),
  ...(config.size !== 'auto' && config.crop !== srganFlags.crop.defaultValue && config.crop !== config.size
    ? [invalidConfig('--size', `the same as --crop (${config.crop}), or one of the two`, String(config.size))]
    : []),
  ...(config.dataset !== 'folder' && config.size !== 'auto' && config.size !== 28
    ? [invalidConfig('--size', `28 or auto with --dataset ${config.dataset} (28×28 images)`, String(config.size))]
    : []),
  ...(config.dataset === 'folder' && contentOf(config) !== 'mse'
    ? [invalidConfig('--content', 'mse or auto with --dataset folder (the perceptual loss uses a 28×28 digit judge)', JSON.stringify(config.content))]
    : []),
]

/** The high-resolution image shape a configuration trains on (known before any image is read). */
const highShapeOf = (config: SrganConfig): readonly [number, number, number] =>
  config.dataset === 'folder' ? [cropOf(config), cropOf(config), config.channels === '3' ? 3 : 1] : [28, 28, 1]

/** Training and held-out images: the Q4 split for the bundled sets; for a folder, 10% of its crops. */
const loadImages = (config: SrganConfig): E.Either<ReadonlyArray<GanError>, { train: LabelledImages; heldOut: LabelledImages }> => {
  if (config.dataset !== 'folder') {
    return E.map(splitHeldOut)(loadBundledImages(config.dataset))
  }
  const crops = loadImageFolderCrops(config.folder, {
    cropSize: cropOf(config),
    cropsPerImage: config['crops-per-image'],
    channels: config.channels === '3' ? 3 : 1,
    seed: 1,
  })
  if (E.isLeft(crops)) return crops
  const count = crops.right.count
  const heldOut = Math.max(1, Math.floor(count / 10))
  const indices = Array.from({ length: count }, (_, i) => i)
  return E.right({ train: selectImages(crops.right, indices.slice(0, count - heldOut)), heldOut: selectImages(crops.right, indices.slice(count - heldOut)) })
}

/** The held-out set a configuration is scored on (read once per configuration: the hooks share it). */
const heldOutOf = (() => {
  const cache = new Map<string, HeldOut>()
  return (config: SrganConfig): HeldOut => {
    const key = JSON.stringify(config)
    const cached = cache.get(key)
    if (cached !== undefined) return cached
    const made = heldOutSet(getOrThrow(loadImages(config)).heldOut, config['eval-images'])
    cache.set(key, made)
    return made
  }
})()

/** The content loss of the adversarial phase; the judge's weights are read only when it is used. */
const contentLoss = async (config: SrganConfig): Promise<ContentLoss> => {
  const content = contentOf(config)
  if (content === 'mse' || config.dataset === 'folder') return mse()
  const perceptualLoss = judgePerceptual(await judgeWeights(config.dataset))
  return content === 'perceptual' ? perceptualLoss : weightedSum([[mse(), 1], [perceptualLoss, config['perceptual-weight']]])
}

/** PSNR, SSIM and judge accuracy of bicubic, the pretrained and the final generator; comparison.png and the .npy files. */
const evaluate = async ({ config, trainer, out, log }: RecipeContext<SrganConfig>) => {
  const evaluation = heldOutOf(config)
  const { high, low } = evaluation
  const highShape = highShapeOf(config)
  const shape = [high.count, ...highShape]
  const bicubic = batchOf(bicubicUpsampleOrThrow(low, factor), high)
  const sr = batchOf(await superResolve(trainer, evaluation), high)
  const pretrainedFile = join(out, 'sr-pretrained.npy')
  const pretrained = existsSync(pretrainedFile) ? decodeNpy(readFileSync(pretrainedFile), pretrainedFile) : undefined
  const pretrainedBatch = pretrained !== undefined && E.isRight(pretrained) ? batchOf(Float32Array.from(pretrained.right.values), high) : undefined
  writeFileAtomicOrThrow(join(out, 'lr.npy'), encodeNpyOrThrow(Float32Array.from(low.values), [low.count, low.height, low.width, low.channels]))
  writeFileAtomicOrThrow(join(out, 'hr.npy'), encodeNpyOrThrow(Float32Array.from(high.values), shape))
  writeFileAtomicOrThrow(join(out, 'sr.npy'), encodeNpyOrThrow(Float32Array.from(sr.values), shape))
  const shown = Math.min(16, high.count)
  const columns = [batchOf(nearestUpsampleOrThrow(low, factor), high), bicubic, ...(pretrainedBatch === undefined ? [] : [pretrainedBatch]), sr, high]
  const grid = comparisonGrid(columns.map((images) => ({ images })), shown)
  if (E.isRight(grid)) writeFileAtomicOrThrow(join(out, 'comparison.png'), encodePng(grid.right))
  const judge = config.dataset === 'folder' ? undefined : await loadJudge(config.dataset)
  const accuracy = async (images: ImageBatch): Promise<number | undefined> =>
    judge === undefined ? undefined : await conditionalAccuracy(judge, Float32Array.from(images.values), evaluation.labels)
  const rows: Array<readonly [string, ImageBatch]> = [
    ['bicubic', bicubic],
    ...(pretrainedBatch === undefined ? [] : [['MSE-pretrained generator', pretrainedBatch] as const]),
    ['SRGAN (adversarial)', sr],
    ['high resolution (reference)', high],
  ]
  const table = ['| ×4 on held-out | PSNR (dB) | SSIM | judge accuracy |', '|---|---|---|---|']
  const scores: Record<string, { readonly psnr: number | null; readonly ssim: number; readonly judgeAccuracy: number | null }> = {}
  try {
    for (const [name, images] of rows) {
      const score = { psnr: images === high ? null : psnr(images, high), ssim: ssim(images, high), judgeAccuracy: (await accuracy(images)) ?? null }
      scores[name] = score
      const percent = score.judgeAccuracy === null ? 'n/a' : `${(100 * score.judgeAccuracy).toFixed(1)}%`
      table.push(`| ${name} | ${score.psnr === null ? '∞' : score.psnr.toFixed(2)} | ${score.ssim.toFixed(4)} | ${percent} |`)
    }
  } finally {
    judge?.dispose()
  }
  log(`wrote comparison.png (LR | bicubic | ${pretrainedBatch === undefined ? '' : 'pretrained | '}SRGAN | HR), lr.npy, sr.npy, hr.npy in ${out}`)
  log(`Q4 on ${high.count} held-out images (target: pretrained ≥ bicubic + 3 dB; SRGAN above bicubic):\n${table.join('\n')}`)
  return { images: high.count, scores }
}

/**
 * The recipe: `ganfp train srgan [options]`, or `deno run -A recipes/srgan.ts [options]`.
 */
const recipe = defineRecipe({
  name: 'srgan',
  description: 'SRGAN ×4: residual generator with pixel shuffle, MSE pretraining then content + adversarial (scored by PSNR and SSIM)',
  config: configCodec(srganFlags, checkOptions),
  runDefaults: { steps: 3000, batch: 32, sampleEvery: 250, checkpointEvery: 500, logEvery: 10 },
  build: async (config) =>
    srganGan({
      highShape: highShapeOf(config),
      filters: config.filters,
      blocks: config.blocks,
      pretrainSteps: config['pretrain-steps'],
      content: await contentLoss(config),
      adversarialWeight: config['adversarial-weight'],
      learningRate: config.lr,
    }),
  data: (config) => E.chain(({ train }: { train: LabelledImages }) => superResolutionDataset(train, factor))(loadImages(config)),
  phaseEnded: async ({ config, trainer, phase, out, log }) => {
    if (phase !== 0) return
    const evaluation = heldOutOf(config)
    const sr = await superResolve(trainer, evaluation)
    writeFileAtomicOrThrow(join(out, 'sr-pretrained.npy'), encodeNpyOrThrow(sr, [evaluation.high.count, ...highShapeOf(config)]))
    log(`MSE pretraining done: PSNR ${psnr(batchOf(sr, evaluation.high), evaluation.high).toFixed(2)} dB on ${evaluation.high.count} held-out images (wrote sr-pretrained.npy)`)
  },
  evaluate,
})
export default recipe

interface HeldOut {
  readonly high: ImageBatch
  readonly low: ImageBatch
  /** The generator's inputs: `low` in [−1, 1]. */
  readonly inputs: Float32Array
  readonly labels: Int32Array
}

const heldOutSet = (all: LabelledImages, limit: number): HeldOut => {
  // A fixed shuffle, so that a smaller evaluation (and the comparison grid) mixes the classes.
  const count = Math.min(limit, all.count)
  const images = selectImages(all, Array.from(shuffledIndices(all.count, 3).subarray(0, count)))
  const { height, width, channels } = images
  const size = height * width * channels
  const high = { values: pixelsToUnit(images.pixels.subarray(0, count * size)), count, height, width, channels }
  const lowValues = boxDownsampleOrThrow(high.values, high, factor)
  return {
    high,
    low: { values: lowValues, count, height: height / factor, width: width / factor, channels },
    inputs: lowValues.map((v) => 2 * v - 1),
    labels: Int32Array.from(images.labels.subarray(0, count)),
  }
}

const batchOf = (values: Float32Array, like: ImageBatch): ImageBatch => ({ ...like, values })

/** The generator's output for every held-out input, in [0, 1], in chunks. */
const superResolve = async (trainer: Trainer, evaluation: HeldOut): Promise<Float32Array> => {
  const { high, low, inputs } = evaluation
  const lowSize = low.height * low.width * low.channels
  const highSize = high.height * high.width * high.channels
  const out = new Float32Array(high.count * highSize)
  for (let i = 0; i < high.count; i += 250) {
    const n = Math.min(250, high.count - i)
    out.set(toUnitRange(await trainer.generateOrThrow(inputs.subarray(i * lowSize, (i + n) * lowSize))), i * highSize)
  }
  return out
}

runIfMain(import.meta, recipe)
