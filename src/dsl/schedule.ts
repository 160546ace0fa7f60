/**
 * The min-max schedule as data: how the two players take turns, and how the generator used for
 * sampling is derived from the one being trained.
 *
 * @since 0.1.0
 */

/**
 * Each training step runs `discriminatorStepsPerGeneratorStep` discriminator updates (each on a
 * fresh real batch) followed by one generator update. With `generatorAverageDecay` set, the
 * trainer also keeps an exponential moving average of the generator's parameters and samples from
 * it (Yazıcı et al., "The unusual effectiveness of averaging in GAN training"): the trained
 * generator circles the equilibrium, the average sits nearer to it.
 *
 * @since 0.1.0
 * @category model
 */
export interface Schedule {
  readonly _tag: 'Alternating'
  readonly discriminatorStepsPerGeneratorStep: number
  /** Decay of the generator's moving average, in [0, 1); `undefined` samples the trained generator. */
  readonly generatorAverageDecay: number | undefined
}

/**
 * @example
 * import { alternating } from 'ganfp'
 * alternating({ discriminatorStepsPerGeneratorStep: 5 }).discriminatorStepsPerGeneratorStep // 5
 * alternating({ generatorAverageDecay: 0.999 }).generatorAverageDecay // 0.999
 * @since 0.1.0
 * @category constructors
 */
export const alternating = (
  options: { readonly discriminatorStepsPerGeneratorStep?: number; readonly generatorAverageDecay?: number } = {},
): Schedule => ({
  _tag: 'Alternating',
  discriminatorStepsPerGeneratorStep: options.discriminatorStepsPerGeneratorStep ?? 1,
  generatorAverageDecay: options.generatorAverageDecay,
})
