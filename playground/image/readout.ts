/**
 * What the image mode reads from a generator, a checkpoint's sampler or the page's own trainer
 * alike: a sample grid from a seed (for a conditional generator, one row per class), latent
 * interpolation strips between two seeds, SRGAN's LR | bicubic | SR | HR columns for held-out
 * images, or a 2-D run's points. Each keeps the generator's raw outputs, which the debug hook
 * hands to tests.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  bicubicUpsample,
  boxDownsample,
  interpolateLatents,
  pixelsToUnit,
  psnr,
  Rng,
  sampleLatent,
  shuffledIndices,
  toUnitRange,
  type CompiledGan,
  type GanError,
  type LabelledImages,
  type SampleOptions,
} from '../../src/index.ts'
import type { Images } from './image-table.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** What the views need of a generator: a checkpoint's `Sampler` and a `Trainer` both are one. */
export interface Generator {
  readonly compiled: CompiledGan
  readonly sample: (n: number, options?: SampleOptions) => Promise<Result<Float32Array>>
  readonly generate: (inputs: Float32Array, labels?: ArrayLike<number>) => Promise<Result<Float32Array>>
}

/** Samples in a grid: `columns` per row; for a conditional generator row r is class r. */
export interface SampleGrid {
  readonly seed: number
  readonly columns: number
  /** The generator's outputs as they came (in [−1, 1]). */
  readonly outputs: Float32Array
  readonly images: Images
  /** The label of each sample, for a conditional generator. */
  readonly labels: Int32Array | undefined
}

/** Images from `outputs` of shape `[h, w, c]`, mapped from [−1, 1] to [0, 1]. */
const imagesOf = (outputs: Float32Array, shape: ReadonlyArray<number>): Images => {
  const [height = 1, width = 1, channels = 1] = shape
  return { values: toUnitRange(outputs), count: outputs.length / (height * width * channels), height, width, channels }
}

/** Whether the generator makes images (`[h, w, 1 or 3]`) rather than points. */
export const makesImages = (generator: Generator): boolean => {
  const shape = generator.compiled.generator.outputShape
  return shape.length === 3 && (shape[2] === 1 || shape[2] === 3)
}

/**
 * A grid of samples from `seed`: `columns × columns` of them, or for a conditional generator
 * `columns` of each class, class by class (the latents from `seed`, as `sample(n, { seed, labels })`).
 */
export const readSampleGrid = async (generator: Generator, seed: number, columns: number): Promise<Result<SampleGrid>> => {
  const classes = generator.compiled.generator.labelClasses
  const count = classes === undefined ? columns * columns : classes * columns
  const labels = classes === undefined ? undefined : Int32Array.from({ length: count }, (_, i) => Math.floor(i / columns))
  const outputs = await generator.sample(count, labels === undefined ? { seed } : { seed, labels })
  return E.map((o: Float32Array) => ({ seed, columns, outputs: o, images: imagesOf(o, generator.compiled.generator.outputShape), labels }))(outputs)
}

/** The latents of an interpolation: the path from seed `from`'s latent to seed `to`'s. */
export interface Strip {
  readonly from: number
  readonly to: number
  readonly steps: number
  /** The class every image of the strip is drawn for (conditional generators). */
  readonly label: number | undefined
  readonly spherical: { readonly latents: Float32Array; readonly outputs: Float32Array; readonly images: Images }
  readonly linear: { readonly latents: Float32Array; readonly outputs: Float32Array; readonly images: Images }
}

/**
 * Interpolation strips of `steps` images from the latent seed `from` draws to the one `to` draws
 * (each `sample(1, { seed })`'s latent), along the great circle (spherical: a normal latent keeps
 * its typical norm on the way) and along the straight line.
 */
export const readStrip = async (generator: Generator, from: number, to: number, steps: number, label: number | undefined): Promise<Result<Strip>> => {
  const latent = generator.compiled.spec.latent
  const ends = E.sequenceArray([sampleLatent(latent, 1, Rng.fromSeed(from)), sampleLatent(latent, 1, Rng.fromSeed(to))])
  if (E.isLeft(ends)) return ends
  const [a, b] = ends.right as [Float32Array, Float32Array]
  const labels = label === undefined ? undefined : new Int32Array(steps).fill(label)
  const shape = generator.compiled.generator.outputShape
  const path = async (kind: 'spherical' | 'linear') => {
    const latents = interpolateLatents(a, b, steps, kind)
    return E.map((outputs: Float32Array) => ({ latents, outputs, images: imagesOf(outputs, shape) }))(await generator.generate(latents, labels))
  }
  const spherical = await path('spherical')
  if (E.isLeft(spherical)) return spherical
  const linear = await path('linear')
  if (E.isLeft(linear)) return linear
  return E.right({ from, to, steps, label, spherical: spherical.right, linear: linear.right })
}

/** Super-resolution of held-out images: the columns LR | bicubic | SR | HR, and PSNR against HR. */
export interface SuperResolution {
  readonly seed: number
  /** Which images of the shipped slice, in order. */
  readonly indices: ReadonlyArray<number>
  /** The generator's inputs: the box downsample of HR, in [−1, 1]. */
  readonly inputs: Float32Array
  /** The generator's outputs as they came (in [−1, 1]). */
  readonly outputs: Float32Array
  readonly low: Images
  readonly bicubic: Images
  readonly superResolved: Images
  readonly high: Images
  readonly psnr: { readonly bicubic: number; readonly superResolved: number }
}

/**
 * `count` held-out images picked by `seed` from `heldOut`, downsampled ×`factor` by area average
 * (`boxDownsample`, as the SRGAN recipe makes its inputs), super-resolved by the generator and by
 * bicubic interpolation.
 */
export const readSuperResolution = async (
  generator: Generator,
  heldOut: LabelledImages,
  seed: number,
  count: number,
  factor: number,
): Promise<Result<SuperResolution>> => {
  const { height, width, channels } = heldOut
  const size = height * width * channels
  const indices = Array.from(shuffledIndices(heldOut.count, seed).subarray(0, count))
  const pixels = new Uint8Array(count * size)
  indices.forEach((index, i) => pixels.set(heldOut.pixels.subarray(index * size, (index + 1) * size), i * size))
  const high: Images = { values: pixelsToUnit(pixels), count, height, width, channels }
  const lowValues = boxDownsample(high.values, high, factor)
  if (E.isLeft(lowValues)) return lowValues
  const low: Images = { values: lowValues.right, count, height: height / factor, width: width / factor, channels }
  const bicubic = bicubicUpsample(low, factor)
  if (E.isLeft(bicubic)) return bicubic
  const inputs = low.values.map((v) => 2 * v - 1)
  const outputs = await generator.generate(inputs)
  if (E.isLeft(outputs)) return outputs
  const superResolved = imagesOf(outputs.right, generator.compiled.generator.outputShape)
  const upsampled: Images = { ...high, values: bicubic.right }
  return E.right({
    seed,
    indices,
    inputs,
    outputs: outputs.right,
    low,
    bicubic: upsampled,
    superResolved,
    high,
    psnr: { bicubic: psnr(upsampled, high), superResolved: psnr(superResolved, high) },
  })
}

/** A 2-D run's samples: points (x, y interleaved). */
export interface Points {
  readonly seed: number
  readonly outputs: Float32Array
}

/** `count` points of a 2-D generator from `seed`. */
export const readPoints = async (generator: Generator, seed: number, count: number): Promise<Result<Points>> =>
  E.map((outputs: Float32Array) => ({ seed, outputs }))(await generator.sample(count, { seed }))
