/**
 * A small raster canvas for plots and sample grids: RGBA bytes, discs and circles. Encoding it as
 * PNG is Node-side (src/node/png.ts), so the core draws without a codec.
 *
 * @since 0.1.0
 */

/**
 * An RGBA image being drawn.
 *
 * @since 0.1.0
 * @category model
 */
export interface Canvas {
  readonly width: number
  readonly height: number
  readonly rgba: Uint8Array
}

/**
 * A colour as [r, g, b] in 0..255.
 * @since 0.1.0
 * @category model
 */
export type Rgb = readonly [number, number, number]

/**
 * A canvas filled with one colour.
 *
 * @example
 * import { canvas } from 'ganfp'
 * canvas(4, 3, [255, 255, 255]).rgba.length // 48
 * @since 0.1.0
 * @category constructors
 */
export const canvas = (width: number, height: number, background: Rgb): Canvas => {
  const rgba = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) rgba.set([...background, 255], 4 * i)
  return { width, height, rgba }
}

/**
 * Paints a filled disc (pixels outside the canvas are ignored).
 *
 * @example
 * import { canvas, fillDisc } from 'ganfp'
 * const c = canvas(8, 8, [255, 255, 255]); fillDisc(c, 4, 4, 2, [0, 0, 0]); c.rgba[(4 * 8 + 4) * 4] // 0
 * @since 0.1.0
 * @category drawing
 */
export const fillDisc = (c: Canvas, cx: number, cy: number, radius: number, colour: Rgb): void => {
  // Bounds clamped to the canvas: a disc far outside it (or at ±∞) costs nothing.
  for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(c.height - 1, Math.ceil(cy + radius)); y++)
    for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(c.width - 1, Math.ceil(cx + radius)); x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2)
        c.rgba.set(colour, 4 * (y * c.width + x))
}

/**
 * Paints a circle's outline.
 *
 * @example
 * import { canvas, strokeCircle } from 'ganfp'
 * strokeCircle(canvas(16, 16, [255, 255, 255]), 8, 8, 5, [255, 0, 0])
 * @since 0.1.0
 * @category drawing
 */
export const strokeCircle = (c: Canvas, cx: number, cy: number, radius: number, colour: Rgb): void => {
  const steps = Math.max(16, Math.ceil(2 * Math.PI * radius * 2))
  for (let i = 0; i < steps; i++) {
    const x = Math.round(cx + radius * Math.cos((2 * Math.PI * i) / steps))
    const y = Math.round(cy + radius * Math.sin((2 * Math.PI * i) / steps))
    if (x >= 0 && y >= 0 && x < c.width && y < c.height) c.rgba.set(colour, 4 * (y * c.width + x))
  }
}
