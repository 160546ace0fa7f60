/**
 * CGAN (Mirza & Osindero): the generator and the discriminator both receive the class label. The
 * networks are the DCGAN recipe's (by size: 28×28 on the bundled sets, PyTorch's example layout
 * on `--dataset folder`), conditioned:
 * - generator: the latent concatenated with a learned label embedding, then the DCGAN generator;
 * - discriminator: the image concatenated with a learned S×S label map as one more channel
 *   (`--label-in input`), or a projection output (Miyato & Koyama; `--label-in projection`), or
 *   both (the default).
 *
 * Trains on the bundled MNIST or Fashion-MNIST training split, or on a folder with one sub-folder
 * per class (`--dataset folder --folder DIR`; the labels are the sub-folders in sorted order, and
 * `OUT/classes.json` lists their names), for `--steps` or `--minutes`. A completed run writes
 * `OUT/classes.png` (one row per class), `OUT/samples.npy` (`--per-class` samples per class,
 * float32 in [0, 1]: N×28×28, N×S×S or N×S×S×3) with `OUT/labels.npy` (int32 N), all drawn with
 * the truncation trick at `--truncation` (0.8; 1 for none); on the bundled
 * sets it prints protocol Q3: the judge classifier's accuracy on the requested labels, and the Q2
 * scores of 2,000 of the samples (a folder's samples are scored by `ganfp eval`).
 *
 * Run: `ganfp train cgan --minutes 20 --out runs/cgan`, or
 * `deno run -A recipes/cgan.ts --dataset mnist --minutes 20 --out out/cgan` (or `bun run`); then
 * `ganfp sample runs/cgan --label 7`.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { join } from 'node:path'
import {
  cganConfig,
  cganRecipeGan,
  conditionalAccuracy,
  defineRecipe,
  encodeNpyOrThrow,
  formatImageEvaluation,
  getOrThrow,
  imageShapeOf,
  invalidConfig,
  loadJudge,
  toUnitRange,
  type CganConfig,
  type GanError,
  type Trainer,
} from 'ganfp'
import { openImageData, runIfMain, sampleGridPng, writeFileAtomicOrThrow, evaluateImages, type ImageData } from 'ganfp/node'

/**
 * The recipe's options and the GAN a configuration gives live in the library (`cganFlags`,
 * `cganConfig`, `cganRecipeGan`), where `builtinGanOf` rebuilds a run's GAN from them too;
 * re-exported here where scripts have found them.
 */
export { cganFlags, cganGan, type CganConfig } from 'ganfp'

/**
 * The training images of a configuration, opened once: `build` needs the folder's class count and
 * `data` its dataset (only the latest configuration is kept).
 */
const imagesOf = (() => {
  let last: { readonly key: string; readonly images: E.Either<ReadonlyArray<GanError>, ImageData> } | undefined
  return (config: CganConfig): E.Either<ReadonlyArray<GanError>, ImageData> => {
    const key = JSON.stringify(config)
    if (last?.key !== key) last = { key, images: openImageData(config) }
    return last.images
  }
})()

/** The class names of a configuration's images, refused when fewer than two (a flat folder). */
const classNamesOf = (config: CganConfig): E.Either<ReadonlyArray<GanError>, ReadonlyArray<string>> =>
  E.chain(({ classNames }: ImageData): E.Either<ReadonlyArray<GanError>, ReadonlyArray<string>> =>
    classNames.length >= 2
      ? E.right(classNames)
      : E.left([invalidConfig('--folder', 'one sub-folder per class, at least two, for a conditional GAN', 'one class (a flat folder, or a single sub-folder)')]),
  )(imagesOf(config))

/** The class count of a configuration whose images have opened (the hooks run after `data`). */
const classCountOf = (config: CganConfig): number => getOrThrow(classNamesOf(config)).length

/** An image's layout for grids, and the shape of `samples.npy` (the bundled sets' N×28×28 as before). */
const layoutOf = (config: CganConfig) => {
  const { size, channels } = imageShapeOf(config)
  return { layout: { height: size, width: size, channels }, npyShape: (n: number) => (channels === 1 ? [n, size, size] : [n, size, size, channels]) }
}

/** Per-class samples of a trained CGAN: `perClass` of each class in turn, in [0, 1]. */
const samplesPerClass = async (trainer: Trainer, perClass: number, classes: number, exampleSize: number, truncation: number) => {
  const total = perClass * classes
  const samples = new Float32Array(total * exampleSize)
  const labels = Int32Array.from({ length: total }, (_, i) => i % classes)
  for (let i = 0; i < total; i += 500) {
    const n = Math.min(500, total - i)
    samples.set(toUnitRange(await trainer.sampleOrThrow(n, { seed: 2 + i, labels: labels.subarray(i, i + n), truncation })), i * exampleSize)
  }
  return { samples, labels, total }
}

/**
 * The recipe: `ganfp train cgan [options]`, or `deno run -A recipes/cgan.ts [options]`.
 */
const recipe = defineRecipe({
  name: 'cgan',
  description: 'conditional DCGAN on bundled MNIST / Fashion-MNIST, or your own folder of class sub-folders: both networks see the class',
  config: cganConfig,
  settings: [
    '--mode-seeking 0.05 keeps each class varied: with 0 the CGAN follows its labels (99.9%) but draws one image per class (recall 0.00; the ClassCollapse alarm says so); with 0.05 short runs follow labels less (65% at 1,500 steps), Q3’s 20 minutes (≈ 8,500 steps) reach 95–96% untruncated',
    '--average-decay 0.999: samples come from the moving average of the generator, smoother than the generator itself',
    // `ganfp truncation RUN --psi 1,0.9,0.8,0.7` on Q3's seed-2 run chose it; README, Quality report.
    '--truncation 0.8: the written and scored samples draw their latents at 0.8 of their spread (the truncation trick); Q3’s 20 minutes, seeds 1–3: precision 0.76–0.77, labels 97.4–98.4%, recall 0.59–0.65, FD 2.1–2.4× floor (seeds 1–2 untruncated: 0.66–0.68, 95.0–96.1%, 0.74–0.76, 1.7×); 1 turns it off',
    // Measured alone: bun, wasm, 2 threads, batch 64, the demo shapes' 6 classes, 40 steps with the warm-up.
    '--width 16: 366,914 parameters at 28×28; on --dataset folder (PyTorch’s DCGAN layout, 6 classes) 179,873 at 32×32×3 (≈ 0.42 s/step) and 550,561 at 64×64×3 (≈ 1.4 s/step) on this 2-core machine',
  ],
  runDefaults: { steps: 3000, batch: 64, sampleEvery: 250, checkpointEvery: 500, logEvery: 10 },
  // A folder's class count: its problems (a flat folder) are thrown, and reported as the build's.
  build: (config) => cganRecipeGan(config, classCountOf(config)),
  data: (config) => E.map((images: ImageData) => images.dataset)(imagesOf(config)),
  // Grids draw the classes in turn: as many columns as classes make each column one class.
  render: (values, { count }, config) => {
    const classes = classCountOf(config)
    return sampleGridPng(values, { count, ...layoutOf(config).layout, columns: count < classes ? Math.ceil(Math.sqrt(count)) : classes })
  },
  // The labels' names, for whoever reads the run (ganfp sample --label, the latent tools).
  started: async ({ config, out }) => writeFileAtomicOrThrow(join(out, 'classes.json'), `${JSON.stringify(getOrThrow(classNamesOf(config)), null, 2)}\n`),
  evaluate: async ({ config, trainer, out, log }) => {
    const classes = classCountOf(config)
    const { layout, npyShape } = layoutOf(config)
    const exampleSize = layout.height * layout.width * layout.channels
    const rows = Int32Array.from({ length: classes * classes }, (_, i) => Math.floor(i / classes))
    writeFileAtomicOrThrow(join(out, 'classes.png'), sampleGridPng(await trainer.sampleOrThrow(rows.length, { seed: 1, labels: rows, truncation: config.truncation }), { count: rows.length, ...layout, columns: classes }))
    const { samples, labels, total } = await samplesPerClass(trainer, config['per-class'], classes, exampleSize, config.truncation)
    writeFileAtomicOrThrow(join(out, 'samples.npy'), encodeNpyOrThrow(samples, npyShape(total)))
    writeFileAtomicOrThrow(join(out, 'labels.npy'), encodeNpyOrThrow(labels, [total]))
    log(`wrote ${join(out, 'classes.png')} (one row per class), samples.npy and labels.npy (${config['per-class']} per class)`)
    if (config.dataset === 'folder') {
      log(`score the samples against the folder with ganfp eval ${out}`)
      return { samples: total }
    }
    const judge = await loadJudge(config.dataset)
    try {
      const accuracy = await conditionalAccuracy(judge, samples, labels)
      // The first 2,000 samples hold 200 of each class, like the held-out split.
      const scored = Math.min(2000, total)
      const evaluation = getOrThrow(await evaluateImages(samples.subarray(0, scored * exampleSize), scored, { dataset: config.dataset, judge }))
      log(`Q3: the judge classifies ${(100 * accuracy).toFixed(2)}% of ${total} samples as their requested label (target ≥ 95%)`)
      log(`Q2 scores of ${scored} samples (target precision ≥ 0.7):\n${formatImageEvaluation(evaluation)}`)
      return { conditionalAccuracy: accuracy, samples: total, q2: evaluation }
    } finally {
      judge.dispose()
    }
  },
})
export default recipe

runIfMain(import.meta, recipe)
