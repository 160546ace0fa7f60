/**
 * A plot frame: a rectangle of a surface with an x and a y interval mapped onto it, its axes,
 * ticks, grid lines, title and legend.
 */
import { formatTick, linearMap, tickStep, ticks, type Interval } from './scale.ts'
import { plotFont, type Surface } from './surface.ts'

/** A rectangle in CSS pixels. */
export interface Rect {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

/** Where values land on a surface: `toX`/`toY` map values to pixels, `fromX`/`fromY` back. */
export interface Frame {
  readonly surface: Surface
  readonly area: Rect
  readonly x: Interval
  readonly y: Interval
  readonly toX: (v: number) => number
  readonly toY: (v: number) => number
  readonly fromX: (px: number) => number
  readonly fromY: (py: number) => number
}

/** Space left around the plotting area for ticks, labels and the title. */
export interface Margins {
  readonly left: number
  readonly right: number
  readonly top: number
  readonly bottom: number
}

/** A frame filling `surface` less `margins` (or the rectangle `within`, less margins). */
export const frameOf = (surface: Surface, margins: Margins, x: Interval, y: Interval, within?: Rect): Frame => {
  const outer = within ?? { left: 0, top: 0, width: surface.width, height: surface.height }
  const area = {
    left: outer.left + margins.left,
    top: outer.top + margins.top,
    width: outer.width - margins.left - margins.right,
    height: outer.height - margins.top - margins.bottom,
  }
  const horizontal = { min: area.left, max: area.left + area.width }
  const vertical = { min: area.top + area.height, max: area.top }
  return {
    surface,
    area,
    x,
    y,
    toX: linearMap(x, horizontal),
    toY: linearMap(y, vertical),
    fromX: linearMap(horizontal, x),
    fromY: linearMap(vertical, y),
  }
}

/** Runs `draw` with drawing clipped to the frame's area. */
export const clipped = (frame: Frame, draw: (context: CanvasRenderingContext2D) => void): void => {
  const { context } = frame.surface
  const { left, top, width, height } = frame.area
  context.save()
  context.beginPath()
  context.rect(left, top, width, height)
  context.clip()
  draw(context)
  context.restore()
}

/** What the axes say: their labels, the title above, and about how many ticks each gets. */
export interface AxesOptions {
  readonly title?: string
  readonly xLabel?: string
  readonly yLabel?: string
  readonly xTicks?: number
  readonly yTicks?: number
  /** Light grid lines at the ticks (default true). */
  readonly grid?: boolean
}

const ink = '#333333'
const gridInk = '#e6e6e6'

/** Grid lines at the ticks, drawn first so that data lies over them. */
export const drawGrid = (frame: Frame, options: AxesOptions = {}): void => {
  const { context } = frame.surface
  const { left, top, width, height } = frame.area
  context.save()
  context.strokeStyle = gridInk
  context.lineWidth = 1
  context.beginPath()
  for (const v of ticks(frame.x, options.xTicks ?? 6)) {
    const px = Math.round(frame.toX(v)) + 0.5
    context.moveTo(px, top)
    context.lineTo(px, top + height)
  }
  for (const v of ticks(frame.y, options.yTicks ?? 5)) {
    const py = Math.round(frame.toY(v)) + 0.5
    context.moveTo(left, py)
    context.lineTo(left + width, py)
  }
  context.stroke()
  context.restore()
}

/** The frame's box, tick marks and labels, axis labels and title, drawn over the data. */
export const drawAxes = (frame: Frame, options: AxesOptions = {}): void => {
  const { context } = frame.surface
  const { left, top, width, height } = frame.area
  context.save()
  context.strokeStyle = ink
  context.fillStyle = ink
  context.lineWidth = 1
  context.strokeRect(left + 0.5, top + 0.5, width - 1, height - 1)
  context.font = plotFont(11)
  const xStep = tickStep(frame.x, options.xTicks ?? 6)
  context.textAlign = 'center'
  context.textBaseline = 'top'
  context.beginPath()
  for (const v of ticks(frame.x, options.xTicks ?? 6)) {
    const px = Math.round(frame.toX(v)) + 0.5
    context.moveTo(px, top + height)
    context.lineTo(px, top + height + 4)
    context.fillText(formatTick(v, xStep), px, top + height + 6)
  }
  const yStep = tickStep(frame.y, options.yTicks ?? 5)
  context.textAlign = 'right'
  context.textBaseline = 'middle'
  for (const v of ticks(frame.y, options.yTicks ?? 5)) {
    const py = Math.round(frame.toY(v)) + 0.5
    context.moveTo(left - 4, py)
    context.lineTo(left, py)
    context.fillText(formatTick(v, yStep), left - 6, py)
  }
  context.stroke()
  context.font = plotFont(12)
  if (options.xLabel !== undefined) {
    context.textAlign = 'center'
    context.textBaseline = 'bottom'
    context.fillText(options.xLabel, left + width / 2, Math.min(frame.surface.height - 2, top + height + 36))
  }
  if (options.yLabel !== undefined) {
    context.save()
    context.translate(Math.max(12, left - 44), top + height / 2)
    context.rotate(-Math.PI / 2)
    context.textAlign = 'center'
    context.textBaseline = 'middle'
    context.fillText(options.yLabel, 0, 0)
    context.restore()
  }
  if (options.title !== undefined) {
    context.font = plotFont(13, '600')
    context.textAlign = 'left'
    context.textBaseline = 'bottom'
    context.fillText(options.title, left, top - 6)
  }
  context.restore()
}

/** One legend row: a line, a dot or a swatch in `colour`, then `label`. */
export interface LegendEntry {
  readonly label: string
  readonly colour: string
  readonly mark: 'line' | 'dot' | 'swatch'
}

/**
 * A legend in a white box at the frame's top-right corner inside the area (`corner: 'top-left'`
 * for the other side), or in one row above the area at its right (`corner: 'above'`).
 */
export const drawLegend = (frame: Frame, entries: ReadonlyArray<LegendEntry>, corner: 'top-right' | 'top-left' | 'above' = 'top-right'): void => {
  const { context } = frame.surface
  context.save()
  context.font = plotFont(11)
  const rowHeight = 15
  const markWidth = 18
  const widths = entries.map((e) => markWidth + 4 + context.measureText(e.label).width)
  const mark = (entry: LegendEntry, x: number, y: number): void => {
    context.strokeStyle = entry.colour
    context.fillStyle = entry.colour
    if (entry.mark === 'line') {
      context.lineWidth = 2
      context.beginPath()
      context.moveTo(x, y)
      context.lineTo(x + markWidth, y)
      context.stroke()
    } else if (entry.mark === 'dot') {
      context.beginPath()
      context.arc(x + markWidth / 2, y, 3.5, 0, 2 * Math.PI)
      context.fill()
    } else context.fillRect(x + 3, y - 5, markWidth - 6, 10)
    context.fillStyle = ink
    context.textAlign = 'left'
    context.textBaseline = 'middle'
    context.fillText(entry.label, x + markWidth + 4, y)
  }
  if (corner === 'above') {
    const total = widths.reduce((a, b) => a + b + 12, -12)
    let x = frame.area.left + frame.area.width - total
    const y = frame.area.top - 12
    entries.forEach((entry, i) => {
      mark(entry, x, y)
      x += widths[i]! + 12
    })
  } else {
    const boxWidth = Math.max(...widths) + 12
    const boxHeight = entries.length * rowHeight + 8
    const x = corner === 'top-right' ? frame.area.left + frame.area.width - boxWidth - 6 : frame.area.left + 6
    const y = frame.area.top + 6
    context.fillStyle = 'rgba(255, 255, 255, 0.88)'
    context.strokeStyle = '#bbbbbb'
    context.lineWidth = 1
    context.fillRect(x, y, boxWidth, boxHeight)
    context.strokeRect(x + 0.5, y + 0.5, boxWidth - 1, boxHeight - 1)
    entries.forEach((entry, i) => mark(entry, x + 6, y + 4 + rowHeight / 2 + i * rowHeight))
  }
  context.restore()
}

/** A centred message in the frame's area (e.g. "no data yet"). */
export const drawNote = (frame: Frame, text: string): void => {
  const { context } = frame.surface
  context.save()
  context.font = plotFont(12)
  context.fillStyle = '#777777'
  context.textAlign = 'center'
  context.textBaseline = 'middle'
  context.fillText(text, frame.area.left + frame.area.width / 2, frame.area.top + frame.area.height / 2)
  context.restore()
}
