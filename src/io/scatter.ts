/**
 * A scatter plot of 2-D samples over a mixture's true modes, as a canvas.
 *
 * @since 0.1.0
 */
import type { Mixture2d } from '../data/mixtures.ts'
import { canvas, fillDisc, strokeCircle, type Canvas } from './canvas.ts'

/**
 * Samples in blue, each mode's 3σ high-quality radius as a red circle, on a square view that
 * frames every mode with a margin.
 *
 * @example
 * import { mixtureScatter, ringMixture } from 'ganfp'
 * mixtureScatter(ringMixture, new Float32Array([1, 0]), 64).width // 64
 * @since 0.1.0
 * @category drawing
 */
export const mixtureScatter = (mixture: Mixture2d, points: ArrayLike<number>, size = 512): Canvas => {
  const extent = Math.max(...mixture.modes.flatMap(([x, y]) => [Math.abs(x), Math.abs(y)])) * 1.4
  const { c, toPixel } = scatterOnAxes(points, extent, size)
  const radius = Math.max(3, ((3 * mixture.std) / (2 * extent)) * size)
  for (const [x, y] of mixture.modes) strokeCircle(c, toPixel(x), size - 1 - toPixel(y), radius, [220, 30, 30])
  return c
}

/**
 * Samples in blue on a square view framing them all (the view the samples alone decide): how 2-D
 * outputs are drawn when no reference is known.
 *
 * @example
 * import { pointsScatter } from 'ganfp'
 * pointsScatter(new Float32Array([0, 0, 1, 1]), 64).height // 64
 * @since 0.1.0
 * @category drawing
 */
export const pointsScatter = (points: ArrayLike<number>, size = 512): Canvas => {
  let extent = 1e-6
  for (let i = 0; i < points.length; i++) if (Number.isFinite(points[i]!)) extent = Math.max(extent, Math.abs(points[i]!))
  return scatterOnAxes(points, extent * 1.2, size).c
}

/** Points in blue over grey axes, on a square view of [−extent, extent]². */
const scatterOnAxes = (points: ArrayLike<number>, extent: number, size: number) => {
  const toPixel = (v: number): number => ((v + extent) / (2 * extent)) * (size - 1)
  const c = canvas(size, size, [255, 255, 255])
  const axis = Math.round(toPixel(0))
  for (let i = 0; i < size; i++) {
    c.rgba.set([225, 225, 225], 4 * (axis * size + i))
    c.rgba.set([225, 225, 225], 4 * (i * size + axis))
  }
  for (let i = 0; i + 1 < points.length; i += 2)
    if (Number.isFinite(points[i]!) && Number.isFinite(points[i + 1]!)) fillDisc(c, toPixel(points[i]!), size - 1 - toPixel(points[i + 1]!), 1.2, [40, 90, 200])
  return { c, toPixel }
}
