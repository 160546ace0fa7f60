/**
 * The run's loss plot as an SVG: two panels over the steps, the losses of D and G above, D(x) and
 * D(G(z)) below. Plain text with no dependency, so it is regenerated at every log line and opens
 * in any browser.
 *
 * @since 0.1.0
 */

/**
 * One logged step, as much as the plot needs.
 *
 * @since 0.1.0
 * @category model
 */
export interface PlotPoint {
  readonly step: number
  readonly discriminatorLoss: number
  readonly generatorLoss: number
  readonly realScore: number
  readonly fakeScore: number
}

interface Series {
  readonly label: string
  readonly color: string
  readonly value: (p: PlotPoint) => number
}

const width = 720
const panelHeight = 220
const margin = { left: 56, right: 16, top: 28, bottom: 24 }

/** At most `limit` points, evenly spaced, the last one always kept. */
const thin = (points: ReadonlyArray<PlotPoint>, limit: number): ReadonlyArray<PlotPoint> => {
  if (points.length <= limit) return points
  const stride = points.length / limit
  return [...Array.from({ length: limit - 1 }, (_, i) => points[Math.floor(i * stride)]!), points.at(-1)!]
}

/** Round tick positions covering [low, high]. */
const ticks = (low: number, high: number, count: number): ReadonlyArray<number> => {
  const span = high - low || 1
  const raw = span / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const out: Array<number> = []
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)))
  return out
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const panel = (points: ReadonlyArray<PlotPoint>, series: ReadonlyArray<Series>, title: string, top: number): string => {
  const finite = points.flatMap((p) => series.map((s) => s.value(p))).filter(Number.isFinite)
  const low = finite.length === 0 ? 0 : Math.min(...finite)
  const high = finite.length === 0 ? 1 : Math.max(...finite)
  const pad = (high - low) * 0.05 || 0.5
  const [yLow, yHigh] = [low - pad, high + pad]
  const firstStep = points[0]?.step ?? 0
  const lastStep = Math.max(points.at(-1)?.step ?? 1, firstStep + 1)
  const plotWidth = width - margin.left - margin.right
  const plotHeight = panelHeight - margin.top - margin.bottom
  const x = (step: number) => margin.left + ((step - firstStep) / (lastStep - firstStep)) * plotWidth
  const y = (v: number) => top + margin.top + (1 - (v - yLow) / (yHigh - yLow)) * plotHeight
  const grid = ticks(yLow, yHigh, 4)
    .map(
      (v) =>
        `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e4e4e4"/>` +
        `<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
    )
    .join('')
  const stepTicks = ticks(firstStep, lastStep, 6)
    .map((s) => `<text x="${x(s).toFixed(1)}" y="${top + panelHeight - 6}" text-anchor="middle">${s}</text>`)
    .join('')
  const lines = series
    .map((s) => {
      // A non-finite value breaks the line rather than bending it to infinity.
      const segments: Array<string> = []
      let current: Array<string> = []
      for (const p of points) {
        const v = s.value(p)
        if (Number.isFinite(v)) current.push(`${x(p.step).toFixed(1)},${y(v).toFixed(1)}`)
        else if (current.length > 0) segments.push(current.join(' ')), (current = [])
      }
      if (current.length > 0) segments.push(current.join(' '))
      return segments.map((pts) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/>`).join('')
    })
    .join('')
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${margin.left + 200 + i * 130}" y="${top + 8}" width="12" height="3" fill="${s.color}"/>` +
        `<text x="${margin.left + 216 + i * 130}" y="${top + 13}">${escapeXml(s.label)}</text>`,
    )
    .join('')
  return (
    `<text x="${margin.left}" y="${top + 14}" font-weight="bold">${escapeXml(title)}</text>${legend}${grid}${stepTicks}` +
    `<rect x="${margin.left}" y="${top + margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>${lines}`
  )
}

/**
 * The SVG text of the loss plot for the logged points (thinned to 2,000 at most).
 *
 * @example
 * import { lossPlotSvg } from 'ganfp'
 * lossPlotSvg([{ step: 1, discriminatorLoss: 1.4, generatorLoss: 0.7, realScore: 0.5, fakeScore: 0.5 }]).startsWith('<svg') // true
 * @since 0.1.0
 * @category io
 */
export const lossPlotSvg = (points: ReadonlyArray<PlotPoint>, options: { readonly scoreLabel?: string } = {}): string => {
  const shown = thin(points, 2000)
  const scores = options.scoreLabel ?? 'D(x), D(G(z))'
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${2 * panelHeight}" font-family="sans-serif" font-size="11">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    panel(
      shown,
      [
        { label: 'D loss', color: '#d62728', value: (p) => p.discriminatorLoss },
        { label: 'G loss', color: '#1f77b4', value: (p) => p.generatorLoss },
      ],
      'losses',
      0,
    ) +
    panel(
      shown,
      [
        { label: 'D(x)', color: '#2ca02c', value: (p) => p.realScore },
        { label: 'D(G(z))', color: '#ff7f0e', value: (p) => p.fakeScore },
      ],
      scores,
      panelHeight,
    ) +
    '</svg>\n'
  )
}
