/**
 * The 2-D mode's plots: the data view (real and generated points over the discriminator's
 * decision surface, with its colour bar), the generator's warped latent grid, and the curves of
 * the losses and of D's outputs over the steps. Each draws a readout onto a surface; none reads
 * the networks itself.
 */
import { fakeToReal } from '../plot/colour.ts'
import { drawAxes, drawLegend, drawNote, frameOf, type Frame, type Margins } from '../plot/frame.ts'
import { drawColourBar, drawHeatmap } from '../plot/heatmap.ts'
import { drawLineChart } from '../plot/line-chart.ts'
import { drawDots, drawPolyline } from '../plot/marks.ts'
import { interval, type Interval } from '../plot/scale.ts'
import { clearSurface, type Surface } from '../plot/surface.ts'
import type { DataSource } from './data.ts'
import { scoreIsProbability } from './model.ts'
import type { History } from '../history.ts'
import { heatmapColumns, latentReach, manifoldLines, manifoldPoints, type Readout } from './session.ts'
import type { LossChoice } from './settings.ts'

/** The colours of the two kinds of points, in every view and legend. */
export const realColour = '#0b5d1e'
export const generatedColour = '#e8590c'

const latentColours = ['#1c5fb8', '#b8321c'] as const

/** The data view's margins: room on the right for the colour bar. */
export const dataViewMargins: Margins = { left: 46, right: 84, top: 30, bottom: 42 }

/** The data view's frame on `surface` for `source`'s view (both axes). */
export const dataFrame = (surface: Surface, source: DataSource): Frame => frameOf(surface, dataViewMargins, source.view, source.view)

/** Sorted copy's value at quantile `q`. */
const quantile = (sorted: Float32Array, q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!

/**
 * The values the heat map's colours span: [0, 1] for probabilities and LSGAN's targets; critic
 * scores have no fixed scale, so their 2nd–98th percentiles (symmetric about 0 for hinge, whose
 * margins are ±1).
 */
export const scoreDomain = (loss: LossChoice, scores: Float32Array): Interval => {
  if (scoreIsProbability(loss) || loss === 'leastSquares') return { min: 0, max: 1 }
  const sorted = Float32Array.from(scores).sort()
  const [low, high] = [quantile(sorted, 0.02), quantile(sorted, 0.98)]
  if (loss === 'hinge') {
    const reach = Math.max(Math.abs(low), Math.abs(high), 1e-3)
    return interval(-reach, reach)
  }
  return interval(low, high)
}

/** The colour bar's title for `loss`. */
const scoreLabel = (loss: LossChoice): string => (scoreIsProbability(loss) ? 'D(x)' : loss === 'wassersteinGp' ? 'critic' : 'D(x) score')

/** Real points, then generated ones, over D's decision surface, with axes, legend and colour bar. */
export const drawDataView = (surface: Surface, source: DataSource, loss: LossChoice, readout: Readout | undefined): void => {
  clearSurface(surface)
  const frame = dataFrame(surface, source)
  if (readout !== undefined) {
    const domain = scoreDomain(loss, readout.scores)
    drawHeatmap(frame, readout.scores, heatmapColumns, heatmapColumns, fakeToReal, domain)
    const bar = { left: frame.area.left + frame.area.width + 16, top: frame.area.top, width: 14, height: frame.area.height }
    drawColourBar(surface, bar, fakeToReal, domain, scoreLabel(loss))
  }
  // Real points last: the mixtures' modes are small and would vanish under the samples.
  if (readout !== undefined) drawDots(frame, readout.generated, { colour: generatedColour, radius: 1.6, alpha: 0.7 })
  const real = source.shown()
  drawDots(frame, real, { colour: realColour, radius: source.mixture === undefined ? 3 : 2, alpha: 0.9 })
  drawAxes(frame, { title: 'Data, samples and the discriminator', xLabel: 'x₁', yLabel: 'x₂', xTicks: 6, yTicks: 6 })
  drawLegend(frame, [
    { label: `real data${source.mixture === undefined ? ` (${real.length / 2} drawn)` : ''}`, colour: realColour, mark: 'dot' },
    { label: 'generated', colour: generatedColour, mark: 'dot' },
  ], 'top-left')
  if (source.mixture === undefined && real.length === 0) drawNote(frame, 'Click or drag here to draw points')
}

/** The manifold view's margins. */
const manifoldMargins: Margins = { left: 40, right: 12, top: 26, bottom: 36 }

/** The generator's image of the latent grid over faint real data. */
export const drawManifoldView = (surface: Surface, source: DataSource, readout: Readout | undefined): void => {
  clearSurface(surface)
  const frame = frameOf(surface, manifoldMargins, source.view, source.view)
  drawDots(frame, source.shown(), { colour: realColour, radius: 1.5, alpha: 0.3 })
  if (readout !== undefined) {
    const lineLength = 2 * manifoldPoints
    for (let line = 0; line < 2 * manifoldLines; line++) {
      const colour = latentColours[line < manifoldLines ? 0 : 1]
      drawPolyline(frame, readout.manifold.subarray(line * lineLength, (line + 1) * lineLength), colour, 1, 0.75)
    }
  }
  drawAxes(frame, { title: `G of the latent grid [−${latentReach}, ${latentReach}]²`, xLabel: 'x₁', yLabel: 'x₂', xTicks: 4, yTicks: 4 })
  drawLegend(frame, [
    { label: 'z₁ fixed', colour: latentColours[0], mark: 'line' },
    { label: 'z₂ fixed', colour: latentColours[1], mark: 'line' },
  ], 'top-left')
}

/** D's and G's losses over the steps. */
export const drawLossChart = (surface: Surface, history: History): void =>
  drawLineChart(
    surface,
    history.steps,
    [
      { label: 'D loss', colour: '#6a3d9a', values: history.discriminatorLoss },
      { label: 'G loss', colour: '#e8590c', values: history.generatorLoss },
    ],
    { title: 'Losses', xLabel: 'step', yLabel: 'loss', emptyNote: 'Train or step to see the losses' },
  )

/** Mean D(x) on real batches and D(G(z)) on generated ones over the steps. */
export const drawScoreChart = (surface: Surface, history: History, loss: LossChoice): void =>
  drawLineChart(
    surface,
    history.steps,
    [
      { label: 'D(x), real', colour: realColour, values: history.realScore },
      { label: 'D(G(z)), generated', colour: generatedColour, values: history.fakeScore },
    ],
    {
      title: 'Discriminator outputs',
      xLabel: 'step',
      yLabel: scoreIsProbability(loss) ? 'probability' : 'score',
      ...(scoreIsProbability(loss) ? { y: { min: 0, max: 1 } } : {}),
      emptyNote: 'Train or step to see D(x) and D(G(z))',
    },
  )
