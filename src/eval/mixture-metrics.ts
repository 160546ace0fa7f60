/**
 * Protocol Q1's figures for 2-D mixtures: modes captured, share of high-quality samples, and the
 * reverse KL between the high-quality mode histogram and uniform.
 *
 * @since 0.1.0
 */
import type { Mixture2d } from '../data/mixtures.ts'

/**
 * Protocol Q1's scores of 2-D samples against a Gaussian mixture: modes captured, the share of
 * high-quality samples and the balance among modes.
 *
 * @since 0.1.0
 * @category model
 */
export interface MixtureReport {
  readonly samples: number
  readonly modes: number
  /** Modes with at least `minPerMode` high-quality samples nearest to them. */
  readonly modesCaptured: number
  /** The rule `modesCaptured` counts by: a mode is captured with this many high-quality samples. */
  readonly minPerMode: number
  /** Share of samples within 3 standard deviations of their nearest mode, in [0, 1]. */
  readonly highQualityFraction: number
  /** KL(high-quality histogram ‖ uniform over modes); 0 when the captured modes are balanced. */
  readonly reverseKl: number
  readonly perMode: ReadonlyArray<number>
}

/**
 * Scores `points` (x, y interleaved, as `trainer.sample` returns them) against a mixture, by Q1's
 * rules: a sample is high quality within 3 standard deviations of its nearest mode, and a mode is
 * captured when at least `minPerMode` high-quality samples are nearest to it (default 20, Q1's
 * rule for 2,500 samples; the report carries the figure used).
 *
 * @example
 * import { mixtureReport, ringMixture } from 'ganfp'
 * const points = new Float32Array(ringMixture.modes.flatMap(([x, y]) => Array(30).fill([x, y]).flat()))
 * mixtureReport(ringMixture, points).modesCaptured // 8
 * mixtureReport(ringMixture, points, 31).modesCaptured // 0
 *
 * @since 0.1.0
 * @category metrics
 */
export const mixtureReport = (mixture: Mixture2d, points: ArrayLike<number>, minPerMode = 20): MixtureReport => {
  const n = Math.floor(points.length / 2)
  const perMode = new Array<number>(mixture.modes.length).fill(0)
  const radius = 3 * mixture.std
  let highQuality = 0
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!
    const y = points[2 * i + 1]!
    let best = 0
    let bestDistance = Infinity
    mixture.modes.forEach(([mx, my], m) => {
      const d = Math.hypot(x - mx, y - my)
      if (d < bestDistance) {
        bestDistance = d
        best = m
      }
    })
    if (bestDistance <= radius) {
      highQuality++
      perMode[best]!++
    }
  }
  const k = mixture.modes.length
  const reverseKl =
    highQuality === 0
      ? Infinity
      : perMode.reduce((sum, count) => (count === 0 ? sum : sum + (count / highQuality) * Math.log((count / highQuality) * k)), 0)
  return {
    samples: n,
    modes: k,
    modesCaptured: perMode.filter((c) => c >= minPerMode).length,
    minPerMode,
    highQualityFraction: n === 0 ? 0 : highQuality / n,
    reverseKl,
    perMode,
  }
}
