/**
 * The edge where errors become exit codes: recipes and the CLI wrap their `main` in `runMain`.
 *
 * @since 0.1.0
 */
import process from 'node:process'
import { GanException } from '../errors.ts'

/**
 * Runs `main` with the command-line arguments; a `GanException` prints its errors and exits 2,
 * anything else prints its stack and exits 1.
 *
 * @example
 * import { runMain } from 'ganfp'
 * if (isMain(import.meta)) await runMain(async (argv) => console.log(argv))
 * @since 0.1.0
 * @category io
 */
export const runMain = async (main: (argv: ReadonlyArray<string>) => Promise<void>): Promise<void> => {
  try {
    await main(process.argv.slice(2))
  } catch (error) {
    if (error instanceof GanException) {
      console.error(error.message)
      process.exit(2)
    }
    console.error(error)
    process.exit(1)
  }
}

/**
 * Whether the module owning `meta` is the program's entry point (`deno run` or `bun run` on it),
 * so a recipe runs when launched and stays a plain module when imported. Node has no
 * `import.meta.main`: there, recipes are imported, not run.
 *
 * @example
 * import { isMain } from 'ganfp'
 * isMain(import.meta) // false when imported
 * @since 0.1.0
 * @category io
 */
export const isMain = (meta: ImportMeta): boolean => (meta as { readonly main?: unknown }).main === true
