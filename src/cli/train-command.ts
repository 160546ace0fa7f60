/**
 * `ganfp train` for one recipe, with a progress bar and Ctrl-C handling; what a recipe module runs
 * when launched directly (`deno run -A recipes/dcgan.ts …`).
 *
 * @since 0.1.0
 */
import process from 'node:process'
import type { Recipe } from '../recipe.ts'
import { recipeHelp, startRun, type RunSummary } from '../run.ts'
import { progressBar } from './progress.ts'

/** Runs with a progress bar; Ctrl-C stops after the current step with a checkpoint (twice: at once). */
/** @internal */
export const withProgress = async <A>(run: (events: ReturnType<typeof progressBar>, signal: AbortSignal) => Promise<A>): Promise<A> => {
  const stop = new AbortController()
  const onInterrupt = (): void => {
    if (stop.signal.aborted) process.exit(130)
    stop.abort()
    events.message?.('interrupted: writing a checkpoint after this step (Ctrl-C again to quit at once)')
  }
  const events = progressBar()
  process.on('SIGINT', onInterrupt)
  try {
    return await run(events, stop.signal)
  } finally {
    events.stop()
    process.off('SIGINT', onInterrupt)
  }
}

/** @internal */
export const report = (summary: RunSummary): void => {
  const resume = `resume with: ganfp resume ${summary.directory}`
  const lines: Record<RunSummary['ended'], string> = {
    completed: `completed ${summary.step} steps in ${summary.directory}`,
    interrupted: `stopped at step ${summary.step}; checkpoint ${summary.checkpoint}; ${resume}`,
    'out of time': `out of time at step ${summary.step}; checkpoint ${summary.checkpoint}; ${resume}`,
    'non-finite': `stopped on non-finite values at step ${summary.step}; last good checkpoint ${summary.checkpoint ?? 'none'}`,
  }
  console.log(lines[summary.ended])
  if (summary.ended === 'non-finite') process.exitCode = 3
}

/**
 * Trains `recipe` with command-line `argv` (or prints its `--help`), reporting how the run ended.
 * `module` is how `ganfp resume` finds the recipe again: `builtin:NAME`, a path, or the recipe
 * module's `import.meta.url`.
 *
 * @example
 * import { isMain, runMain, trainCommand } from 'ganfp'
 * // at the end of a recipe module:
 * // if (isMain(import.meta)) await runMain((argv) => trainCommand(recipe, import.meta.url, argv))
 * @since 0.1.0
 * @category cli
 */
export const trainCommand = async (recipe: Recipe, module: string, argv: ReadonlyArray<string>): Promise<void> => {
  const summary = await withProgress((events, signal) => startRun(recipe, module, argv, events, signal))
  if (summary === 'help') console.log(recipeHelp(recipe))
  else report(summary)
}
