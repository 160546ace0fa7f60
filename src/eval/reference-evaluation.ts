/**
 * Protocol Q2 for any images: generated images against a reference set of the same size (a run's
 * image folder, or any folder or `.npy`), in the random feature space (`random-features.ts`), with
 * the real-vs-real floor computed the same way: two disjoint halves of the reference images.
 * A score is read as a multiple of the floor; the numbers themselves are comparable only between
 * runs scored with the same feature version, image size, channels and reference set.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidData, shapeMismatch, type GanError } from '../errors.ts'
import { shuffledIndices } from '../data/images.ts'
import { gaussianStatistics, kernelDistance, manifoldMetrics, sameDimensionFrechet, type Features } from './feature-metrics.ts'
import { imageSetProblems, randomFeatureDimension, randomFeatures, randomFeatureVersion, type ImageSet } from './random-features.ts'

/**
 * The distribution scores of one set of images against the reference half.
 *
 * @since 0.3.0
 * @category model
 */
export interface DistributionScores {
  readonly count: number
  /** Fréchet distance in the features scored in (random features here; the judge's for `ImageScores`). */
  readonly fd: number
  readonly kid: number
  /** k = 3. */
  readonly precision: number
  readonly recall: number
  /** k = 5. */
  readonly density: number
  readonly coverage: number
}

/**
 * The result: the floor (the other reference half) and the samples, both against the same
 * reference half, with what makes the numbers comparable.
 *
 * @since 0.3.0
 * @category model
 */
export interface ReferenceEvaluation {
  readonly features: typeof randomFeatureVersion
  readonly featureDimension: number
  /** Height, width, channels of every image scored. */
  readonly imageShape: readonly [number, number, number]
  readonly reference: { readonly name: string; readonly count: number; readonly compared: number }
  readonly floor: DistributionScores
  readonly samples: DistributionScores
}

/** At most this many images on each side, as protocol Q2. */
const evaluationSize = 2000

const scores = (reference: Features, images: Features): DistributionScores => ({
  count: images.count,
  fd: sameDimensionFrechet(gaussianStatistics(images), gaussianStatistics(reference)),
  kid: kernelDistance(images, reference),
  ...manifoldMetrics(reference, images),
})

const pick = (images: ImageSet, indices: ArrayLike<number>): ImageSet => {
  const size = images.height * images.width * images.channels
  const values = new Float32Array(indices.length * size)
  for (let k = 0; k < indices.length; k++) values.set(images.values.subarray(indices[k]! * size, (indices[k]! + 1) * size), k * size)
  return { ...images, values, count: indices.length }
}

/**
 * What is wrong with a pair of image sets: each set's own problems, too few images (10 samples,
 * 20 reference images), and different image shapes (one `ShapeMismatch` naming both).
 *
 * @example
 * import { referenceProblems } from 'ganfp'
 * const set = (side: number) => ({ values: new Float32Array(20 * side * side), count: 20, height: side, width: side, channels: 1 })
 * referenceProblems(set(16), set(32))[0]?.expected // '32×32×1 (the reference images)'
 * @since 0.3.0
 * @category validation
 */
export const referenceProblems = (samples: ImageSet, reference: ImageSet): ReadonlyArray<GanError> => {
  const errors = [...imageSetProblems(samples, 'samples'), ...imageSetProblems(reference, 'reference')]
  if (errors.length > 0) return errors
  if (samples.count < 10) errors.push(invalidData('samples.count', 'at least 10 images', String(samples.count)))
  if (reference.count < 20) errors.push(invalidData('reference.count', 'at least 20 images (two halves of 10)', String(reference.count)))
  const shape = (s: ImageSet) => `${s.height}×${s.width}×${s.channels}`
  if (shape(samples) !== shape(reference)) errors.push(shapeMismatch('samples', `${shape(reference)} (the reference images)`, shape(samples)))
  return errors
}

/**
 * Scores `samples` against `reference` (values in [0, 1], the same height × width × channels) in
 * the random features, with the floor. The reference images are shuffled (seed 7) and halved:
 * the first half (at most 2,000) is what both are compared against; the floor is as many images
 * of the second half as there are samples scored (at most 2,000, at most the half), so both rows
 * are computed from the same counts. `name` labels the reference in the report.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Rng, evaluateAgainstReference } from 'ganfp'
 * const rng = Rng.fromSeed(1)
 * const set = (count: number) => ({ values: rng.uniforms(count * 8 * 8 * 3), count, height: 8, width: 8, channels: 3 })
 * const result = await evaluateAgainstReference(set(20), set(40), { name: 'noise' })
 * E.isRight(result) && result.right.floor.count // 20
 * @since 0.3.0
 * @category metrics
 */
export const evaluateAgainstReference = async (
  samples: ImageSet,
  reference: ImageSet,
  options: { readonly name: string; readonly seed?: number; readonly progress?: (stage: string) => void },
): Promise<E.Either<ReadonlyArray<GanError>, ReferenceEvaluation>> => {
  const errors = referenceProblems(samples, reference)
  if (errors.length > 0) return E.left(errors)
  const order = shuffledIndices(reference.count, 7)
  const half = Math.min(Math.floor(reference.count / 2), evaluationSize)
  const compared = Math.min(samples.count, half, evaluationSize)
  const features = async (images: ImageSet) => randomFeatures(images, { seed: options.seed })
  options.progress?.(`random features of ${half} reference images`)
  const referenceFeatures = await features(pick(reference, order.subarray(0, half)))
  options.progress?.(`the real-vs-real floor (${compared} other reference images)`)
  const floorFeatures = await features(pick(reference, order.subarray(half, half + compared)))
  options.progress?.(`the ${compared} samples`)
  const sampleFeatures = await features({ ...samples, values: samples.values.subarray(0, compared * samples.height * samples.width * samples.channels), count: compared })
  if (E.isLeft(referenceFeatures)) return referenceFeatures
  if (E.isLeft(floorFeatures)) return floorFeatures
  if (E.isLeft(sampleFeatures)) return sampleFeatures
  return E.right({
    features: randomFeatureVersion,
    featureDimension: randomFeatureDimension,
    imageShape: [reference.height, reference.width, reference.channels],
    reference: { name: options.name, count: reference.count, compared: half },
    floor: scores(referenceFeatures.right, floorFeatures.right),
    samples: scores(referenceFeatures.right, sampleFeatures.right),
  })
}

/**
 * The evaluation as a Markdown table (floor and samples, FD also as a multiple of the floor's) and
 * a line on what the numbers may be compared with.
 *
 * @example
 * import { formatReferenceEvaluation } from 'ganfp'
 * const s = { count: 10, fd: 2, kid: 0, precision: 1, recall: 1, density: 1, coverage: 1 }
 * const e = { features: 'random-conv-v1', featureDimension: 128, imageShape: [32, 32, 3], reference: { name: 'faces', count: 20, compared: 10 }, floor: { ...s, fd: 1 }, samples: s } as const
 * formatReferenceEvaluation(e).split('\n')[2] // '| real-vs-real floor | 10 | 1.000 | 1.0 | 0.0000 | 1.000 | 1.000 | 1.000 | 1.000 |'
 * @since 0.3.0
 * @category destructors
 */
export const formatReferenceEvaluation = (evaluation: ReferenceEvaluation): string => {
  const row = (name: string, s: DistributionScores) =>
    `| ${name} | ${s.count} | ${s.fd.toFixed(3)} | ${(s.fd / evaluation.floor.fd).toFixed(1)} | ${s.kid.toFixed(4)} | ${s.precision.toFixed(3)} | ` +
    `${s.recall.toFixed(3)} | ${s.density.toFixed(3)} | ${s.coverage.toFixed(3)} |`
  const [height, width, channels] = evaluation.imageShape
  return [
    `| ${evaluation.reference.name} (${height}×${width}×${channels}) | images | FD | FD / floor | KID | precision | recall | density | coverage |`,
    '|---|---|---|---|---|---|---|---|---|',
    row('real-vs-real floor', evaluation.floor),
    row('samples', evaluation.samples),
    '',
    `features: ${evaluation.features} (${evaluation.featureDimension} random convolutional features, no training), against ${evaluation.reference.compared} of the ${evaluation.reference.count} reference images.`,
    'Compare these numbers only with runs scored by the same ganfp version, image size, channels and reference images; never with published FID/KID.',
  ].join('\n')
}
