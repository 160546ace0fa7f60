/**
 * The recipes that ship with the `ganfp` command. Only the executable imports this table: the
 * library reaches no recipe (a recipe imports the library, and `runIfMain` would close the cycle).
 *
 * @since 0.1.0
 */
import type { RecipeModules } from '../run/load-recipe.ts'

/** The built-in recipes, each loaded only when named. */
export const builtinRecipes: RecipeModules = {
  'slanted-land': () => import('../../recipes/slanted-land.ts'),
  vanilla: () => import('../../recipes/vanilla.ts'),
  dcgan: () => import('../../recipes/dcgan.ts'),
  cgan: () => import('../../recipes/cgan.ts'),
  srgan: () => import('../../recipes/srgan.ts'),
}

/** Whether `name` is a built-in recipe's (not a path or package that happens to match). */
export const isBuiltinRecipe = (name: string): boolean => Object.hasOwn(builtinRecipes, name)
