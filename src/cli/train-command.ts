/**
 * `ganfp train` for one recipe, with a progress bar and Ctrl-C handling; what a recipe module runs
 * when launched directly (`deno run -A recipes/dcgan.ts …`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { relative } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { isMain, runMain } from '../node/main.ts'
import type { Recipe } from '../recipe/define.ts'
import { runtimeInfo } from '../runtime.ts'
import type { RunSummary } from '../run/execute.ts'
import { recipeHelp } from '../run/options.ts'
import { startRun } from '../run/start.ts'
import { formatGanErrors } from '../errors.ts'
import { withInterrupts } from './interrupt.ts'
import { progressBar } from './progress.ts'

/** Runs with a progress bar; Ctrl-C stops after the current step with a checkpoint (twice: at once). */
/** @internal */
export const withProgress = async <A>(run: (events: ReturnType<typeof progressBar>, signal: AbortSignal) => Promise<A>): Promise<A> => {
  const events = progressBar()
  try {
    return await withInterrupts((line) => events.message?.(line), (signal) => run(events, signal))
  } finally {
    events.stop()
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

/** The command that ran a recipe, for its `--help`: as the user typed it. */
const invocation = (module: string): string => {
  if (module.startsWith('builtin:')) return `ganfp train ${module.slice('builtin:'.length)}`
  if (!module.startsWith('file:')) return `ganfp train ${module}`
  // Launched directly (runIfMain): the module's own path, as the runtime was given it.
  const path = fileURLToPath(module)
  const shown = relative(process.cwd(), path)
  return `${{ deno: 'deno run -A', bun: 'bun run', node: 'node' }[runtimeInfo().name]} ${shown.startsWith('..') ? path : shown}`
}

/**
 * Trains `recipe` with command-line `argv` (or prints its `--help`), reporting how the run ended.
 * `module` is how `ganfp resume` finds the recipe again: `builtin:NAME`, a path, or the recipe
 * module's `import.meta.url`. A process entry point: its problems (bad options, a directory that
 * cannot be written) are printed and set the exit code (2; 3 for non-finite values), not thrown.
 *
 * @example
 * import { trainCommand } from 'ganfp/node'
 * import recipe from './recipes/vanilla.ts'
 * await trainCommand(recipe, 'builtin:vanilla', ['--help']) // prints the recipe's options
 * @since 0.1.0
 * @category cli
 */
export const trainCommand = async (recipe: Recipe, module: string, argv: ReadonlyArray<string>): Promise<void> => {
  const summary = await withProgress((events, signal) => startRun(recipe, module, argv, events, signal))
  if (E.isLeft(summary)) {
    console.error(formatGanErrors(summary.left))
    process.exitCode = 2
  } else if (summary.right === 'help') console.log(recipeHelp(recipe, invocation(module)))
  else report(summary.right)
}

/**
 * Makes a recipe module runnable: when the module is the program (`deno run -A my-recipe.ts`,
 * `bun run my-recipe.ts`, `node my-recipe.js`) it trains the recipe with the command line, as
 * `ganfp train my-recipe.ts` would; when imported, it does nothing. Errors become exit codes
 * (2: bad options, 3: non-finite values). Not awaited: a recipe module has no top-level await,
 * so it also bundles to CommonJS; the pending run keeps the program alive.
 *
 * @example
 * import { runIfMain } from 'ganfp/node'
 * import recipe from './recipes/vanilla.ts'
 * // the last line of a recipe module, after `export default recipe`:
 * runIfMain(import.meta, recipe) // nothing happens here: this module is imported
 * @since 0.1.0
 * @category cli
 */
export const runIfMain = async (meta: ImportMeta, recipe: Recipe): Promise<void> => {
  if (isMain(meta)) await runMain((argv) => trainCommand(recipe, meta.url, argv))
}
