/**
 * DiffAugment's transformations as tfjs ops, following the reference implementation
 * (mit-han-lab/data-efficient-gans, DiffAugment_pytorch.py) on NHWC images. The random numbers
 * are drawn on the host from a seed and uploaded, so a seed gives the same transformation on
 * every backend; translation is two batched matrix products with one-hot shift matrices, and
 * cutout a multiply by a mask, so every op has a gradient on every backend (a gather's gradient
 * needs UnsortedSegmentSum, which the wasm backend lacks).
 *
 * @since 0.3.0
 */
import type { DiffAugment } from '../dsl/augmentation.ts'
import { Rng } from '../random.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * One batch's random draws, per example: colour factors, shifts, cutout squares. A part is
 * undefined when it is off (or rounds to nothing at this image size).
 *
 * @since 0.3.0
 * @category model
 */
export interface AugmentationDraws {
  readonly color:
    | {
        /** Added to every value: U[−0.5, 0.5). */
        readonly brightness: Float32Array
        /** Scales each pixel's deviation from its channel mean: U[0, 2). */
        readonly saturation: Float32Array
        /** Scales each value's deviation from the image's mean: U[0.5, 1.5). */
        readonly contrast: Float32Array
      }
    | undefined
  /** Output pixel (i, j) reads input (i + rows[b], j + columns[b]), zero outside the image. */
  readonly translation: { readonly rows: Int32Array; readonly columns: Int32Array } | undefined
  /** Rows [top, top + height) and columns [left, left + width) zeroed, clipped to the image. */
  readonly cutout: { readonly top: Int32Array; readonly left: Int32Array; readonly height: number; readonly width: number } | undefined
}

/** The reference's rounding of a fraction of a size to pixels. */
const pixels = (size: number, fraction: number): number => Math.floor(size * fraction + 0.5)

const integers = (n: number, draw: () => number): Int32Array => Int32Array.from({ length: n }, draw)

/**
 * The draws `augment` makes for a batch of shape `[n, h, w, c]` from `seed`, in this order:
 * brightness, saturation, contrast (n each), row then column shifts, cutout rows then columns.
 *
 * @example
 * augmentationDraws(diffAugment(), [2, 8, 8, 3], 7).translation?.rows.length // 2
 * @since 0.3.0
 * @category sampling
 */
export const augmentationDraws = (augmentation: DiffAugment, shape: ReadonlyArray<number>, seed: number): AugmentationDraws => {
  const [n = 0, height = 0, width = 0] = shape
  const rng = Rng.fromSeed(seed)
  const color = augmentation.color
    ? { brightness: rng.uniforms(n, -0.5, 0.5), saturation: rng.uniforms(n, 0, 2), contrast: rng.uniforms(n, 0.5, 1.5) }
    : undefined
  const shiftRows = pixels(height, augmentation.translation)
  const shiftColumns = pixels(width, augmentation.translation)
  const translation =
    shiftRows === 0 && shiftColumns === 0
      ? undefined
      : { rows: integers(n, () => rng.int(2 * shiftRows + 1) - shiftRows), columns: integers(n, () => rng.int(2 * shiftColumns + 1) - shiftColumns) }
  const cutHeight = pixels(height, augmentation.cutout)
  const cutWidth = pixels(width, augmentation.cutout)
  // The reference's centre is in [0, size − size mod 2]; the square is centred on it.
  const cutout =
    cutHeight === 0 || cutWidth === 0
      ? undefined
      : {
          top: integers(n, () => rng.int(height + 1 - (cutHeight % 2)) - Math.floor(cutHeight / 2)),
          left: integers(n, () => rng.int(width + 1 - (cutWidth % 2)) - Math.floor(cutWidth / 2)),
          height: cutHeight,
          width: cutWidth,
        }
  return { color, translation, cutout }
}

/** [n, size, size] one-hot matrices M with M[b, i, i + shift[b]] = 1 where that is inside. */
const shiftMatrices = (shifts: Int32Array, size: number): Tensor => {
  const values = new Float32Array(shifts.length * size * size)
  shifts.forEach((shift, b) => {
    for (let i = 0; i < size; i++) if (i + shift >= 0 && i + shift < size) values[(b * size + i) * size + i + shift] = 1
  })
  return tf.tensor3d(values, [shifts.length, size, size])
}

/** Shifts the rows of x ([n, h, w, c]) by one matrix product per example. */
const shiftRows = (x: Tensor, matrices: Tensor): Tensor => {
  const [n, h, w, c] = x.shape as [number, number, number, number]
  return tf.reshape(tf.matMul(matrices, tf.reshape(x, [n, h, w * c])), [n, h, w, c])
}

const swapRowsAndColumns = (x: Tensor): Tensor => tf.transpose(x, [0, 2, 1, 3])

/** [n, h, w, 1]: 0 inside each example's square, 1 elsewhere. */
const cutoutMask = (cutout: NonNullable<AugmentationDraws['cutout']>, h: number, w: number): Tensor => {
  const n = cutout.top.length
  const mask = new Float32Array(n * h * w).fill(1)
  for (let b = 0; b < n; b++)
    for (let i = Math.max(0, cutout.top[b]!); i < Math.min(h, cutout.top[b]! + cutout.height); i++)
      for (let j = Math.max(0, cutout.left[b]!); j < Math.min(w, cutout.left[b]! + cutout.width); j++) mask[(b * h + i) * w + j] = 0
  return tf.tensor4d(mask, [n, h, w, 1])
}

/**
 * x ([n, h, w, c]) transformed by the given draws: colour, then translation, then cutout.
 * Differentiable with respect to x. Call it inside a `tidy`: it makes intermediate tensors.
 *
 * @example
 * augmentWith(tf.ones([1, 4, 4, 1]), { color: undefined, translation: { rows: Int32Array.of(1), columns: Int32Array.of(0) }, cutout: undefined }) // last row 0
 * @since 0.3.0
 * @category compiler
 */
export const augmentWith = (x: Tensor, draws: AugmentationDraws): Tensor => {
  const [n, h, w] = x.shape as [number, number, number, number]
  const perExample = (values: Float32Array): Tensor => tf.tensor4d(values, [n, 1, 1, 1])
  const aroundMean = (y: Tensor, mean: Tensor, factor: Float32Array): Tensor => tf.add(tf.mul(tf.sub(y, mean), perExample(factor)), mean)
  let y = x
  if (draws.color !== undefined) {
    y = tf.add(y, perExample(draws.color.brightness))
    y = aroundMean(y, tf.mean(y, 3, true), draws.color.saturation)
    y = aroundMean(y, tf.mean(y, [1, 2, 3], true), draws.color.contrast)
  }
  if (draws.translation !== undefined) {
    y = shiftRows(y, shiftMatrices(draws.translation.rows, h))
    y = swapRowsAndColumns(shiftRows(swapRowsAndColumns(y), shiftMatrices(draws.translation.columns, w)))
  }
  if (draws.cutout !== undefined) y = tf.mul(y, cutoutMask(draws.cutout, h, w))
  return y
}

/**
 * x ([n, h, w, c], images in [−1, 1]) augmented as `augmentation` says, with draws from `seed`:
 * the same seed, the same transformation, on every backend. Differentiable with respect to x;
 * call it inside a `tidy`.
 *
 * @example
 * augment(diffAugment(), images, 7).shape // images.shape
 * @since 0.3.0
 * @category compiler
 */
export const augment = (augmentation: DiffAugment, x: Tensor, seed: number): Tensor => augmentWith(x, augmentationDraws(augmentation, x.shape, seed))
