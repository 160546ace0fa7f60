/**
 * A recipe is an ordinary module whose default export says how to build one kind of run: its
 * configuration (an io-ts codec of options with defaults and descriptions), the GAN it builds
 * from that configuration, the data it trains on, and optionally how it scores the result.
 * `ganfp train RECIPE` (or running the module itself, see `runIfMain`) does the rest: validation,
 * the run directory, checkpoints, sample grids, progress and alarms. Built-in recipes are written
 * with nothing else.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { GanException, type GanError } from '../errors.ts'
import type { Gan } from '../dsl/gan.ts'
import type { Dataset } from '../data/dataset.ts'
import type { ConfigCodec } from '../io/config.ts'
import type { FlagValues, Flags } from '../io/flags.ts'
import type { Trainer } from '../train/trainer.ts'

/**
 * What a recipe function may return: the value, the value or errors, or a promise of either.
 *
 * @since 0.1.0
 * @category model
 */
export type RecipeResult<A> = A | E.Either<ReadonlyArray<GanError>, A> | Promise<A | E.Either<ReadonlyArray<GanError>, A>>

/**
 * What a recipe's hooks get: the trained (or training) run.
 *
 * @since 0.1.0
 * @category model
 */
export interface RecipeContext<C> {
  readonly config: C
  /** The run's seed (`--seed`): evaluation draws that depend on it differ between seeds, as the run does. */
  readonly seed: number
  readonly trainer: Trainer
  /** The run directory: where the recipe writes its own outputs. */
  readonly out: string
  /** Reports a line to whoever watches the run (the progress display). */
  readonly log: (line: string) => void
}

/**
 * Scores a recipe's `evaluate` returns: JSON values, written to `OUT/evaluation.json`.
 *
 * @since 0.1.0
 * @category model
 */
export type EvaluationScores = Readonly<Record<string, unknown>>

/**
 * How a grid of samples is drawn: `count` samples (row-major, the generator's output shape
 * `shape`) in rows of `columns`.
 *
 * @since 0.1.0
 * @category model
 */
export interface RenderRequest {
  readonly count: number
  readonly columns: number
  readonly shape: ReadonlyArray<number>
}

/**
 * Defaults a recipe may give the run options (`--steps`, `--batch`, `--sample-every`, …).
 *
 * @since 0.1.0
 * @category model
 */
export interface RunDefaults {
  readonly steps?: number
  readonly batch?: number
  readonly sampleEvery?: number
  readonly checkpointEvery?: number
  readonly logEvery?: number
  readonly threads?: number
}

/**
 * A recipe. Only `name`, `description`, `config`, `build` and `data` are required; image
 * generators (output `[h, w, c]`, values in `outputRange`) get sample grids and `ganfp eval`
 * without more, other outputs say how to draw themselves with `render`.
 *
 * Plain `Recipe` is a recipe of any configuration: what loaders and the run take. (An io-ts codec
 * is invariant in its value type, so the erased form cannot be `Recipe<Flags>`.)
 *
 * @since 0.1.0
 * @category model
 */
// deno-lint-ignore no-explicit-any
export interface Recipe<F extends Flags = any> {
  /** Short, lower-case, no spaces: the default run directory is `runs/NAME`. */
  readonly name: string
  readonly description: string
  /** The recipe's own options; the run options (`--steps`, `--batch`, `--out`, …) come on top. */
  readonly config: ConfigCodec<F>
  readonly runDefaults?: RunDefaults
  /**
   * Run defaults that follow the recipe's options (the vanilla recipe's batch by mixture):
   * where the command line leaves a run option out, these win over `runDefaults`. `--help` shows
   * `runDefaults`; say in `settings` what changes them.
   */
  runDefaultsFor?(config: FlagValues<F>): RunDefaults
  /** What matters in its defaults and why, one line each: `--help` prints them under the options. */
  readonly settings?: ReadonlyArray<string>
  /** The GAN for a configuration; errors with paths (or a thrown `GanException`) if it cannot be. */
  build(config: FlagValues<F>): RecipeResult<Gan>
  /** The training data for a configuration. */
  data(config: FlagValues<F>): RecipeResult<Dataset>
  /**
   * The quality check once training has run its steps (or its time): writes what it likes under
   * `out`, returns scores for `OUT/evaluation.json`.
   */
  evaluate?(context: RecipeContext<FlagValues<F>>): Promise<EvaluationScores | void>
  /** Outputs when training starts or resumes, before its first step (the CGAN's `classes.json`). */
  started?(context: RecipeContext<FlagValues<F>>): Promise<void>
  /** Outputs when a schedule phase has run its last step (the generator as it left pretraining). */
  phaseEnded?(context: RecipeContext<FlagValues<F>> & { readonly phase: number }): Promise<void>
  /** A PNG of samples; the default draws image outputs as a grid and 2-D points as a scatter plot. */
  render?(samples: Float32Array, request: RenderRequest, config: FlagValues<F>): Uint8Array
  /** The range of image outputs, mapped to [0, 1] for grids and evaluation; default [−1, 1] (tanh). */
  readonly outputRange?: readonly [number, number]
}

/**
 * Declares a recipe: an identity that ties the configuration's type to `build` and `data`. A
 * recipe module exports it as its default and may end with `runIfMain(import.meta, recipe)`.
 *
 * @example
 * import { configCodec, defineRecipe, flag, gan, mlp, positiveIntFlag, relu, ring } from 'ganfp'
 * const recipe = defineRecipe({
 *   name: 'tiny-ring',
 *   description: 'a small MLP GAN on the ring',
 *   config: configCodec({ width: flag(positiveIntFlag, 32, 'hidden units') }),
 *   runDefaults: { steps: 500, batch: 64 },
 *   build: (config) => gan({ generator: mlp([2], [config.width], relu, 2), discriminator: mlp([2], [config.width], relu, 1) }),
 *   data: () => ring(),
 * })
 * recipe.config.decode({}) // { _tag: 'Right', right: { width: 32 } }
 * @since 0.1.0
 * @category constructors
 */
export const defineRecipe = <F extends Flags>(recipe: Recipe<F>): Recipe<F> => recipe

const isEither = (value: unknown): value is E.Either<ReadonlyArray<GanError>, unknown> =>
  typeof value === 'object' && value !== null && ((value as { _tag?: unknown })._tag === 'Left' || (value as { _tag?: unknown })._tag === 'Right')

/**
 * A recipe function's result as an `Either`: awaited, and a thrown `GanException` as its errors.
 *
 * @example
 * import { recipeResult } from 'ganfp'
 * await recipeResult(() => 3) // { _tag: 'Right', right: 3 }
 * @since 0.1.0
 * @category destructors
 */
export const recipeResult = async <A>(run: () => RecipeResult<A>): Promise<E.Either<ReadonlyArray<GanError>, A>> => {
  try {
    const value = await run()
    return isEither(value) ? (value as E.Either<ReadonlyArray<GanError>, A>) : E.right(value as A)
  } catch (error) {
    if (error instanceof GanException) return E.left(error.errors)
    throw error
  }
}
