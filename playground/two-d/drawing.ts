/**
 * Drawing data with the mouse: a click adds a point where it lands, a drag adds points along
 * its path, spaced so that a slow drag does not pile them up.
 */
import type { Frame } from '../plot/frame.ts'

/** Pixels between points added along a drag. */
const spacing = 7

/**
 * Listens on `canvas` while `active()`; `frame()` maps pixels to data and `add` receives each
 * new point inside the frame's area.
 */
export const listenForDrawing = (canvas: HTMLCanvasElement, active: () => boolean, frame: () => Frame, add: (x: number, y: number) => void): void => {
  let last: readonly [number, number] | undefined
  const addAt = (event: PointerEvent, force: boolean): void => {
    const box = canvas.getBoundingClientRect()
    const [px, py] = [event.clientX - box.left, event.clientY - box.top]
    const { area, fromX, fromY } = frame()
    if (px < area.left || px > area.left + area.width || py < area.top || py > area.top + area.height) return
    if (!force && last !== undefined && Math.hypot(px - last[0], py - last[1]) < spacing) return
    last = [px, py]
    add(fromX(px), fromY(py))
  }
  canvas.addEventListener('pointerdown', (event) => {
    if (!active() || event.button !== 0) return
    canvas.setPointerCapture(event.pointerId)
    last = undefined
    addAt(event, true)
  })
  canvas.addEventListener('pointermove', (event) => {
    if (active() && canvas.hasPointerCapture(event.pointerId)) addAt(event, false)
  })
  const release = (event: PointerEvent): void => {
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId)
    last = undefined
  }
  canvas.addEventListener('pointerup', release)
  canvas.addEventListener('pointercancel', release)
}
