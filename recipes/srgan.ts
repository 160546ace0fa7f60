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
  decodeNpy,
  defineRecipe,
  encodeNpyOrThrow,
  getOrThrow,
  judgePerceptual,
  judgeWeights,
  loadJudge,
  mse,
  nearestUpsampleOrThrow,
  pixelsToUnit,
  psnr,
  selectImages,
  shuffledIndices,
  splitHeldOut,
  srganConfig,
  srganContent,
  srganCrop,
  srganFactor,
  srganHighShape,
  srganRecipeGan,
  ssim,
  superResolutionDataset,
  toUnitRange,
  type GanError,
  type ImageBatch,
  type LabelledImages,
  type RecipeContext,
  type SrganConfig,
  type Trainer,
} from 'ganfp'
import { encodePng, loadBundledImages, loadImageFolderCrops, runIfMain, writeFileAtomicOrThrow } from 'ganfp/node'

/**
 * The recipe's options, their checks and the GAN a configuration gives live in the library
 * (`srganFlags`, `srganConfig`, `srganRecipeGan`), where `builtinGanOf` rebuilds a run's GAN from
 * them too; re-exported here where scripts have found them, with the SRGAN networks.
 */
export { srganDiscriminator, srganFlags, srganGan, srganGenerator, type SrganConfig } from 'ganfp'

const factor = srganFactor

/** Training and held-out images: the Q4 split for the bundled sets; for a folder, 10% of its crops. */
const loadImages = (config: SrganConfig): E.Either<ReadonlyArray<GanError>, { train: LabelledImages; heldOut: LabelledImages }> => {
  if (config.dataset !== 'folder') {
    return E.map(splitHeldOut)(loadBundledImages(config.dataset))
  }
  const crops = loadImageFolderCrops(config.folder, {
    cropSize: srganCrop(config),
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

/** PSNR, SSIM and judge accuracy of bicubic, the pretrained and the final generator; comparison.png and the .npy files. */
const evaluate = async ({ config, trainer, out, log }: RecipeContext<SrganConfig>) => {
  const evaluation = heldOutOf(config)
  const { high, low } = evaluation
  const highShape = srganHighShape(config)
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
  config: srganConfig,
  settings: [
    // Measured alone by bench/srgan-steps.ts (bun, wasm, 2 threads, batch 32, median of 5 steps).
    '--filters 32, --blocks 4: a quarter of SRGAN’s 64 × 16, sized for a CPU: a 158,913-parameter generator (160,067 in colour) at every size; one pretraining / adversarial step takes 194 / 555 ms at 28×28×1, 226 / 615 ms at 32×32×1, 216 / 602 ms at 32×32×3 and 704 / 2,736 ms at 64×64×3 on this 2-core machine',
    '--size (the high-resolution crop): the discriminator grows with it (467,137 parameters at 28×28×1, 590,593 at 32×32×3, 2,163,457 at 64×64×3), so the adversarial steps dominate at 64',
    '--pretrain-steps 1500: MSE first (+5.8 dB over bicubic on MNIST by step 1,500), so the adversarial phase starts from a sharp generator instead of noise',
    '--adversarial-weight 1e-3: SRGAN’s; the content loss leads, the critic only adds texture (PSNR stays within 0.1 dB of the MSE model)',
  ],
  runDefaults: { steps: 3000, batch: 32, sampleEvery: 250, checkpointEvery: 500, logEvery: 10 },
  // The judge's weights are read only when the content loss uses them.
  build: async (config) => srganRecipeGan(config, srganContent(config) === 'mse' || config.dataset === 'folder' ? undefined : await judgeWeights(config.dataset)),
  data: (config) => E.chain(({ train }: { train: LabelledImages }) => superResolutionDataset(train, factor))(loadImages(config)),
  phaseEnded: async ({ config, trainer, phase, out, log }) => {
    if (phase !== 0) return
    const evaluation = heldOutOf(config)
    const sr = await superResolve(trainer, evaluation)
    writeFileAtomicOrThrow(join(out, 'sr-pretrained.npy'), encodeNpyOrThrow(sr, [evaluation.high.count, ...srganHighShape(config)]))
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
