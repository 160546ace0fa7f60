/**
 * The latent-space commands of `ganfp`, on a run's newest checkpoint:
 *
 * - `interpolate RUN --from S --to S [--steps 10] [--spherical] [--out strip.png]`: a strip of
 *   samples along the path between the latents of two seeds;
 * - `attribute RUN --from-class A --to-class B`: the direction from class A's latents to class
 *   B's (classes by the judge, or for a folder run with class sub-folders by a small classifier
 *   trained on them first), added to class-A latents in growing amounts: a grid, and how the
 *   classifier's verdict moves, as numbers;
 * - `truncation RUN [--psi 1,0.75,0.5,0.25]`: precision and recall of 2,000 samples per ψ (a
 *   folder run's in the random features, against its folder; a conditional run's with the share
 *   that the judge sees as the class asked for), to choose a recipe's `--truncation`;
 * - `nearest RUN`: each sample's nearest training image (a memorisation check), against the same
 *   distance for held-out images (for a folder run, for folder images left out of the search).
 *
 * Every tool works at the shape the run's generator makes (any size, 1 or 3 channels).
 *
 * @since 0.1.0
 */
import { GanException, getOrThrow, invalidConfig } from '../errors.ts'
import { sampleLatentOrThrow, truncateSampledLatents } from '../compile/gan.ts'
import { loadBundledImagesOrThrow } from '../node/bundled-data.ts'
import { pixelsToUnit, selectImages, splitHeldOut, type LabelledImages } from '../data/images.ts'
import { conditionalAccuracy, predictedClasses } from '../eval/image-report.ts'
import { evaluateImages } from '../node/image-evaluation.ts'
import { judgeShapeProblems, loadJudge } from '../eval/judge.ts'
import type { ImageClassifier } from '../eval/classifier.ts'
import { smallClassifier } from '../eval/classifier.ts'
import { trainImageClassifierOrThrow } from '../eval/classifier-training.ts'
import { evaluateAgainstReference } from '../eval/reference-evaluation.ts'
import { folderImagesOf, imageSourceOf } from './run-images.ts'
import { attributeDirection, interpolateLatents, nearestNeighbours, shiftLatents } from '../eval/latent.ts'
import { writeFileAtomicOrThrow } from '../node/files.ts'
import { imageGrid } from '../io/grid.ts'
import { encodePng } from '../node/png.ts'
import { Rng } from '../random.ts'
import type { RecipeSetup } from '../run/prepare.ts'
import { restoreRunOrThrow, type RecipeLoader, type RestoredRun } from '../run/start.ts'
import type { BackendChoice } from '../compile/backend.ts'
import { shapeSize } from '../dsl/shape.ts'

type Restored = RestoredRun

/** Runs `f` on the run's restored trainer and frees it. */
const withRun = async <A>(
  path: string,
  options: { readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
  f: (run: Restored) => Promise<A>,
): Promise<A> => {
  const restored = await restoreRunOrThrow(path, loadRecipe, { backend: options.backend })
  try {
    return await f(restored)
  } finally {
    restored.trainer.dispose()
  }
}

const latentDimension = (run: Restored): number => {
  const latent = run.setup.gan.latent
  if (latent._tag === 'Paired') throw new GanException([invalidConfig('RUN', 'a GAN with a sampled latent', 'pairedInput()')])
  return latent.dim
}

const unitImages = (run: Restored) => {
  const toUnit = run.setup.toUnitImages
  if (toUnit === undefined) throw new GanException([invalidConfig('RUN', 'a recipe that maps samples to images (toUnitImages)', run.directory.manifest.recipe.name)])
  return toUnit
}

/** As `unitImages`, for the tools that ask a shipped judge: the run's images must be the judges' shape. */
const judgedImages = (run: Restored) => {
  const produced = run.trainer.compiled.generator.outputShape
  const problems = judgeShapeProblems(produced, 'RUN', run.directory.path)
  if (problems.length > 0) throw new GanException(problems)
  return unitImages(run)
}

/** @internal The run's sample drawing, or an error at `where` for a recipe that cannot draw its outputs. */
export const renderOf = (setup: RecipeSetup, where: string) => {
  const render = setup.render
  if (render === undefined)
    throw new GanException([invalidConfig(where, 'a run whose recipe draws its samples (image or 2-D outputs, or a render function)', setup.recipe.name)])
  return render
}

/**
 * The classifier the attribute tool asks: the shipped judge of a bundled set, or for a folder run
 * with class sub-folders a small one trained on its images now (three passes; say so, since it is
 * not a fixed judge).
 */
const classifierOf = async (run: Restored): Promise<{ readonly classifier: ImageClassifier; readonly toUnit: (samples: Float32Array) => Float32Array }> => {
  const source = imageSourceOf(run)
  if (source._tag === 'Bundled') {
    const toUnit = judgedImages(run)
    return { classifier: await loadJudge(source.dataset), toUnit }
  }
  const images = folderImagesOf(run, source)
  if (images.classNames.length < 2)
    throw new GanException([invalidConfig('RUN', 'a folder run with one sub-folder per class (at least 2)', `${source.folder}: one class`)])
  console.log(`training a small classifier on ${images.count} images of ${source.folder} (${images.classNames.join(', ')}), 3 passes`)
  return { classifier: await trainImageClassifierOrThrow(images, { epochs: 3, batchSize: Math.min(64, images.count), architecture: smallClassifier(64) }), toUnit: unitImages(run) }
}

/** `ganfp interpolate`. */
export const interpolateCommand = (
  path: string,
  options: {
    readonly from: number
    readonly to: number
    readonly steps: number
    readonly spherical: boolean
    readonly out: string
    readonly backend: BackendChoice
  },
  loadRecipe: RecipeLoader,
) =>
  withRun(path, options, loadRecipe, async (run) => {
    const latent = run.setup.gan.latent
    latentDimension(run)
    const from = sampleLatentOrThrow(latent, 1, Rng.fromSeed(options.from))
    const to = sampleLatentOrThrow(latent, 1, Rng.fromSeed(options.to))
    const path = interpolateLatents(from, to, options.steps, options.spherical ? 'spherical' : 'linear')
    const samples = await run.trainer.generateOrThrow(path)
    writeFileAtomicOrThrow(options.out, renderOf(run.setup, 'RUN')(samples, options.steps, options.steps))
    console.log(`wrote ${options.steps} samples from seed ${options.from} to seed ${options.to} (${options.spherical ? 'spherical' : 'linear'}) to ${options.out}`)
  })

/** The classifier's class for the sample of each latent. */
const classify = async (run: Restored, judge: { readonly classifier: ImageClassifier; readonly toUnit: (samples: Float32Array) => Float32Array }, latents: Float32Array) =>
  predictedClasses(judge.classifier, judge.toUnit(await run.trainer.generateOrThrow(latents)), latents.length / latentDimension(run))

/** `ganfp attribute`. */
export const attributeCommand = (
  path: string,
  options: { readonly fromClass: number; readonly toClass: number; readonly n: number; readonly out: string; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
) =>
  withRun(path, options, loadRecipe, async (run) => {
    const dim = latentDimension(run)
    const judge = await classifierOf(run)
    try {
      const latents = sampleLatentOrThrow(run.setup.gan.latent, options.n, Rng.fromSeed(11))
      const classes = await classify(run, judge, latents)
      const byClass = (c: number): Float32Array => {
        const rows: Array<number> = []
        for (let i = 0; i < options.n; i++) if (classes[i] === c) rows.push(i)
        const out = new Float32Array(rows.length * dim)
        rows.forEach((r, k) => out.set(latents.subarray(r * dim, (r + 1) * dim), k * dim))
        return out
      }
      const source = byClass(options.fromClass)
      const target = byClass(options.toClass)
      if (source.length === 0 || target.length === 0)
        throw new GanException([invalidConfig('--from-class/--to-class', `classes among the ${options.n} samples`, `${source.length / dim} of class ${options.fromClass}, ${target.length / dim} of class ${options.toClass}`)])
      const direction = attributeDirection(target, source, dim)
      const examples = source.subarray(0, Math.min(8, source.length / dim) * dim)
      const scales = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]
      console.log(`${source.length / dim} samples of class ${options.fromClass}, ${target.length / dim} of class ${options.toClass}; direction norm ${Math.hypot(...direction).toFixed(2)}`)
      console.log(`\n| α | judged class ${options.toClass} | judged class ${options.fromClass} |\n|---|---|---|`)
      const grid = new Float32Array(examples.length / dim * scales.length * shapeSize(run.trainer.compiled.generator.outputShape))
      const rows = examples.length / dim
      const size = grid.length / (rows * scales.length)
      for (const [k, scale] of scales.entries()) {
        // Measured on every class-A latent, drawn on the first eight.
        const moved = shiftLatents(source, direction, scale)
        const judged = await classify(run, judge, moved)
        const share = (c: number) => ((100 * judged.filter((k) => k === c).length) / judged.length).toFixed(1)
        console.log(`| ${scale} | ${share(options.toClass)}% | ${share(options.fromClass)}% |`)
        const drawn = await run.trainer.generateOrThrow(moved.subarray(0, examples.length))
        for (let r = 0; r < rows; r++) grid.set(drawn.subarray(r * size, (r + 1) * size), (r * scales.length + k) * size)
      }
      writeFileAtomicOrThrow(options.out, renderOf(run.setup, 'RUN')(grid, rows * scales.length, scales.length))
      console.log(`\nwrote ${options.out}: one row per class-${options.fromClass} sample, α = ${scales.join(', ')} left to right`)
    } finally {
      judge.classifier.dispose()
    }
  })

/** `ganfp truncation`. */
export const truncationCommand = (
  path: string,
  options: { readonly psi: ReadonlyArray<number>; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
) =>
  withRun(path, options, loadRecipe, async (run) => {
    const source = imageSourceOf(run)
    const base = sampleLatentOrThrow(run.setup.gan.latent, 2000, Rng.fromSeed(13))
    // `extra`: more cells after coverage, each ending in ' |' (a conditional run's labels followed).
    const row = (psi: number | string, s: { readonly fd: number; readonly precision: number; readonly recall: number; readonly density: number; readonly coverage: number }, extra = '') =>
      console.log(`| ${psi} | ${s.fd.toFixed(3)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.density.toFixed(3)} | ${s.coverage.toFixed(3)} |${extra}`)
    if (source._tag === 'Folder') {
      const toUnit = unitImages(run)
      const images = folderImagesOf(run, source)
      const reference = { values: pixelsToUnit(images.pixels), count: images.count, height: images.height, width: images.width, channels: images.channels }
      console.log(`| ψ | FD | precision | recall | density | coverage |\n|---|---|---|---|---|---|`)
      for (const [k, psi] of options.psi.entries()) {
        const values = toUnit(await run.trainer.generateOrThrow(truncateSampledLatents(run.setup.gan.latent, base, psi)))
        const result = getOrThrow(await evaluateAgainstReference({ ...reference, values, count: 2000 }, reference, { name: source.folder }))
        if (k === 0) row('real-vs-real floor', result.floor)
        row(psi, result.samples)
      }
      console.log('(random features against the run\'s folder: compare rows with each other, not with other image sizes or sets)')
      return
    }
    const dataset = source.dataset
    const toUnit = judgedImages(run)
    const judge = await loadJudge(dataset)
    // A conditional run asks for each class in turn (200 each) and is scored on following them too.
    const classes = run.trainer.compiled.generator.labelClasses
    const labels = classes === undefined ? undefined : Int32Array.from({ length: 2000 }, (_, i) => i % classes)
    try {
      console.log(`| ψ | FD | precision | recall | density | coverage |${labels === undefined ? '' : ' labels followed |'}\n|---|---|---|---|---|---|${labels === undefined ? '' : '---|'}`)
      for (const psi of options.psi) {
        const images = toUnit(await run.trainer.generateOrThrow(truncateSampledLatents(run.setup.gan.latent, base, psi), labels))
        const followed = labels === undefined ? '' : ` ${(100 * (await conditionalAccuracy(judge, images, labels))).toFixed(2)}% |`
        row(psi, getOrThrow(await evaluateImages(images, 2000, { dataset, judge })).samples, followed)
      }
    } finally {
      judge.dispose()
    }
  })

/**
 * The images `nearest` searches and the real images it measures the same way: a bundled set's
 * training and held-out splits; for a folder run (which trained on every image) `n` of its images
 * left out of the search, so their distances are what a fresh real image's would be.
 */
const realImages = (run: Restored, n: number): { readonly train: LabelledImages; readonly heldOut: LabelledImages } => {
  const source = imageSourceOf(run)
  if (source._tag === 'Bundled') return splitHeldOut(loadBundledImagesOrThrow(source.dataset))
  const images = folderImagesOf(run, source)
  // The folder sample is in a seeded random order, so its first images are a fair draw.
  const left = Math.min(n, Math.floor(images.count / 2))
  const indices = Array.from({ length: images.count }, (_, i) => i)
  return { train: selectImages(images, indices.slice(left)), heldOut: selectImages(images, indices.slice(0, left)) }
}

const heldOutName = (run: Restored): string =>
  imageSourceOf(run)._tag === 'Folder' ? 'real images left out of the search' : 'held-out real'

/** `ganfp nearest`. */
export const nearestCommand = (
  path: string,
  options: { readonly n: number; readonly out: string; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
) =>
  withRun(path, options, loadRecipe, async (run) => {
    const { train, heldOut } = realImages(run, options.n)
    const trainPixels = pixelsToUnit(train.pixels)
    const samples = unitImages(run)(await run.trainer.sampleOrThrow(options.n, { seed: 17 }))
    // Images as the run makes them; the data set's images must be the same size to compare.
    const [height, width, channels] = run.trainer.compiled.generator.outputShape as [number, number, number]
    const size = shapeSize(run.trainer.compiled.generator.outputShape)
    if (size !== train.height * train.width * train.channels)
      throw new GanException([invalidConfig('RUN', `a run whose images are ${train.height}×${train.width}×${train.channels}, as ${train.name}'s are`, `${height}×${width}×${channels}`)])
    const generated = nearestNeighbours(samples, options.n, trainPixels, train.count)
    const held = nearestNeighbours(pixelsToUnit(heldOut.pixels.subarray(0, options.n * size)), Math.min(options.n, heldOut.count), trainPixels, train.count)
    const summary = (d: Float64Array) => {
      const sorted = Float64Array.from(d).sort()
      return `min ${sorted[0]!.toFixed(2)}, 1st percentile ${sorted[Math.floor(sorted.length / 100)]!.toFixed(2)}, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}`
    }
    console.log(`distance to the nearest training image (pixels in [0, 1], L2 over ${size}):`)
    console.log(`  generated (${options.n}): ${summary(generated.distances)}`)
    console.log(`  ${heldOutName(run)} (${held.distances.length}): ${summary(held.distances)}`)
    console.log('  (a generator that copies its training data would sit far below the held-out images)')
    // The eight closest generated samples beside their nearest training images.
    const order = Array.from(generated.distances.keys()).sort((a, b) => generated.distances[a]! - generated.distances[b]!).slice(0, 8)
    const pairs = new Float32Array(16 * size)
    order.forEach((s, k) => {
      pairs.set(samples.subarray(s * size, (s + 1) * size), 2 * k * size)
      pairs.set(trainPixels.subarray(generated.indices[s]! * size, (generated.indices[s]! + 1) * size), (2 * k + 1) * size)
    })
    writeFileAtomicOrThrow(options.out, encodePng(imageGrid(pairs, { count: 16, height, width, channels, columns: 2 })))
    console.log(`wrote ${options.out}: the 8 closest samples (left) beside their nearest training images (right)`)
  })
