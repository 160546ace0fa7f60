/**
 * The adversarial losses in tfjs-core, from logits. log σ(l) = −softplus(−l) and
 * log(1 − σ(l)) = −softplus(l) keep every value finite however confident the discriminator is.
 *
 * @since 0.1.0
 */
import type { GanLoss } from '../dsl/loss.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * Mean sigmoid cross-entropy of `logits` against a constant `target` in [0, 1]:
 * −[t·log σ(l) + (1 − t)·log(1 − σ(l))] = softplus(l) − t·l.
 *
 * @since 0.1.0
 * @category losses
 */
export const sigmoidCrossEntropy = (logits: Tensor, target: number): Tensor =>
  tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target)))

/**
 * The discriminator's loss: cross-entropy on the real batch (target 1 − labelSmoothing) plus
 * cross-entropy on the fake batch (target 0).
 *
 * @example
 * // with zero logits both terms are log 2: the loss is 2·log 2 ≈ 1.386
 *
 * @since 0.1.0
 * @category losses
 */
export const discriminatorLoss = (loss: GanLoss, realLogits: Tensor, fakeLogits: Tensor): Tensor =>
  tf.add(sigmoidCrossEntropy(realLogits, 1 - loss.labelSmoothing), sigmoidCrossEntropy(fakeLogits, 0))

/**
 * The generator's loss on the discriminator's logits for its samples.
 * Minimax: mean log(1 − D(G(z))) = −mean softplus(l). Non-saturating: −mean log D(G(z)) =
 * mean softplus(−l).
 *
 * @since 0.1.0
 * @category losses
 */
export const generatorLoss = (loss: GanLoss, fakeLogits: Tensor): Tensor => {
  switch (loss._tag) {
    case 'Minimax':
      return tf.neg(tf.mean(tf.softplus(fakeLogits)))
    case 'NonSaturating':
      return tf.mean(tf.softplus(tf.neg(fakeLogits)))
  }
}
