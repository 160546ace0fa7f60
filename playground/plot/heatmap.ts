/**
 * A heat map of values on a regular grid over a frame, and its colour bar.
 */
import { cssColour, type ColourMap } from './colour.ts'
import type { Frame, Rect } from './frame.ts'
import { formatTick, linearMap, tickStep, ticks, type Interval } from './scale.ts'
import { plotFont, type Surface } from './surface.ts'

/**
 * The grid points a heat map of `columns × rows` cells over `frame`'s intervals is computed at:
 * cell centres, row by row from the bottom, x then y interleaved.
 */
export const heatmapGrid = (x: Interval, y: Interval, columns: number, rows: number): Float32Array => {
  const points = new Float32Array(columns * rows * 2)
  for (let row = 0; row < rows; row++)
    for (let column = 0; column < columns; column++) {
      const i = row * columns + column
      points[2 * i] = x.min + ((column + 0.5) / columns) * (x.max - x.min)
      points[2 * i + 1] = y.min + ((row + 0.5) / rows) * (y.max - y.min)
    }
  return points
}

/**
 * Paints `values` (one per grid point of `heatmapGrid`, same order) over the frame's area, each
 * mapped through `domain` onto `colours`, smoothly interpolated between cells.
 */
export const drawHeatmap = (frame: Frame, values: ArrayLike<number>, columns: number, rows: number, colours: ColourMap, domain: Interval): void => {
  const cells = document.createElement('canvas')
  cells.width = columns
  cells.height = rows
  const cellContext = cells.getContext('2d')
  if (cellContext === null) return
  const image = cellContext.createImageData(columns, rows)
  const toUnit = linearMap(domain, { min: 0, max: 1 })
  for (let row = 0; row < rows; row++)
    for (let column = 0; column < columns; column++) {
      const [r, g, b] = colours(toUnit(values[row * columns + column]!))
      // Image rows run top-down; grid rows bottom-up.
      const o = 4 * ((rows - 1 - row) * columns + column)
      image.data[o] = r
      image.data[o + 1] = g
      image.data[o + 2] = b
      image.data[o + 3] = 255
    }
  cellContext.putImageData(image, 0, 0)
  const { context } = frame.surface
  context.save()
  context.imageSmoothingEnabled = true
  context.imageSmoothingQuality = 'high'
  context.drawImage(cells, frame.area.left, frame.area.top, frame.area.width, frame.area.height)
  context.restore()
}

/** A vertical colour bar in `rect` for `colours` over `domain`: ticks on its right, `label` above. */
export const drawColourBar = (surface: Surface, rect: Rect, colours: ColourMap, domain: Interval, label: string): void => {
  const { context } = surface
  const { left, top, width, height } = rect
  const bands = Math.max(2, Math.round(height))
  for (let i = 0; i < bands; i++) {
    context.fillStyle = cssColour(colours(1 - i / (bands - 1)))
    context.fillRect(left, top + (i * height) / bands, width, height / bands + 1)
  }
  const toY = linearMap(domain, { min: top + height, max: top })
  const step = tickStep(domain, 5)
  context.save()
  context.strokeStyle = '#333333'
  context.fillStyle = '#333333'
  context.lineWidth = 1
  context.strokeRect(left + 0.5, top + 0.5, width - 1, height - 1)
  context.font = plotFont(11)
  context.textAlign = 'left'
  context.textBaseline = 'middle'
  context.beginPath()
  for (const v of ticks(domain, 5)) {
    const py = Math.round(toY(v)) + 0.5
    context.moveTo(left + width, py)
    context.lineTo(left + width + 4, py)
    context.fillText(formatTick(v, step), left + width + 6, py)
  }
  context.stroke()
  context.font = plotFont(12)
  context.textAlign = 'left'
  context.textBaseline = 'bottom'
  context.fillText(label, left, top - 6)
  context.restore()
}
