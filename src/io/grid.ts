/**
 * A grid of images as one canvas: how sample sheets are drawn.
 *
 * @since 0.1.0
 */
import { canvas, type Canvas } from './canvas.ts'

/**
 * Lays out `count` images (values in [0, 1], `height × width × channels` each, channels 1 or 3)
 * in rows of `columns`, with a 2-pixel gutter.
 *
 * @example
 * import { imageGrid } from 'ganfp'
 * imageGrid(new Float32Array(4 * 28 * 28), { count: 4, height: 28, width: 28, channels: 1, columns: 2 }).width // 62
 *
 * @since 0.1.0
 * @category drawing
 */
export const imageGrid = (
  images: ArrayLike<number>,
  layout: { readonly count: number; readonly height: number; readonly width: number; readonly channels: number; readonly columns: number },
): Canvas => {
  const { count, height, width, channels, columns } = layout
  const gutter = 2
  const rows = Math.ceil(count / columns)
  const c = canvas(columns * (width + gutter) + gutter, rows * (height + gutter) + gutter, [40, 40, 40])
  const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)))
  for (let n = 0; n < count; n++) {
    const top = gutter + Math.floor(n / columns) * (height + gutter)
    const left = gutter + (n % columns) * (width + gutter)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const at = ((n * height + y) * width + x) * channels
        const rgb = channels === 3 ? [images[at]!, images[at + 1]!, images[at + 2]!] : [images[at]!, images[at]!, images[at]!]
        c.rgba.set([byte(rgb[0]!), byte(rgb[1]!), byte(rgb[2]!), 255], 4 * ((top + y) * c.width + left + x))
      }
  }
  return c
}

/**
 * Generator outputs in `range` (default [−1, 1], a tanh output) mapped to [0, 1], where images
 * are drawn and scored.
 *
 * @example
 * import { toUnitRange } from 'ganfp'
 * toUnitRange(Float32Array.of(-1, 0, 1)) // Float32Array [0, 0.5, 1]
 * toUnitRange(Float32Array.of(0, 255), [0, 255]) // Float32Array [0, 1]
 *
 * @since 0.1.0
 * @category drawing
 */
export const toUnitRange = (values: Float32Array, range: readonly [number, number] = [-1, 1]): Float32Array => {
  const [low, high] = range
  return values.map((v) => (v - low) / (high - low))
}
