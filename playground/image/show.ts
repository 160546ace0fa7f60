/**
 * What the image mode's main views show for the model of the moment, read and drawn: a checkpoint
 * of a built-in recipe (a sample grid and strips; one row per class for a CGAN; LR | bicubic | SR
 * | HR for an SRGAN; points for a 2-D run) or the page's own training run.
 */
import * as E from 'fp-ts/lib/Either.js'
import { gridMixture, ringMixture, type GanError } from '../../src/index.ts'
import type { LoadedRun } from './checkpoint.ts'
import { imageSlices, loadImageSlice, type SliceName } from './data-slice.ts'
import type { Shown } from './debug.ts'
import { makesImages, readPoints, readSampleGrid, readStrip, readSuperResolution, type Generator } from './readout.ts'
import { drawEmptyView, drawGridView, drawPointsView, drawStripView, drawSuperResolutionView, type Place } from './views.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** Samples per row of the grid (and rows, for an unconditional generator). */
const gridColumns = 8
/** Images along each interpolation strip. */
const stripSteps = 9
/** Held-out images super-resolved for an SRGAN run, and its factor. */
const superResolvedCount = 6
const superResolutionFactor = 4
/** Points drawn for a 2-D run. */
const pointCount = 2500

/** Where the model comes from: a loaded checkpoint, or the page's training run. */
export type Source = 'checkpoint' | 'train'

/** The sample controls' values. */
export interface SampleChoices {
  readonly seed: number
  readonly stripTo: number
  readonly stripClass: number
}

/** What to show, and where. */
export interface ShowRequest {
  readonly source: Source
  /** The generator to read: the checkpoint's sampler or the page's trainer (undefined: none yet). */
  readonly generator: Generator | undefined
  readonly run: LoadedRun | undefined
  readonly training: { readonly width: number; readonly step: number } | undefined
  readonly samples: SampleChoices
  readonly places: { readonly grid: Place; readonly strip: Place }
}

/** The shipped image set a run's images come from: Fashion-MNIST for a run on it, else MNIST. */
const sliceOf = (run: LoadedRun): SliceName => (run.config['dataset'] === 'fashion' ? 'fashion' : 'mnist')

/**
 * The names of a run's classes: its bundled set's, or for a run on a folder (whose class names stay
 * in the run directory's classes.json, not in the checkpoint) `class 0`, `class 1`, …
 */
export const classNamesOf = (run: LoadedRun | undefined): ReadonlyArray<string> | undefined => {
  if (run === undefined) return undefined
  if (run.config['dataset'] !== 'folder') return imageSlices[sliceOf(run)].classNames
  const classes = run.compiled.generator.labelClasses
  return classes === undefined ? undefined : Array.from({ length: classes }, (_, i) => `class ${i}`)
}

type Drawn = { readonly shown: Shown; readonly caption: string }

const showSuperResolution = async (request: ShowRequest, generator: Generator, run: LoadedRun): Promise<Result<Drawn>> => {
  const { samples, places } = request
  const step = run.contents.step
  const shape = generator.compiled.generator.outputShape
  if (run.config['dataset'] === 'folder' || shape[0] !== 28 || shape[1] !== 28 || shape[2] !== 1) {
    drawEmptyView(places.grid, `srgan at step ${step}`, [
      `This SRGAN makes ${shape.join('×')} images (a folder's crops);`,
      'the page ships 28×28 MNIST and Fashion-MNIST images only.',
    ])
    return E.right({ shown: { view: 'empty', source: 'checkpoint', recipe: 'srgan', step }, caption: '' })
  }
  const slice = sliceOf(run)
  const heldOut = await loadImageSlice(slice)
  if (E.isLeft(heldOut)) return heldOut
  const sr = await readSuperResolution(generator, heldOut.right, samples.seed, superResolvedCount, superResolutionFactor)
  if (E.isLeft(sr)) return sr
  drawSuperResolutionView(places.grid, sr.right, `srgan at step ${step}: ${superResolvedCount} held-out images, seed ${samples.seed}`)
  places.grid.canvas.setAttribute('aria-label', `Super-resolution of ${superResolvedCount} held-out images: LR | bicubic | SR | HR`)
  const set = slice === 'mnist' ? 'MNIST digits' : 'Fashion-MNIST images'
  const { bicubic, superResolved } = sr.right.psnr
  return E.right({
    shown: { view: 'super-resolution', source: 'checkpoint', recipe: 'srgan', step, superResolution: sr.right },
    caption: `Held-out ${set} (not in the recipe's training split), downsampled ×4 by area average as the recipe does. PSNR on these: bicubic ${bicubic.toFixed(2)} dB, SRGAN ${superResolved.toFixed(2)} dB.`,
  })
}

const showPoints = async (request: ShowRequest, generator: Generator): Promise<Result<Drawn>> => {
  const { samples, places, run } = request
  const points = await readPoints(generator, samples.seed, pointCount)
  if (E.isLeft(points)) return points
  const dataset = run?.config['dataset']
  const mixture = dataset === 'ring' ? ringMixture : dataset === 'grid' ? gridMixture : undefined
  const step = run?.contents.step ?? 0
  drawPointsView(places.grid, points.right, mixture, `${run?.recipe ?? 'run'} at step ${step}: samples from seed ${samples.seed}`)
  return E.right({ shown: { view: 'points', source: request.source, recipe: run?.recipe, step, points: points.right }, caption: 'A 2-D run: the 2-D mode trains one live.' })
}

const showGrid = async (request: ShowRequest, generator: Generator): Promise<Result<Drawn>> => {
  const { samples, places, run, source } = request
  const grid = await readSampleGrid(generator, samples.seed, gridColumns)
  if (E.isLeft(grid)) return grid
  const conditional = grid.right.labels !== undefined
  const label = conditional ? Math.min(samples.stripClass, (generator.compiled.generator.labelClasses ?? 1) - 1) : undefined
  const strip = await readStrip(generator, samples.seed, samples.stripTo, stripSteps, label)
  if (E.isLeft(strip)) return strip
  const names = source === 'checkpoint' ? classNamesOf(run) : undefined
  const step = source === 'checkpoint' ? (run?.contents.step ?? 0) : (request.training?.step ?? 0)
  const what = source === 'checkpoint' ? `${run?.recipe} at step ${step}` : `MNIST DCGAN (width ${request.training?.width}) at step ${step}`
  const layout = conditional ? `${gridColumns} per class, one row per class` : `${gridColumns}×${gridColumns} samples`
  drawGridView(places.grid, grid.right, `${what}: ${layout}, seed ${samples.seed}`, names)
  places.grid.canvas.setAttribute('aria-label', conditional ? `Samples, one row per class: ${(names ?? []).join(', ')}` : 'Sample grid')
  drawStripView(places.strip, strip.right, names)
  places.strip.canvas.hidden = false
  const averaged = generator.compiled.spec.schedule.generatorAverageDecay !== undefined
  const caption =
    source === 'checkpoint'
      ? `From the generator's ${averaged ? 'moving average' : 'weights'}, latents from seed ${samples.seed}: what ganfp sample --seed ${samples.seed} draws.`
      : `From the moving average of the generator (decay up to 0.999) at step ${step}; redrawn about once a second while training.`
  return E.right({ shown: { view: 'grid', source, recipe: source === 'checkpoint' ? run?.recipe : 'dcgan', step, grid: grid.right, strip: strip.right }, caption })
}

/** Reads what the views show from the request's generator and draws it; returns what was shown and the caption. */
export const showViews = async (request: ShowRequest): Promise<Result<Drawn>> => {
  const { source, generator, run, places } = request
  places.strip.canvas.hidden = true
  places.grid.canvas.setAttribute('aria-label', 'Samples')
  if (generator === undefined) {
    const lines =
      source === 'checkpoint'
        ? ['Load a checkpoint of ganfp train dcgan, cgan or srgan:', 'pick its files or give its URL (on the left).']
        : ['Starting the training run…']
    drawEmptyView(places.grid, source === 'checkpoint' ? 'No checkpoint loaded' : 'MNIST DCGAN', lines)
    return E.right({ shown: { view: 'empty', source }, caption: '' })
  }
  if (source === 'checkpoint' && run?.recipe === 'srgan') return showSuperResolution(request, generator, run)
  if (!makesImages(generator)) return showPoints(request, generator)
  return showGrid(request, generator)
}
