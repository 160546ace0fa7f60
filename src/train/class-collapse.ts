/**
 * Intra-class collapse in conditional runs: a generator that follows its labels perfectly but
 * draws one image per class. The whole batch stays varied (ten classes look different), so the
 * unconditional `Collapse` alarm does not see it; the spread inside each class does.
 *
 * @since 0.3.0
 */
import { defaultHealthThresholds, latchAlarm, sampleSpread, type Alarm, type HealthState } from './health.ts'

/**
 * The spread of a labelled batch inside its classes against its spread as a whole: `within` is
 * the mean over classes (with ≥ 2 samples) of each class's `sampleSpread`, `overall` the whole
 * batch's, `ratio` within / overall (1 for a batch whose labels say nothing, 0 for one image per
 * class; real MNIST digits give about 0.8, Fashion-MNIST 0.7).
 *
 * @example
 * import { classSpread } from 'ganfp'
 * // Two classes, each one point drawn twice: varied as a batch, collapsed within each class.
 * classSpread(new Float32Array([0, 0, 0, 0, 4, 0, 4, 0]), new Int32Array([0, 0, 1, 1])).ratio // 0
 * @since 0.3.0
 * @category destructors
 */
export const classSpread = (
  samples: Float32Array,
  labels: ArrayLike<number>,
): { readonly within: number; readonly overall: number; readonly ratio: number } => {
  const count = labels.length
  const size = samples.length / count
  const members = new Map<number, Array<number>>()
  for (let i = 0; i < count; i++) {
    const indices = members.get(labels[i]!) ?? []
    indices.push(i)
    members.set(labels[i]!, indices)
  }
  const spreads = [...members.values()]
    .filter((indices) => indices.length >= 2)
    .map((indices) => {
      const gathered = new Float32Array(indices.length * size)
      indices.forEach((index, j) => gathered.set(samples.subarray(index * size, (index + 1) * size), j * size))
      return sampleSpread(gathered, indices.length)
    })
  const within = spreads.length === 0 ? 0 : spreads.reduce((a, b) => a + b, 0) / spreads.length
  const overall = sampleSpread(samples, count)
  return { within, overall, ratio: overall === 0 ? 1 : within / overall }
}

/**
 * The state after measuring a conditional generator's fixed labelled batch, and the
 * `ClassCollapse` alarm when its within-class spread ratio fell below `fraction` (default 0.5)
 * of the real data's own ratio. Judged against the data because classes differ in how varied
 * they are: MNIST digits give a ratio near 0.8, a mixture whose classes are tight modes one near 0.
 *
 * @example
 * import { initialHealthState, observeClassSpread } from 'ganfp'
 * const generated = { within: 0.5, overall: 8, ratio: 0.0625 }
 * observeClassSpread(initialHealthState, generated, 0.9, 500).alarms[0].kind // 'ClassCollapse'
 * @since 0.3.0
 * @category combinators
 */
export const observeClassSpread = (
  state: HealthState,
  generated: { readonly within: number; readonly overall: number; readonly ratio: number },
  realRatio: number,
  step: number,
  fraction: number = defaultHealthThresholds.classCollapseFraction,
): { readonly state: HealthState; readonly alarms: ReadonlyArray<Alarm> } => {
  const collapsed = generated.ratio < fraction * realRatio
  const alarm = latchAlarm(state, 'ClassCollapse', collapsed, () => ({
    kind: 'ClassCollapse',
    step,
    message:
      `samples within a class spread ${generated.within.toPrecision(3)}, ${(100 * generated.ratio).toFixed(0)}% of the whole batch's ${generated.overall.toPrecision(3)} ` +
      `(real data: ${(100 * realRatio).toFixed(0)}%): the generator draws nearly one image per class (intra-class collapse; ` +
      'try a mode-seeking term or a projection discriminator)',
    fatal: false,
  }))
  return { state: { ...state, active: alarm.active }, alarms: alarm.raised }
}
