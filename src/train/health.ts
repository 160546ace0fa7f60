/**
 * Training-health alarms: the failures a GAN run falls into silently, noticed as they happen.
 *
 * - `NonFinite`: a loss or gradient norm is NaN or ±∞. Fatal: the run stops and keeps its last
 *   good checkpoint.
 * - `DiscriminatorWon`: D(x) near 1 and D(G(z)) near 0 for many consecutive steps; the
 *   generator's gradient has vanished and it no longer learns. (For losses whose targets are 1
 *   and 0, the log losses and least squares; Wasserstein and hinge critics have no such target.)
 * - `Collapse`: the spread of the generator's samples from one fixed latent batch falls far below
 *   the largest it has reached: the generator maps many latents to few outputs.
 * - `ClassCollapse` (conditional generators, see class-collapse.ts): the samples of each class
 *   crowd together although the batch as a whole is varied: one image per class.
 * - `ExplodingGradients`: a network's gradient norm jumps far above its running average.
 *
 * The monitor is a pure state machine over numbers, with no tensors: its state is JSON that a
 * checkpoint stores, so a resumed run raises the alarms an uninterrupted one would.
 *
 * @since 0.1.0
 */
import type { GanLoss } from '../dsl/loss.ts'
import type { StepReport } from './trainer.ts'

/**
 * What the health monitor watches for: non-finite losses, a discriminator that has won, a
 * collapse of the samples' spread, exploding gradients.
 *
 * @since 0.1.0
 * @category model
 */
export type AlarmKind = 'NonFinite' | 'DiscriminatorWon' | 'Collapse' | 'ClassCollapse' | 'ExplodingGradients'

/**
 * One alarm raised by the health monitor at `step`, with a message for the log.
 *
 * @since 0.1.0
 * @category model
 */
export interface Alarm {
  readonly kind: AlarmKind
  readonly step: number
  readonly message: string
  /** A fatal alarm stops the run. */
  readonly fatal: boolean
}

/**
 * When each alarm fires.
 *
 * @since 0.1.0
 * @category model
 */
export interface HealthThresholds {
  /** D(x) above this (and D(G(z)) below 1 − it) counts as a step the discriminator won. */
  readonly wonScore: number
  /** Consecutive won steps before the alarm. */
  readonly wonSteps: number
  /** Sample spread below this fraction of its peak is a collapse. */
  readonly collapseFraction: number
  /** A within-class spread ratio below this fraction of the real data's is an intra-class collapse. */
  readonly classCollapseFraction: number
  /** A gradient norm above this multiple of its running average is an explosion. */
  readonly explosionFactor: number
  /** Steps of running average before explosions are judged. */
  readonly explosionWarmUp: number
}

/**
 * The thresholds runs use: the discriminator has won after 200 straight steps with D(x) above 0.99
 * and D(G(z)) below 0.01; a collapse is a sample spread under 0.2 of its peak (within a class,
 * relative to the whole batch, under half what real data shows); an explosion is a
 * gradient norm 50 times its running average (judged after 50 steps).
 *
 * @example
 * import { defaultHealthThresholds } from 'ganfp'
 * const strict = { ...defaultHealthThresholds, wonSteps: 50 } // pass to observeStep
 * strict.wonScore // 0.99
 * @since 0.1.0
 * @category constructors
 */
export const defaultHealthThresholds: HealthThresholds = {
  wonScore: 0.99,
  wonSteps: 200,
  collapseFraction: 0.2,
  classCollapseFraction: 0.5,
  explosionFactor: 50,
  explosionWarmUp: 50,
}

/**
 * What the monitor remembers between steps (JSON, for checkpoints).
 *
 * @since 0.1.0
 * @category model
 */
export interface HealthState {
  readonly wonStreak: number
  readonly peakSpread: number
  /** Running averages of each network's gradient norm, and how many steps they cover. */
  readonly gradientNormAverage: { readonly generator: number; readonly discriminator: number }
  readonly averagedSteps: { readonly generator: number; readonly discriminator: number }
  /** Alarms already raised (each kind is raised once per episode, not every step). */
  readonly active: ReadonlyArray<AlarmKind>
}

/**
 * The monitor's state before a run's first step (a resumed run continues from its checkpoint's).
 *
 * @example
 * import { initialHealthState } from 'ganfp'
 * initialHealthState.active // []
 * @since 0.1.0
 * @category constructors
 */
export const initialHealthState: HealthState = {
  wonStreak: 0,
  peakSpread: 0,
  gradientNormAverage: { generator: 0, discriminator: 0 },
  averagedSteps: { generator: 0, discriminator: 0 },
  active: [],
}

const targetsOneAndZero = (loss: GanLoss): boolean => loss._tag !== 'Wasserstein' && loss._tag !== 'Hinge'

/**
 * Raises `kind` when `on` and it is not already active; clears it when not `on`: each alarm is
 * raised once per episode.
 *
 * @example
 * import { initialHealthState, latchAlarm } from 'ganfp'
 * latchAlarm(initialHealthState, 'Collapse', true, () => ({ kind: 'Collapse', step: 1, message: '', fatal: false })).raised.length // 1
 * @since 0.3.0
 * @category combinators
 */
export const latchAlarm = (
  state: HealthState,
  kind: AlarmKind,
  on: boolean,
  alarm: () => Alarm,
): { readonly active: ReadonlyArray<AlarmKind>; readonly raised: ReadonlyArray<Alarm> } => {
  const isActive = state.active.includes(kind)
  if (on && !isActive) return { active: [...state.active, kind], raised: [alarm()] }
  if (!on && isActive) return { active: state.active.filter((k) => k !== kind), raised: [] }
  return { active: state.active, raised: [] }
}

/**
 * The state after one step's report, and the alarms it raised.
 *
 * @example
 * import { observeStep, initialHealthState, defaultHealthThresholds, nonSaturating } from 'ganfp'
 * const report = { step: 1, phase: 0, discriminatorUpdates: 1, discriminatorLoss: NaN, generatorLoss: 0.7, realScore: 0.5, fakeScore: 0.5, discriminatorPenalty: 0, discriminatorGradientNorm: 1, generatorGradientNorm: 1, contentLoss: 0 }
 * observeStep(initialHealthState, report, nonSaturating(), defaultHealthThresholds).alarms[0].kind // 'NonFinite'
 * @since 0.1.0
 * @category combinators
 */
export const observeStep = (
  state: HealthState,
  report: StepReport,
  loss: GanLoss,
  thresholds: HealthThresholds = defaultHealthThresholds,
): { readonly state: HealthState; readonly alarms: ReadonlyArray<Alarm> } => {
  const values = {
    'discriminator loss': report.discriminatorLoss,
    'generator loss': report.generatorLoss,
    'discriminator gradient norm': report.discriminatorGradientNorm,
    'generator gradient norm': report.generatorGradientNorm,
  }
  const nonFinite = Object.entries(values).filter(([, v]) => !Number.isFinite(v))
  if (nonFinite.length > 0)
    return {
      state,
      alarms: [
        {
          kind: 'NonFinite',
          step: report.step,
          message: `${nonFinite.map(([name, v]) => `${name} is ${v}`).join(', ')} at step ${report.step}`,
          fatal: true,
        },
      ],
    }

  // A pretraining step has no discriminator update: nothing to judge of the discriminator.
  const discriminatorRan = report.discriminatorUpdates > 0
  const won =
    discriminatorRan && targetsOneAndZero(loss) && report.realScore > thresholds.wonScore && report.fakeScore < 1 - thresholds.wonScore
  const wonStreak = won ? state.wonStreak + 1 : 0
  const wonLatch = latchAlarm(state, 'DiscriminatorWon', wonStreak >= thresholds.wonSteps, () => ({
    kind: 'DiscriminatorWon',
    step: report.step,
    message: `the discriminator has won for ${wonStreak} steps (D(x) ${report.realScore.toFixed(3)}, D(G(z)) ${report.fakeScore.toFixed(3)}): the generator's gradient has vanished`,
    fatal: false,
  }))

  const averages = state.gradientNormAverage
  // Each network is judged against its own history: a discriminator that sat out a pretraining
  // phase has none yet when the game starts.
  const exploded = (['generator', 'discriminator'] as const).filter(
    (net) =>
      state.averagedSteps[net] >= thresholds.explosionWarmUp &&
      (net === 'generator' || discriminatorRan) &&
      report[net === 'generator' ? 'generatorGradientNorm' : 'discriminatorGradientNorm'] > thresholds.explosionFactor * averages[net],
  )
  const explosionLatch = latchAlarm({ ...state, active: wonLatch.active }, 'ExplodingGradients', exploded.length > 0, () => ({
    kind: 'ExplodingGradients',
    step: report.step,
    message: exploded
      .map((net) => {
        const norm = net === 'generator' ? report.generatorGradientNorm : report.discriminatorGradientNorm
        return `${net} gradient norm ${norm.toPrecision(3)} is ${(norm / averages[net]).toFixed(0)}× its running average ${averages[net].toPrecision(3)}`
      })
      .join('; '),
    fatal: false,
  }))
  // An explosion is kept out of the average it is judged against; otherwise a simple running
  // mean early on, then an exponential one (about the last 100 steps).
  const blend = (net: 'generator' | 'discriminator', value: number) => {
    const rate = Math.max(1 / (state.averagedSteps[net] + 1), 0.01)
    return exploded.length > 0 ? averages[net] : averages[net] + rate * (value - averages[net])
  }
  const counted = (net: 'generator' | 'discriminator', ran: boolean) => (exploded.length > 0 || !ran ? state.averagedSteps[net] : state.averagedSteps[net] + 1)
  return {
    state: {
      wonStreak,
      peakSpread: state.peakSpread,
      gradientNormAverage: {
        generator: blend('generator', report.generatorGradientNorm),
        discriminator: discriminatorRan ? blend('discriminator', report.discriminatorGradientNorm) : averages.discriminator,
      },
      averagedSteps: { generator: counted('generator', true), discriminator: counted('discriminator', discriminatorRan) },
      active: explosionLatch.active,
    },
    alarms: [...wonLatch.raised, ...explosionLatch.raised],
  }
}

/**
 * Spread of a batch of samples: the mean distance of each sample from the batch's mean sample.
 * A collapsed generator's samples crowd together and this falls.
 *
 * @example
 * import { sampleSpread } from 'ganfp'
 * sampleSpread(new Float32Array([0, 0, 2, 0]), 2) // 1
 * @since 0.1.0
 * @category destructors
 */
export const sampleSpread = (samples: Float32Array, count: number): number => {
  const size = samples.length / count
  const mean = new Float64Array(size)
  for (let i = 0; i < count; i++) for (let j = 0; j < size; j++) mean[j]! += samples[i * size + j]! / count
  let total = 0
  for (let i = 0; i < count; i++) {
    let squared = 0
    for (let j = 0; j < size; j++) squared += (samples[i * size + j]! - mean[j]!) ** 2
    total += Math.sqrt(squared)
  }
  return total / count
}

/**
 * The state after measuring the spread of the fixed sample batch, and the collapse alarm if the
 * spread fell below `collapseFraction` of its peak.
 *
 * @example
 * import { observeSpread, initialHealthState } from 'ganfp'
 * const a = observeSpread(initialHealthState, 1.0, 100)
 * observeSpread(a.state, 0.05, 200).alarms[0].kind // 'Collapse'
 * @since 0.1.0
 * @category combinators
 */
export const observeSpread = (
  state: HealthState,
  spread: number,
  step: number,
  thresholds: HealthThresholds = defaultHealthThresholds,
): { readonly state: HealthState; readonly alarms: ReadonlyArray<Alarm> } => {
  const peakSpread = Math.max(state.peakSpread, spread)
  const collapsed = spread < thresholds.collapseFraction * peakSpread
  const collapse = latchAlarm(state, 'Collapse', collapsed, () => ({
    kind: 'Collapse',
    step,
    message: `sample spread ${spread.toPrecision(3)} fell to ${((spread / peakSpread) * 100).toFixed(0)}% of its peak ${peakSpread.toPrecision(3)}: the generator is collapsing`,
    fatal: false,
  }))
  return { state: { ...state, peakSpread, active: collapse.active }, alarms: collapse.raised }
}
