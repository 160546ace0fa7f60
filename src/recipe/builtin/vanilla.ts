/**
 * The `vanilla` recipe's options and the GAN they give: the MLP GAN on protocol Q1's mixtures.
 * The recipe module (recipes/vanilla.ts) trains with it and `builtinGanOf` rebuilds a run's GAN
 * from it, so the two cannot disagree.
 *
 * @since 0.3.0
 */
import { gradientPenalty, r1 } from '../../dsl/penalty.ts'
import { withPenalties, type Gan } from '../../dsl/gan.ts'
import { hinge, leastSquares, minimax, wasserstein } from '../../dsl/loss.ts'
import { configCodec, type ConfigCodec } from '../../io/config.ts'
import {
  flag,
  nonNegativeNumberOrAutoFlag,
  oneOfFlag,
  positiveIntFlag,
  positiveIntOrAutoFlag,
  positiveNumberOrAutoFlag,
  shareOrAutoFlag,
  unitIntervalOrAutoFlag,
  type Flag,
  type FlagValues,
} from '../../io/flags.ts'
import { vanillaGan, vanillaLearningRateSchedule, vanillaSettingsFor } from '../../zoo/mlp-gan.ts'

/** The R1 penalty is lazy (StyleGAN2's regularisation): every 4th update, scaled by 4. */
const r1Every = 4

/**
 * The `vanilla` recipe's options, by flag name.
 * @since 0.3.0
 * @category recipes
 */
export type VanillaFlags = {
  readonly dataset: Flag<'ring' | 'grid'>
  readonly width: Flag<number | 'auto'>
  readonly 'latent-dim': Flag<number>
  readonly latent: Flag<'auto' | 'normal' | 'uniform'>
  readonly 'learning-rate': Flag<number | 'auto'>
  readonly 'learning-rate-schedule': Flag<'auto' | 'constant' | 'cosine'>
  readonly 'learning-rate-decay-steps': Flag<number | 'auto'>
  readonly 'average-decay': Flag<number | 'auto'>
  readonly pack: Flag<number | 'auto'>
  readonly loss: Flag<'non-saturating' | 'minimax' | 'least-squares' | 'hinge' | 'wasserstein-gp'>
  readonly r1: Flag<number | 'auto'>
  readonly 'top-k': Flag<number | 'auto'>
  readonly beta1: Flag<number | 'auto'>
  readonly beta2: Flag<number | 'auto'>
}

/**
 * The `vanilla` recipe's own options; the run options (`--steps`, `--batch`, `--seed`, `--out`, …)
 * come on top. `auto` values are chosen by mixture (`vanillaSettingsFor`).
 *
 * @example
 * import { vanillaFlags } from 'ganfp'
 * vanillaFlags.pack.before // 1: runs from before --pack resume unpacked
 * @since 0.3.0
 * @category recipes
 */
export const vanillaFlags: VanillaFlags = {
  dataset: flag(oneOfFlag(['ring', 'grid'] as const), 'ring', 'which mixture of Gaussians: a ring of 8 or a grid of 25'),
  width: flag(positiveIntOrAutoFlag, 'auto', 'units in each of the three hidden layers of G and D (auto: 64 on the ring, 128 on the grid)'),
  'latent-dim': flag(positiveIntFlag, 2, 'latent dimension'),
  // Runs made before the option existed drew normal latents, and resume that way.
  latent: flag(oneOfFlag(['auto', 'normal', 'uniform'] as const), 'auto', "the latent's distribution: standard normal, or uniform on [−1, 1] per coordinate (auto: normal on both mixtures)", { before: 'normal' as const }),
  'learning-rate': flag(positiveNumberOrAutoFlag, 'auto', 'Adam learning rate of both networks, at the start (auto: 5e-4 on the ring; on the grid 2e-3 with the cosine schedule, 1e-3 with a constant one)'),
  // Runs made before the option existed kept their learning rate constant, and resume that way.
  'learning-rate-schedule': flag(
    oneOfFlag(['auto', 'constant', 'cosine'] as const),
    'auto',
    'the learning rate over training: constant, or a cosine down to a tenth over --learning-rate-decay-steps updates, then held (auto: constant on the ring, cosine on the grid)',
    { before: 'constant' as const },
  ),
  // Runs made before the option existed that had a cosine let it fall over 20,000 updates, and resume that way.
  'learning-rate-decay-steps': flag(
    positiveIntOrAutoFlag,
    'auto',
    "updates over which a cosine learning rate falls to a tenth (auto: the mixture's default run length, 20,000; change it with --steps for a longer or shorter run)",
    { before: 20000 },
  ),
  'average-decay': flag(unitIntervalOrAutoFlag, 'auto', "decay of the generator's moving average used for sampling (0: none; auto: 0.998 on the ring, 0.999 on the grid)"),
  // Runs made before the option existed judged one sample at a time, and resume that way.
  pack: flag(positiveIntOrAutoFlag, 'auto', 'PacGAN: samples the discriminator judges at once (auto: 2 on the ring, 1 = none on the grid)', { before: 1 }),
  loss: flag(
    oneOfFlag(['non-saturating', 'minimax', 'least-squares', 'hinge', 'wasserstein-gp'] as const),
    'non-saturating',
    'adversarial loss (wasserstein-gp: the critic loss with the gradient penalty, λ 10)',
  ),
  // Runs made before the option existed had no R1 penalty, and resume that way.
  r1: flag(
    nonNegativeNumberOrAutoFlag,
    'auto',
    `γ of the R1 penalty on real data, (γ/2)·E‖∇D(x)‖², applied every ${r1Every}th discriminator update (0: none; auto: none on the ring, 0.1 on the grid)`,
    { before: 0 },
  ),
  // Runs made before the option existed trained G on every sample, and resume that way.
  'top-k': flag(
    shareOrAutoFlag,
    'auto',
    'top-k updates: G learns only from the share of its batch D scores most realistic, from all of it down to this floor (× 0.99 every 100 steps; 1: none; auto: none on both mixtures, see README)',
    { before: 1 },
  ),
  // Runs made before the options existed trained with Adam's β 0.5 and 0.999, and resume that way.
  beta1: flag(unitIntervalOrAutoFlag, 'auto', "Adam's β1, the momentum of both networks (auto: 0.5 on the ring, 0 on the grid)", { before: 0.5 }),
  beta2: flag(unitIntervalOrAutoFlag, 'auto', "Adam's β2, the decay of its squared-gradient average (auto: 0.999 on the ring, 0.99 on the grid)", { before: 0.999 }),
}

/**
 * The `vanilla` recipe's configuration: its options' values.
 * @since 0.3.0
 * @category recipes
 */
export type VanillaConfig = FlagValues<VanillaFlags>

/**
 * The `vanilla` recipe's configuration codec (options, defaults, `--help`).
 *
 * @example
 * import { vanillaConfig } from 'ganfp'
 * vanillaConfig.decode({ dataset: 'grid' })._tag // 'Right'
 * @since 0.3.0
 * @category recipes
 */
export const vanillaConfig: ConfigCodec<VanillaFlags> = configCodec(vanillaFlags)

/** A configuration's own value, or the mixture's where it says `auto`. */
const orAuto = <A>(value: A | 'auto', auto: A): A => (value === 'auto' ? auto : value)

/**
 * The hidden width a configuration trains with: its `--width`, or by mixture. The grid's 25 modes
 * need sharper transitions between them than the ring's 8: at 64 units a run keeps 16–18 of 25.
 *
 * @example
 * import { vanillaWidth } from 'ganfp'
 * vanillaWidth({ width: 'auto', dataset: 'grid' }) // 128
 * @since 0.3.0
 * @category recipes
 */
export const vanillaWidth = (config: Pick<VanillaConfig, 'width' | 'dataset'>): number => orAuto(config.width, vanillaSettingsFor(config.dataset).width)

/**
 * How many samples the discriminator judges at once: its `--pack`, or by mixture. On the ring a
 * pair (PacGAN2) keeps every mode on every seed (seed 7 lost one at 1).
 *
 * @example
 * import { vanillaPacking } from 'ganfp'
 * vanillaPacking({ pack: 'auto', dataset: 'ring' }) // 2
 * @since 0.3.0
 * @category recipes
 */
export const vanillaPacking = (config: Pick<VanillaConfig, 'pack' | 'dataset'>): number => orAuto(config.pack, vanillaSettingsFor(config.dataset).packing)

/**
 * The latent's distribution a configuration trains with: its `--latent`, or by mixture.
 *
 * @example
 * import { vanillaLatent } from 'ganfp'
 * vanillaLatent({ latent: 'auto', dataset: 'grid' }) // 'normal'
 * @since 0.3.0
 * @category recipes
 */
export const vanillaLatent = (config: Pick<VanillaConfig, 'latent' | 'dataset'>): 'normal' | 'uniform' =>
  orAuto(config.latent, vanillaSettingsFor(config.dataset).latent)

/** Another loss than the default, as a change to the GAN (WGAN-GP also adds its penalty). */
const withLossNamed = (spec: Gan, loss: VanillaConfig['loss']): Gan => {
  switch (loss) {
    case 'non-saturating':
      return spec
    case 'minimax':
      return { ...spec, loss: minimax() }
    case 'least-squares':
      return { ...spec, loss: leastSquares() }
    case 'hinge':
      return { ...spec, loss: hinge() }
    case 'wasserstein-gp':
      return { ...spec, loss: wasserstein(), penalties: [gradientPenalty({ weight: 10 })] }
  }
}

/**
 * The GAN the `vanilla` recipe trains for a configuration.
 *
 * @example
 * import { compileOrThrow, getOrThrow, vanillaConfig, vanillaRecipeGan } from 'ganfp'
 * compileOrThrow(vanillaRecipeGan(getOrThrow(vanillaConfig.decode({ dataset: 'grid' })))).generator.inputShape // [2]
 * @since 0.3.0
 * @category recipes
 */
export const vanillaRecipeGan = (config: VanillaConfig): Gan => {
  const byMixture = vanillaSettingsFor(config.dataset)
  const averageDecay = orAuto(config['average-decay'], byMixture.averageDecay)
  const gamma = orAuto(config.r1, byMixture.r1Gamma)
  const schedule = orAuto(config['learning-rate-schedule'], byMixture.schedule)
  const spec = withLossNamed(
    vanillaGan({
      width: vanillaWidth(config),
      latentDim: config['latent-dim'],
      learningRate: orAuto(config['learning-rate'], byMixture.learningRate[schedule]),
      learningRateSchedule: vanillaLearningRateSchedule(schedule, orAuto(config['learning-rate-decay-steps'], byMixture.steps)),
      generatorAverageDecay: averageDecay === 0 ? undefined : averageDecay,
      packing: vanillaPacking(config),
      topKKeep: orAuto(config['top-k'], byMixture.topKKeep),
      beta1: orAuto(config.beta1, byMixture.beta1),
      beta2: orAuto(config.beta2, byMixture.beta2),
      ...(vanillaLatent(config) === 'uniform' ? { latent: 'uniform' as const } : {}),
    }),
    config.loss,
  )
  return gamma === 0 ? spec : withPenalties([...spec.penalties, r1({ gamma, every: r1Every })])(spec)
}

/**
 * The run defaults that follow a configuration's mixture: the run length (`--steps`, which the
 * recipe's cosine learning rate falls over) and the batch (`--batch`). The grid's 128-unit layers
 * train on batches of 192: a step of 256 costs 17.8 ms on two wasm threads of a 2-core machine,
 * one of 192 13.0 ms, so 20,000 steps fit Q1's 5 minutes.
 *
 * @example
 * import { vanillaRunDefaults } from 'ganfp'
 * vanillaRunDefaults({ dataset: 'grid' }) // { steps: 20000, batch: 192 }
 * @since 0.3.0
 * @category recipes
 */
export const vanillaRunDefaults = (config: Pick<VanillaConfig, 'dataset'>): { readonly steps: number; readonly batch: number } => {
  const { steps, batch } = vanillaSettingsFor(config.dataset)
  return { steps, batch }
}
