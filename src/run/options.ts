/**
 * The options of a run: the ones every run takes (`--steps`, `--batch`, `--out`, …) on top of the
 * recipe's own, their `--help` text, and both decoded from a command line at once.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../errors.ts'
import { backendChoices, type BackendChoice } from '../compile/backend.ts'
import {
  flag,
  flagsHelp,
  intFlag,
  nonNegativeIntFlag,
  nonNegativeNumberFlag,
  oneOfFlag,
  positiveIntFlag,
  stringFlag,
  type Flag,
  type FlagValues,
  type Flags,
} from '../io/flags.ts'
import { parseFlags } from './parse-flags.ts'
import type { Recipe, RunDefaults } from '../recipe/define.ts'
import { runDefaultsProblems } from '../recipe/problems.ts'

/**
 * The options every run takes, on top of the recipe's own.
 *
 * @since 0.1.0
 * @category model
 */
// A type alias, not an interface: it must fit `Flags`, whose index signature interfaces lack.
export type RunFlags = {
  readonly steps: Flag<number>
  readonly batch: Flag<number>
  readonly seed: Flag<number>
  readonly out: Flag<string>
  readonly backend: Flag<BackendChoice>
  readonly threads: Flag<number>
  readonly minutes: Flag<number>
  readonly 'checkpoint-every': Flag<number>
  readonly keep: Flag<number>
  readonly 'sample-every': Flag<number>
  readonly 'log-every': Flag<number>
}

/**
 * The options every run takes, on top of the recipe's own, with the recipe's run defaults.
 *
 * @example
 * import { runFlags } from 'ganfp/node'
 * runFlags({ name: 'dcgan' }).out.defaultValue // 'runs/dcgan'
 * runFlags({ name: 'x', runDefaults: { batch: 32 } }).batch.defaultValue // 32
 * @since 0.1.0
 * @category constructors
 */
export const runFlags = (recipe: Pick<Recipe, 'name' | 'runDefaults'>): RunFlags => {
  const d = recipe.runDefaults ?? {}
  return {
    steps: flag(positiveIntFlag, d.steps ?? 2000, 'generator steps in all'),
    batch: flag(positiveIntFlag, d.batch ?? 64, 'examples per batch'),
    seed: flag(intFlag, 1, 'seed of the whole run'),
    out: flag(stringFlag, `runs/${recipe.name}`, 'run directory (must be new or empty)'),
    backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
    threads: flag(nonNegativeIntFlag, d.threads ?? 0, 'wasm threads (0: every core)'),
    minutes: flag(nonNegativeNumberFlag, 0, 'wall-clock budget; out of time, the run checkpoints, writes its final outputs and stops (0: none)'),
    'checkpoint-every': flag(positiveIntFlag, d.checkpointEvery ?? 500, 'steps between checkpoints'),
    keep: flag(positiveIntFlag, 3, 'checkpoints kept (the newest)'),
    'sample-every': flag(positiveIntFlag, d.sampleEvery ?? 200, 'steps between sample grids'),
    'log-every': flag(positiveIntFlag, d.logEvery ?? 10, 'steps between lines of metrics.jsonl'),
  }
}

/**
 * The run options' values.
 * @since 0.1.0
 * @category model
 */
export type RunConfig = FlagValues<RunFlags>

/** The recipe's options and the run's in one set; a recipe option named like a run option is an error. */
const recipeFlagsWithRun = (recipe: Recipe): E.Either<ReadonlyArray<GanError>, Flags> => {
  const run = runFlags(recipe)
  const options = recipe.config.options
  const clashes = Object.keys(options).filter((key) => key in run || key === 'help')
  return clashes.length > 0
    ? E.left(clashes.map((key) => invalidConfig(`recipe(${recipe.name}).config.options.${key}`, 'a name no run option has', `--${key}`)))
    : E.right({ ...options, ...run })
}

/**
 * `--help` text for a recipe: its own options and the run options, with types and defaults, under
 * the command that runs it (`ganfp train NAME` unless said otherwise).
 *
 * @example
 * import { recipeHelp } from 'ganfp/node'
 * import dcgan from './recipes/dcgan.ts'
 * recipeHelp(dcgan).includes('--latent-dim') // true
 *
 * @since 0.1.0
 * @category destructors
 */
export const recipeHelp = (recipe: Recipe, command = `ganfp train ${recipe.name}`): string => {
  const run = runFlags(recipe)
  // One help text over both sets, so the columns line up; the run options under their own heading.
  const options = recipe.config.options
  const lines = flagsHelp(command, recipe.description, { ...options, ...run }).split('\n')
  const firstRun = 3 + Object.keys(options).length
  const settings = recipe.settings === undefined || recipe.settings.length === 0 ? [] : ['', 'What matters in the defaults:', ...recipe.settings.map((line) => `  - ${line}`)]
  return [...lines.slice(0, firstRun), ...settings, '', 'Run options (every recipe):', ...lines.slice(firstRun)].join('\n')
}

/**
 * The recipe's and the run's options decoded from `argv`, every problem at once, before anything
 * is built or written. A run option the command line leaves out takes the recipe's
 * `runDefaultsFor` value for this configuration where it has one, else its `runDefaults` value.
 *
 * @example
 * import { parseRecipeArgs } from 'ganfp/node'
 * import dcgan from './recipes/dcgan.ts'
 * parseRecipeArgs(dcgan, ['--width', '8', '--steps', '10'])
 * // Right({ help: false, recipeConfig: { width: 8, dataset: 'mnist', … }, run: { steps: 10, batch: 64, … } })
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRecipeArgs = (
  recipe: Recipe,
  argv: ReadonlyArray<string>,
): E.Either<ReadonlyArray<GanError>, { readonly help: boolean; readonly recipeConfig: Record<string, unknown>; readonly run: RunConfig }> => {
  const flags = recipeFlagsWithRun(recipe)
  if (E.isLeft(flags)) return flags
  const parsed = parseFlags(flags.right, argv)
  if (E.isLeft(parsed)) return parsed
  const values = parsed.right.values as Record<string, unknown>
  const runKeys = Object.keys(runFlags(recipe))
  const recipeConfig = Object.fromEntries(Object.entries(values).filter(([key]) => !runKeys.includes(key)))
  // Checks across the recipe's options (help needs none: it is asked for before a config is whole).
  const problems = parsed.right.help ? [] : recipe.config.check(recipeConfig as never)
  if (problems.length > 0) return E.left(problems)
  // --help needs no run defaults for a configuration: it shows the recipe's own.
  const defaults = parsed.right.help ? E.right(recipe.runDefaults ?? {}) : runDefaultsOf(recipe, recipeConfig)
  if (E.isLeft(defaults)) return defaults
  const defaultFlags = runFlags({ name: recipe.name, runDefaults: defaults.right })
  return E.right({
    help: parsed.right.help,
    recipeConfig,
    run: Object.fromEntries(runKeys.map((key) => [key, parsed.right.given.includes(key) ? values[key] : defaultFlags[key as keyof RunFlags].defaultValue])) as RunConfig,
  })
}

/**
 * A recipe's run defaults for a configuration: its `runDefaults` with what its `runDefaultsFor`
 * returns on top, checked like `runDefaults`.
 */
const runDefaultsOf = (recipe: Recipe, recipeConfig: Record<string, unknown>): E.Either<ReadonlyArray<GanError>, RunDefaults> => {
  if (recipe.runDefaultsFor === undefined) return E.right(recipe.runDefaults ?? {})
  const following: unknown = recipe.runDefaultsFor(recipeConfig)
  const problems = runDefaultsProblems(`recipe(${recipe.name}).runDefaultsFor(config)`, following)
  return problems.length > 0 ? E.left(problems) : E.right({ ...recipe.runDefaults, ...(following as RunDefaults) })
}
