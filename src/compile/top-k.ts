/**
 * Top-k generator updates as tfjs ops (see `TopK` in `src/dsl/schedule.ts`): the generator's
 * loss averaged over the discriminator's most realistic-looking outputs only.
 *
 * @since 0.3.0
 */
import type { GanLoss } from '../dsl/loss.ts'
import { topKCount } from '../dsl/schedule.ts'
import { generatorLoss, generatorLossTerms } from './loss.ts'
import { tf, type Tensor } from './tf.ts'

/** Each row's score: the mean of its outputs (one for a plain discriminator, a map for a patch one). */
const rowScores = (outputs: Tensor): Tensor => tf.mean(tf.reshape(outputs, [outputs.shape[0]!, -1]), 1)

/**
 * 1 at the `count` rows of `outputs` (axis 0) with the highest mean output, 0 elsewhere, as
 * float32 of shape [rows]; rows tied with the count-th score are kept too. Every loss here scores
 * "real" high, so these are the samples the discriminator finds most realistic. The selection is
 * a constant to the gradient: the mask is computed outside the tape (a custom gradient of zero),
 * so no gradient is asked of TopK, which tfjs has none for.
 *
 * @example
 * import { tensor2d } from '@tensorflow/tfjs-core'
 * import { bestRowsMask } from 'ganfp'
 * Array.from(bestRowsMask(tensor2d([[0.1], [3], [-2], [1]]), 2).dataSync()) // [0, 1, 0, 1]
 * @since 0.3.0
 * @category compiler
 */
export const bestRowsMask = (outputs: Tensor, count: number): Tensor => {
  const select = tf.customGrad((...args: ReadonlyArray<unknown>) => {
    const x = args[0] as Tensor
    return {
      value: tf.tidy(() => {
        const scores = rowScores(x)
        const kth = tf.slice(tf.topk(scores, count).values, [count - 1], [1])
        return tf.cast(tf.greaterEqual(scores, kth), 'float32')
      }),
      gradFunc: () => tf.zerosLike(x),
    }
  })
  return select(outputs)
}

/**
 * The generator's loss over the ⌈share · rows⌉ rows of `fakeOutputs` the discriminator scores
 * highest (`topKCount`): the mean of `generatorLossTerms` over those rows. At share 1 it is
 * `generatorLoss` itself, the same ops, so a top-k run at share 1 is the run without top-k.
 * Differentiable in the outputs of the kept rows; call it where gradients are recorded.
 *
 * @example
 * import { tensor2d } from '@tensorflow/tfjs-core'
 * import { topKGeneratorLoss, wasserstein } from 'ganfp'
 * topKGeneratorLoss(wasserstein(), tensor2d([[1], [3], [-2], [0]]), 0.5).dataSync()[0] // -2
 * @since 0.3.0
 * @category losses
 */
export const topKGeneratorLoss = (loss: GanLoss, fakeOutputs: Tensor, share: number): Tensor => {
  const rows = fakeOutputs.shape[0]!
  const count = topKCount(share, rows)
  if (count >= rows) return generatorLoss(loss, fakeOutputs)
  const mask = bestRowsMask(fakeOutputs, count)
  const perRow = tf.mean(tf.reshape(generatorLossTerms(loss, fakeOutputs), [rows, -1]), 1)
  return tf.div(tf.sum(tf.mul(perRow, mask)), tf.sum(mask))
}
