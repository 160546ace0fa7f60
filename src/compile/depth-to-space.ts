/**
 * Depth to space (TensorFlow's `depth_to_space`), the kernel of `pixelShuffle`.
 *
 * @since 0.1.0
 */
import { tf, type Tensor } from './tf.ts'

/**
 * Depth to space by one rank-4 transpose: `[n, h, w, r·r·c]` → `[n·h, w, r, r·c]` → swap `w` and
 * the first `r` → `[n, h·r, w·r, c]`; the channel order is TensorFlow's `depth_to_space`.
 *
 * @example
 * import { depthToSpace } from 'ganfp'
 * import { tf } from './src/compile/tf.ts'
 * depthToSpace(tf.zeros([1, 7, 7, 16]), 2).shape // [1, 14, 14, 4]
 * @since 0.1.0
 * @category compiler
 */
export const depthToSpace = (x: Tensor, factor: number): Tensor => {
  const [n, h, w, depth] = x.shape as [number, number, number, number]
  const c = depth / (factor * factor)
  const rows = tf.reshape(x, [n * h, w, factor, factor * c])
  return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, h * factor, w * factor, c])
}
