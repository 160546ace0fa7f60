/**
 * The adversarial losses in tfjs-core, from the discriminator's raw outputs. For the log losses,
 * log σ(l) = −softplus(−l) and log(1 − σ(l)) = −softplus(l) keep every value finite however
 * confident the discriminator is.
 *
 * @since 0.1.0
 */
import type { GanLoss } from '../dsl/loss.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * Mean sigmoid cross-entropy of `logits` against a constant `target` in [0, 1]:
 * −[t·log σ(l) + (1 − t)·log(1 − σ(l))] = softplus(l) − t·l.
 *
 * @example
 * import { tensor1d } from '@tensorflow/tfjs-core'
 * import { sigmoidCrossEntropy } from 'ganfp'
 * sigmoidCrossEntropy(tensor1d([0, 0]), 1).dataSync()[0]!.toFixed(4) // '0.6931' (log 2)
 *
 * @since 0.1.0
 * @category losses
 */
export const sigmoidCrossEntropy = (logits: Tensor, target: number): Tensor =>
  tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target)))

/** Half the mean squared distance of `scores` to `target`. */
const halfMeanSquaredDistance = (scores: Tensor, target: number): Tensor =>
  tf.mul(tf.mean(tf.square(tf.sub(scores, target))), 0.5)

/**
 * The discriminator's loss on its outputs for a real and a fake batch. Log losses: cross-entropy
 * on the real batch (target 1 − labelSmoothing) plus cross-entropy on the fake batch (target 0).
 * Least squares: ½E[(D(x) − 1)²] + ½E[D(G(z))²]. Wasserstein: E[D(G(z))] − E[D(x)]. Hinge:
 * E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))].
 *
 * @example
 * import { zeros } from '@tensorflow/tfjs-core'
 * import { discriminatorLoss, nonSaturating } from 'ganfp'
 * // with zero logits both cross-entropy terms are log 2: the log losses give 2·log 2
 * discriminatorLoss(nonSaturating(), zeros([4, 1]), zeros([4, 1])).dataSync()[0]!.toFixed(3) // '1.386'
 *
 * @since 0.1.0
 * @category losses
 */
export const discriminatorLoss = (loss: GanLoss, realOutputs: Tensor, fakeOutputs: Tensor): Tensor => {
  switch (loss._tag) {
    case 'Minimax':
    case 'NonSaturating':
      return tf.add(sigmoidCrossEntropy(realOutputs, 1 - loss.labelSmoothing), sigmoidCrossEntropy(fakeOutputs, 0))
    case 'LeastSquares':
      return tf.add(halfMeanSquaredDistance(realOutputs, 1), halfMeanSquaredDistance(fakeOutputs, 0))
    case 'Wasserstein':
      return tf.sub(tf.mean(fakeOutputs), tf.mean(realOutputs))
    case 'Hinge':
      return tf.add(tf.mean(tf.relu(tf.sub(1, realOutputs))), tf.mean(tf.relu(tf.add(1, fakeOutputs))))
  }
}

/**
 * The generator's loss at each of the discriminator's outputs, before the mean that
 * `generatorLoss` takes (top-k updates average only some of them).
 *
 * @example
 * import { tensor1d } from '@tensorflow/tfjs-core'
 * import { generatorLossTerms, leastSquares } from 'ganfp'
 * Array.from(generatorLossTerms(leastSquares(), tensor1d([1, 3])).dataSync()) // [0, 2]
 *
 * @since 0.3.0
 * @category losses
 */
export const generatorLossTerms = (loss: GanLoss, fakeOutputs: Tensor): Tensor => {
  switch (loss._tag) {
    case 'Minimax':
      return tf.neg(tf.softplus(fakeOutputs))
    case 'NonSaturating':
      return tf.softplus(tf.neg(fakeOutputs))
    case 'LeastSquares':
      return tf.mul(tf.square(tf.sub(fakeOutputs, 1)), 0.5)
    case 'Wasserstein':
    case 'Hinge':
      return tf.neg(fakeOutputs)
  }
}

/**
 * The generator's loss on the discriminator's outputs for its samples.
 * Minimax: mean log(1 − D(G(z))) = −mean softplus(l). Non-saturating: −mean log D(G(z)) =
 * mean softplus(−l). Least squares: ½E[(D(G(z)) − 1)²]. Wasserstein and hinge: −E[D(G(z))].
 *
 * @example
 * import { tensor1d } from '@tensorflow/tfjs-core'
 * import { generatorLoss, wasserstein } from 'ganfp'
 * generatorLoss(wasserstein(), tensor1d([1, 3])).dataSync()[0] // -2
 *
 * @since 0.1.0
 * @category losses
 */
export const generatorLoss = (loss: GanLoss, fakeOutputs: Tensor): Tensor => tf.mean(generatorLossTerms(loss, fakeOutputs))
