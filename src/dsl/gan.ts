/**
 * A GAN is a value: two networks, a latent distribution, a loss, a schedule and one optimizer per
 * network. Building one allocates nothing; `check` and `compile` give it meaning.
 *
 * @since 0.1.0
 */
import { normalLatent, type Latent } from './latent.ts'
import { nonSaturating, type GanLoss } from './loss.ts'
import type { Network } from './network.ts'
import { adam, type Optimizer } from './optimizer.ts'
import type { Penalty } from './penalty.ts'
import type { DiffAugment } from './augmentation.ts'
import { alternating, type Schedule } from './schedule.ts'
import { isShape } from './describe.ts'
import { shapeSize } from './shape.ts'

/**
 * A whole GAN as data: both networks, the latent, the loss, the schedule, the optimizers and the
 * penalties. Made by `gan` and the `with…` combinators; `compile` checks and compiles it.
 *
 * @since 0.1.0
 * @category model
 */
export interface Gan {
  readonly _tag: 'Gan'
  readonly generator: Network
  readonly discriminator: Network
  readonly latent: Latent
  readonly loss: GanLoss
  readonly schedule: Schedule
  readonly optimizers: { readonly generator: Optimizer; readonly discriminator: Optimizer }
  /** Added to the discriminator's loss (gradient penalties); none by default. */
  readonly penalties: ReadonlyArray<Penalty>
  /** Applied to every input of the discriminator in training; absent (not `undefined`) when off. */
  readonly augmentation?: DiffAugment
}

/**
 * A GAN from its parts; the latent defaults to a standard normal of the generator's input size,
 * the loss to non-saturating, the schedule to one D step per G step, the optimizers to Adam.
 *
 * @example
 * import { gan, mlp, relu, leakyRelu } from 'ganfp'
 * const g = gan({ generator: mlp([8], [64], relu, 2), discriminator: mlp([2], [64], leakyRelu(0.2), 1) })
 * g.latent.dim // 8
 *
 * @since 0.1.0
 * @category constructors
 */
export const gan = (parts: {
  readonly generator: Network
  readonly discriminator: Network
  readonly latent?: Latent
  readonly loss?: GanLoss
  readonly schedule?: Schedule
  readonly optimizers?: { readonly generator?: Optimizer; readonly discriminator?: Optimizer }
  readonly penalties?: ReadonlyArray<Penalty>
  readonly augmentation?: DiffAugment
}): Gan => {
  // Accepts anything (a value from JSON, or JavaScript without types): `checkGan` and `compile`
  // report what is wrong, with paths, instead of a TypeError from here.
  const given = (typeof parts === 'object' && parts !== null ? parts : {}) as Partial<typeof parts>
  const inputShape = (given.generator as { inputShape?: unknown } | null | undefined)?.inputShape
  return {
    _tag: 'Gan',
    generator: given.generator as Network,
    discriminator: given.discriminator as Network,
    // The default latent fits the generator's input; without one to read, a 1-d placeholder
    // (the generator's own error is what gets reported).
    latent: given.latent ?? normalLatent(isShape(inputShape) ? shapeSize(inputShape) : 1),
    loss: given.loss ?? nonSaturating(),
    schedule: given.schedule ?? alternating(),
    optimizers: {
      generator: given.optimizers?.generator ?? adam(),
      discriminator: given.optimizers?.discriminator ?? adam(),
    },
    penalties: given.penalties ?? [],
    // No key at all without augmentation: such a spec is the same value as before the field existed.
    ...(given.augmentation === undefined ? {} : { augmentation: given.augmentation }),
  }
}

/**
 * Replaces the loss (data-last, for `pipe`).
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { gan, withLoss, minimax, mlp, relu } from 'ganfp'
 * const g = pipe(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }), withLoss(minimax()))
 * g.loss._tag // 'Minimax'
 *
 * @since 0.1.0
 * @category combinators
 */
export const withLoss =
  (loss: GanLoss) =>
  (g: Gan): Gan => ({ ...g, loss })

/**
 * Replaces the schedule (data-last, for `pipe`).
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { gan, withSchedule, alternating, mlp, relu } from 'ganfp'
 * const g = pipe(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }), withSchedule(alternating({ discriminatorStepsPerGeneratorStep: 2 })))
 * g.schedule.discriminatorStepsPerGeneratorStep // 2
 *
 * @since 0.1.0
 * @category combinators
 */
export const withSchedule =
  (schedule: Schedule) =>
  (g: Gan): Gan => ({ ...g, schedule })

/**
 * Replaces one or both optimizers (data-last, for `pipe`).
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { gan, withOptimizers, sgd, mlp, relu } from 'ganfp'
 * const g = pipe(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }), withOptimizers({ generator: sgd({ learningRate: 0.1 }) }))
 * g.optimizers.generator._tag // 'Sgd'
 *
 * @since 0.1.0
 * @category combinators
 */
export const withOptimizers =
  (optimizers: { readonly generator?: Optimizer; readonly discriminator?: Optimizer }) =>
  (g: Gan): Gan => ({
    ...g,
    optimizers: {
      generator: optimizers.generator ?? g.optimizers.generator,
      discriminator: optimizers.discriminator ?? g.optimizers.discriminator,
    },
  })

/**
 * Replaces the discriminator's penalties (data-last, for `pipe`).
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { gan, withPenalties, gradientPenalty, mlp, relu } from 'ganfp'
 * const g = pipe(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }), withPenalties([gradientPenalty()]))
 * g.penalties[0]._tag // 'GradientPenalty'
 *
 * @since 0.1.0
 * @category combinators
 */
export const withPenalties =
  (penalties: ReadonlyArray<Penalty>) =>
  (g: Gan): Gan => ({ ...g, penalties })

/**
 * Adds differentiable augmentation to every input of the discriminator in training (data-last,
 * for `pipe`); the discriminator's input must be an image, `[h, w, c]`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { gan, withAugmentation, diffAugment, sequential, dense, reshape, flatten } from 'ganfp'
 * const g = pipe(gan({ generator: sequential([4], [dense(16), reshape([4, 4, 1])]), discriminator: sequential([4, 4, 1], [flatten, dense(1)]) }), withAugmentation(diffAugment()))
 * g.augmentation?.cutout // 0.5
 *
 * @since 0.3.0
 * @category combinators
 */
export const withAugmentation =
  (augmentation: DiffAugment) =>
  (g: Gan): Gan => ({ ...g, augmentation })
