/**
 * Marks drawn in a frame's value coordinates: dots for points, polylines for curves. Drawing is
 * clipped to the frame's area; non-finite values are skipped (a polyline breaks there).
 */
import { clipped, type Frame } from './frame.ts'

/** How dots look: fill colour, radius in CSS pixels, and an optional outline. */
export interface DotStyle {
  readonly colour: string
  readonly radius: number
  readonly outline?: string
  readonly alpha?: number
}

/** Dots at `points` (x, y interleaved). */
export const drawDots = (frame: Frame, points: ArrayLike<number>, style: DotStyle): void =>
  clipped(frame, (context) => {
    context.globalAlpha = style.alpha ?? 1
    context.fillStyle = style.colour
    context.beginPath()
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [x, y] = [points[i]!, points[i + 1]!]
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue
      const px = frame.toX(x)
      const py = frame.toY(y)
      context.moveTo(px + style.radius, py)
      context.arc(px, py, style.radius, 0, 2 * Math.PI)
    }
    context.fill()
    if (style.outline !== undefined) {
      context.strokeStyle = style.outline
      context.lineWidth = 0.75
      context.stroke()
    }
  })

/** A polyline through `points` (x, y interleaved). */
export const drawPolyline = (frame: Frame, points: ArrayLike<number>, colour: string, lineWidth = 1.5, alpha = 1): void =>
  clipped(frame, (context) => {
    context.globalAlpha = alpha
    context.strokeStyle = colour
    context.lineWidth = lineWidth
    context.lineJoin = 'round'
    context.beginPath()
    let drawing = false
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [x, y] = [points[i]!, points[i + 1]!]
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        drawing = false
        continue
      }
      if (drawing) context.lineTo(frame.toX(x), frame.toY(y))
      else context.moveTo(frame.toX(x), frame.toY(y))
      drawing = true
    }
    context.stroke()
  })
