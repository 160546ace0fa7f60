/**
 * Content losses as tfjs ops (see `src/dsl/content.ts`).
 *
 * @since 0.1.0
 */
import type { ContentLoss, Perceptual } from '../dsl/content.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * What a content loss may look through: the discriminator's activations after a layer, and the
 * frozen networks of perceptual losses. `asConstant` marks inputs (the real targets) whose
 * gradient nobody needs.
 *
 * @since 0.1.0
 * @category model
 */
export interface ContentFeatures {
  readonly discriminator: (x: Tensor, layer: number, asConstant: boolean) => Tensor
  readonly frozen: (loss: Perceptual, x: Tensor, asConstant: boolean) => Tensor
}

const meanSquare = (a: Tensor, b: Tensor): Tensor => tf.mean(tf.square(tf.sub(a, b)))

/**
 * The content loss of a generated batch: against `target` (the paired targets, same shape) for
 * the pixel and perceptual losses; for feature matching, between the mean of the discriminator's
 * features on `target` (real examples, a constant) and on the generated batch.
 *
 * @since 0.1.0
 * @category compiler
 */
export const contentLossValue = (loss: ContentLoss, generated: Tensor, target: Tensor, features: ContentFeatures): Tensor => {
  switch (loss._tag) {
    case 'Mse':
      return meanSquare(generated, target)
    case 'L1':
      return tf.mean(tf.abs(tf.sub(generated, target)))
    case 'FeatureMatching': {
      const meanFeatures = (x: Tensor, asConstant: boolean) => {
        const f = features.discriminator(x, loss.layer, asConstant)
        return tf.mean(tf.reshape(f, [f.shape[0]!, -1]), 0)
      }
      return meanSquare(meanFeatures(target, true), meanFeatures(generated, false))
    }
    case 'Perceptual':
      return meanSquare(features.frozen(loss, generated, false), features.frozen(loss, target, true))
    case 'WeightedSum':
      return tf.addN(loss.terms.map((term) => tf.mul(contentLossValue(term.loss, generated, target, features), term.weight)))
  }
}
