/**
 * The real data of the 2-D mode: Q1's ring or grid, or points drawn with the mouse; the square
 * view each is shown in, and the points the page draws as "real data".
 */
import { fromSampler, gridMixture, mixtureDataset, ringMixture, Rng, type Dataset, type Mixture2d } from '../../src/index.ts'
import { interval, type Interval } from '../plot/scale.ts'
import type { DataChoice } from './settings.ts'

/** Real data as the page uses it: the dataset to train on, and what to show and score. */
export interface DataSource {
  readonly choice: DataChoice
  readonly dataset: Dataset
  /** The mixture Q1 scores against; undefined for drawn points, where Q1 does not apply. */
  readonly mixture: Mixture2d | undefined
  /** Both axes of the square view. */
  readonly view: Interval
  /** Real points to draw now (x, y interleaved). */
  readonly shown: () => Float32Array
}

/** The drawn points' view: the mouse adds points inside it. */
export const drawnView: Interval = interval(-1.5, 1.5)

/** The standard deviation of the noise around each drawn point in a training batch. */
export const drawnJitter = 0.02

const mixtureSample = (mixture: Mixture2d, n: number, seed: number): Float32Array => {
  const rng = Rng.fromSeed(seed)
  const out = new Float32Array(2 * n)
  for (let i = 0; i < n; i++) {
    const [x, y] = mixture.modes[rng.int(mixture.modes.length)]!
    out[2 * i] = x + mixture.std * rng.normal()
    out[2 * i + 1] = y + mixture.std * rng.normal()
  }
  return out
}

/**
 * A dataset of the points `current()` returns when a batch is drawn (x, y interleaved): a point
 * chosen uniformly plus Gaussian noise of `drawnJitter`, so that points added while training
 * join the data at once.
 */
export const drawnDataset = (current: () => Float32Array): Dataset =>
  fromSampler('drawn', [2], (batchSize, rng) => {
    const points = current()
    const count = points.length / 2
    const out = new Float32Array(batchSize * 2)
    for (let i = 0; i < batchSize; i++) {
      const k = count === 0 ? -1 : rng.int(count)
      out[2 * i] = (k < 0 ? 0 : points[2 * k]!) + drawnJitter * rng.normal()
      out[2 * i + 1] = (k < 0 ? 0 : points[2 * k + 1]!) + drawnJitter * rng.normal()
    }
    return out
  })

/** The data for `choice`; `drawn()` gives the drawn points for the drawn choice. */
export const dataSourceFor = (choice: DataChoice, drawn: () => Float32Array, seed: number): DataSource => {
  const ofMixture = (mixture: Mixture2d, view: Interval, shown: number): DataSource => {
    const points = mixtureSample(mixture, shown, seed)
    return { choice, dataset: mixtureDataset(mixture), mixture, view, shown: () => points }
  }
  switch (choice) {
    case 'ring':
      return ofMixture(ringMixture, interval(-1.6, 1.6), 1000)
    case 'grid':
      return ofMixture(gridMixture, interval(-5.5, 5.5), 1500)
    case 'drawn':
      return { choice, dataset: drawnDataset(drawn), mixture: undefined, view: drawnView, shown: drawn }
  }
}
