/**
 * A recipe is an ordinary module that says how to build one kind of run: its options (flags with
 * io-ts codecs, defaults and descriptions) and a function from their values to a GAN, a dataset
 * and a way to draw samples. `ganfp train RECIPE` (or running the recipe module itself) does the
 * rest: validation, the run directory, checkpoints, progress and alarms.
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { GanError } from './errors.ts'
import type { Gan } from './dsl/gan.ts'
import type { Dataset } from './data/dataset.ts'
import type { FlagValues, Flags } from './io/flags.ts'
import type { Trainer } from './train/trainer.ts'

/**
 * What a recipe builds from its configuration.
 *
 * @since 0.1.0
 * @category model
 */
export interface RecipeSetup {
  readonly gan: Gan
  readonly dataset: Dataset
  readonly batchSize: number
  /**
   * A PNG of `count` generator samples (row-major, the generator's output shape): the run's grids;
   * `columns` asks for that many per row (a strip, a table), the default being a square.
   */
  readonly render: (samples: Float32Array, count: number, columns?: number) => Uint8Array
  /**
   * For image GANs: generator samples mapped to images in [0, 1] (28×28×1 for the bundled sets),
   * so that `ganfp eval` can score a run from its newest checkpoint.
   */
  readonly toUnitImages?: (samples: Float32Array) => Float32Array
  /**
   * Recipe-specific outputs when a schedule phase has run its last step (the generator as it left
   * MSE pretraining, say), written under `out`.
   */
  readonly phaseEnded?: (context: {
    readonly trainer: Trainer
    readonly phase: number
    readonly out: string
    readonly log: (line: string) => void
  }) => Promise<void>
  /**
   * Recipe-specific outputs once training has run its steps (samples for evaluation, a score):
   * written under `out`, reported through `log`.
   */
  readonly finish?: (context: {
    readonly trainer: Trainer
    readonly out: string
    readonly log: (line: string) => void
  }) => Promise<void>
}

/**
 * Defaults a recipe may give the run options (`--steps`, `--sample-every`, …).
 *
 * @since 0.1.0
 * @category model
 */
export interface RunDefaults {
  readonly steps?: number
  readonly sampleEvery?: number
  readonly checkpointEvery?: number
  readonly logEvery?: number
  readonly threads?: number
}

/**
 * @since 0.1.0
 * @category model
 */
export interface Recipe<F extends Flags = Flags> {
  readonly name: string
  readonly description: string
  /** The recipe's own options; the run options (steps, seed, out, …) come on top. */
  readonly flags: F
  readonly runDefaults?: RunDefaults
  /**
   * Builds the run; a configuration that cannot work is errors with paths, before any tensor
   * exists. (Method syntax on purpose: a `Recipe<F>` is then usable where any `Recipe` is.)
   */
  setup(config: FlagValues<F>): E.Either<ReadonlyArray<GanError>, RecipeSetup>
}

/**
 * Declares a recipe (an identity that fixes the type of its flags for `setup`).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { defineRecipe, encodePng, flag, gan, mixtureScatter, mlp, positiveIntFlag, relu, ring, ringMixture } from 'ganfp'
 * export const recipe = defineRecipe({
 *   name: 'tiny-ring',
 *   description: 'a small MLP GAN on the ring',
 *   flags: { width: flag(positiveIntFlag, 32, 'hidden units') },
 *   setup: (config) => E.right({
 *     gan: gan({ generator: mlp([2], [config.width], relu, 2), discriminator: mlp([2], [config.width], relu, 1) }),
 *     dataset: ring(),
 *     batchSize: 64,
 *     render: (samples) => encodePng(mixtureScatter(ringMixture, samples)),
 *   }),
 * })
 * @since 0.1.0
 * @category constructors
 */
export const defineRecipe = <F extends Flags>(recipe: Recipe<F>): Recipe<F> => recipe
