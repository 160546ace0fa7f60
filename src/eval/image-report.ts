/**
 * Protocol Q2's image evaluation in one call: generated images against the 2,000 held-out images
 * of a bundled set, in the shipped judge's features, with the real-vs-real floor (a draw of the
 * training split of the same size against the same held-out images) computed the same way.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidData, type GanError } from '../errors.ts'
import { pixelsToUnit, selectImages, shuffledIndices, splitHeldOut, type BundledImageSet, type LabelledImages } from '../data/images.ts'
import type { ImageClassifier } from './classifier.ts'
import { gaussianStatistics, kernelDistance, manifoldMetrics, sameDimensionFrechet, type Features } from './feature-metrics.ts'
import { judgeImageShape, loadJudge } from './judge.ts'
import type { DistributionScores } from './reference-evaluation.ts'
import { shapeSize } from '../dsl/shape.ts'

/**
 * The scores of one set of images, in the judge's penultimate features, and the judge's class shares.
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageScores extends DistributionScores {
  /** Share of the images the judge assigns to each class. */
  readonly histogram: ReadonlyArray<number>
  /** Entropy of the histogram in bits (log₂ 10 ≈ 3.32 when uniform over 10 classes). */
  readonly entropy: number
}

/**
 * Protocol Q2's result: the scores of the samples and of the real-vs-real floor, with the class
 * names of the bundled set they were judged against.
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageEvaluation {
  readonly dataset: BundledImageSet
  readonly classNames: ReadonlyArray<string>
  /** The real-vs-real floor: a score is read as a multiple of it. */
  readonly floor: ImageScores
  readonly samples: ImageScores
}

/**
 * Entropy in bits of a histogram of shares.
 *
 * @example
 * import { histogramEntropy } from 'ganfp'
 * histogramEntropy([0.5, 0.5, 0, 0]) // 1
 * @since 0.1.0
 * @category metrics
 */
export const histogramEntropy = (histogram: ReadonlyArray<number>): number =>
  histogram.reduce((entropy, p) => (p > 0 ? entropy - p * Math.log2(p) : entropy), 0)

/**
 * The label histogram of `count` images: each image to its most probable class.
 *
 * @example
 * import { labelHistogram, loadJudge } from 'ganfp'
 * const judge = await loadJudge('mnist')
 * const histogram = await labelHistogram(judge, new Float32Array(4 * 784), 4) // four blank images
 * histogram.reduce((a, b) => a + b) // 1
 * @since 0.1.0
 * @category metrics
 */
export const labelHistogram = async (judge: ImageClassifier, images: Float32Array, count: number): Promise<ReadonlyArray<number>> => {
  const counts = new Array<number>(judge.classes).fill(0)
  for (const c of await predictedClasses(judge, images, count)) counts[c]! += 1
  return counts.map((c) => c / count)
}

/**
 * The judge's most probable class for each of `count` images.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadJudge, predictedClasses, selectImages } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const judge = await loadJudge('mnist')
 * const mnist = loadBundledImages('mnist')
 * if (E.isRight(mnist)) {
 *   const three = selectImages(mnist.right, [0, 5000, 9999]) // the bundled images are in class order
 *   Array.from(await predictedClasses(judge, Float32Array.from(three.pixels, (p) => p / 255), 3)) // [0, 4, 9]
 * }
 * @since 0.1.0
 * @category metrics
 */
export const predictedClasses = async (judge: ImageClassifier, images: Float32Array, count: number): Promise<Int32Array> => {
  const probabilities = await judge.probabilities(images, count)
  return Int32Array.from({ length: count }, (_, i) => {
    const row = probabilities.subarray(i * judge.classes, (i + 1) * judge.classes)
    return row.indexOf(Math.max(...row))
  })
}

/**
 * Protocol Q3's score: the share of images the judge assigns to the class they were asked for.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { conditionalAccuracy, loadJudge, selectImages } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const judge = await loadJudge('mnist')
 * const mnist = loadBundledImages('mnist')
 * if (E.isRight(mnist)) {
 *   const three = selectImages(mnist.right, [0, 5000, 9999]) // a 0, a 4 and a 9
 *   const images = Float32Array.from(three.pixels, (p) => p / 255)
 *   await conditionalAccuracy(judge, images, [0, 4, 9]) // 1
 *   await conditionalAccuracy(judge, images, [9, 9, 9]) // 0.3333333333333333
 * }
 * @since 0.1.0
 * @category metrics
 */
export const conditionalAccuracy = async (
  judge: ImageClassifier,
  images: Float32Array,
  requested: ArrayLike<number>,
): Promise<number> => {
  const predicted = await predictedClasses(judge, images, requested.length)
  return predicted.filter((c, i) => c === requested[i]).length / requested.length
}

const scoreAgainst = async (judge: ImageClassifier, heldOut: Features, images: Float32Array, count: number): Promise<ImageScores> => {
  const features = await judge.features(images, count)
  const histogram = await labelHistogram(judge, images, count)
  return {
    count,
    fd: sameDimensionFrechet(gaussianStatistics(features), gaussianStatistics(heldOut)),
    kid: kernelDistance(features, heldOut),
    ...manifoldMetrics(heldOut, features),
    histogram,
    entropy: histogramEntropy(histogram),
  }
}

/** What is wrong with samples handed to an evaluation: too few, the wrong size, values outside [0, 1]. */
export const sampleImageProblems = (images: Float32Array, count: number): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  if (!Number.isInteger(count) || count < 10) errors.push(invalidData('samples.count', 'at least 10 images', String(count)))
  const size = shapeSize(judgeImageShape)
  if (images.length !== count * size)
    errors.push(invalidData('samples.values.length', `${count} × ${judgeImageShape.join(' × ')} = ${count * size}`, String(images.length)))
  const outside = images.findIndex((v) => !(v >= 0 && v <= 1))
  if (outside >= 0) errors.push(invalidData(`samples.values[${outside}]`, 'a value in [0, 1]', String(images[outside])))
  return errors
}

/**
 * Scores `count` generated images (28×28×1 values in [0, 1], row-major) against the held-out
 * split of `reference` (a bundled set, as `loadBundledImages` in ganfp/node gives it), with the
 * floor, on the active backend, in the features of `dataset`'s shipped judge (or `judge`).
 * `progress` hears each stage. `evaluateImages` (ganfp/node) loads the reference itself.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { evaluateImagesAgainst } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const mnist = loadBundledImages('mnist')
 * const tooFew = E.isRight(mnist) ? await evaluateImagesAgainst(new Float32Array(5 * 784), 5, { dataset: 'mnist', reference: mnist.right }) : mnist
 * E.isLeft(tooFew) && tooFew.left.map((e) => e.path) // ['samples.count']
 * @since 0.1.0
 * @category metrics
 */
export const evaluateImagesAgainst = async (
  images: Float32Array,
  count: number,
  options: {
    readonly dataset: BundledImageSet
    readonly reference: LabelledImages
    readonly judge?: ImageClassifier
    readonly progress?: (stage: string) => void
  },
): Promise<E.Either<ReadonlyArray<GanError>, ImageEvaluation>> => {
  const errors = sampleImageProblems(images, count)
  if (errors.length > 0) return E.left(errors)
  const { train, heldOut } = splitHeldOut(options.reference)
  const judge = options.judge ?? (await loadJudge(options.dataset))
  try {
    options.progress?.(`judge features of the ${heldOut.count} held-out images`)
    const heldOutFeatures = await judge.features(pixelsToUnit(heldOut.pixels), heldOut.count)
    options.progress?.(`the real-vs-real floor (${heldOut.count} training images)`)
    const floorImages = selectImages(train, Array.from(shuffledIndices(train.count, 7).subarray(0, heldOut.count)))
    const floor = await scoreAgainst(judge, heldOutFeatures, pixelsToUnit(floorImages.pixels), floorImages.count)
    options.progress?.(`the ${count} samples`)
    const samples = await scoreAgainst(judge, heldOutFeatures, images, count)
    return E.right({ dataset: options.dataset, classNames: options.reference.classNames, floor, samples })
  } finally {
    if (options.judge === undefined) judge.dispose()
  }
}

/**
 * The evaluation as a Markdown table (floor and samples) and the samples' label histogram.
 *
 * @example
 * import { formatImageEvaluation } from 'ganfp'
 * const s = { count: 10, fd: 1, kid: 0, precision: 1, recall: 1, density: 1, coverage: 1, histogram: [0.5, 0.5], entropy: 1 }
 * formatImageEvaluation({ dataset: 'mnist', classNames: ['zero', 'one'], floor: s, samples: s }).split('\n').at(-1)
 * // 'label histogram of the samples: zero 50.0%, one 50.0%'
 * @since 0.1.0
 * @category destructors
 */
export const formatImageEvaluation = (evaluation: ImageEvaluation): string => {
  const row = (name: string, s: ImageScores) =>
    `| ${name} | ${s.count} | ${s.fd.toFixed(3)} | ${(s.fd / evaluation.floor.fd).toFixed(1)} | ${s.kid.toFixed(4)} | ${s.precision.toFixed(3)} | ` +
    `${s.recall.toFixed(3)} | ${s.density.toFixed(3)} | ${s.coverage.toFixed(3)} | ${(100 * Math.min(...s.histogram)).toFixed(1)}% | ${s.entropy.toFixed(2)} |`
  return [
    `| ${evaluation.dataset} | images | FD | FD / floor | KID | precision | recall | density | coverage | smallest class | label entropy (bits) |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row('real-vs-real floor', evaluation.floor),
    row('samples', evaluation.samples),
    '',
    `label histogram of the samples: ${evaluation.samples.histogram.map((h, i) => `${evaluation.classNames[i]} ${(100 * h).toFixed(1)}%`).join(', ')}`,
  ].join('\n')
}
