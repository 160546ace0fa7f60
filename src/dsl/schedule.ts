/**
 * The min-max schedule as data: how the two players take turns.
 *
 * @since 0.1.0
 */

/**
 * Each training step runs `discriminatorStepsPerGeneratorStep` discriminator updates (each on a
 * fresh real batch) followed by one generator update.
 *
 * @since 0.1.0
 * @category model
 */
export interface Schedule {
  readonly _tag: 'Alternating'
  readonly discriminatorStepsPerGeneratorStep: number
}

/**
 * @example
 * import { alternating } from 'ganfp'
 * alternating({ discriminatorStepsPerGeneratorStep: 5 }).discriminatorStepsPerGeneratorStep // 5
 * @since 0.1.0
 * @category constructors
 */
export const alternating = (
  options: { readonly discriminatorStepsPerGeneratorStep?: number } = {},
): Schedule => ({
  _tag: 'Alternating',
  discriminatorStepsPerGeneratorStep: options.discriminatorStepsPerGeneratorStep ?? 1,
})
