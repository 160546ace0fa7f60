/**
 * A line chart of series over a shared x (training steps): axes with round ticks, grid lines, a
 * legend, the y range fitted to the data. Long series are reduced to one mean per pixel column,
 * so a chart of 100,000 steps costs what one of a few hundred does.
 */
import { drawAxes, drawGrid, drawLegend, drawNote, frameOf, type Margins } from './frame.ts'
import { drawDots, drawPolyline } from './marks.ts'
import { extentOf, interval, type Interval } from './scale.ts'
import { clearSurface, type Surface } from './surface.ts'

/** One curve: its label and colour in the legend, and its values, one per x. */
export interface Series {
  readonly label: string
  readonly colour: string
  readonly values: ReadonlyArray<number>
}

/** A chart's title, axis labels, and optionally a fixed y range (fitted to the data otherwise). */
export interface LineChartOptions {
  readonly title: string
  readonly xLabel: string
  readonly yLabel: string
  readonly y?: Interval
  readonly margins?: Margins
  readonly emptyNote?: string
}

const defaultMargins: Margins = { left: 56, right: 14, top: 28, bottom: 38 }

/** Series this short get a dot at each value as well as the line. */
const fewPoints = 30

/** At most `columns` (x, mean y) pairs: the values averaged over equal runs of x. */
export const thinned = (xs: ReadonlyArray<number>, values: ReadonlyArray<number>, columns: number): Float32Array => {
  const n = Math.min(xs.length, values.length)
  const buckets = Math.min(n, Math.max(1, Math.floor(columns)))
  const out = new Float32Array(2 * buckets)
  for (let b = 0; b < buckets; b++) {
    const [start, end] = [Math.floor((b * n) / buckets), Math.floor(((b + 1) * n) / buckets)]
    let sum = 0
    let count = 0
    for (let i = start; i < end; i++)
      if (Number.isFinite(values[i]!)) {
        sum += values[i]!
        count++
      }
    out[2 * b] = xs[end - 1]!
    out[2 * b + 1] = count === 0 ? NaN : sum / count
  }
  return out
}

/** Draws `series` over `xs` on the whole surface. */
export const drawLineChart = (surface: Surface, xs: ReadonlyArray<number>, series: ReadonlyArray<Series>, options: LineChartOptions): void => {
  clearSurface(surface)
  const margins = options.margins ?? defaultMargins
  const columns = surface.width - margins.left - margins.right
  const lines = series.map((s) => ({ ...s, points: thinned(xs, s.values, columns) }))
  // Steps count from 0, and at least 10 wide so that ticks fall on whole steps.
  const x = interval(0, Math.max(10, xs.at(-1) ?? 0))
  const y = options.y ?? extentOf(lines.flatMap((l) => Array.from(l.points.filter((_, i) => i % 2 === 1))), 0.08)
  const frame = frameOf(surface, margins, x, y)
  const axes = { title: options.title, xLabel: options.xLabel, yLabel: options.yLabel, xTicks: 6, yTicks: 4 }
  drawGrid(frame, axes)
  for (const line of lines) {
    drawPolyline(frame, line.points, line.colour, 1.5)
    // A short series is a few points: mark them, or a single one would not show at all.
    if (xs.length <= fewPoints) drawDots(frame, line.points, { colour: line.colour, radius: 2.5 })
  }
  drawAxes(frame, axes)
  drawLegend(frame, series.map((s) => ({ label: s.label, colour: s.colour, mark: 'line' })), 'above')
  if (xs.length === 0 && options.emptyNote !== undefined) drawNote(frame, options.emptyNote)
}
