/**
 * Differentiable augmentation as data (DiffAugment, Zhao et al. 2020, "Differentiable
 * Augmentation for Data-Efficient GAN Training"): the same random transformations applied to
 * every image the discriminator sees, real or generated, in both players' updates, so that D
 * cannot memorise a small data set and G's gradient flows back through the transformation.
 *
 * @since 0.3.0
 */
import { optionsOf } from './describe.ts'

/**
 * Which transformations DiffAugment applies, in the reference implementation's order: colour
 * (random brightness, saturation and contrast), translation (a shift of up to ±`translation` of
 * the image's height and width, zero-padded), cutout (a zeroed square of `cutout` of the image's
 * size). Each draw is per example. Images are `[h, w, c]` in [−1, 1].
 *
 * @since 0.3.0
 * @category model
 */
export interface DiffAugment {
  readonly _tag: 'DiffAugment'
  /** Random brightness (+U[−0.5, 0.5]), saturation (×U[0, 2]) and contrast (×U[0.5, 1.5]). */
  readonly color: boolean
  /** The largest shift, as a fraction of the image's size, in [0, 1]; 0 is off (the paper: 0.125). */
  readonly translation: number
  /** The zeroed square's side, as a fraction of the image's size, in [0, 1]; 0 is off (the paper: 0.5). */
  readonly cutout: number
}

/**
 * DiffAugment's transformations; the defaults are the paper's 'color,translation,cutout' policy.
 *
 * @example
 * import { diffAugment } from 'ganfp'
 * diffAugment().translation // 0.125
 * diffAugment({ color: false, cutout: 0 }).cutout // 0
 * @since 0.3.0
 * @category constructors
 */
export const diffAugment = (
  options: { readonly color?: boolean; readonly translation?: number; readonly cutout?: number } = {},
): DiffAugment => ({
  _tag: 'DiffAugment',
  color: optionsOf(options).color ?? true,
  translation: optionsOf(options).translation ?? 0.125,
  cutout: optionsOf(options).cutout ?? 0.5,
})
