/**
 * Starting, restoring and resuming runs: a recipe and its options turned into a run directory
 * that fills as training goes, and a run directory opened again from its manifest and newest
 * checkpoint. On the same backend a resumed run logs the same numbers an uninterrupted one would.
 * Each returns its problems as a `Left` (bad options, a recipe that does not build, a checkpoint
 * that does not fit, a file that cannot be written); each has an `…OrThrow` twin for scripts.
 *
 * @since 0.1.0
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import type { BackendChoice, BackendSelection } from '../compile/backend.ts'
import type { CompiledGan } from '../compile/gan.ts'
import type { Dataset } from '../data/dataset.ts'
import { tf } from '../compile/tf.ts'
import { setAsideCheckpoints, type Checkpoint } from '../node/checkpoint.ts'
import { createRunDirectory, openRunDirectory, type RunDirectory, type RunManifest } from '../node/run-directory.ts'
import { recipeResult, type Recipe } from '../recipe/define.ts'
import { runtimeInfo } from '../runtime.ts'
import { initialHealthState, type HealthState } from '../train/health.ts'
import { createTrainer, type Trainer } from '../train/trainer.ts'
import type { TrainerOptions } from '../train/trainer-types.ts'
import { libraryVersion } from '../version.ts'
import { execute, selectBackend, type RunEvents, type RunSummary } from './execute.ts'
import { recipeModuleReference } from './module-reference.ts'
import { parseRecipeArgs, runFlags, type RunConfig } from './options.ts'
import type { Flags } from '../io/flags.ts'
import { generatorInputs, gridSampleCount, prepareRecipe, type RecipeSetup } from './prepare.ts'
import { chooseCheckpoint, verifyCheckpoint } from './resume-checkpoint.ts'

/**
 * How `restoreRun` and `resumeRun` find a run's recipe from its manifest's `recipe.module`: the
 * recipe, or its problems as a `Left` (as `loadRecipe` gives them).
 *
 * @since 0.1.0
 * @category model
 */
export type RecipeLoader = (module: string) => Promise<Recipe | E.Either<ReadonlyArray<GanError>, Recipe>>

/**
 * A run directory opened to continue (see `restoreRun`); the caller disposes `trainer`.
 *
 * @since 0.1.0
 * @category model
 */
export interface RestoredRun {
  readonly directory: RunDirectory
  readonly run: RunConfig
  readonly setup: RecipeSetup
  readonly checkpoint: Checkpoint
  readonly health: HealthState
  readonly backend: BackendSelection
  readonly trainer: Trainer
}

/** The trainer's options by the run's flags that set them. */
const trainerOptionFlags: Readonly<Record<string, string>> = { batchSize: '--batch', seed: '--seed' }

/** `createTrainer` for a run, its problems named by the run's flags (a user set `--batch`, not `batchSize`). */
const trainerFor = (compiled: CompiledGan, dataset: Dataset, options: TrainerOptions): E.Either<ReadonlyArray<GanError>, Trainer> =>
  E.mapLeft((errors: ReadonlyArray<GanError>) => errors.map((error) => ({ ...error, path: trainerOptionFlags[error.path] ?? error.path })))(
    createTrainer(compiled, dataset, options),
  )

/**
 * Starts a new run of `recipe` with command-line `argv`; `module` is how `ganfp resume` finds the
 * recipe again (`builtin:NAME`, a module path or a package name). Bad options are a `Left` before
 * any directory is created; `'help'` when `argv` asks for `--help`.
 *
 * @example
 * import { startRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await startRun(vanilla, 'builtin:vanilla', ['--steps', '100', '--out', 'runs/ring'])
 * // { _tag: 'Right', right: { directory: 'runs/ring', ended: 'completed', step: 100, checkpoint: 'runs/ring/checkpoints/step-00000100', alarms: [] } }
 * await startRun(vanilla, 'builtin:vanilla', ['--steps', '0']) // { _tag: 'Left', left: [InvalidConfig at --steps] }
 * @since 0.1.0
 * @category runs
 */
export const startRun = async (
  recipe: Recipe,
  module: string,
  argv: ReadonlyArray<string>,
  events: RunEvents = {},
  signal?: AbortSignal,
): Promise<E.Either<ReadonlyArray<GanError>, RunSummary | 'help'>> => {
  const parsed = parseRecipeArgs(recipe, argv)
  if (E.isLeft(parsed)) return parsed
  if (parsed.right.help) return E.right('help')
  const { run, recipeConfig } = parsed.right
  const prepared = await prepareRecipe(recipe, recipeConfig, run.batch)
  if (E.isLeft(prepared)) return prepared
  const { setup, compiled } = prepared.right
  const backend = await selectBackend(run)
  if (E.isLeft(backend)) return backend
  // The sample grids' inputs, checked before the run directory exists: data too small for them
  // is refused with nothing left on disk.
  const gridInputs = await generatorInputs(setup, gridSampleCount, run.seed + 1)
  if (E.isLeft(gridInputs)) return gridInputs
  const manifest: RunManifest = {
    format: 'ganfp-run',
    formatVersion: 1,
    recipe: {
      name: recipe.name,
      module: recipeModuleReference(module),
    },
    argv: [...argv],
    config: { ...recipeConfig, ...run },
    seed: run.seed,
    backend: { requested: run.backend, name: backend.right.name, reason: backend.right.reason },
    runtime: runtimeInfo(),
    versions: { ganfp: libraryVersion, '@tensorflow/tfjs-core': tf.version_core },
    createdAt: new Date().toISOString(),
  }
  const trainer = trainerFor(compiled, setup.dataset, { seed: run.seed, batchSize: setup.batchSize })
  if (E.isLeft(trainer)) return trainer
  try {
    const directory = createRunDirectory(run.out, manifest)
    if (E.isLeft(directory)) return directory
    return await execute({
      directory: directory.right,
      trainer: trainer.right,
      setup,
      run,
      backend: backend.right,
      health: initialHealthState,
      rows: [],
      resumed: false,
      events,
      signal,
    })
  } finally {
    trainer.right.dispose()
  }
}

/**
 * The throwing twin of `startRun`, for scripts: how the run ended (or `'help'`), or a
 * `GanException` with every problem.
 *
 * @example
 * import { startRunOrThrow } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await startRunOrThrow(vanilla, 'builtin:vanilla', ['--steps', '100', '--out', 'runs/ring'])
 * // { directory: 'runs/ring', ended: 'completed', step: 100, checkpoint: 'runs/ring/checkpoints/step-00000100', alarms: [] }
 * @since 0.1.0
 * @category runs
 */
export const startRunOrThrow = async (
  recipe: Recipe,
  module: string,
  argv: ReadonlyArray<string>,
  events: RunEvents = {},
  signal?: AbortSignal,
): Promise<RunSummary | 'help'> => getOrThrow(await startRun(recipe, module, argv, events, signal))

/**
 * A run keeps the configuration it was made with, whatever the recipe's defaults are today: the
 * values its manifest recorded (each decoded again by its option; one that no longer decodes
 * falls back to the command line's), and for an option the recipe gained since, its value from
 * before (`Flag.before`) when the option says one.
 */
const keptConfig = (
  recipe: Recipe,
  parsed: { readonly recipeConfig: Record<string, unknown>; readonly run: RunConfig },
  recorded: Readonly<Record<string, unknown>>,
): { readonly recipeConfig: Record<string, unknown>; readonly run: RunConfig } => {
  const options = { ...(recipe.config.options as Flags), ...(runFlags(recipe) as Flags) }
  const kept = (values: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(values).map(([key, value]) => {
        const option = options[key]
        if (option === undefined) return [key, value]
        if (!Object.hasOwn(recorded, key)) return [key, option.before !== undefined ? option.before : value]
        const again = option.codec.decode(Array.isArray(recorded[key]) ? (recorded[key] as Array<unknown>).join(',') : String(recorded[key]))
        return [key, E.isRight(again) ? again.right : value]
      }),
    )
  return { recipeConfig: kept(parsed.recipeConfig), run: kept(parsed.run as unknown as Record<string, unknown>) as unknown as RunConfig }
}

/**
 * A run directory opened to continue: its recipe rebuilt from the manifest's arguments, the newest
 * checkpoint read and checked against the directory, the backend selected, and a trainer restored
 * from the checkpoint (the caller disposes it). `steps` overrides the step count in all;
 * `backend` the run's backend (evaluation need not run on the backend that trained); `from`
 * names the checkpoint to restore instead of the newest (`step-N`, as its folder is named).
 * A newest checkpoint that does not load is an error that lists the intact older ones and the
 * `ganfp resume PATH --from step-N` that resumes from one; every problem names the checkpoint's path.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { restoreRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * // `loadRecipe` finds a recipe module or package from the manifest; here the recipe is at hand
 * const restored = await restoreRun('runs/ring', async () => vanilla, { backend: 'cpu' })
 * if (E.isRight(restored)) {
 *   restored.right.checkpoint.step // 100
 *   restored.right.trainer.dispose()
 * }
 * @since 0.1.0
 * @category runs
 */
export const restoreRun = async (
  path: string,
  loadRecipe: RecipeLoader,
  overrides: { readonly steps?: number; readonly backend?: BackendChoice; readonly from?: string } = {},
): Promise<E.Either<ReadonlyArray<GanError>, RestoredRun>> => {
  const { from, ...runOverrides } = overrides
  const directory = openRunDirectory(path)
  if (E.isLeft(directory)) return directory
  const { manifest, checkpoints } = directory.right
  const recipe = await recipeResult(() => loadRecipe(manifest.recipe.module))
  if (E.isLeft(recipe)) return recipe
  const parsed = parseRecipeArgs(recipe.right, manifest.argv)
  if (E.isLeft(parsed)) return parsed
  const kept = keptConfig(recipe.right, parsed.right, manifest.config)
  const run: RunConfig = { ...kept.run, out: path, ...runOverrides }
  const prepared = await prepareRecipe(recipe.right, kept.recipeConfig, run.batch)
  if (E.isLeft(prepared)) return prepared
  const { setup, compiled } = prepared.right
  const chosen = chooseCheckpoint(path, checkpoints, from, (checkpointPath) => verifyCheckpoint(checkpointPath, compiled, manifest))
  if (E.isLeft(chosen)) return chosen
  const { checkpoint, record } = chosen.right
  const backend = await selectBackend(run)
  if (E.isLeft(backend)) return backend
  const trainer = trainerFor(compiled, setup.dataset, { seed: run.seed, batchSize: setup.batchSize, resumeFrom: checkpoint.snapshot })
  if (E.isLeft(trainer)) return trainer
  return E.right({
    directory: directory.right,
    run,
    setup,
    checkpoint,
    health: record.health,
    backend: backend.right,
    trainer: trainer.right,
  })
}

/**
 * The throwing twin of `restoreRun`, for scripts.
 *
 * @example
 * import { restoreRunOrThrow } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const { trainer, checkpoint } = await restoreRunOrThrow('runs/ring', async () => vanilla, { backend: 'cpu' })
 * checkpoint.step // 100
 * trainer.dispose()
 * @since 0.1.0
 * @category runs
 */
export const restoreRunOrThrow = async (
  path: string,
  loadRecipe: RecipeLoader,
  overrides: { readonly steps?: number; readonly backend?: BackendChoice; readonly from?: string } = {},
): Promise<RestoredRun> => getOrThrow(await restoreRun(path, loadRecipe, overrides))

/**
 * How `resumeRun` continues a run: `steps`, the step count in all (default: the run's own);
 * `from`, the checkpoint to resume from (`step-N`; default: the newest); `events` to watch it;
 * `signal` to stop it after the step in flight, with a checkpoint.
 *
 * @since 0.2.0
 * @category model
 */
export interface ResumeOptions {
  readonly steps?: number
  /** A checkpoint of the run, `step-N` as its folder is named; newer ones are moved aside. */
  readonly from?: string
  readonly events?: RunEvents
  readonly signal?: AbortSignal
}

/**
 * Continues the run in `path` from its newest checkpoint, to the step count it was started with
 * (or `steps` if given). `loadRecipe` finds the recipe from the manifest's `recipe.module`.
 * `from` (`step-N`) resumes from that checkpoint instead, e.g. when the newest is damaged: every
 * newer checkpoint is first moved, not deleted, into `PATH/checkpoints-set-aside/` (said in an
 * `events.message` line), and the metrics of the steps after N are dropped, as on any resume.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { resumeRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await resumeRun('runs/ring', async () => vanilla, { steps: 200 })
 * E.isRight(summary) && summary.right.step // 200: steps 101–200 log what an uninterrupted run would have
 * E.isLeft(await resumeRun('runs/none', async () => vanilla)) // true: InvalidConfig at RUN_DIR
 * // the newest checkpoint damaged: the error lists the intact ones; resume from one of them
 * await resumeRun('runs/ring', async () => vanilla, { from: 'step-00000100' })
 * @since 0.1.0
 * @category runs
 */
export const resumeRun = async (
  path: string,
  loadRecipe: RecipeLoader,
  options: ResumeOptions = {},
): Promise<E.Either<ReadonlyArray<GanError>, RunSummary>> => {
  const { steps, from } = options
  const restored = await restoreRun(path, loadRecipe, { ...(steps === undefined ? {} : { steps }), ...(from === undefined ? {} : { from }) })
  if (E.isLeft(restored)) return restored
  const { directory, run, setup, checkpoint, health, backend, trainer } = restored.right
  // A target the run has already reached would only rewrite its outputs: refuse it, touching nothing.
  if ((steps ?? run.steps) <= checkpoint.step) {
    trainer.dispose()
    const which = from === undefined ? "the run's newest checkpoint" : 'the checkpoint resumed from'
    const found = steps === undefined ? `none given, and the run's own ${run.steps} steps are done` : String(steps)
    return E.left([invalidConfig('--steps', `a step count past ${which}, step ${checkpoint.step}`, found)])
  }
  try {
    // Newer checkpoints would shadow the one resumed from (and a step already there is kept as it is).
    const setAside = setAsideCheckpoints(directory.checkpoints, checkpoint.step, join(directory.path, 'checkpoints-set-aside'))
    if (E.isLeft(setAside)) return setAside
    for (const { from: moved, to } of setAside.right) options.events?.message?.(`moved checkpoint ${moved} aside to ${to} (newer than the one resumed from)`)
    // The metrics of steps after the checkpoint are re-run, so their old lines go.
    const metrics = directory.readMetrics()
    if (E.isLeft(metrics)) return metrics
    const rows = metrics.right.filter((row) => row.step <= checkpoint.step)
    const replaced = directory.replaceMetrics(rows)
    if (E.isLeft(replaced)) return replaced
    return await execute({ directory, trainer, setup, run, backend, health, rows, resumed: true, events: options.events ?? {}, signal: options.signal })
  } finally {
    trainer.dispose()
  }
}

/**
 * The throwing twin of `resumeRun`, for scripts.
 *
 * @example
 * import { resumeRunOrThrow } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * (await resumeRunOrThrow('runs/ring', async () => vanilla, { steps: 200 })).step // 200
 * @since 0.1.0
 * @category runs
 */
export const resumeRunOrThrow = async (
  path: string,
  loadRecipe: RecipeLoader,
  options: ResumeOptions = {},
): Promise<RunSummary> => getOrThrow(await resumeRun(path, loadRecipe, options))
