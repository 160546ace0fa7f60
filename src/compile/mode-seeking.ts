/**
 * MSGAN's mode-seeking term as tfjs ops (see `ModeSeeking` in `src/dsl/schedule.ts`).
 *
 * @since 0.3.0
 */
import { tf, type Tensor } from './tf.ts'

/** MSGAN's ε: keeps 1/(L_ms + ε) finite when the two halves' outputs coincide. */
const epsilon = 1e-5

/**
 * L_ms = mean|G(z₁) − G(z₂)| / mean|z₁ − z₂|, a scalar, over pairs: example i of `outputs[0]`
 * with example i of `outputs[1]`, made from `latents[0]` and `latents[1]` at i. A ratio of batch
 * means, as MSGAN's code computes it (and, pairs being the same size, the per-pair means averaged
 * over pairs, above and below), not a mean of per-pair ratios, which one pair of near-equal
 * latents would dominate. Differentiable in the outputs; call it where gradients are recorded.
 *
 * @example
 * import { modeSeekingRatio } from 'ganfp'
 * const g = [tf.tensor2d([[1, 3]]), tf.tensor2d([[2, 1]])] as const // |Δ| 1 and 2: mean 1.5
 * const z = [tf.tensor2d([[0, 0, 0]]), tf.tensor2d([[1, -2, 0]])] as const // mean |Δz| 1
 * modeSeekingRatio(g, z).dataSync()[0] // 1.5
 * @since 0.3.0
 * @category compiler
 */
export const modeSeekingRatio = (outputs: readonly [Tensor, Tensor], latents: readonly [Tensor, Tensor]): Tensor =>
  tf.div(tf.mean(tf.abs(tf.sub(outputs[0], outputs[1]))), tf.mean(tf.abs(tf.sub(latents[0], latents[1]))))

/**
 * The generator's mode-seeking loss, `weight`/(L_ms + 1e-5) for `ratio` L_ms: smallest when
 * distinct latents give the most distinct outputs.
 *
 * @example
 * import { modeSeekingLoss } from 'ganfp'
 * modeSeekingLoss(tf.scalar(1.5), 2).dataSync()[0] // ≈ 1.3333
 * @since 0.3.0
 * @category compiler
 */
export const modeSeekingLoss = (ratio: Tensor, weight: number): Tensor => tf.mul(tf.reciprocal(tf.add(ratio, epsilon)), weight)

/**
 * A batch's first and second halves along its first axis: the pairs the term compares (example i
 * with example i + N/2; the trainer only runs the term on an even batch).
 *
 * @example
 * batchHalves(tf.zeros([4, 2])).map((h) => h.shape) // [[2, 2], [2, 2]]
 * @since 0.3.0
 * @category compiler
 */
export const batchHalves = (batch: Tensor): readonly [Tensor, Tensor] => {
  const [first, second] = tf.split(batch, 2, 0)
  return [first!, second!]
}
