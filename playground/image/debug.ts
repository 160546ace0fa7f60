/**
 * What the image mode shows, for tests and curious people in the console:
 * `ganfpPlayground.image.shown()` returns the generator's raw outputs behind the views (the grid,
 * the strips, the super-resolved images, the points) as plain arrays.
 */
import type { Points, SampleGrid, Strip, SuperResolution } from './readout.ts'

/** The views' contents at the last refresh. */
export interface Shown {
  readonly view: 'empty' | 'grid' | 'super-resolution' | 'points'
  readonly source: 'checkpoint' | 'train'
  readonly recipe?: string | undefined
  readonly step?: number
  readonly grid?: SampleGrid
  readonly strip?: Strip
  readonly superResolution?: SuperResolution
  readonly points?: Points
}

const plain = (values: ArrayLike<number>): Array<number> => Array.from(values)

/** `shown` as plain data (arrays of numbers), what `page.evaluate` can hand back. */
const asPlainData = (shown: Shown) => ({
  view: shown.view,
  source: shown.source,
  recipe: shown.recipe,
  step: shown.step,
  grid: shown.grid && { seed: shown.grid.seed, columns: shown.grid.columns, outputs: plain(shown.grid.outputs), labels: shown.grid.labels && plain(shown.grid.labels) },
  strip: shown.strip && {
    from: shown.strip.from,
    to: shown.strip.to,
    label: shown.strip.label,
    spherical: { latents: plain(shown.strip.spherical.latents), outputs: plain(shown.strip.spherical.outputs) },
    linear: { latents: plain(shown.strip.linear.latents), outputs: plain(shown.strip.linear.outputs) },
  },
  superResolution: shown.superResolution && {
    seed: shown.superResolution.seed,
    indices: shown.superResolution.indices,
    inputs: plain(shown.superResolution.inputs),
    outputs: plain(shown.superResolution.outputs),
    high: plain(shown.superResolution.high.values),
    psnr: shown.superResolution.psnr,
  },
  points: shown.points && plain(shown.points.outputs),
})

/** Adds `image.shown()` to the page's `ganfpPlayground` hook. */
export const exposeShown = (current: () => Shown): void => {
  const hook = ((globalThis as { ganfpPlayground?: Record<string, unknown> }).ganfpPlayground ??= {})
  hook['image'] = { shown: () => asPlainData(current()) }
}
