/**
 * Images in memory: labelled image sets as bytes, selecting and splitting them (protocol Q2's
 * held-out split), and a dataset over them in [−1, 1].
 *
 * @since 0.1.0
 */
import type { Dataset } from './dataset.ts'
import { imageSourceDataset } from './image-batches.ts'

// The order of an epoch lives beside the batches that use it; it is public from here, as before.
export { shuffledIndices } from './image-batches.ts'

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
 * Images as a training dataset: examples of shape [height, width, channels] scaled to [−1, 1] (the range
 * of a tanh generator) with their class labels, one epoch per `batches` call in a seeded shuffled
 * order, the last partial batch dropped. With `flip`, each example is mirrored left–right with
 * probability ½, drawn from the epoch's seed (so a seed, and a resumed run, see the same flips);
 * without it the batches are what they always were.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { imageDataset } from 'ganfp'
 * import { loadBundledImages } from 'ganfp/node'
 * const m = loadBundledImages('mnist')
 * E.isRight(m) && imageDataset(m.right).exampleShape // [28, 28, 1]
 * E.isRight(m) && imageDataset(m.right, { flip: true }).exampleShape // [28, 28, 1]
 * @since 0.1.0
 * @category constructors
 */
export const imageDataset = (images: LabelledImages, options: { readonly flip?: boolean } = {}): Dataset => {
  const size = images.height * images.width * images.channels
  return imageSourceDataset(
    {
      name: images.name,
      count: images.count,
      height: images.height,
      width: images.width,
      channels: images.channels,
      labels: images.labels,
      classCount: images.classNames.length,
      ...(images.notes === undefined ? {} : { notes: images.notes }),
      readExamples: (indices, into) => {
        for (let i = 0; i < indices.length; i++) into.set(images.pixels.subarray(indices[i]! * size, (indices[i]! + 1) * size), i * size)
      },
    },
    options.flip === true,
  )
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
