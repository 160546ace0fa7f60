/**
 * Regularisers of the discriminator as data: penalties on the gradient of its output with
 * respect to its input, added to its loss. Each can be applied lazily (Karras et al., StyleGAN2):
 * computed every `every`-th discriminator update and scaled by `every`, so that its average
 * weight is unchanged and most updates skip the double backward pass.
 *
 * @since 0.1.0
 */
import { optionsOf } from './describe.ts'

/**
 * A regulariser added to the discriminator's loss, on the gradient of its output with respect to
 * its input; `every: n` applies it every n-th update, scaled by n.
 *
 * @since 0.1.0
 * @category model
 */
export type Penalty =
  /**
   * WGAN-GP (Gulrajani et al.): `weight`·E[(‖∇D(x̂)‖₂ − `target`)²] at x̂ = εx + (1 − ε)G(z), the
   * coefficient ε drawn uniform in [0, 1] per sample.
   */
  | { readonly _tag: 'GradientPenalty'; readonly weight: number; readonly target: number; readonly every: number }
  /** R1 (Mescheder et al.): (γ/2)·E[‖∇D(x)‖²] on real data. */
  | { readonly _tag: 'R1'; readonly gamma: number; readonly every: number }
  /** R2: (γ/2)·E[‖∇D(G(z))‖²] on generated data. */
  | { readonly _tag: 'R2'; readonly gamma: number; readonly every: number }

/**
 * The WGAN-GP penalty; the paper's λ = 10 and target 1 by default.
 *
 * @example
 * import { gradientPenalty } from 'ganfp'
 * gradientPenalty().weight // 10
 * @since 0.1.0
 * @category constructors
 */
export const gradientPenalty = (
  options: { readonly weight?: number; readonly target?: number; readonly every?: number } = {},
): Penalty => ({ _tag: 'GradientPenalty', weight: optionsOf(options).weight ?? 10, target: optionsOf(options).target ?? 1, every: optionsOf(options).every ?? 1 })

/**
 * The R1 penalty on real data.
 *
 * @example
 * import { r1 } from 'ganfp'
 * r1({ gamma: 10, every: 16 }).every // 16
 * @since 0.1.0
 * @category constructors
 */
export const r1 = (options: { readonly gamma?: number; readonly every?: number } = {}): Penalty => ({
  _tag: 'R1',
  gamma: optionsOf(options).gamma ?? 10,
  every: optionsOf(options).every ?? 1,
})

/**
 * The R2 penalty on generated data.
 *
 * @example
 * import { r2 } from 'ganfp'
 * r2()._tag // 'R2'
 * @since 0.1.0
 * @category constructors
 */
export const r2 = (options: { readonly gamma?: number; readonly every?: number } = {}): Penalty => ({
  _tag: 'R2',
  gamma: optionsOf(options).gamma ?? 10,
  every: optionsOf(options).every ?? 1,
})
