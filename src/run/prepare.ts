/**
 * A recipe set up for one configuration: its configuration decoded, its GAN built and compiled,
 * its data opened, and how its samples are drawn; and the generator inputs of a run's grids.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import { compile, sampleLatent, type CompiledGan } from '../compile/gan.ts'
import type { Dataset } from '../data/dataset.ts'
import type { Gan } from '../dsl/gan.ts'
import { decodeConfig } from '../io/config.ts'
import { sampleGridPng, encodePng } from '../node/png.ts'
import { toUnitRange } from '../io/grid.ts'
import { pointsScatter } from '../io/scatter.ts'
import { Rng } from '../random.ts'
import { recipeResult, type Recipe } from '../recipe/define.ts'

/**
 * A recipe set up for one configuration: what the run loop, `ganfp sample`, `ganfp eval` and the
 * latent tools need from it.
 *
 * @since 0.1.0
 * @category model
 */
export interface RecipeSetup {
  readonly recipe: Recipe
  /** The recipe's decoded configuration. */
  readonly config: Readonly<Record<string, unknown>>
  readonly gan: Gan
  readonly dataset: Dataset
  readonly batchSize: number
  /** A PNG of `count` samples in rows of `columns` (default a square); undefined when the recipe cannot draw them. */
  readonly render: ((samples: Float32Array, count: number, columns?: number) => Uint8Array) | undefined
  /** For image outputs (`[h, w, 1|3]`): samples mapped to [0, 1], for evaluation and the latent tools. */
  readonly toUnitImages: ((samples: Float32Array) => Float32Array) | undefined
}

/** The default drawing of samples: image outputs as a grid, 2-D points as a scatter plot. */
const defaultRender = (shape: ReadonlyArray<number>, range: readonly [number, number]) => {
  const [height, width, channels] = shape
  if (shape.length === 3 && (channels === 1 || channels === 3))
    return (samples: Float32Array, count: number, columns: number): Uint8Array =>
      sampleGridPng(samples, { count, height: height!, width: width!, channels: channels!, columns }, range)
  if (shape.length === 1 && shape[0] === 2) return (samples: Float32Array): Uint8Array => encodePng(pointsScatter(samples))
  return undefined
}

/**
 * Builds `recipe` for a configuration (option values as text or typed, missing ones at their
 * defaults) and compiles its GAN: every error at once (configuration, GAN, data), before any
 * tensor exists.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { prepareRecipe } from 'ganfp/node'
 * import recipe from './recipes/dcgan.ts'
 * const prepared = await prepareRecipe(recipe, { width: 8 }, 32)
 * E.isRight(prepared) && prepared.right.compiled.generator.outputShape // [28, 28, 1]
 * E.isLeft(await prepareRecipe(recipe, { width: 0 }, 32)) // true: InvalidConfig at --width
 * @since 0.1.0
 * @category runs
 */
export const prepareRecipe = async (
  recipe: Recipe,
  configInput: unknown,
  batchSize: number,
): Promise<E.Either<ReadonlyArray<GanError>, { readonly setup: RecipeSetup; readonly compiled: CompiledGan }>> => {
  const config = decodeConfig(recipe.config, configInput)
  if (E.isLeft(config)) return config
  const [built, data] = await Promise.all([recipeResult(() => recipe.build(config.right)), recipeResult(() => recipe.data(config.right))])
  // A problem both find (a GAN sized by its data, whose folder does not open) is reported once.
  const all = [...(E.isLeft(built) ? built.left : []), ...(E.isLeft(data) ? data.left : [])]
  const errors = all.filter((error, i) => all.findIndex((other) => JSON.stringify(other) === JSON.stringify(error)) === i)
  if (E.isLeft(built) || E.isLeft(data)) return E.left(errors)
  const compiled = compile(built.right)
  if (E.isLeft(compiled)) return compiled
  const shape = compiled.right.generator.outputShape
  const range = recipe.outputRange ?? [-1, 1]
  const toUnit = (values: Float32Array): Float32Array => toUnitRange(values, range)
  const custom = recipe.render
  const render =
    custom === undefined
      ? defaultRender(shape, range)
      : (samples: Float32Array, count: number, columns: number) => custom.call(recipe, samples, { count, columns, shape }, config.right)
  const setup: RecipeSetup = {
    recipe,
    config: config.right,
    gan: built.right,
    dataset: data.right,
    batchSize,
    render: render && ((samples, count, columns = Math.ceil(Math.sqrt(count))) => render(samples, count, columns)),
    toUnitImages: shape.length === 3 && (shape[2] === 1 || shape[2] === 3) ? toUnit : undefined,
  }
  return E.right({ setup, compiled: compiled.right })
}

/** How many samples a run's grids show, so how many generator inputs a run needs at least. */
export const gridSampleCount = 64

/**
 * `n` generator inputs from `seed`: latents, or for paired data the paired inputs of a first
 * batch drawn with that seed (the run's grids, `ganfp sample`). Data without such a batch is an
 * `InvalidConfig` error naming the dataset.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { getOrThrow } from 'ganfp'
 * import { generatorInputs, prepareRecipe } from 'ganfp/node'
 * import recipe from './recipes/dcgan.ts'
 * const { setup } = getOrThrow(await prepareRecipe(recipe, {}, 64))
 * const inputs = await generatorInputs(setup, 4, 1)
 * E.isRight(inputs) && inputs.right.length // 256: 4 latents of 64
 * @since 0.1.0
 * @category sampling
 */
export const generatorInputs = async (setup: RecipeSetup, n: number, seed: number): Promise<E.Either<ReadonlyArray<GanError>, Float32Array>> => {
  if (setup.gan.latent._tag !== 'Paired') return sampleLatent(setup.gan.latent, n, Rng.fromSeed(seed))
  const first = await setup.dataset.batches({ batchSize: n, seed })[Symbol.asyncIterator]().next()
  const inputs = first.done === true ? undefined : first.value.pairedInput
  return inputs === undefined
    ? E.left([invalidConfig(`data(${setup.dataset.name})`, `at least ${n} paired examples, for a first batch of ${n}`, 'fewer')])
    : E.right(inputs)
}

/**
 * The throwing twin of `generatorInputs`, for scripts.
 *
 * @example
 * import { getOrThrow } from 'ganfp'
 * import { generatorInputsOrThrow, prepareRecipe } from 'ganfp/node'
 * import recipe from './recipes/dcgan.ts'
 * const { setup } = getOrThrow(await prepareRecipe(recipe, {}, 64))
 * (await generatorInputsOrThrow(setup, 4, 1)).length // 256: 4 latents of 64
 * @since 0.1.0
 * @category sampling
 */
export const generatorInputsOrThrow = async (setup: RecipeSetup, n: number, seed: number): Promise<Float32Array> =>
  getOrThrow(await generatorInputs(setup, n, seed))
