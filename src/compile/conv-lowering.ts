/**
 * Convolutions and their gradients lowered to forward convolutions, for the CPU backends (cpu, wasm).
 *
 * Why: tfjs-backend-cpu's Conv2DBackpropFilter kernel is a naive loop, ≈ 45× slower than a
 * forward convolution of the same size (measured: 14.4 s against 0.08–0.34 s for the DCGAN's
 * 28→14 layer at batch 64), and both conv2d and conv2dTranspose need it for their filter
 * gradient; tfjs-backend-wasm has no Conv2DBackpropFilter at all. The filter gradient is itself a
 * convolution: correlate the padded input with the output gradient, treating the batch as the
 * channel axis and the stride as a dilation. Transposed convolutions (and so every conv's input
 * gradient) become one forward convolution per output phase, `conv2dTransposeByPhases`.
 *
 * @since 0.1.0
 */
import type { Padding, Pair } from '../dsl/conv.ts'
import { tf, type Tensor } from './tf.ts'

type Tensor4D = tf.Tensor4D

/** TensorFlow's `same` padding before and after, for one axis. */
const samePadding = (input: number, output: number, kernel: number, stride: number): Pair => {
  const total = Math.max((output - 1) * stride + kernel - input, 0)
  return [Math.floor(total / 2), total - Math.floor(total / 2)]
}

/**
 * dW for `y = conv2d(input, W)` given `dy` = ∂L/∂y: dW[a, b, ci, co] = Σ over n, i, j of
 * input_padded[n, i·s + a, j·s + b, ci] · dy[n, i, j, co].
 *
 * @since 0.1.0
 * @category compiler
 */
export const convFilterGradient = (
  input: Tensor4D,
  dy: Tensor4D,
  kernel: Pair,
  strides: Pair,
  padding: Padding,
): Tensor4D => {
  const [, h, w] = input.shape
  const [, oh, ow] = dy.shape
  const [top, bottom] = padding === 'same' ? samePadding(h, oh, kernel[0], strides[0]) : [0, 0]
  const [left, right] = padding === 'same' ? samePadding(w, ow, kernel[1], strides[1]) : [0, 0]
  const padded = top + bottom + left + right > 0 ? tf.pad(input, [[0, 0], [top, bottom], [left, right], [0, 0]]) : input
  // Batch ↔ channels: the input becomes [ci, H, W, n] and dy the filter [oh, ow, n, co].
  const correlated = tf.conv2d(
    tf.transpose(padded, [3, 1, 2, 0]) as Tensor4D,
    tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D,
    1,
    'valid',
    'NHWC',
    [strides[0], strides[1]],
  )
  // `valid` padding can leave rows the kernel never reached: keep the kernel's extent.
  const cropped = tf.slice(correlated, [0, 0, 0, 0], [-1, kernel[0], kernel[1], -1])
  return tf.transpose(cropped, [1, 2, 0, 3]) as Tensor4D
}

/**
 * `tf.conv2dTranspose` as stride-1 forward convolutions, one per output phase (sub-pixel
 * decomposition). Why: tfjs-backend-wasm's Conv2DBackpropInput kernel (which is what a transposed
 * convolution, and every conv's input gradient, runs on) is a plain loop at ≈ 4 GFLOP/s, while its
 * forward Conv2D goes through XNNPACK at ≈ 25–30 GFLOP/s; the phases do exactly the transposed
 * convolution's FLOPs, unlike zero-insertion.
 *
 * Per axis, output row p has r = p + padBefore (the forward conv's padding) and phase φ = r mod s;
 * y[p] = Σ_t x[(r − φ)/s − t] · W[φ + s·t], a correlation of x with the phase's taps reversed. Each
 * phase is one convolution; the phases are interleaved by stack + reshape and the padding cropped.
 *
 * @since 0.1.0
 * @category compiler
 */
export const conv2dTransposeByPhases = (
  x: Tensor4D,
  filter: Tensor4D,
  outputShape: readonly [number, number, number, number],
  strides: Pair,
  padding: Padding,
): Tensor4D => {
  const [n, inH, inW] = x.shape
  const [kh, kw, outC] = filter.shape
  const [, outH, outW] = outputShape
  const [sh, sw] = strides
  const [padTop] = padding === 'same' ? samePadding(outH, inH, kh, sh) : [0]
  const [padLeft] = padding === 'same' ? samePadding(outW, inW, kw, sw) : [0]
  // Rows of each phase's output: enough to cover padBefore + out rows after interleaving.
  const rows = Math.ceil((padTop + outH) / sh)
  const cols = Math.ceil((padLeft + outW) / sw)
  const taps = (k: number, s: number, phase: number) => Math.max(Math.ceil((k - phase) / s), 0)
  // The filter as conv2d wants it ([kh, kw, in, out]), one row per spatial tap, so that each
  // phase's reversed taps are a single gather (wasm's StridedSlice and Reverse are slow here).
  const [, , , inC] = filter.shape
  const tapRows = tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, inC * outC])
  const phaseOutput = (ph: number, pw: number): Tensor4D => {
    const th = taps(kh, sh, ph)
    const tw = taps(kw, sw, pw)
    if (th === 0 || tw === 0) return tf.zeros([n, rows, cols, outC])
    // W[ph::sh, pw::sw] reversed in space: tap (a, b) of the sub-kernel is W[ph + sh·(th−1−a), pw + sw·(tw−1−b)].
    const indices = Array.from({ length: th * tw }, (_, i) => {
      const a = Math.floor(i / tw)
      const b = i % tw
      return (ph + sh * (th - 1 - a)) * kw + (pw + sw * (tw - 1 - b))
    })
    const sub = tf.reshape(tf.gather(tapRows, tf.tensor1d(indices, 'int32')), [th, tw, inC, outC]) as Tensor4D
    // Full correlation (th − 1 rows of zeros above), extended or cut to `rows` × `cols`.
    const bottom = rows - inH
    const right = cols - inW
    const z = tf.conv2d(x, sub, 1, [
      [0, 0],
      [th - 1, Math.max(bottom, 0)],
      [tw - 1, Math.max(right, 0)],
      [0, 0],
    ])
    return bottom < 0 || right < 0 ? tf.slice(z, [0, 0, 0, 0], [n, rows, cols, outC]) : z
  }
  const interleaved = tf.reshape(
    tf.stack(
      Array.from({ length: sh }, (_, ph) =>
        tf.reshape(
          tf.stack(
            Array.from({ length: sw }, (_, pw) => phaseOutput(ph, pw)),
            3,
          ),
          [n, rows, cols * sw, outC],
        ),
      ),
      2,
    ),
    [n, rows * sh, cols * sw, outC],
  )
  return tf.slice(interleaved, [0, padTop, padLeft, 0], [n, outH, outW, outC]) as Tensor4D
}

/** Whether transposed convolutions (and conv input gradients) run as phases on this backend. */
export type TransposedConvMode = 'kernel' | 'phases'

const transposedConv = (
  mode: TransposedConvMode,
  x: Tensor4D,
  filter: Tensor4D,
  outputShape: readonly [number, number, number, number],
  strides: Pair,
  padding: Padding,
): Tensor4D =>
  mode === 'phases'
    ? conv2dTransposeByPhases(x, filter, outputShape, strides, padding)
    : tf.conv2dTranspose(x, filter, [...outputShape], [strides[0], strides[1]], padding)

/**
 * A two-input op with a custom gradient; tfjs passes the inputs and then a `save` function.
 */
const withGradient = (
  forward: (x: Tensor4D, w: Tensor4D) => Tensor4D,
  backward: (dy: Tensor4D, x: Tensor4D, w: Tensor4D) => [Tensor, Tensor],
) =>
  tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const [x, w, save] = args as [Tensor4D, Tensor4D, tf.GradSaveFunc]
    save([x, w])
    return {
      value: forward(x, w),
      gradFunc: (dy: Tensor, saved: Array<Tensor>) => backward(dy as Tensor4D, saved[0] as Tensor4D, saved[1] as Tensor4D),
    }
  })

/**
 * `tf.conv2d` whose filter gradient is `convFilterGradient` and whose input gradient is a
 * transposed convolution run as `mode` says.
 *
 * @since 0.1.0
 * @category compiler
 */
export const conv2dLowered = (
  x: Tensor4D,
  filter: Tensor4D,
  strides: Pair,
  padding: Padding,
  mode: TransposedConvMode = 'kernel',
): Tensor4D =>
  withGradient(
    (xs, ws) => tf.conv2d(xs, ws, [strides[0], strides[1]], padding),
    (dy, xs, ws) => [
      transposedConv(mode, dy, ws, xs.shape, strides, padding),
      convFilterGradient(xs, dy, [ws.shape[0], ws.shape[1]], strides, padding),
    ],
  )(x, filter) as Tensor4D

/**
 * A transposed convolution run as `mode` says, whose filter gradient is `convFilterGradient` (a
 * transposed convolution is the input gradient of a convolution, so its filter gradient swaps
 * the roles of input and dy) and whose input gradient is a forward convolution.
 *
 * @since 0.1.0
 * @category compiler
 */
export const conv2dTransposeLowered = (
  x: Tensor4D,
  filter: Tensor4D,
  outputShape: [number, number, number, number],
  strides: Pair,
  padding: Padding,
  mode: TransposedConvMode = 'kernel',
): Tensor4D =>
  withGradient(
    (xs, ws) => transposedConv(mode, xs, ws, outputShape, strides, padding),
    (dy, xs, ws) => [
      tf.conv2d(dy, ws, [strides[0], strides[1]], padding),
      convFilterGradient(dy, xs, [ws.shape[0], ws.shape[1]], strides, padding),
    ],
  )(x, filter) as Tensor4D
