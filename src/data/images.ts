/**
 * Images in memory: labelled image sets as bytes, selecting and splitting them (protocol Q2's
 * held-out split), and a dataset over them in [−1, 1].
 *
 * @since 0.1.0
 */
import { Rng } from '../random.ts'
import type { Dataset } from './dataset.ts'

/**
 * 28×28 grayscale images as bytes (0 = background), row-major, with their class labels.
 *
 * @since 0.1.0
 * @category model
 */
export interface LabelledImages {
  readonly name: string
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
  /** `count × height × width × channels` bytes, channels last. */
  readonly pixels: Uint8Array
  /** `count` class indices. */
  readonly labels: Uint8Array
  readonly classNames: ReadonlyArray<string>
  /** What loading did to the files that a user should hear of (transparency composited, …). */
  readonly notes?: ReadonlyArray<string>
}

/**
 * The images at `indices`, in that order.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { selectImages } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * E.isRight(m) && selectImages(m.right, [0, 1]).count // 2
 * @since 0.1.0
 * @category combinators
 */
export const selectImages = (images: LabelledImages, indices: ReadonlyArray<number>): LabelledImages => {
  const size = images.height * images.width * images.channels
  const pixels = new Uint8Array(indices.length * size)
  indices.forEach((index, i) => pixels.set(images.pixels.subarray(index * size, (index + 1) * size), i * size))
  return { ...images, count: indices.length, pixels, labels: Uint8Array.from(indices, (i) => images.labels[i]!) }
}

/**
 * Protocol Q2's split: the last `heldOutPerClass` images of each class (in the package's order) are
 * held out, every other image is for training. Fixed, so every run and every metric sees the same
 * held-out set.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { splitHeldOut } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * E.isRight(m) && splitHeldOut(m.right).heldOut.count // 2000
 * @since 0.1.0
 * @category combinators
 */
export const splitHeldOut = (
  images: LabelledImages,
  heldOutPerClass = 200,
): { readonly train: LabelledImages; readonly heldOut: LabelledImages } => {
  const byClass = new Map<number, Array<number>>()
  images.labels.forEach((label, i) => {
    const list = byClass.get(label)
    if (list === undefined) byClass.set(label, [i])
    else list.push(i)
  })
  const train: Array<number> = []
  const heldOut: Array<number> = []
  for (const indices of [...byClass.entries()].sort(([a], [b]) => a - b).map(([, v]) => v)) {
    train.push(...indices.slice(0, Math.max(0, indices.length - heldOutPerClass)))
    heldOut.push(...indices.slice(Math.max(0, indices.length - heldOutPerClass)))
  }
  return { train: selectImages(images, train), heldOut: selectImages(images, heldOut) }
}

/**
 * A seeded Fisher–Yates permutation of 0..n−1.
 *
 * @example
 * import { shuffledIndices } from 'ganfp'
 * shuffledIndices(5, 1).length // 5
 * @since 0.1.0
 * @category combinators
 */
export const shuffledIndices = (n: number, seed: number): Uint32Array => {
  const rng = Rng.fromSeed(seed)
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}

/**
 * Images as a training dataset: examples of shape [height, width, channels] scaled to [−1, 1] (the range
 * of a tanh generator) with their class labels, one epoch per `batches` call in a seeded shuffled
 * order, the last partial batch dropped.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { imageDataset } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * E.isRight(m) && imageDataset(m.right).exampleShape // [28, 28, 1]
 * @since 0.1.0
 * @category constructors
 */
export const imageDataset = (images: LabelledImages): Dataset => {
  const size = images.height * images.width * images.channels
  return {
    name: images.name,
    exampleShape: [images.height, images.width, images.channels],
    numClasses: images.classNames.length,
    ...(images.notes === undefined ? {} : { notes: images.notes }),
    batches: ({ batchSize, seed }) => ({
      async *[Symbol.asyncIterator]() {
        const order = shuffledIndices(images.count, seed)
        for (let start = 0; start + batchSize <= images.count; start += batchSize) {
          const values = new Float32Array(batchSize * size)
          const labels = new Int32Array(batchSize)
          for (let b = 0; b < batchSize; b++) {
            labels[b] = images.labels[order[start + b]!]!
            const offset = order[start + b]! * size
            for (let p = 0; p < size; p++) values[b * size + p] = images.pixels[offset + p]! / 127.5 - 1
          }
          yield { values, shape: [batchSize, images.height, images.width, images.channels], labels }
        }
      },
    }),
  }
}

/**
 * Which bundled set: MNIST digits (the `mnist` package) or Fashion-MNIST (`fashion-mnist`); loaded by
 * `loadBundledImages` in ganfp/node, judged by the matching shipped judge.
 * @since 0.1.0
 * @category model
 */
export type BundledImageSet = 'mnist' | 'fashion'

/**
 * Image bytes (0–255) as values in [0, 1], what evaluations and grids take.
 *
 * @example
 * import { pixelsToUnit } from 'ganfp'
 * Array.from(pixelsToUnit(new Uint8Array([0, 51, 255]))) // [0, 0.2, 1]
 * @since 0.1.0
 * @category conversions
 */
export const pixelsToUnit = (pixels: Uint8Array): Float32Array => Float32Array.from(pixels, (p) => p / 255)
