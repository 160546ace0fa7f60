/**
 * The 2-D Gaussian mixtures of protocol Q1 (PacGAN / VEEGAN): a ring of 8 modes and a grid of 25.
 *
 * @since 0.1.0
 */
import { fromLabelledSampler, fromSampler, type Dataset } from './dataset.ts'

/**
 * A mixture of equal-weight isotropic Gaussians in the plane.
 *
 * @since 0.1.0
 * @category model
 */
export interface Mixture2d {
  readonly name: string
  readonly modes: ReadonlyArray<readonly [number, number]>
  readonly std: number
}

/**
 * Q1 ring: 8 modes evenly spaced on the unit circle, standard deviation 0.01.
 *
 * @example
 * import { ringMixture } from 'ganfp'
 * ringMixture.modes.length // 8
 * @since 0.1.0
 * @category constructors
 */
export const ringMixture: Mixture2d = {
  name: 'ring',
  modes: Array.from({ length: 8 }, (_, i) => [Math.cos((2 * Math.PI * i) / 8), Math.sin((2 * Math.PI * i) / 8)] as const),
  std: 0.01,
}

/**
 * Q1 grid: 25 modes at {-4, -2, 0, 2, 4}², standard deviation 0.05.
 *
 * @example
 * import { gridMixture } from 'ganfp'
 * gridMixture.modes.length // 25
 * @since 0.1.0
 * @category constructors
 */
export const gridMixture: Mixture2d = {
  name: 'grid',
  modes: [-4, -2, 0, 2, 4].flatMap((x) => [-4, -2, 0, 2, 4].map((y) => [x, y] as const)),
  std: 0.05,
}

/**
 * Samples of a mixture as a dataset of 2-D points: a uniformly chosen mode plus Gaussian noise.
 *
 * @example
 * import { mixtureDataset, ringMixture } from 'ganfp'
 * mixtureDataset(ringMixture).exampleShape // [2]
 * @since 0.1.0
 * @category constructors
 */
export const mixtureDataset = (mixture: Mixture2d): Dataset =>
  fromSampler(mixture.name, [2], (batchSize, rng) => {
    const out = new Float32Array(batchSize * 2)
    for (let i = 0; i < batchSize; i++) {
      const [x, y] = mixture.modes[rng.int(mixture.modes.length)]!
      out[2 * i] = x + mixture.std * rng.normal()
      out[2 * i + 1] = y + mixture.std * rng.normal()
    }
    return out
  })

/**
 * Samples of a mixture labelled with their mode's index: the data of a conditional GAN that must
 * put each class in its own mode.
 *
 * @example
 * import { labelledMixtureDataset, ringMixture } from 'ganfp'
 * labelledMixtureDataset(ringMixture).numClasses // 8
 * @since 0.1.0
 * @category constructors
 */
export const labelledMixtureDataset = (mixture: Mixture2d): Dataset =>
  fromLabelledSampler(`${mixture.name}-labelled`, [2], mixture.modes.length, (batchSize, rng) => {
    const values = new Float32Array(batchSize * 2)
    const labels = new Int32Array(batchSize)
    for (let i = 0; i < batchSize; i++) {
      labels[i] = rng.int(mixture.modes.length)
      const [x, y] = mixture.modes[labels[i]!]!
      values[2 * i] = x + mixture.std * rng.normal()
      values[2 * i + 1] = y + mixture.std * rng.normal()
    }
    return { values, labels }
  })

/**
 * The Q1 ring as a dataset.
 * @example
 * import { ring } from 'ganfp'
 * ring().name // 'ring'
 * @since 0.1.0
 * @category constructors
 */
export const ring = (): Dataset => mixtureDataset(ringMixture)

/**
 * The Q1 grid as a dataset.
 * @example
 * import { grid } from 'ganfp'
 * grid().name // 'grid'
 * @since 0.1.0
 * @category constructors
 */
export const grid = (): Dataset => mixtureDataset(gridMixture)
