/**
 * How a run names its recipe module so that `ganfp resume` finds it again, and how a reference is
 * told apart as a file path or a package name.
 *
 * @since 0.1.0
 */
import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * How a manifest names a recipe module so that `ganfp resume` finds it again: `builtin:NAME` and
 * package names as given, paths and `file:` URLs as absolute paths.
 */
export const recipeModuleReference = (module: string): string =>
  module.startsWith('builtin:')
    ? module
    : module.startsWith('file:')
      ? fileURLToPath(module)
      : isAbsolute(module)
        ? module
        : isModulePath(module)
          ? resolve(module)
          : module

/**
 * Whether a recipe reference is a file path (`./my-recipe.ts`, `recipes/x.js`) rather than a
 * package name (`ganfp-recipe-lsgan`, `@me/recipes`).
 *
 * @example
 * import { isModulePath } from 'ganfp'
 * isModulePath('./my-recipe.ts') // true
 * isModulePath('@me/gan-recipes') // false
 * @since 0.1.0
 * @category runs
 */
export const isModulePath = (reference: string): boolean =>
  reference.startsWith('.') || reference.startsWith('/') || isAbsolute(reference) || /\.[cm]?[jt]sx?$/.test(reference)
