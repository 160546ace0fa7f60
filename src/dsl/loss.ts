/**
 * Adversarial losses as data. The discriminator's output is a raw score: a logit for the two log
 * losses (computed from logits, never probabilities, so that a saturated discriminator gives
 * finite losses and gradients), the critic's value for the others.
 *
 * The log losses' discriminator loss is sigmoid cross-entropy: mean over the real batch (target
 * `1 - labelSmoothing`, the one-sided smoothing of Salimans et al.) plus mean over the fake batch
 * (target 0).
 *
 * @since 0.1.0
 */
import { optionsOf } from './describe.ts'

/**
 * The adversarial game both networks play; the discriminator's last layer is a raw score (a logit
 * for the log losses).
 *
 * @since 0.1.0
 * @category model
 */
export type GanLoss =
  /** Goodfellow et al.'s original game: the generator minimises log(1 − D(G(z))). */
  | { readonly _tag: 'Minimax'; readonly labelSmoothing: number }
  /** The generator maximises log D(G(z)) instead: same fixed point, strong early gradients. */
  | { readonly _tag: 'NonSaturating'; readonly labelSmoothing: number }
  /** Mao et al.'s LSGAN (a = 0, b = c = 1): squared distances of the scores to 1 and 0. */
  | { readonly _tag: 'LeastSquares' }
  /**
   * Arjovsky et al.'s WGAN: the critic maximises E[D(x)] − E[D(G(z))]; with `weightClip`, its
   * weights are clipped to [−c, c] after every update (the original paper's Lipschitz bound).
   */
  | { readonly _tag: 'Wasserstein'; readonly weightClip: number | undefined }
  /** The hinge loss of Lim & Ye and Miyato et al.: D's margins at ±1, G maximises E[D(G(z))]. */
  | { readonly _tag: 'Hinge' }

/**
 * @example
 * import { minimax } from 'ganfp'
 * minimax()._tag // 'Minimax'
 * @since 0.1.0
 * @category constructors
 */
export const minimax = (options: { readonly labelSmoothing?: number } = {}): GanLoss => ({
  _tag: 'Minimax',
  labelSmoothing: optionsOf(options).labelSmoothing ?? 0,
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
  labelSmoothing: optionsOf(options).labelSmoothing ?? 0,
})

/**
 * LSGAN: D minimises ½E[(D(x) − 1)²] + ½E[D(G(z))²], G minimises ½E[(D(G(z)) − 1)²].
 *
 * @example
 * import { leastSquares } from 'ganfp'
 * leastSquares()._tag // 'LeastSquares'
 * @since 0.1.0
 * @category constructors
 */
export const leastSquares = (): GanLoss => ({ _tag: 'LeastSquares' })

/**
 * WGAN: the critic minimises E[D(G(z))] − E[D(x)], G minimises −E[D(G(z))]. The original recipe
 * clips the critic's weights (`weightClip: 0.01`); without a clip, pair it with a gradient
 * penalty.
 *
 * @example
 * import { wasserstein } from 'ganfp'
 * wasserstein({ weightClip: 0.01 }).weightClip // 0.01
 * @since 0.1.0
 * @category constructors
 */
export const wasserstein = (options: { readonly weightClip?: number } = {}): GanLoss => ({
  _tag: 'Wasserstein',
  weightClip: optionsOf(options).weightClip,
})

/**
 * Hinge: D minimises E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))], G minimises −E[D(G(z))].
 *
 * @example
 * import { hinge } from 'ganfp'
 * hinge()._tag // 'Hinge'
 * @since 0.1.0
 * @category constructors
 */
export const hinge = (): GanLoss => ({ _tag: 'Hinge' })

/**
 * Whether the discriminator's output is a logit (the log losses), so that σ of it is D's
 * probability; otherwise it is a critic score, reported as it is.
 *
 * @example
 * import { hinge, nonSaturating, outputIsLogit } from 'ganfp'
 * outputIsLogit(nonSaturating()) // true
 * outputIsLogit(hinge()) // false
 * @since 0.1.0
 * @category destructors
 */
export const outputIsLogit = (loss: GanLoss): boolean => loss._tag === 'Minimax' || loss._tag === 'NonSaturating'
