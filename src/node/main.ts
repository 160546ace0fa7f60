/**
 * The edge where errors become exit codes: recipes and the CLI wrap their `main` in `runMain`.
 *
 * @since 0.1.0
 */
import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { GanException } from '../errors.ts'

/**
 * Runs `main` with the command-line arguments; a `GanException` prints its errors and exits 2,
 * anything else prints its stack and exits 1.
 *
 * @example
 * import { runMain } from 'ganfp/node'
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
 * Whether the module owning `meta` is the program's entry point (`deno run`, `bun run` or `node`
 * on it), so a recipe runs when launched and stays a plain module when imported. Deno and Bun say
 * so in `import.meta.main`; Node (before 24) does not, so there the script path is compared.
 *
 * @example
 * import { isMain } from 'ganfp/node'
 * isMain(import.meta) // false when imported
 * @since 0.1.0
 * @category io
 */
export const isMain = (meta: ImportMeta): boolean => {
  const main = (meta as { readonly main?: unknown }).main
  if (typeof main === 'boolean') return main
  const script = process.argv[1]
  if (script === undefined || !meta.url.startsWith('file:')) return false
  const real = (path: string): string => {
    try {
      return realpathSync(path)
    } catch {
      return path
    }
  }
  return real(resolve(script)) === real(fileURLToPath(meta.url))
}
