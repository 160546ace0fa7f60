/**
 * What is wrong with a value offered as a recipe (a module's default export), every problem at
 * once: how recipe modules are checked before they run.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../errors.ts'
import type { ConfigCodec } from '../io/config.ts'
import type { Flags } from '../io/flags.ts'

const describeFound = (value: unknown): string =>
  value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? JSON.stringify(value) : typeof value

/**
 * What is wrong with `value` as a recipe, every problem at once, with paths under `where` (the
 * module, say): the shape of the value, and a configuration codec that rejects its own defaults.
 * Empty when it is one.
 *
 * @example
 * import { recipeProblems } from 'ganfp'
 * recipeProblems({ name: 'x' }, 'my-recipe.ts').map((e) => e.path)
 * // ['my-recipe.ts.description', 'my-recipe.ts.config', 'my-recipe.ts.build', 'my-recipe.ts.data']
 * @since 0.1.0
 * @category destructors
 */
export const recipeProblems = (value: unknown, where: string): ReadonlyArray<GanError> => {
  if (typeof value !== 'object' || value === null)
    return [invalidConfig(where, 'a recipe (an object made with defineRecipe)', describeFound(value))]
  const r = value as Record<string, unknown>
  const problems: Array<GanError> = []
  if (typeof r['name'] !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(r['name']))
    problems.push(invalidConfig(`${where}.name`, 'a lower-case name without spaces (letters, digits, . _ -)', describeFound(r['name'])))
  if (typeof r['description'] !== 'string') problems.push(invalidConfig(`${where}.description`, 'a string', describeFound(r['description'])))
  const config = r['config'] as Partial<ConfigCodec<Flags>> | undefined
  if (typeof config !== 'object' || config === null || typeof config.decode !== 'function' || typeof config.options !== 'object' || typeof config.check !== 'function')
    problems.push(invalidConfig(`${where}.config`, 'a configuration codec made with configCodec({...})', describeFound(config)))
  else {
    // The defaults must pass the codec: a recipe whose defaults are invalid cannot be run as is.
    const defaults = (config as ConfigCodec<Flags>).decode({})
    if (E.isLeft(defaults))
      problems.push(
        invalidConfig(`${where}.config`, 'a codec that accepts its own defaults', defaults.left.map((e) => e.message ?? 'a failure').join('; ')),
      )
  }
  for (const key of ['build', 'data'] as const)
    if (typeof r[key] !== 'function') problems.push(invalidConfig(`${where}.${key}`, 'a function of the configuration', describeFound(r[key])))
  for (const key of ['evaluate', 'phaseEnded', 'started', 'render'] as const)
    if (r[key] !== undefined && typeof r[key] !== 'function') problems.push(invalidConfig(`${where}.${key}`, 'a function, or nothing', describeFound(r[key])))
  const range = r['outputRange']
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] < range[1]))
    problems.push(invalidConfig(`${where}.outputRange`, '[low, high] with low < high', JSON.stringify(range)))
  const settings = r['settings']
  if (settings !== undefined && !(Array.isArray(settings) && settings.every((line) => typeof line === 'string')))
    problems.push(invalidConfig(`${where}.settings`, 'a list of strings (one line each), or nothing', describeFound(settings)))
  const defaults = r['runDefaults']
  if (defaults !== undefined) problems.push(...runDefaultsProblems(`${where}.runDefaults`, defaults))
  if (r['runDefaultsFor'] !== undefined && typeof r['runDefaultsFor'] !== 'function')
    problems.push(invalidConfig(`${where}.runDefaultsFor`, 'a function of the configuration, or nothing', describeFound(r['runDefaultsFor'])))
  return problems
}

/**
 * What is wrong with run defaults (`runDefaults`, or what a recipe's `runDefaultsFor` returned):
 * each key known and each value an integer in range, every problem under `where`.
 */
export const runDefaultsProblems = (where: string, defaults: unknown): ReadonlyArray<GanError> => {
  if (typeof defaults !== 'object' || defaults === null) return [invalidConfig(where, 'an object', describeFound(defaults))]
  const known = ['steps', 'batch', 'sampleEvery', 'checkpointEvery', 'logEvery', 'threads']
  return Object.entries(defaults as Record<string, unknown>).flatMap(([key, v]) =>
    !known.includes(key)
      ? [invalidConfig(`${where}.${key}`, `one of ${known.join(', ')}`, 'an unknown default')]
      : !(Number.isInteger(v) && (v as number) >= (key === 'threads' ? 0 : 1))
        ? [invalidConfig(`${where}.${key}`, key === 'threads' ? 'an integer ≥ 0' : 'a positive integer', describeFound(v) === 'number' ? String(v) : describeFound(v))]
        : [],
  )
}
