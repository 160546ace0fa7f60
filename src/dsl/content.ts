/**
 * Content losses as data: terms of the generator's loss that compare what it makes with a target
 * rather than asking the discriminator. Pixel losses compare G(input) with the target paired with
 * that input in the data (super-resolution: the high-resolution image for a low-resolution one);
 * feature matching (Salimans et al.) compares the mean of the discriminator's intermediate
 * features on real and generated batches, and needs no pairs.
 *
 * @since 0.1.0
 */
import type { Network } from './network.ts'
import { optionsOf } from './describe.ts'

/**
 * A content term of the generator's loss: against paired targets (`mse`, `l1`), on the
 * discriminator's features (`featureMatching`) or on a frozen network's (`perceptual`).
 *
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
  | Perceptual
  /** Σ weight · term: several content losses in one phase. */
  | { readonly _tag: 'WeightedSum'; readonly terms: ReadonlyArray<{ readonly loss: ContentLoss; readonly weight: number }> }

/**
 * Trained weights of a frozen network, by parameter path (plain data: no tensors in the DSL).
 *
 * @since 0.1.0
 * @category model
 */
export type FrozenWeights = Readonly<Record<string, { readonly shape: ReadonlyArray<number>; readonly values: Float32Array }>>

/**
 * A perceptual loss (Johnson et al.; SRGAN's VGG loss): the mean squared difference between a
 * frozen network's activations after `layer` on G(input) and on its paired target. Inputs are
 * mapped by `x · inputScale + inputShift` first (a tanh generator's [−1, 1] to the network's
 * range).
 *
 * @since 0.1.0
 * @category model
 */
export interface Perceptual {
  readonly _tag: 'Perceptual'
  readonly network: Network
  readonly weights: FrozenWeights
  readonly layer: number
  readonly inputScale: number
  readonly inputShift: number
}

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
export const featureMatching = (options: { readonly layer: number }): ContentLoss => ({ _tag: 'FeatureMatching', layer: optionsOf(options).layer })

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
export const needsPairs = (loss: ContentLoss): boolean =>
  loss._tag === 'WeightedSum'
    ? Array.isArray(loss.terms) && loss.terms.some((t) => typeof t?.loss === 'object' && t.loss !== null && needsPairs(t.loss))
    : loss._tag === 'Mse' || loss._tag === 'L1' || loss._tag === 'Perceptual'

/**
 * A perceptual loss on a frozen network's features (see `Perceptual`); `layer` defaults to the
 * network's last.
 *
 * @example
 * import { perceptual, sequential, dense, relu } from 'ganfp'
 * const features = sequential([2], [dense(2), relu])
 * const weights = { 'layers[0].kernel': { shape: [2, 2], values: new Float32Array([1, 0, 0, 1]) }, 'layers[0].bias': { shape: [2], values: new Float32Array(2) } }
 * perceptual({ network: features, weights }).layer // 1
 * @since 0.1.0
 * @category constructors
 */
export const perceptual = (options: {
  readonly network: Network
  readonly weights: FrozenWeights
  readonly layer?: number
  readonly inputScale?: number
  readonly inputShift?: number
}): ContentLoss => ({
  _tag: 'Perceptual',
  network: optionsOf(options).network,
  weights: optionsOf(options).weights,
  // Without a network to count layers in, no default: the checks report the network.
  layer: optionsOf(options).layer ?? (Array.isArray(optionsOf(options).network?.layers) ? options.network.layers.length - 1 : (undefined as never)),
  inputScale: optionsOf(options).inputScale ?? 1,
  inputShift: optionsOf(options).inputShift ?? 0,
})

/**
 * Several content losses, weighted, as one.
 *
 * @example
 * import { weightedSum, mse, l1 } from 'ganfp'
 * weightedSum([[mse(), 1], [l1(), 0.5]]).terms.length // 2
 * @since 0.1.0
 * @category combinators
 */
export const weightedSum = (terms: ReadonlyArray<readonly [ContentLoss, number]>): ContentLoss & { readonly _tag: 'WeightedSum' } => ({
  _tag: 'WeightedSum',
  // Terms that are not pairs in a list are kept, for the checks to report.
  terms: Array.isArray(terms) ? terms.map((term) => ({ loss: (term as Partial<typeof term> | undefined)?.[0] as ContentLoss, weight: (term as Partial<typeof term> | undefined)?.[1] as number })) : (terms as never),
})

/**
 * Every perceptual loss inside a content loss (sums opened), for whoever holds their weights.
 *
 * @example
 * import { perceptualTerms, mse } from 'ganfp'
 * perceptualTerms(mse()).length // 0
 * @since 0.1.0
 * @category destructors
 */
export const perceptualTerms = (loss: ContentLoss | undefined): ReadonlyArray<Perceptual> =>
  loss === undefined ? [] : loss._tag === 'Perceptual' ? [loss] : loss._tag === 'WeightedSum' ? loss.terms.flatMap((t) => perceptualTerms(t.loss)) : []
