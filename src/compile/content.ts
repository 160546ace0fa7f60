/**
 * Content losses as tfjs ops (see `src/dsl/content.ts`).
 *
 * @since 0.1.0
 */
import type { ContentLoss } from '../dsl/content.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * The content loss of a generated batch: against `target` (the paired targets, same shape) for
 * the pixel losses; for feature matching, between the mean of `features(real)` (a constant) and
 * of `features(generated)`.
 *
 * @since 0.1.0
 * @category compiler
 */
export const contentLossValue = (
  loss: ContentLoss,
  generated: Tensor,
  real: Tensor,
  features: (x: Tensor, asConstant: boolean) => Tensor,
): Tensor => {
  switch (loss._tag) {
    case 'Mse':
      return tf.mean(tf.square(tf.sub(generated, real)))
    case 'L1':
      return tf.mean(tf.abs(tf.sub(generated, real)))
    case 'FeatureMatching': {
      const meanFeatures = (x: Tensor, asConstant: boolean) => {
        const f = features(x, asConstant)
        return tf.mean(tf.reshape(f, [f.shape[0]!, -1]), 0)
      }
      return tf.mean(tf.square(tf.sub(meanFeatures(real, true), meanFeatures(generated, false))))
    }
  }
}
