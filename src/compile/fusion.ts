/**
 * Fusion: a dense or convolution layer followed by its activation compiles to one fused kernel
 * (`_FusedMatMul`, `FusedConv2D`: product, bias and activation in one pass) with a hand-written
 * gradient. Why by hand: tfjs's own `tf.fused.*` ops refuse to fuse a non-linear activation while
 * a gradient is being recorded, which is exactly when a GAN runs them; their unfused fallback also
 * costs extra reshapes and copies. The gradient needs only the fused output y: the activation's
 * derivative is a function of y for every activation fused here. Custom gradients are computed
 * eagerly, so the caller says which of them are needed (`NeededGradients`); the rest are zeros.
 *
 * @since 0.1.0
 */
import type { Padding, Pair } from '../layers/conv-geometry.ts'
import { convFilterGradient, conv2dTransposeByPhases } from './conv-lowering.ts'
import type { NeededGradients } from './forward.ts'
import { tf, type Tensor } from './tf.ts'

type Tensor4D = tf.Tensor4D

/**
 * An activation the fused kernels of every backend (cpu, wasm, webgpu) implement.
 *
 * @since 0.1.0
 * @category model
 */
export type FusedActivation =
  | { readonly name: 'linear' }
  | { readonly name: 'relu' }
  | { readonly name: 'leakyrelu'; readonly alpha: number }
  | { readonly name: 'sigmoid' }

const allGradients: NeededGradients = { input: true, params: true }

const kernelAttributes = (activation: FusedActivation) => ({
  activation: activation.name,
  leakyreluAlpha: activation.name === 'leakyrelu' ? activation.alpha : 0,
})

/**
 * act(z) as its own kernel, for ops that cannot take the activation into theirs.
 *
 * @since 0.1.0
 * @category compiler
 */
export const activate = (z: Tensor, activation: FusedActivation): Tensor => {
  switch (activation.name) {
    case 'linear':
      return z
    case 'relu':
      return tf.relu(z)
    case 'leakyrelu':
      return tf.leakyRelu(z, activation.alpha)
    case 'sigmoid':
      return tf.sigmoid(z)
  }
}

/**
 * act(z) with a gradient computed from z, not from act(z), and from ops that have gradients
 * themselves, so that it can be differentiated again.
 *
 * @since 0.1.0
 * @category compiler
 */
export const activateTwiceDifferentiable = (z: Tensor, activation: FusedActivation): Tensor => {
  switch (activation.name) {
    case 'linear':
      return z
    case 'relu':
      return slopeFromInput(z, tf.relu, 0)
    case 'leakyrelu':
      return slopeFromInput(z, (x) => tf.leakyRelu(x, activation.alpha), activation.alpha)
    case 'sigmoid':
      return fromInput(z, tf.sigmoid, (s) => tf.mul(s, tf.sub(1, s)))
  }
}

/**
 * A piecewise-linear f with slope 1 above zero and `slope` below: its gradient is dy·step(z, slope)
 * (tfjs's leaky ReLU gradient selects with a comparison, whose own gradient tfjs lacks).
 */
const slopeFromInput = (z: Tensor, f: (z: Tensor) => Tensor, slope: number): Tensor =>
  tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [Tensor, tf.GradSaveFunc]
    save([input])
    return { value: f(input), gradFunc: (dy: Tensor, saved: Array<Tensor>) => tf.mul(dy, tf.step(saved[0]!, slope)) }
  })(z)

/**
 * tanh with its gradient 1 − tanh(z)² computed from z (see `activateTwiceDifferentiable`).
 *
 * @since 0.1.0
 * @category compiler
 */
export const tanhTwiceDifferentiable = (z: Tensor): Tensor => fromInput(z, tf.tanh, (t) => tf.sub(1, tf.square(t)))

/** f(z) whose gradient dy·f'(z) recomputes f(z) from the saved input inside the gradient. */
const fromInput = (z: Tensor, f: (z: Tensor) => Tensor, derivativeFromValue: (value: Tensor) => Tensor): Tensor =>
  tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [Tensor, tf.GradSaveFunc]
    save([input])
    return { value: f(input), gradFunc: (dy: Tensor, saved: Array<Tensor>) => tf.mul(dy, derivativeFromValue(f(saved[0]!))) }
  })(z)

/**
 * ∂L/∂z for y = act(z), from y alone.
 *
 * @since 0.1.0
 * @category compiler
 */
export const throughActivation = (dy: Tensor, y: Tensor, activation: FusedActivation): Tensor => {
  switch (activation.name) {
    case 'linear':
      return dy
    case 'relu':
      return tf.mul(dy, tf.step(y))
    case 'leakyrelu':
      // y > 0 exactly where z > 0 (for alpha > 0), so the slope can be read off y: step(y, α) is
      // 1 there and α elsewhere (two kernels; greater + where + mul would be three).
      return tf.mul(dy, tf.step(y, activation.alpha))
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)))
  }
}

/**
 * a·bᵀ or aᵀ·b. On wasm the transpose is made explicit: its BatchMatMul with transposeA/B takes a
 * path ≈ 10× slower than a transpose plus a plain product (8.4 against 0.7 ms for 64×64ᵀ·64×3136);
 * the cpu backend is the other way round.
 */
const productTransposed = (a: Tensor, b: Tensor, transposed: 'first' | 'second'): Tensor => {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposed === 'first', transposed === 'second')
  return transposed === 'first' ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, tf.transpose(b))
}

/**
 * y = act(x·W + b) as one `_FusedMatMul` kernel, with its gradient.
 *
 * @since 0.1.0
 * @category compiler
 */
export const fusedDense = (
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | undefined,
  activation: FusedActivation,
  needed: NeededGradients = allGradients,
): Tensor => {
  // Parameters no one differentiates are constants of the op, not its inputs: their gradients
  // would be zeros made only to be dropped (a kernel each on WebGPU).
  const inputs = !needed.params ? [x] : bias === undefined ? [x, kernel] : [x, kernel, bias]
  return tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc
    const [a, w = kernel, b = bias] = args.slice(0, -1) as Array<Tensor | undefined>
    // The kernel multiplies batches of matrices: [1, n, k] × [1, k, m].
    const [n, k] = a!.shape as [number, number]
    const m = w!.shape[1]!
    const a3 = tf.reshape(a!, [1, n, k])
    const w3 = tf.reshape(w!, [1, k, m])
    const y = tf.reshape(
      tf.engine().runKernel(
        '_FusedMatMul',
        b === undefined ? { a: a3, b: w3 } : { a: a3, b: w3, bias: b },
        { transposeA: false, transposeB: false, ...kernelAttributes(activation) },
      ) as Tensor,
      [n, m],
    )
    save([a!, w!, y])
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Array<Tensor>) => {
        const [xs, ws, ys] = saved as [Tensor, Tensor, Tensor]
        const dz = throughActivation(dy, ys, activation)
        const dx = needed.input ? productTransposed(dz, ws, 'second') : tf.zerosLike(xs)
        if (!needed.params) return [dx]
        const grads = [dx, productTransposed(xs, dz, 'first')]
        return b === undefined ? grads : [...grads, tf.sum(dz, 0)]
      },
    }
  })(...inputs)
}

/**
 * y = act(conv2d(x, W) + b) as one `FusedConv2D` kernel, with the gradient of the CPU backends'
 * lowering: the input gradient as phase convolutions, the filter gradient as a correlation.
 *
 * @since 0.1.0
 * @category compiler
 */
export const fusedConv2d = (
  x: Tensor4D,
  filter: Tensor4D,
  bias: Tensor | undefined,
  strides: Pair,
  padding: Padding,
  activation: FusedActivation,
  needed: NeededGradients = allGradients,
): Tensor4D => {
  // As in fusedDense: parameters no one differentiates are constants, not inputs.
  const inputs = !needed.params ? [x] : bias === undefined ? [x, filter] : [x, filter, bias]
  return tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc
    const [xs, ws = filter, b = bias] = args.slice(0, -1) as [Tensor4D, Tensor4D?, Tensor?]
    const y = tf.engine().runKernel(
      'FusedConv2D',
      b === undefined ? { x: xs, filter: ws } : { x: xs, filter: ws, bias: b },
      {
        strides: [strides[0], strides[1]],
        pad: padding,
        dataFormat: 'NHWC',
        dilations: [1, 1],
        ...kernelAttributes(activation),
      },
    ) as Tensor4D
    save([xs, ws, y])
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Array<Tensor>) => {
        const [input, w, out] = saved as [Tensor4D, Tensor4D, Tensor4D]
        const dz = throughActivation(dy, out, activation) as Tensor4D
        const dx = needed.input
          ? conv2dTransposeByPhases(dz, w, input.shape, strides, padding, needed.twice ?? false)
          : tf.zerosLike(input)
        if (!needed.params) return [dx]
        const grads = [dx, convFilterGradient(input, dz, [w.shape[0], w.shape[1]], strides, padding)]
        return b === undefined ? grads : [...grads, tf.sum(dz, [0, 1, 2])]
      },
    }
  })(...inputs) as Tensor4D
}
