/**
 * Numbers to pixels: intervals, linear maps, round tick positions and their labels. Pure
 * functions, no DOM.
 */

/** A closed interval of values, `min < max` once made by `extentOf` or `interval`. */
export interface Interval {
  readonly min: number
  readonly max: number
}

/** An interval; a degenerate one is widened around its value so that scales never divide by 0. */
export const interval = (min: number, max: number): Interval =>
  max > min ? { min, max } : { min: min - 0.5, max: min + 0.5 }

/**
 * The finite values' range, widened by `padding` (a share of its width) on both sides; `fallback`
 * when there are none.
 */
export const extentOf = (values: Iterable<number>, padding = 0.05, fallback: Interval = { min: 0, max: 1 }): Interval => {
  let min = Infinity
  let max = -Infinity
  for (const v of values)
    if (Number.isFinite(v)) {
      if (v < min) min = v
      if (v > max) max = v
    }
  if (min > max) return fallback
  const pad = (max - min) * padding || Math.max(Math.abs(min) * 0.1, 0.5)
  return interval(min - pad, max + pad)
}

/** The affine map taking `from` onto `to` (`to` may run backwards, as a canvas's y does). */
export const linearMap =
  (from: Interval, to: Interval) =>
  (v: number): number =>
    to.min + ((v - from.min) / (from.max - from.min)) * (to.max - to.min)

/**
 * The distance between round ticks (1, 2 or 5 × 10^k) giving about `count` ticks over `range`:
 * the round step nearest the exact one on a log scale (d3's rule).
 */
export const tickStep = (range: Interval, count: number): number => {
  const raw = (range.max - range.min) / Math.max(1, count)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const ratio = raw / magnitude
  return magnitude * (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1)
}

/** Round tick values inside `range`, about `count` of them. */
export const ticks = (range: Interval, count: number): ReadonlyArray<number> => {
  const step = tickStep(range, count)
  const out: Array<number> = []
  for (let v = Math.ceil(range.min / step - 1e-9) * step; v <= range.max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

/** A tick's label with as many decimals as the tick step needs, and SI suffixes for thousands. */
export const formatTick = (value: number, step: number): string => {
  if (Math.abs(value) < step * 1e-6) return '0'
  if (step >= 1000 && Math.abs(value) >= 1000) return `${formatTick(value / 1000, step / 1000)}k`
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  return value.toFixed(decimals).replace('-', '−')
}
