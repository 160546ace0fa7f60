/**
 * The min-max schedule as data: how the two players take turns, in which phases, and how the
 * generator used for sampling is derived from the one being trained.
 *
 * @since 0.1.0
 */
import { optionsOf } from './describe.ts'
import type { ContentLoss } from './content.ts'

/**
 * A stretch of training. `Pretrain` trains the generator alone on a content loss (SRGAN's MSE
 * pretraining); `Adversarial` runs the game, the generator's loss being
 * `adversarialWeight`·(adversarial loss) + `contentWeight`·(content loss, when given). A phase
 * with `steps` undefined runs to the end of training (only the last may).
 *
 * @since 0.1.0
 * @category model
 */
export type Phase =
  | { readonly _tag: 'Pretrain'; readonly steps: number; readonly loss: ContentLoss }
  | {
      readonly _tag: 'Adversarial'
      readonly steps: number | undefined
      readonly content: ContentLoss | undefined
      readonly contentWeight: number
      readonly adversarialWeight: number
    }

/**
 * Instance noise (Sønderby et al., Arjovsky & Bottou): Gaussian noise added to every example the
 * discriminator sees, real or generated, its standard deviation decaying linearly from `std` to
 * 0 over `decaySteps` generator steps, so that early on the two distributions overlap.
 *
 * @since 0.1.0
 * @category model
 */
export interface InstanceNoise {
  readonly std: number
  readonly decaySteps: number
}

/**
 * The mode-seeking term of MSGAN (Mao et al., "Mode seeking generative adversarial networks for
 * diverse image synthesis", 2019): the generator pairs example i of its batch with example
 * i + N/2 (same class, for a conditional generator), measures
 * L_ms = mean|G(z₁) − G(z₂)| / mean|z₁ − z₂| and adds `weight`/(L_ms + 1e-5) to its loss, so
 * that distinct latents must give distinct outputs: a cure for mode collapse within a class.
 * Adversarial phases only; the batch size must be even. `weight` 0 keeps the pairing and reports
 * L_ms without training on it.
 *
 * @since 0.3.0
 * @category model
 */
export interface ModeSeeking {
  readonly _tag: 'ModeSeeking'
  readonly weight: number
}

/**
 * Top-k generator updates (Sinha et al., "Top-k training of GANs: improving GAN performance by
 * throwing away bad samples", 2020): the generator learns only from the share of its batch that
 * the discriminator scores as most realistic, so samples far from every mode, whose gradients
 * can push them further away, do not steer it. The share starts at 1 and is multiplied by `decay`
 * every `every` generator steps until it reaches `keep` (the paper's γ per epoch, floor ν). A
 * discriminator judging packs (PacGAN) ranks packs; one with several outputs per example ranks
 * their mean. Adversarial phases only; the discriminator's own update is unchanged.
 *
 * @since 0.3.0
 * @category model
 */
export interface TopK {
  readonly _tag: 'TopK'
  /** ν, the smallest share of the batch the generator learns from, in (0, 1]. */
  readonly keep: number
  /** γ, in (0, 1]: the share's factor every `every` generator steps. */
  readonly decay: number
  /** Generator steps between two decays: a positive integer (an epoch's steps, in the paper). */
  readonly every: number
}

/**
 * Each adversarial step runs `discriminatorStepsPerGeneratorStep` discriminator updates (each on
 * a fresh real batch; WGAN's n_critic) followed by one generator update. With
 * `generatorAverageDecay` set, the trainer also keeps an exponential moving average of the
 * generator's parameters and samples from it (Yazıcı et al., "The unusual effectiveness of
 * averaging in GAN training"): the trained generator circles the equilibrium, the average sits
 * nearer to it.
 *
 * @since 0.1.0
 * @category model
 */
export interface Schedule {
  readonly _tag: 'Alternating'
  readonly discriminatorStepsPerGeneratorStep: number
  /** Decay of the generator's moving average, in [0, 1); `undefined` samples the trained generator. */
  readonly generatorAverageDecay: number | undefined
  /** In order; the default is one open-ended adversarial phase. */
  readonly phases: ReadonlyArray<Phase>
  readonly instanceNoise: InstanceNoise | undefined
  /** The generator's mode-seeking term; the key is absent (not `undefined`) without one. */
  readonly modeSeeking?: ModeSeeking
  /** Top-k generator updates; the key is absent without them. */
  readonly topK?: TopK
}

/**
 * The generator trained alone on a content loss for `steps` steps.
 *
 * @example
 * import { pretrain, mse } from 'ganfp'
 * pretrain({ steps: 1000, loss: mse() }).steps // 1000
 * @since 0.1.0
 * @category constructors
 */
export const pretrain = (options: { readonly steps: number; readonly loss: ContentLoss }): Phase => ({
  _tag: 'Pretrain',
  steps: optionsOf(options).steps,
  loss: optionsOf(options).loss,
})

/**
 * The adversarial game, optionally with a content term in the generator's loss.
 *
 * @example
 * import { adversarial, mse } from 'ganfp'
 * adversarial({ content: mse(), adversarialWeight: 1e-3 }).contentWeight // 1
 * @since 0.1.0
 * @category constructors
 */
export const adversarial = (
  options: {
    readonly steps?: number
    readonly content?: ContentLoss
    readonly contentWeight?: number
    readonly adversarialWeight?: number
  } = {},
): Phase => ({
  _tag: 'Adversarial',
  steps: optionsOf(options).steps,
  content: optionsOf(options).content,
  contentWeight: optionsOf(options).contentWeight ?? 1,
  adversarialWeight: optionsOf(options).adversarialWeight ?? 1,
})

/**
 * MSGAN's mode-seeking term, `weight` λ defaulting to 1 (the paper's for conditional generation).
 *
 * @example
 * import { alternating, modeSeeking } from 'ganfp'
 * modeSeeking().weight // 1
 * alternating({ modeSeeking: modeSeeking({ weight: 0.5 }) }).modeSeeking?.weight // 0.5
 * @since 0.3.0
 * @category constructors
 */
export const modeSeeking = (options: { readonly weight?: number } = {}): ModeSeeking => ({
  _tag: 'ModeSeeking',
  weight: optionsOf(options).weight ?? 1,
})

/**
 * Top-k generator updates, by default the paper's γ 0.99 and ν 0.5, decaying every 100 steps.
 *
 * @example
 * import { alternating, topK } from 'ganfp'
 * topK().keep // 0.5
 * alternating({ topK: topK({ keep: 0.75, every: 500 }) }).topK?.every // 500
 * @since 0.3.0
 * @category constructors
 */
export const topK = (options: { readonly keep?: number; readonly decay?: number; readonly every?: number } = {}): TopK => ({
  _tag: 'TopK',
  keep: optionsOf(options).keep ?? 0.5,
  decay: optionsOf(options).decay ?? 0.99,
  every: optionsOf(options).every ?? 100,
})

/**
 * @example
 * import { alternating, pretrain, adversarial, mse } from 'ganfp'
 * alternating({ discriminatorStepsPerGeneratorStep: 5 }).discriminatorStepsPerGeneratorStep // 5
 * alternating({ generatorAverageDecay: 0.999 }).generatorAverageDecay // 0.999
 * alternating({ phases: [pretrain({ steps: 500, loss: mse() }), adversarial()] }).phases.length // 2
 * @since 0.1.0
 * @category constructors
 */
export const alternating = (
  options: {
    readonly discriminatorStepsPerGeneratorStep?: number
    readonly generatorAverageDecay?: number
    readonly phases?: ReadonlyArray<Phase>
    readonly instanceNoise?: InstanceNoise
    readonly modeSeeking?: ModeSeeking
    readonly topK?: TopK
  } = {},
): Schedule => ({
  _tag: 'Alternating',
  discriminatorStepsPerGeneratorStep: optionsOf(options).discriminatorStepsPerGeneratorStep ?? 1,
  generatorAverageDecay: optionsOf(options).generatorAverageDecay,
  phases: optionsOf(options).phases ?? [adversarial()],
  instanceNoise: optionsOf(options).instanceNoise,
  // Without the term the key stays out: the schedule is the value it was before the term existed.
  ...(optionsOf(options).modeSeeking === undefined ? {} : { modeSeeking: optionsOf(options).modeSeeking }),
  ...(optionsOf(options).topK === undefined ? {} : { topK: optionsOf(options).topK }),
})

/**
 * The mode-seeking term that generator step `step` (1-based) trains with: the schedule's, in an
 * adversarial phase; none in pretraining or without one.
 *
 * @example
 * import { alternating, modeSeeking, modeSeekingAt } from 'ganfp'
 * modeSeekingAt(alternating({ modeSeeking: modeSeeking() }), 1)?.weight // 1
 * modeSeekingAt(alternating(), 1) // undefined
 * @since 0.3.0
 * @category destructors
 */
export const modeSeekingAt = (schedule: Schedule, step: number): ModeSeeking | undefined =>
  schedule.modeSeeking === undefined || phaseAt(schedule, step).phase._tag !== 'Adversarial' ? undefined : schedule.modeSeeking

/**
 * The share of its batch that generator step `step` (1-based) learns from: max(ν, γ^⌊(step − 1)
 * / every⌋) with the schedule's top-k term in an adversarial phase; 1 in pretraining or without
 * the term.
 *
 * @example
 * import { alternating, topK, topKShareAt } from 'ganfp'
 * const s = alternating({ topK: topK({ keep: 0.5, decay: 0.5, every: 10 }) })
 * topKShareAt(s, 10) // 1
 * topKShareAt(s, 11) // 0.5
 * topKShareAt(alternating(), 11) // 1
 * @since 0.3.0
 * @category destructors
 */
export const topKShareAt = (schedule: Schedule, step: number): number => {
  const term = schedule.topK
  if (term === undefined || phaseAt(schedule, step).phase._tag !== 'Adversarial') return 1
  return Math.max(term.keep, term.decay ** Math.floor((step - 1) / term.every))
}

/**
 * How many of `rows` discriminator outputs a top-k update at `share` keeps: ⌈share · rows⌉, at
 * least 1.
 *
 * @example
 * import { topKCount } from 'ganfp'
 * topKCount(0.5, 256) // 128
 * topKCount(0.3, 5) // 2
 * @since 0.3.0
 * @category destructors
 */
export const topKCount = (share: number, rows: number): number => Math.max(1, Math.min(rows, Math.ceil(share * rows - 1e-9)))

/**
 * The phase that generator step `step` (1-based) belongs to, and its index; past the last
 * phase's end, the last phase.
 *
 * @example
 * import { alternating, pretrain, adversarial, mse, phaseAt } from 'ganfp'
 * const s = alternating({ phases: [pretrain({ steps: 10, loss: mse() }), adversarial()] })
 * phaseAt(s, 10).index // 0
 * phaseAt(s, 11).index // 1
 * @since 0.1.0
 * @category destructors
 */
export const phaseAt = (schedule: Schedule, step: number): { readonly phase: Phase; readonly index: number } => {
  let end = 0
  for (let index = 0; index < schedule.phases.length; index++) {
    const phase = schedule.phases[index]!
    if (phase.steps === undefined) return { phase, index }
    end += phase.steps
    if (step <= end) return { phase, index }
  }
  return { phase: schedule.phases[schedule.phases.length - 1]!, index: schedule.phases.length - 1 }
}

/**
 * The instance noise's standard deviation at generator step `step` (1-based): `std`, falling
 * linearly to 0 at `decaySteps`.
 *
 * @example
 * import { alternating, instanceNoiseStd } from 'ganfp'
 * const s = alternating({ instanceNoise: { std: 0.1, decaySteps: 100 } })
 * instanceNoiseStd(s, 51) // 0.05
 * @since 0.1.0
 * @category destructors
 */
export const instanceNoiseStd = (schedule: Schedule, step: number): number => {
  const noise = schedule.instanceNoise
  return noise === undefined ? 0 : noise.std * Math.max(0, 1 - (step - 1) / noise.decaySteps)
}
