/**
 * Batch normalisation in training mode, with its activation, as one op with a hand-written
 * gradient. Why: composed from tfjs ops, the forward pass computes x − μ twice and tfjs's
 * automatic gradient of the composition runs ≈ 25 kernels, most of them over the whole
 * activation tensor; the closed form below needs 4 full-size passes forward and 6 backward. The
 * batch statistics come out too, for the moving averages, without a second reduction.
 *
 * @since 0.1.0
 */
import { activate, activateTwiceDifferentiable, throughActivation, type FusedActivation } from './fusion.ts'
import type { NeededGradients } from './forward.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * The normalised, scaled, shifted and activated batch, and the batch mean and (biased) variance
 * per channel (shape [channels]; the caller owns them).
 *
 * @since 0.1.0
 * @category model
 */
export interface BatchNormResult {
  readonly output: Tensor
  readonly mean: Tensor
  readonly variance: Tensor
}

/**
 * y = act(γ·(x − μ)/√(σ² + ε) + β) over the last axis, μ and σ² the batch's. With x̂ = (x − μ)·r,
 * r = 1/√(σ² + ε), and dz the gradient at the activation's input, over the N reduced positions:
 * dβ = Σ dz, dγ = Σ dz·x̂, dx = γ·r·(dz − dβ/N − x̂·dγ/N).
 *
 * @since 0.1.0
 * @category compiler
 */
export const batchNormTraining = (
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
  activation: FusedActivation,
  needed: NeededGradients,
): BatchNormResult => {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i)
  const channels = x.shape[x.rank - 1]!
  const count = x.size / channels
  // The statistics are made inside the custom op (so they cost no extra pass) and handed out
  // kept, past the tidy scopes tfjs runs the op in; the caller disposes them.
  let statistics: readonly [Tensor, Tensor] | undefined
  const output = tf.customGrad((...args: Array<Tensor | tf.GradSaveFunc>) => {
    const [xs, g, b, save] = args as [Tensor, Tensor, Tensor, tf.GradSaveFunc]
    const mean = tf.mean(xs, axes)
    const centered = tf.sub(xs, mean)
    const variance = tf.mean(tf.square(centered), axes)
    const inverseDeviation = tf.rsqrt(tf.add(variance, epsilon))
    const scale = tf.mul(g, inverseDeviation)
    const y = activate(tf.add(tf.mul(centered, scale), b), activation)
    statistics = [tf.keep(mean), tf.keep(variance)]
    save([centered, inverseDeviation, scale, y])
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Array<Tensor>) => {
        const [c, r, s, out] = saved as [Tensor, Tensor, Tensor, Tensor]
        const dz = throughActivation(dy, out, activation)
        const dBeta = tf.sum(dz, axes)
        const dzCentered = tf.sum(tf.mul(dz, c), axes) // = dγ / r
        const paramGradients = needed.params ? [tf.mul(dzCentered, r), dBeta] : [tf.zerosLike(dBeta), tf.zerosLike(dBeta)]
        if (!needed.input) return [tf.zerosLike(c), ...paramGradients]
        // dx = s·dz − s·dβ/N − c·(s·r²·Σ dz·c / N): two full-size products and two sums.
        const shift = tf.mul(s, -1 / count)
        const dx = tf.add(
          tf.add(tf.mul(dz, s), tf.mul(c, tf.mul(tf.mul(shift, tf.square(r)), dzCentered))),
          tf.mul(shift, dBeta),
        )
        return [dx, ...paramGradients]
      },
    }
  })(x, gamma, beta)
  const [mean, variance] = statistics!
  return { output, mean, variance }
}

/**
 * The same as `batchNormTraining`, composed of tfjs ops whose gradients read only their inputs,
 * so that its gradient can be differentiated again (gradient penalties). Slower: tfjs's automatic
 * gradient of the composition runs ≈ 25 kernels.
 *
 * @since 0.1.0
 * @category compiler
 */
export const batchNormTrainingComposed = (
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
  activation: FusedActivation,
): BatchNormResult => {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i)
  const mean = tf.mean(x, axes)
  const centered = tf.sub(x, mean)
  const variance = tf.mean(tf.square(centered), axes)
  const output = activateTwiceDifferentiable(tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon))), gamma), beta), activation)
  return { output, mean, variance }
}
