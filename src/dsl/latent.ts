/**
 * The latent distribution the generator samples from.
 *
 * @since 0.1.0
 */
import { optionsOf } from './describe.ts'

/**
 * Where the generator's input comes from: a normal or uniform latent of `dim` values per sample,
 * or the data's paired inputs.
 *
 * @since 0.1.0
 * @category model
 */
export type Latent =
  | { readonly _tag: 'Normal'; readonly dim: number; readonly mean: number; readonly std: number }
  | { readonly _tag: 'Uniform'; readonly dim: number; readonly low: number; readonly high: number }
  /**
   * No sampled latent: the generator's input is the input half of each (input, target) pair in
   * the data (a dataset with `pairedInputShape`), as in super-resolution.
   */
  | { readonly _tag: 'Paired' }

/**
 * A `dim`-dimensional Gaussian latent.
 *
 * @example
 * import { normalLatent } from 'ganfp'
 * normalLatent(100) // { _tag: 'Normal', dim: 100, mean: 0, std: 1 }
 *
 * @since 0.1.0
 * @category constructors
 */
export const normalLatent = (
  dim: number,
  options: { readonly mean?: number; readonly std?: number } = {},
): Latent => ({ _tag: 'Normal', dim, mean: optionsOf(options).mean ?? 0, std: optionsOf(options).std ?? 1 })

/**
 * A `dim`-dimensional uniform latent on [low, high).
 *
 * @example
 * import { uniformLatent } from 'ganfp'
 * uniformLatent(1, { low: 0, high: 1 }).high // 1
 *
 * @since 0.1.0
 * @category constructors
 */
export const uniformLatent = (
  dim: number,
  options: { readonly low?: number; readonly high?: number } = {},
): Latent => ({ _tag: 'Uniform', dim, low: optionsOf(options).low ?? -1, high: optionsOf(options).high ?? 1 })

/**
 * The generator's input comes from the data: each batch carries inputs paired with its targets.
 *
 * @example
 * import { pairedInput } from 'ganfp'
 * pairedInput()._tag // 'Paired'
 * @since 0.1.0
 * @category constructors
 */
export const pairedInput = (): Latent => ({ _tag: 'Paired' })
