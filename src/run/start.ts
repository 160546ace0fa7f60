/**
 * Starting, restoring and resuming runs: a recipe and its options turned into a run directory
 * that fills as training goes, and a run directory opened again from its manifest and newest
 * checkpoint. On the same backend a resumed run logs the same numbers an uninterrupted one would.
 *
 * @since 0.1.0
 */
import { GanException, getOrThrow } from '../errors.ts'
import type { BackendChoice, BackendSelection } from '../compile/backend.ts'
import { tf } from '../compile/tf.ts'
import { readLatestCheckpoint, type Checkpoint } from '../node/checkpoint.ts'
import { decodeWithPaths } from '../io/decode.ts'
import { createRunDirectory, openRunDirectory, type RunDirectory, type RunManifest } from '../node/run-directory.ts'
import type { Recipe } from '../recipe/define.ts'
import { runtimeInfo } from '../runtime.ts'
import { initialHealthState, type HealthState } from '../train/health.ts'
import { createTrainer, type Trainer } from '../train/trainer.ts'
import { libraryVersion } from '../version.ts'
import { execute, selectBackend, type RunEvents, type RunSummary } from './execute.ts'
import { recipeModuleReference } from './module-reference.ts'
import { parseRecipeArgs, type RunConfig } from './options.ts'
import { prepareRecipe, type RecipeSetup } from './prepare.ts'
import { checkRecord, RunRecordCodec } from './record.ts'

/**
 * Starts a new run of `recipe` with command-line `argv`; `module` is how `ganfp resume` finds the
 * recipe again (`builtin:NAME`, a module path or a package name). Bad options are a
 * `GanException` before any directory is created; `'help'` when `argv` asks for `--help`.
 *
 * @example
 * import { startRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await startRun(vanilla, 'builtin:vanilla', ['--steps', '100', '--out', 'runs/ring'])
 * // { directory: 'runs/ring', ended: 'completed', step: 100, checkpoint: 'runs/ring/checkpoints/step-00000100', alarms: [] }
 * @since 0.1.0
 * @category runs
 */
export const startRun = async (
  recipe: Recipe,
  module: string,
  argv: ReadonlyArray<string>,
  events: RunEvents = {},
  signal?: AbortSignal,
): Promise<RunSummary | 'help'> => {
  const parsed = getOrThrow(parseRecipeArgs(recipe, argv))
  if (parsed.help) return 'help'
  const { setup, compiled } = getOrThrow(await prepareRecipe(recipe, parsed.recipeConfig, parsed.run.batch))
  const backend = await selectBackend(parsed.run)
  const manifest: RunManifest = {
    format: 'ganfp-run',
    formatVersion: 1,
    recipe: {
      name: recipe.name,
      module: recipeModuleReference(module),
    },
    argv: [...argv],
    config: { ...parsed.recipeConfig, ...parsed.run },
    seed: parsed.run.seed,
    backend: { requested: parsed.run.backend, name: backend.name, reason: backend.reason },
    runtime: runtimeInfo(),
    versions: { ganfp: libraryVersion, '@tensorflow/tfjs-core': tf.version_core },
    createdAt: new Date().toISOString(),
  }
  const trainer = getOrThrow(createTrainer(compiled, setup.dataset, { seed: parsed.run.seed, batchSize: setup.batchSize }))
  try {
    const directory = getOrThrow(createRunDirectory(parsed.run.out, manifest))
    return await execute({ directory, trainer, setup, run: parsed.run, backend, health: initialHealthState, rows: [], resumed: false, events, signal })
  } finally {
    trainer.dispose()
  }
}

/**
 * A run directory opened to continue: its recipe rebuilt from the manifest's arguments, the newest
 * checkpoint read and checked against the directory, the backend selected, and a trainer restored
 * from the checkpoint (the caller disposes it). `steps` overrides the step count in all;
 * `backend` the run's backend (evaluation need not run on the backend that trained).
 *
 * @example
 * import { restoreRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * // `loadRecipe` finds a recipe module or package from the manifest; here the recipe is at hand
 * const { trainer, checkpoint } = await restoreRun('runs/ring', async () => vanilla, { backend: 'cpu' })
 * checkpoint.step // 100
 * trainer.dispose()
 * @since 0.1.0
 * @category runs
 */
export const restoreRun = async (
  path: string,
  loadRecipe: (module: string) => Promise<Recipe>,
  overrides: { readonly steps?: number; readonly backend?: BackendChoice } = {},
): Promise<{
  readonly directory: RunDirectory
  readonly run: RunConfig
  readonly setup: RecipeSetup
  readonly checkpoint: Checkpoint
  readonly health: HealthState
  readonly backend: BackendSelection
  readonly trainer: Trainer
}> => {
  const directory = getOrThrow(openRunDirectory(path))
  const recipe = await loadRecipe(directory.manifest.recipe.module)
  const parsed = getOrThrow(parseRecipeArgs(recipe, directory.manifest.argv))
  const run: RunConfig = { ...parsed.run, out: path, ...overrides }
  const { setup, compiled } = getOrThrow(await prepareRecipe(recipe, parsed.recipeConfig, run.batch))
  const checkpoint = getOrThrow(readLatestCheckpoint(directory.checkpoints))
  const where = `checkpoint(${checkpoint.path}).manifest.json.run`
  const record = getOrThrow(decodeWithPaths(RunRecordCodec, checkpoint.run, where, 'CheckpointCorrupt'))
  const recordErrors = checkRecord(record, directory.manifest, where)
  if (recordErrors.length > 0) throw new GanException(recordErrors)
  const backend = await selectBackend(run)
  const trainer = getOrThrow(
    createTrainer(compiled, setup.dataset, { seed: run.seed, batchSize: setup.batchSize, resumeFrom: checkpoint.snapshot }),
  )
  return { directory, run, setup, checkpoint, health: record.health, backend, trainer }
}

/**
 * Continues the run in `path` from its newest checkpoint, to the step count it was started with
 * (or `steps` if given). `loadRecipe` finds the recipe from the manifest's `recipe.module`.
 *
 * @example
 * import { resumeRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await resumeRun('runs/ring', async () => vanilla, { steps: 200 })
 * summary.step // 200: steps 101–200 log what an uninterrupted run would have
 * @since 0.1.0
 * @category runs
 */
export const resumeRun = async (
  path: string,
  loadRecipe: (module: string) => Promise<Recipe>,
  options: { readonly steps?: number; readonly events?: RunEvents; readonly signal?: AbortSignal } = {},
): Promise<RunSummary> => {
  const { directory, run, setup, checkpoint, health, backend, trainer } = await restoreRun(path, loadRecipe, options.steps === undefined ? {} : { steps: options.steps })
  try {
    // The metrics of steps after the checkpoint are re-run, so their old lines go.
    const rows = getOrThrow(directory.readMetrics()).filter((row) => row.step <= checkpoint.step)
    directory.replaceMetrics(rows)
    return await execute({
      directory,
      trainer,
      setup,
      run,
      backend,
      health,
      rows,
      resumed: true,
      events: options.events ?? {},
      signal: options.signal,
    })
  } finally {
    trainer.dispose()
  }
}
