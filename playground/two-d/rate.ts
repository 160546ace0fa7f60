/**
 * Steps per second over the last few seconds of training: a sliding window of (time, step)
 * pairs, so that the figure follows changes of speed and ignores paused time.
 */

/** The window's length in milliseconds. */
const windowMs = 2000

/** A steps-per-second meter. */
export interface RateMeter {
  /** Records that `step` was reached at `time` (ms). */
  readonly record: (time: number, step: number) => void
  /** Forgets everything (training paused or restarted). */
  readonly reset: () => void
  /** Steps per second over the window; undefined before two records. */
  readonly rate: () => number | undefined
}

/** A new meter. */
export const rateMeter = (): RateMeter => {
  let samples: Array<readonly [number, number]> = []
  return {
    record: (time, step) => {
      samples.push([time, step])
      while (samples.length > 2 && time - samples[1]![0] > windowMs) samples.shift()
    },
    reset: () => {
      samples = []
    },
    rate: () => {
      if (samples.length < 2) return undefined
      const [t0, s0] = samples[0]!
      const [t1, s1] = samples.at(-1)!
      return t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : undefined
    },
  }
}
