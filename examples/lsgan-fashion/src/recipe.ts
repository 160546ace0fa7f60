/**
 * LSGAN (Mao et al., "Least Squares Generative Adversarial Networks", 2017) on Fashion-MNIST, as a
 * ganfp recipe in a package of its own: the discriminator's logit is regressed onto 1 for real and
 * 0 for generated images, and the generator pulls its images' scores towards 1. The networks are a
 * small DCGAN-style pair for 28×28×1 images: dense → 7×7 → transposed convolutions with batch norm
 * and ReLU → tanh, and a strided-convolution discriminator with leaky ReLU and a linear output (the
 * least-squares loss wants the raw score, not a probability).
 *
 * `ganfp train ganfp-recipe-lsgan [options]` trains it once the package is installed next to
 * ganfp; `deno run -A src/recipe.ts`, `bun run src/recipe.ts` or `node dist/recipe.js` train it
 * directly. A completed run adds `samples.png` (64 samples) and `evaluation.json`: pixel statistics
 * of the samples against the training images, and with `--judge-samples N` protocol Q2's scores
 * (Fréchet distance, KID, precision, recall, … in the shipped judge's features, with the
 * real-vs-real floor).
 *
 * @since 0.1.0
 */
import { join } from 'node:path'
import {
  adam,
  alternating,
  batchNorm,
  configCodec,
  conv2d,
  conv2dTranspose,
  defineRecipe,
  dense,
  flag,
  flatten,
  gan,
  GanException,
  imageGrid,
  invalidConfig,
  leakyRelu,
  leastSquares,
  nonNegativeIntFlag,
  normalLatent,
  positiveIntFlag,
  positiveNumberFlag,
  relu,
  reshape,
  sequential,
  tanh,
  unitIntervalFlag,
  type Flag,
  type FlagValues,
  type Gan,
  type GanError,
  type Layer,
  type Recipe,
} from 'ganfp'
import { evaluateImages, bundledTrainingSet, encodePng, loadBundledImagesOrThrow, runIfMain, writeFileAtomicOrThrow } from 'ganfp/node'

/** Images are 28×28×1. */
const side = 28
const pixelsPerImage = side * side

/**
 * The recipe's options: each a flag (a codec from text, a default and a description). Spelled out
 * so the published API has explicit types (JSR asks for them); a type alias, not an interface,
 * because only aliases fit ganfp's `Flags` record.
 *
 * @since 0.1.0
 */
export type LsganFlags = {
  readonly width: Flag<number>
  readonly 'latent-dim': Flag<number>
  readonly lr: Flag<number>
  readonly beta1: Flag<number>
  readonly 'average-decay': Flag<number>
  readonly 'judge-samples': Flag<number>
}

/**
 * The recipe's own options; the run options (`--steps`, `--batch`, `--out`, …) come on top.
 *
 * @since 0.1.0
 */
export const lsganFlags: LsganFlags = {
  width: flag(positiveIntFlag, 16, 'channels of the last generator block and the first discriminator block (64: the paper-sized net)'),
  'latent-dim': flag(positiveIntFlag, 64, 'latent dimension'),
  lr: flag(positiveNumberFlag, 2e-4, 'Adam learning rate of both networks'),
  beta1: flag(unitIntervalFlag, 0.5, "Adam's β1"),
  'average-decay': flag(unitIntervalFlag, 0.999, "decay of the generator's moving average used for sampling (0: none)"),
  'judge-samples': flag(
    nonNegativeIntFlag,
    0,
    "samples scored with protocol Q2 after training (FD, KID, precision/recall in the shipped judge's features; 0: pixel statistics only)",
  ),
}

/**
 * The recipe's configuration: its options' values.
 *
 * @since 0.1.0
 */
export type LsganConfig = FlagValues<LsganFlags>

/** Protocol Q2's statistics need a handful of images at least (evaluateImages asks for 10). */
const minimumJudgeSamples = 10

const checkConfig = (config: LsganConfig): ReadonlyArray<GanError> =>
  config['judge-samples'] !== 0 && config['judge-samples'] < minimumJudgeSamples
    ? [invalidConfig('--judge-samples', `0 (no judge) or at least ${minimumJudgeSamples}`, String(config['judge-samples']))]
    : []

/**
 * The generator's layers after its latent input: dense → 7×7×4w → transposed convolutions
 * (stride 2, 1, 2) with batch norm and ReLU → 28×28×1, tanh.
 *
 * @since 0.1.0
 */
export const lsganGeneratorLayers = (width: number): ReadonlyArray<Layer> => [
  dense(7 * 7 * 4 * width, { useBias: false }),
  batchNorm(),
  relu,
  reshape([7, 7, 4 * width]),
  conv2dTranspose(2 * width, 5, { stride: 2, useBias: false }),
  batchNorm(),
  relu,
  conv2dTranspose(width, 5, { useBias: false }),
  batchNorm(),
  relu,
  conv2dTranspose(1, 5, { stride: 2 }),
  tanh,
]

/**
 * The discriminator's layers for 28×28×1 input: two stride-2 convolutions with leaky ReLU, then a
 * linear score (no sigmoid: the least-squares loss regresses the score itself).
 *
 * @since 0.1.0
 */
export const lsganDiscriminatorLayers = (width: number): ReadonlyArray<Layer> => [
  conv2d(width, 5, { stride: 2 }),
  leakyRelu(0.2),
  conv2d(2 * width, 5, { stride: 2 }),
  batchNorm(),
  leakyRelu(0.2),
  flatten,
  dense(1),
]

/**
 * The LSGAN for a configuration: least-squares loss, alternating updates, Adam for both networks.
 *
 * @example
 * import recipe, { lsganGan } from 'ganfp-recipe-lsgan'
 * const config = recipe.config.decode({ width: '4' })
 * config._tag === 'Right' && lsganGan(config.right).loss // { _tag: 'LeastSquares' }
 *
 * @since 0.1.0
 */
export const lsganGan = (config: LsganConfig): Gan => {
  const optimizer = adam({ learningRate: config.lr, beta1: config.beta1 })
  return gan({
    generator: sequential([config['latent-dim']], lsganGeneratorLayers(config.width)),
    discriminator: sequential([side, side, 1], lsganDiscriminatorLayers(config.width)),
    latent: normalLatent(config['latent-dim']),
    loss: leastSquares(),
    schedule: alternating({ generatorAverageDecay: config['average-decay'] === 0 ? undefined : config['average-decay'] }),
    optimizers: { generator: optimizer, discriminator: optimizer },
  })
}

/** Generator outputs in [−1, 1] to pixel values in [0, 1]. */
const toUnit = (values: Float32Array): Float32Array => values.map((v) => Math.min(1, Math.max(0, (v + 1) / 2)))

const meanAndStd = (values: ArrayLike<number>, scale = 1): { readonly mean: number; readonly std: number } => {
  let sum = 0
  let squares = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! * scale
    sum += v
    squares += v * v
  }
  const mean = sum / values.length
  return { mean, std: Math.sqrt(Math.max(0, squares / values.length - mean * mean)) }
}

/** Samples drawn for the pixel statistics: enough for stable means, cheap on a CPU. */
const statisticsSamples = 256
const gridSamples = 64

/**
 * The recipe: `ganfp train ganfp-recipe-lsgan [options]`.
 *
 * @example
 * import recipe from 'ganfp-recipe-lsgan'
 * recipe.config.decode({ width: '8' })
 * // { _tag: 'Right', right: { width: 8, 'latent-dim': 64, lr: 0.0002, beta1: 0.5, 'average-decay': 0.999, 'judge-samples': 0 } }
 *
 * @since 0.1.0
 */
const recipe: Recipe<LsganFlags> = defineRecipe({
  name: 'lsgan-fashion',
  description: 'LSGAN (least-squares loss) with a small DCGAN-style conv net on Fashion-MNIST (28×28)',
  config: configCodec(lsganFlags, checkConfig),
  runDefaults: { steps: 3000, batch: 64, sampleEvery: 250, checkpointEvery: 500, logEvery: 10 },
  build: lsganGan,
  data: () => bundledTrainingSet('fashion'),
  evaluate: async ({ config, trainer, out, log }) => {
    const grid = join(out, 'samples.png')
    writeFileAtomicOrThrow(grid, encodePng(imageGrid(toUnit(await trainer.sampleOrThrow(gridSamples, { seed: 1 })), { count: gridSamples, height: side, width: side, channels: 1, columns: 8 })))
    log(`wrote ${grid}`)
    const samples = meanAndStd(toUnit(await trainer.sampleOrThrow(statisticsSamples, { seed: 2 })))
    const training = meanAndStd(loadBundledImagesOrThrow('fashion').pixels, 1 / 255)
    const scores = {
      samples: statisticsSamples,
      pixelMean: samples.mean,
      pixelStd: samples.std,
      realPixelMean: training.mean,
      realPixelStd: training.std,
    }
    log(`pixel mean ${samples.mean.toFixed(3)} (training images ${training.mean.toFixed(3)}), std ${samples.std.toFixed(3)} (${training.std.toFixed(3)})`)
    const count = config['judge-samples']
    if (count === 0) return scores
    const images = new Float32Array(count * pixelsPerImage)
    const chunk = 250
    for (let i = 0; i < count; i += chunk) images.set(toUnit(await trainer.sampleOrThrow(Math.min(chunk, count - i), { seed: 3 + i })), i * pixelsPerImage)
    const judged = await evaluateImages(images, count, { dataset: 'fashion', progress: log })
    if (judged._tag === 'Left') throw new GanException(judged.left)
    const { samples: q2, floor } = judged.right
    log(`protocol Q2: FD ${q2.fd.toFixed(2)} (${(q2.fd / floor.fd).toFixed(1)}× the floor), precision ${q2.precision.toFixed(3)}, recall ${q2.recall.toFixed(3)}`)
    return { ...scores, q2: { samples: q2, floor, fdOverFloor: q2.fd / floor.fd } }
  },
})
export default recipe

runIfMain(import.meta, recipe)
