/**
 * PNG encoding through pngjs (the standard pure-JS codec, which needs Node's zlib and streams):
 * canvases and grids of generator samples as PNG bytes.
 *
 * @since 0.1.0
 */
import pngjs from 'pngjs'
import type { Canvas } from '../io/canvas.ts'
import { imageGrid, toUnitRange } from '../io/grid.ts'

/**
 * The canvas as PNG bytes. Total: pngjs cannot fail on a canvas whose `rgba` holds its
 * `width × height` pixels (as `canvas` and `imageGrid` make them), an empty one included.
 *
 * @example
 * import { canvas } from 'ganfp'
 * import { encodePng } from 'ganfp/node'
 * encodePng(canvas(2, 2, [0, 0, 0]))[1] // 80 ('P' of the PNG signature)
 * @since 0.1.0
 * @category io
 */
export const encodePng = (c: Canvas): Uint8Array => {
  const png = new pngjs.PNG({ width: c.width, height: c.height })
  // pngjs allocates no buffer for an empty image.
  if (c.rgba.length > 0) png.data.set(c.rgba)
  return new Uint8Array(pngjs.PNG.sync.write(png))
}

/**
 * A PNG of `count` generator outputs (values in `range`, default [−1, 1]) laid out by `imageGrid`,
 * in rows of `columns` (default a square).
 *
 * @example
 * import { sampleGridPng } from 'ganfp/node'
 * const png = sampleGridPng(new Float32Array(4 * 28 * 28), { count: 4, height: 28, width: 28, channels: 1 })
 * png.subarray(1, 4) // 'PNG' in ASCII: a 62×62 grid
 *
 * @since 0.1.0
 * @category drawing
 */
export const sampleGridPng = (
  samples: Float32Array,
  layout: { readonly count: number; readonly height: number; readonly width: number; readonly channels: number; readonly columns?: number },
  range: readonly [number, number] = [-1, 1],
): Uint8Array => {
  const { count, height, width, channels, columns = Math.ceil(Math.sqrt(count)) } = layout
  return encodePng(imageGrid(toUnitRange(samples, range), { count, height, width, channels, columns }))
}
