/**
 * Images drawn on a canvas as a table: a title, optional column headings and row labels, each
 * image scaled up by whole or half pixels with no smoothing (a 28×28 digit stays crisp), or down,
 * smoothed, where large images do not fit (a folder run's 128×128 colour samples). The
 * sample grid, the interpolation strip and SRGAN's LR | SR | HR columns are all tables.
 */
import { plotFont, surfaceOf, type Surface } from '../plot/surface.ts'

/** Images in [0, 1], channels last (1 or 3 channels), `count` of them back to back. */
export interface Images {
  readonly values: Float32Array
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
}

/** One cell: image `index` of `images`. */
export interface Cell {
  readonly images: Images
  readonly index: number
}

/** What a table shows: rows of cells (all of one size), a title and optional headings. */
export interface ImageTable {
  readonly title: string
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
  readonly rowLabels?: ReadonlyArray<string>
  readonly columnLabels?: ReadonlyArray<string>
  /** The largest scale to draw at (default 4); the table shrinks below it to fit. */
  readonly largestScale?: number
}

const gap = 3
const titleHeight = 26
const headingHeight = 18
const rowLabelGap = 8
const ink = '#333333'

/** A cell's image as an offscreen canvas at its own size (drawImage then scales it). */
const imageCanvas = (() => {
  const scratch = document.createElement('canvas')
  return ({ images, index }: Cell): HTMLCanvasElement => {
    const { height, width, channels, values } = images
    scratch.width = width
    scratch.height = height
    const context = scratch.getContext('2d')!
    const data = context.createImageData(width, height)
    const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)))
    for (let p = 0; p < height * width; p++) {
      const at = (index * height * width + p) * channels
      const [r, g, b] = channels === 3 ? [values[at]!, values[at + 1]!, values[at + 2]!] : [values[at]!, values[at]!, values[at]!]
      data.data.set([byte(r), byte(g), byte(b), 255], 4 * p)
    }
    context.putImageData(data, 0, 0)
    return scratch
  }
})()

/** The title line, left-aligned at the top. */
export const drawTitle = (surface: Surface, title: string, left = 10): void => {
  const { context } = surface
  context.save()
  context.font = plotFont(13, '600')
  context.fillStyle = ink
  context.textAlign = 'left'
  context.textBaseline = 'middle'
  context.fillText(title, left, titleHeight / 2 + 2)
  context.restore()
}

/** A grey message centred in the surface below the title. */
export const drawMessage = (surface: Surface, lines: ReadonlyArray<string>): void => {
  const { context } = surface
  context.save()
  context.font = plotFont(13)
  context.fillStyle = '#666666'
  context.textAlign = 'center'
  context.textBaseline = 'middle'
  const middle = titleHeight + (surface.height - titleHeight) / 2
  lines.forEach((line, i) => context.fillText(line, surface.width / 2, middle + (i - (lines.length - 1) / 2) * 20))
  context.restore()
}

/** Where a table's parts go at the largest scale that fits. */
interface TableLayout {
  readonly scale: number
  readonly cellWidth: number
  readonly cellHeight: number
  readonly labelWidth: number
  readonly top: number
  /** The height the table needs, title included. */
  readonly height: number
}

/**
 * The largest scale at which `table` fits `width` × `maxHeight`: at most `largestScale`, in steps
 * of a half down to 1, then halved down to 1/8. Cells take the largest image's size: a smaller
 * image (SRGAN's input) is scaled up to fill its cell.
 */
const layoutOf = (context: CanvasRenderingContext2D, table: ImageTable, width: number, maxHeight: number): TableLayout => {
  const cells = table.rows.flat()
  const [height, imageWidth] = [Math.max(1, ...cells.map((c) => c.images.height)), Math.max(1, ...cells.map((c) => c.images.width))]
  const columns = Math.max(1, ...table.rows.map((r) => r.length))
  context.save()
  context.font = plotFont(12)
  const labelWidth = table.rowLabels === undefined ? 0 : Math.max(...table.rowLabels.map((l) => context.measureText(l).width)) + rowLabelGap
  context.restore()
  const top = titleHeight + (table.columnLabels === undefined ? 4 : headingHeight + 4)
  const rows = table.rows.length
  const fits = (scale: number) => labelWidth + columns * (imageWidth * scale + gap) <= width - 12 && top + rows * (height * scale + gap) + 4 <= maxHeight
  let scale = table.largestScale ?? 4
  while (scale > 1 && !fits(scale)) scale -= 0.5
  while (scale > 1 / 8 && !fits(scale)) scale /= 2
  return { scale, cellWidth: imageWidth * scale, cellHeight: height * scale, labelWidth, top, height: top + rows * (height * scale + gap) + 6 }
}

/**
 * Sizes `canvas` to `width` and the height `table` needs (at most `maxHeight`), and draws the
 * table centred on it at the largest scale that fits; returns the surface.
 */
export const drawImageTable = (canvas: HTMLCanvasElement, width: number, maxHeight: number, table: ImageTable): Surface => {
  const measure = canvas.getContext('2d')!
  const layout = layoutOf(measure, table, width, maxHeight)
  const surface = surfaceOf(canvas, width, Math.min(maxHeight, Math.ceil(layout.height)))
  const { context } = surface
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, surface.width, surface.height)
  drawTitle(surface, table.title)
  const { cellWidth, cellHeight, labelWidth, top } = layout
  const columns = Math.max(1, ...table.rows.map((r) => r.length))
  const tableWidth = labelWidth + columns * (cellWidth + gap) - gap
  const left = Math.round((surface.width - tableWidth) / 2) + labelWidth
  context.save()
  // Crisp pixels when scaling up; smoothing when scaling down, where dropping pixels would alias.
  context.imageSmoothingEnabled = layout.scale < 1
  table.rows.forEach((row, r) =>
    row.forEach((cell, c) => context.drawImage(imageCanvas(cell), left + c * (cellWidth + gap), top + r * (cellHeight + gap), cellWidth, cellHeight)),
  )
  context.fillStyle = ink
  context.font = plotFont(12)
  context.textBaseline = 'middle'
  context.textAlign = 'right'
  table.rowLabels?.forEach((label, r) => context.fillText(label, left - rowLabelGap, top + r * (cellHeight + gap) + cellHeight / 2))
  context.textAlign = 'center'
  context.textBaseline = 'bottom'
  table.columnLabels?.forEach((label, c) => context.fillText(label, left + c * (cellWidth + gap) + cellWidth / 2, top - 4))
  context.restore()
  return surface
}

/** `count` cells of `images` in rows of `columns`. */
export const gridRows = (images: Images, columns: number): ReadonlyArray<ReadonlyArray<Cell>> =>
  Array.from({ length: Math.ceil(images.count / columns) }, (_, r) =>
    Array.from({ length: Math.min(columns, images.count - r * columns) }, (_, c) => ({ images, index: r * columns + c })),
  )
