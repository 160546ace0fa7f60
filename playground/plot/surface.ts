/**
 * A canvas sized in CSS pixels and drawn at the screen's pixel density, so that text and lines
 * stay sharp on high-density laptop screens.
 */

/** A 2-D canvas and its size in CSS pixels; drawing coordinates are CSS pixels too. */
export interface Surface {
  readonly canvas: HTMLCanvasElement
  readonly context: CanvasRenderingContext2D
  readonly width: number
  readonly height: number
}

/** The font every plot uses, at `size` CSS pixels. */
export const plotFont = (size = 12, weight = 'normal'): string =>
  `${weight} ${size}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`

/** Sizes `canvas` to `width × height` CSS pixels at the device's pixel ratio. */
export const surfaceOf = (canvas: HTMLCanvasElement, width: number, height: number): Surface => {
  const ratio = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1))
  canvas.width = Math.round(width * ratio)
  canvas.height = Math.round(height * ratio)
  canvas.style.width = `${width}px`
  canvas.style.height = `${height}px`
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('this browser gives no 2-D canvas context')
  context.setTransform(ratio, 0, 0, ratio, 0, 0)
  return { canvas, context, width, height }
}

/** Paints the whole surface white. */
export const clearSurface = ({ context, width, height }: Surface): void => {
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, width, height)
}
