/**
 * Loading a recipe by reference: a recipe module's path, an installed package (resolved from the
 * working directory, through its `exports` as this runtime would), or, given the table the `ganfp`
 * command holds, a built-in name. The module's default export is checked before it is returned.
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import type { Recipe } from '../recipe/define.ts'
import { recipeProblems } from '../recipe/problems.ts'
import { runtimeInfo } from '../runtime.ts'
import { isModulePath } from './module-reference.ts'
import { tryFileSystem } from '../node/files.ts'

/**
 * Recipe modules by name, each imported only when named: how the `ganfp` command hands its
 * built-in recipes to `loadRecipe`.
 *
 * @since 0.1.0
 * @category model
 */
export type RecipeModules = Readonly<Record<string, () => Promise<{ readonly default: unknown }>>>

/**
 * The module a package name refers to, resolved from the working directory (where the user
 * installed it) rather than from ganfp's own location; `import()` of the bare name is the fallback.
 * A package.json that cannot be read or parsed is an error naming it.
 */
const packageEntry = (name: string, from: string): E.Either<ReadonlyArray<GanError>, string> => {
  const match = /^((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(name)
  const packageName = match?.[1] ?? name
  const subpath = match?.[2] === undefined ? '.' : `.${match[2]}`
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', packageName)
    const manifestFile = join(root, 'package.json')
    if (existsSync(manifestFile)) {
      const text = tryFileSystem(manifestFile, 'a readable file', () => readFileSync(manifestFile, 'utf8'))
      if (E.isLeft(text)) return text
      let manifest: { exports?: unknown; module?: string; main?: string }
      try {
        manifest = JSON.parse(text.right)
      } catch (error) {
        return E.left([invalidConfig(manifestFile, 'a package.json (JSON)', error instanceof Error ? error.message : String(error))])
      }
      const target = exportTarget(manifest.exports, subpath) ?? (subpath === '.' ? (manifest.module ?? manifest.main ?? 'index.js') : subpath)
      return E.right(pathToFileURL(join(root, target)).href)
    }
    if (dirname(dir) === dir) return E.right(name)
  }
}

/**
 * The conditions this runtime matches in a package's `exports`, as its own resolver does (Deno and
 * Bun also read `node`; all three are ESM importers here).
 */
const activeConditions = (): ReadonlySet<string> =>
  new Set({ deno: ['deno', 'node', 'import', 'default'], bun: ['bun', 'node', 'import', 'module', 'default'], node: ['node', 'import', 'default'] }[runtimeInfo().name])

/** The target of `subpath` in a package's `exports`: the first matching condition in key order, as Node resolves. */
const exportTarget = (exports: unknown, subpath: string): string | undefined => {
  const conditions = activeConditions()
  const pick = (entry: unknown): string | undefined => {
    if (typeof entry === 'string') return entry
    if (Array.isArray(entry)) {
      for (const candidate of entry) {
        const found = pick(candidate)
        if (found !== undefined) return found
      }
      return undefined
    }
    if (typeof entry !== 'object' || entry === null) return undefined
    for (const [condition, target] of Object.entries(entry as Record<string, unknown>))
      if (conditions.has(condition)) {
        const found = pick(target)
        if (found !== undefined) return found
      }
    return undefined
  }
  if (typeof exports === 'string' || Array.isArray(exports) || (typeof exports === 'object' && exports !== null && !Object.keys(exports).some((k) => k.startsWith('.'))))
    return subpath === '.' ? pick(exports) : undefined
  return typeof exports === 'object' && exports !== null ? pick((exports as Record<string, unknown>)[subpath]) : undefined
}

const importFailure = (reference: string, target: string, error: unknown, cwd: string): string => {
  // A bare name found in no node_modules: say that, not the runtime's resolver text ("not in
  // import map", "Cannot find package").
  if (target === reference && !isModulePath(reference)) return `${JSON.stringify(reference)}: no installed package of that name (node_modules from ${cwd} up)`
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | undefined)?.code
  // Node before 22.6 cannot import TypeScript at all: say what works instead.
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.[cm]?tsx?$/.test(target))
    return `${reference}: this Node cannot import TypeScript (run ganfp with Bun or Deno, or import the recipe's compiled .js)`
  return `${reference}: ${message.split('\n')[0]}`
}

/** What a built-in name should have been: one of `builtins`, or said to need the `ganfp` command. */
const builtinExpected = (builtins: RecipeModules | undefined): string =>
  builtins === undefined
    ? 'a built-in recipe, which the ganfp command provides (loadRecipe was given no built-ins)'
    : `a built-in recipe (${Object.keys(builtins).join(', ')})`

/**
 * A recipe by module path or package name (found from `cwd`, by default the working directory),
 * or by built-in name (`builtin:NAME` too) when `builtins` holds it: the module's default export,
 * checked (its shape, and a configuration codec that accepts its own defaults); anything else is
 * a `Left` naming the module and every problem. The built-in recipes come with the `ganfp`
 * command (`ganfp train dcgan`), not with the library.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadRecipe } from 'ganfp/node'
 * const mine = await loadRecipe('./examples/my-recipe.ts')
 * E.isRight(mine) && mine.right.name // 'wgan-gp-grid'
 * const dcgan = await loadRecipe('dcgan', { builtins: { dcgan: () => import('./recipes/dcgan.ts') } })
 * E.isRight(dcgan) && dcgan.right.name // 'dcgan'
 * E.isLeft(await loadRecipe('dcgan')) // true: InvalidConfig at RECIPE (no built-ins given)
 * // await loadRecipe('ganfp-recipe-lsgan'): an installed package
 * @since 0.1.0
 * @category cli
 */
export const loadRecipe = async (
  reference: string,
  options: { readonly cwd?: string; readonly builtins?: RecipeModules } = {},
): Promise<E.Either<ReadonlyArray<GanError>, Recipe>> => {
  const cwd = options.cwd ?? process.cwd()
  const builtins = options.builtins
  const name = reference.startsWith('builtin:') ? reference.slice('builtin:'.length) : reference
  const builtin = builtins !== undefined && Object.hasOwn(builtins, name) ? builtins[name] : undefined
  if (reference.startsWith('builtin:') && builtin === undefined)
    return E.left([invalidConfig('RECIPE', builtinExpected(builtins), JSON.stringify(name))])
  const where = builtin !== undefined ? `builtin:${name}` : reference
  const entry = builtin !== undefined ? E.right(where) : isModulePath(reference) ? E.right(pathToFileURL(resolve(cwd, reference)).href) : packageEntry(reference, cwd)
  if (E.isLeft(entry)) return entry
  const target = entry.right
  let module: Record<string, unknown>
  try {
    module = (await (builtin !== undefined ? builtin() : import(target))) as Record<string, unknown>
  } catch (error) {
    const expected = isModulePath(reference)
      ? 'an importable module'
      : builtins === undefined
        ? 'a module path or an installed package (built-in recipes are available through the ganfp command)'
        : `a built-in recipe (${Object.keys(builtins).join(', ')}), a module path, or an installed package`
    return E.left([invalidConfig('RECIPE', expected, importFailure(reference, target, error, cwd))])
  }
  if (!('default' in module) || module['default'] === undefined)
    return E.left([
      invalidConfig(
        `${where}.default`,
        'a recipe as the default export (export default defineRecipe({...}))',
        Object.keys(module).length === 0 ? 'no exports' : `no default export (exports: ${Object.keys(module).join(', ')})`,
      ),
    ])
  const problems = recipeProblems(module['default'], `${where}.default`)
  return problems.length > 0 ? E.left(problems) : E.right(module['default'] as Recipe)
}

/**
 * The throwing twin of `loadRecipe`, for scripts: the recipe, or a `GanException` naming the
 * module and every problem.
 *
 * @example
 * import { loadRecipeOrThrow } from 'ganfp/node'
 * (await loadRecipeOrThrow('./examples/my-recipe.ts')).name // 'wgan-gp-grid'
 * @since 0.1.0
 * @category cli
 */
export const loadRecipeOrThrow = async (
  reference: string,
  options: { readonly cwd?: string; readonly builtins?: RecipeModules } = {},
): Promise<Recipe> => getOrThrow(await loadRecipe(reference, options))
