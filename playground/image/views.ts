/**
 * The image mode's drawings: the sample grid (rows labelled by class for a conditional GAN), the
 * interpolation strips, SRGAN's LR | bicubic | SR | HR columns, a 2-D run's points over its
 * mixture's modes, and the run's details as text. Each draws what readout.ts read; none reads a
 * network itself.
 */
import type { Mixture2d } from '../../src/index.ts'
import { drawAxes, drawLegend, frameOf } from '../plot/frame.ts'
import { drawDots } from '../plot/marks.ts'
import { interval } from '../plot/scale.ts'
import { clearSurface, surfaceOf } from '../plot/surface.ts'
import { drawImageTable, drawMessage, drawTitle, gridRows, type Cell, type Images } from './image-table.ts'
import type { Points, SampleGrid, Strip, SuperResolution } from './readout.ts'

/** Where a view draws: its canvas, its width, and the most height it may take (tables take what they need). */
export interface Place {
  readonly canvas: HTMLCanvasElement
  readonly width: number
  readonly maxHeight: number
}

/** An empty view: its title and a message in the middle. */
export const drawEmptyView = (place: Place, title: string, lines: ReadonlyArray<string>): void => {
  const surface = surfaceOf(place.canvas, place.width, Math.min(place.maxHeight, 260))
  clearSurface(surface)
  drawTitle(surface, title)
  drawMessage(surface, lines)
}

/** The sample grid; a conditional generator's rows are its classes, labelled with `classNames`. */
export const drawGridView = (place: Place, grid: SampleGrid, title: string, classNames: ReadonlyArray<string> | undefined): void => {
  const rows = gridRows(grid.images, grid.columns)
  drawImageTable(place.canvas, place.width, place.maxHeight, {
    title,
    rows,
    ...(grid.labels === undefined ? {} : { rowLabels: rows.map((_, r) => classNames?.[r] ?? `class ${r}`) }),
    largestScale: 3,
  })
}

const stripRow = (images: Images): ReadonlyArray<Cell> => Array.from({ length: images.count }, (_, index) => ({ images, index }))

/** The two interpolation strips, spherical above linear. */
export const drawStripView = (place: Place, strip: Strip, classNames: ReadonlyArray<string> | undefined): void => {
  const label = strip.label === undefined ? '' : `, class ${classNames?.[strip.label] ?? strip.label}`
  drawImageTable(place.canvas, place.width, place.maxHeight, {
    title: `Latent interpolation: seed ${strip.from} → seed ${strip.to}${label}`,
    rows: [stripRow(strip.spherical.images), stripRow(strip.linear.images)],
    rowLabels: ['spherical', 'linear'],
    largestScale: 2,
  })
}

/** Held-out images as SRGAN sees and makes them: LR (its input), bicubic ×4, SR, HR. */
export const drawSuperResolutionView = (place: Place, sr: SuperResolution, title: string): void => {
  const columns = [sr.low, sr.bicubic, sr.superResolved, sr.high]
  drawImageTable(place.canvas, place.width, place.maxHeight, {
    title,
    rows: Array.from({ length: sr.high.count }, (_, index) => columns.map((images) => ({ images, index }))),
    columnLabels: [`LR ${sr.low.height}×${sr.low.width}`, 'bicubic ×4', 'SR (SRGAN)', `HR ${sr.high.height}×${sr.high.width}`],
    largestScale: 3,
  })
}

const sampleColour = '#e8590c'
const modeColour = '#0b5d1e'

/** A 2-D run's samples over its mixture's modes (each a circle of 3σ), or alone. */
export const drawPointsView = (place: Place, points: Points, mixture: Mixture2d | undefined, title: string): void => {
  const side = Math.min(place.width, place.maxHeight)
  const surface = surfaceOf(place.canvas, place.width, side)
  clearSurface(surface)
  const reach = mixture === undefined ? 2 : Math.max(...mixture.modes.flatMap(([x, y]) => [Math.abs(x), Math.abs(y)])) * 1.4
  const view = interval(-reach, reach)
  // A square plotting area: as wide as it is high.
  const frame = frameOf(surface, { left: 50, right: 24 + place.width - side, top: 30, bottom: 44 }, view, view)
  drawDots(frame, points.outputs, { colour: sampleColour, radius: 1.5, alpha: 0.6 })
  if (mixture !== undefined) {
    const { context } = surface
    context.save()
    context.strokeStyle = modeColour
    context.lineWidth = 1.5
    for (const [x, y] of mixture.modes) {
      context.beginPath()
      context.arc(frame.toX(x), frame.toY(y), Math.abs(frame.toX(3 * mixture.std) - frame.toX(0)), 0, 2 * Math.PI)
      context.stroke()
    }
    context.restore()
  }
  drawAxes(frame, { title, xLabel: 'x₁', yLabel: 'x₂', xTicks: 6, yTicks: 6 })
  drawLegend(
    frame,
    [
      { label: `${points.outputs.length / 2} samples`, colour: sampleColour, mark: 'dot' },
      ...(mixture === undefined ? [] : [{ label: 'modes (3σ)', colour: modeColour, mark: 'line' as const }]),
    ],
    'top-left',
  )
}

/** A value of the run's configuration as text. */
const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

/** The run's details as term and description pairs. */
export const fillDetails = (list: HTMLElement, pairs: ReadonlyArray<readonly [string, unknown]>): void => {
  list.replaceChildren(
    ...pairs.flatMap(([term, value]) => {
      const dt = document.createElement('dt')
      dt.textContent = term
      const dd = document.createElement('dd')
      dd.textContent = shown(value)
      return [dt, dd]
    }),
  )
}
