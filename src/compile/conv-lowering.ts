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
import type { Padding, Pair } from '../layers/conv-geometry.ts'
import { tf, type Tensor } from './tf.ts'

type Tensor4D = tf.Tensor4D

/** TensorFlow's `same` padding before and after, for one axis. */
/** Rows and columns of zeros around the input: [[top, bottom], [left, right]]. */
type ExplicitPadding = readonly [Pair, Pair]

/** tfjs's NHWC form of explicit padding. */
const explicit = ([[top, bottom], [left, right]]: ExplicitPadding): [[0, 0], [number, number], [number, number], [0, 0]] => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
]

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
  padding: Padding | ExplicitPadding,
): Tensor4D => {
  const [, h, w] = input.shape
  const [, oh, ow] = dy.shape
  const [[top, bottom], [left, right]] =
    typeof padding !== 'string'
      ? padding
      : padding === 'same'
        ? [samePadding(h, oh, kernel[0], strides[0]), samePadding(w, ow, kernel[1], strides[1])]
        : [
            [0, 0],
            [0, 0],
          ]
  // Batch ↔ channels: the input becomes [ci, H, W, n] and dy the filter [oh, ow, n, co]; the
  // padding goes into the convolution rather than a separate pad.
  const correlated = tf.conv2d(
    tf.transpose(input, [3, 1, 2, 0]) as Tensor4D,
    tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D,
    1,
    [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
    'NHWC',
    [strides[0], strides[1]],
  )
  // `valid` padding can leave rows the kernel never reached: keep the kernel's extent.
  const cropped =
    correlated.shape[1] === kernel[0] && correlated.shape[2] === kernel[1]
      ? correlated
      : tf.slice(correlated, [0, 0, 0, 0], [-1, kernel[0], kernel[1], -1])
  return tf.transpose(cropped, [1, 2, 0, 3]) as Tensor4D
}

/**
 * How one spatial axis of a transposed convolution splits into phases: output position p = s·q + ψ
 * (output phase ψ) reads filter taps ≡ (ψ + padBefore) mod s, so every output phase is a stride-1
 * correlation of the input with those taps reversed. `before`/`after` pad (or, when negative,
 * crop) the input so that the correlation yields exactly the `rows` outputs the phase needs.
 */
interface AxisPhase {
  readonly taps: ReadonlyArray<number>
  readonly before: number
  readonly after: number
}

const axisPhases = (input: number, output: number, kernel: number, stride: number, padBefore: number) => {
  const rows = Math.ceil(output / stride)
  const phases = Array.from({ length: stride }, (_, psi): AxisPhase => {
    const phase = (psi + padBefore) % stride
    // The first input-grid row this output phase reads: r = s·q + ψ + padBefore, m = (r − phase) / s.
    const first = Math.floor((psi + padBefore) / stride)
    const count = Math.max(Math.ceil((kernel - phase) / stride), 0)
    // Tap t of the reversed sub-kernel is filter row phase + s·(count − 1 − t).
    const taps = Array.from({ length: count }, (_, t) => phase + stride * (count - 1 - t))
    return { taps, before: count - 1 - first, after: rows + first - input }
  })
  return { rows, phases }
}

/**
 * Rows `indices` of a matrix. On wasm as a product with a 0/1 selection matrix (exact: every sum
 * has one non-zero term), which XNNPACK runs ≈ 3–13× faster than wasm's Gather kernel (25 taps of
 * a 25×32768 filter: 2.4 against 32 ms); the cpu backend's gather is the faster there.
 */
const selectRows = (matrix: Tensor, indices: ReadonlyArray<number>): Tensor => {
  if (tf.getBackend() !== 'wasm') return tf.gather(matrix, tf.tensor1d(indices as Array<number>, 'int32'))
  const rows = matrix.shape[0]!
  const selection = new Float32Array(indices.length * rows)
  indices.forEach((row, i) => {
    selection[i * rows + row] = 1
  })
  return tf.matMul(tf.tensor2d(selection, [indices.length, rows]), matrix)
}

/**
 * `tf.conv2dTranspose` as stride-1 forward convolutions, one per output phase (sub-pixel
 * decomposition). Why: tfjs-backend-wasm's Conv2DBackpropInput kernel (which is what a transposed
 * convolution, and every conv's input gradient, runs on) is a plain loop at ≈ 4 GFLOP/s, while its
 * forward Conv2D goes through XNNPACK at ≈ 25 GFLOP/s; the phases do the transposed convolution's
 * FLOPs and no more (zero-insertion would do s² times as many), and compute only the output rows
 * and columns that survive TensorFlow's padding.
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
  twiceDifferentiable = false,
): Tensor4D => {
  const [n, inH, inW, inC] = x.shape
  const [kh, kw, outC] = filter.shape
  const [, outH, outW] = outputShape
  const [sh, sw] = strides
  const vertical = axisPhases(inH, outH, kh, sh, padding === 'same' ? samePadding(outH, inH, kh, sh)[0] : 0)
  const horizontal = axisPhases(inW, outW, kw, sw, padding === 'same' ? samePadding(outW, inW, kw, sw)[0] : 0)
  // The filter as conv2d wants it ([kh, kw, in, out]), one row per spatial tap, so that each
  // phase's reversed taps are one row selection (wasm's StridedSlice and Reverse are slow here).
  const tapRows = tf.reshape(tf.transpose(filter, [0, 1, 3, 2]), [kh * kw, inC * outC])
  const phaseOutput = (v: AxisPhase, h: AxisPhase): Tensor4D => {
    if (v.taps.length === 0 || h.taps.length === 0) return tf.zeros([n, vertical.rows, horizontal.rows, outC])
    const indices = v.taps.flatMap((a) => h.taps.map((b) => a * kw + b))
    const sub = tf.reshape(selectRows(tapRows, indices), [v.taps.length, h.taps.length, inC, outC]) as Tensor4D
    // Negative padding is a crop of the input.
    const cropTop = Math.max(-v.before, 0)
    const cropLeft = Math.max(-h.before, 0)
    const keepH = inH - cropTop - Math.max(-v.after, 0)
    const keepW = inW - cropLeft - Math.max(-h.after, 0)
    const cropped = cropTop + cropLeft > 0 || keepH < inH - cropTop || keepW < inW - cropLeft ? tf.slice(x, [0, cropTop, cropLeft, 0], [n, keepH, keepW, inC]) : x
    const pads: ExplicitPadding = [
      [Math.max(v.before, 0), Math.max(v.after, 0)],
      [Math.max(h.before, 0), Math.max(h.after, 0)],
    ]
    return twiceDifferentiable
      ? phaseConvolution(cropped, sub, pads)
      : tf.conv2d(cropped, sub, 1, explicit(pads))
  }
  const R = vertical.rows
  const C = horizontal.rows
  // Phase (ψv, ψh) as phases[ψv·sw + ψh], each [n, R, C, outC].
  const phases = vertical.phases.flatMap((v) => horizontal.phases.map((h) => phaseOutput(v, h)))
  return vertical.rows * sh === outH && horizontal.rows * sw === outW
    ? (interleavePhases(phases, [n, R, C, outC], strides) as Tensor4D)
    : (tf.slice(interleavePhases(phases, [n, R, C, outC], strides), [0, 0, 0, 0], [n, outH, outW, outC]) as Tensor4D)
}

/**
 * The output of a transposed convolution from its phases (phase (ψv, ψh) at phases[ψv·sw + ψh],
 * each [n, R, C, outC]): output position (s·q + ψ) reads phase ψ at q.
 *
 * On wasm by two transposes: [sh, sw, n·R·C, outC] → [sh, n·R·C, sw, outC] (the columns), then
 * [sh, n·R, C·sw·outC] → [n·R, sh, C·sw·outC] (the rows). Stacking phases along an inner axis
 * makes wasm's Pack copy one row of channels at a time in JavaScript, and a rank-5 transpose has
 * no fast path there: at 64×14×14×11 the stacks took ≈ 7 ms, one rank-5 transpose ≈ 32 ms, these
 * two ≈ 0.4 ms (3–30× faster than stacking from 1 to 128 channels; the same values). The cpu
 * backend's transposes are plain loops, 3–14× slower than its stacking, so it stacks, except with
 * one channel, where one rank-4 transpose ([sh, sw, n·R, C] → [n·R, sh, C, sw]) does it all.
 */
const interleavePhases = (phases: ReadonlyArray<Tensor>, [n, R, C, outC]: readonly [number, number, number, number], [sh, sw]: Pair): Tensor => {
  if (tf.getBackend() === 'wasm') {
    const columns = tf.transpose(tf.reshape(tf.stack([...phases], 0), [sh, sw, n * R * C, outC]), [0, 2, 1, 3])
    return tf.reshape(tf.transpose(tf.reshape(columns, [sh, n * R, C * sw * outC]), [1, 0, 2]), [n, R * sh, C * sw, outC])
  }
  if (outC === 1) return tf.reshape(tf.transpose(tf.reshape(tf.stack([...phases], 0), [sh, sw, n * R, C]), [2, 0, 3, 1]), [n, R * sh, C * sw, 1])
  const rows = Array.from({ length: sh }, (_, i) => tf.reshape(tf.stack(phases.slice(i * sw, (i + 1) * sw), 3), [n, R, C * sw, outC]))
  return tf.reshape(tf.stack(rows, 2), [n, R * sh, C * sw, outC])
}

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
 * A stride-1 convolution with explicit padding whose gradient uses only kernels every backend has:
 * tfjs's own gradient of conv2d needs Conv2DBackpropFilter, which the wasm backend lacks. Used
 * where a convolution's input gradient is itself differentiated (gradient penalties).
 */
const phaseConvolution = (x: Tensor4D, filter: Tensor4D, pads: ExplicitPadding): Tensor4D =>
  withGradient(
    (xs, ws) => tf.conv2d(xs, ws, 1, explicit(pads)),
    (dy, xs, ws) => [
      tf.conv2dTranspose(dy, ws, xs.shape, 1, explicit(pads) as never),
      convFilterGradient(xs, dy, [ws.shape[0], ws.shape[1]], [1, 1], pads),
    ],
  )(x, filter) as Tensor4D

/**
 * A transposed convolution run as phases, whose filter gradient is `convFilterGradient` (a
 * transposed convolution is the input gradient of a convolution, so its filter gradient swaps
 * the roles of input and dy) and whose input gradient is a forward convolution. (Convolutions
 * themselves are lowered in fusion.ts, with their bias and activation.)
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
  needed: { readonly input: boolean; readonly params: boolean } = { input: true, params: true },
): Tensor4D =>
  withGradient(
    (xs, ws) => conv2dTransposeByPhases(xs, ws, outputShape, strides, padding),
    (dy, xs, ws) => [
      needed.input ? tf.conv2d(dy, ws, [strides[0], strides[1]], padding) : tf.zerosLike(xs),
      needed.params ? convFilterGradient(dy, xs, [ws.shape[0], ws.shape[1]], strides, padding) : tf.zerosLike(ws),
    ],
  )(x, filter) as Tensor4D
