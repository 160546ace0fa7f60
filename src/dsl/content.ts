/**
 * Content losses as data: terms of the generator's loss that compare what it makes with a target
 * rather than asking the discriminator. Pixel losses compare G(input) with the target paired with
 * that input in the data (super-resolution: the high-resolution image for a low-resolution one);
 * feature matching (Salimans et al.) compares the mean of the discriminator's intermediate
 * features on real and generated batches, and needs no pairs.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category model
 */
export type ContentLoss =
  /** Mean squared error between G(input) and its paired target. */
  | { readonly _tag: 'Mse' }
  /** Mean absolute error between G(input) and its paired target. */
  | { readonly _tag: 'L1' }
  /**
   * ‖mean f(x) − mean f(G(z))‖² / d, f the discriminator's output after `layer` (an index into its
   * layers, before the last), d its size.
   */
  | { readonly _tag: 'FeatureMatching'; readonly layer: number }

/**
 * @example
 * import { mse } from 'ganfp'
 * mse()._tag // 'Mse'
 * @since 0.1.0
 * @category constructors
 */
export const mse = (): ContentLoss => ({ _tag: 'Mse' })

/**
 * @example
 * import { l1 } from 'ganfp'
 * l1()._tag // 'L1'
 * @since 0.1.0
 * @category constructors
 */
export const l1 = (): ContentLoss => ({ _tag: 'L1' })

/**
 * @example
 * import { featureMatching } from 'ganfp'
 * featureMatching({ layer: 2 }).layer // 2
 * @since 0.1.0
 * @category constructors
 */
export const featureMatching = (options: { readonly layer: number }): ContentLoss => ({ _tag: 'FeatureMatching', layer: options.layer })

/**
 * Whether a content loss compares with paired targets (so the data must carry pairs).
 *
 * @example
 * import { mse, featureMatching, needsPairs } from 'ganfp'
 * needsPairs(mse()) // true
 * needsPairs(featureMatching({ layer: 1 })) // false
 * @since 0.1.0
 * @category destructors
 */
export const needsPairs = (loss: ContentLoss): boolean => loss._tag === 'Mse' || loss._tag === 'L1'
