/**
 * Adversarial losses as data. Both are computed from the discriminator's logits, never from
 * probabilities, so that saturated discriminators give finite losses and gradients.
 *
 * The discriminator's loss is sigmoid cross-entropy: mean over the real batch (target
 * `1 - labelSmoothing`, the one-sided smoothing of Salimans et al.) plus mean over the fake batch
 * (target 0).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category model
 */
export type GanLoss =
  /** Goodfellow et al.'s original game: the generator minimises log(1 − D(G(z))). */
  | { readonly _tag: 'Minimax'; readonly labelSmoothing: number }
  /** The generator maximises log D(G(z)) instead: same fixed point, strong early gradients. */
  | { readonly _tag: 'NonSaturating'; readonly labelSmoothing: number }

/**
 * @example
 * import { minimax } from 'ganfp'
 * minimax()._tag // 'Minimax'
 * @since 0.1.0
 * @category constructors
 */
export const minimax = (options: { readonly labelSmoothing?: number } = {}): GanLoss => ({
  _tag: 'Minimax',
  labelSmoothing: options.labelSmoothing ?? 0,
})

/**
 * The default loss.
 *
 * @example
 * import { nonSaturating } from 'ganfp'
 * nonSaturating({ labelSmoothing: 0.1 }).labelSmoothing // 0.1
 * @since 0.1.0
 * @category constructors
 */
export const nonSaturating = (options: { readonly labelSmoothing?: number } = {}): GanLoss => ({
  _tag: 'NonSaturating',
  labelSmoothing: options.labelSmoothing ?? 0,
})
