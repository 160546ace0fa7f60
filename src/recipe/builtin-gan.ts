/**
 * The GAN of a built-in recipe's run, rebuilt from the run record its checkpoints carry
 * (`{ recipe, config, … }`, as `checkpointFromBytes` and `checkpointFromFiles` return it in
 * `run`): what a page needs to sample from a run of `ganfp train vanilla`, `dcgan`, `cgan` or
 * `srgan` without the recipe modules, which are Node-side. The record is decoded by the recipe's
 * own options and the GAN made by the recipe's own function (`src/recipe/builtin/`), as `ganfp
 * resume` would.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import type { Gan } from '../dsl/gan.ts'
import type { JudgeWeights } from '../eval/judge.ts'
import { configCodec, decodeConfig } from '../io/config.ts'
import type { FlagValues, Flags } from '../io/flags.ts'
import { dcganSizeProblems } from '../zoo/dcgan-sizes.ts'
import { cganFlags, cganRecipeGan, type CganConfig } from './builtin/cgan.ts'
import { dcganFlags, dcganRecipeGan } from './builtin/dcgan.ts'
import { srganConfig, srganFlags, srganRecipeGan, type SrganConfig } from './builtin/srgan.ts'
import { vanillaFlags, vanillaRecipeGan } from './builtin/vanilla.ts'

/**
 * What `builtinGanOf` may be told: where the record came from, for error paths (default `run`),
 * and the shipped judge's weights for an SRGAN run whose content loss has a perceptual term.
 *
 * @since 0.2.0
 * @category model
 */
export interface BuiltinGanOptions {
  readonly path?: string
  readonly judgeWeights?: JudgeWeights
  /** A CGAN run on a folder: its class count (the length of the run's `classes.json`). */
  readonly labelClasses?: number
}

/**
 * A recorded configuration decoded by a recipe's options, as `ganfp resume` keeps it: each recorded
 * option's value (a list as its comma-separated text); an option the record lacks takes the value
 * runs made before it behaved as (`Flag.before`), else its default. Keys that are no option of the
 * recipe (the run options: `steps`, `seed`, …) are left out. `check` is what rules out a GAN across
 * options (not the data's: a page has no `--folder`). Errors have paths under `path`.
 */
const decodeRecorded = <F extends Flags>(
  options: F,
  check: (values: FlagValues<F>) => ReadonlyArray<GanError>,
  config: Readonly<Record<string, unknown>>,
  path: string,
): E.Either<ReadonlyArray<GanError>, FlagValues<F>> => {
  const values = Object.fromEntries(
    Object.entries(options).map(([key, option]) => {
      const recorded = config[key]
      if (Object.hasOwn(config, key)) return [key, Array.isArray(recorded) ? recorded.join(',') : recorded]
      return [key, option.before !== undefined ? option.before : option.defaultValue]
    }),
  )
  // The codec names an option `--width`; in a record it is `path.width`.
  return E.mapLeft((errors: ReadonlyArray<GanError>) => errors.map((e) => (e.path.startsWith('--') ? { ...e, path: `${path}.${e.path.slice(2)}` } : e)))(
    decodeConfig(configCodec(options, check), values),
  )
}

/** The image recipes' check that matters to their GAN: a folder's size must be one the layout builds. */
const imageSizeProblems = (config: { readonly dataset: string; readonly size: number | 'auto' }): ReadonlyArray<GanError> =>
  config.dataset === 'folder' && config.size !== 'auto' ? dcganSizeProblems(config.size, '--size') : []

/** A folder CGAN run's class count, from the caller; the bundled sets have ten classes. */
const cganClasses = (dataset: 'mnist' | 'fashion' | 'folder', labelClasses: number | undefined): E.Either<ReadonlyArray<GanError>, number> =>
  dataset !== 'folder'
    ? E.right(10)
    : Number.isInteger(labelClasses) && labelClasses! >= 2
      ? E.right(labelClasses!)
      : E.left([invalidConfig('options.labelClasses', "a folder CGAN run's class count (≥ 2; the length of its classes.json)", describeValue(labelClasses))])

/** An SRGAN run's judge weights, which must be those of the run's dataset. */
const srganJudge = (dataset: 'mnist' | 'fashion' | 'folder', judge: JudgeWeights | undefined): E.Either<ReadonlyArray<GanError>, JudgeWeights | undefined> =>
  judge === undefined || dataset === 'folder' || judge.dataset === dataset
    ? E.right(dataset === 'folder' ? undefined : judge)
    : E.left([invalidConfig('options.judgeWeights.dataset', `the run's dataset, ${dataset}`, judge.dataset)])

/** Both sides' errors together, or both values. */
const both = <A, B>(a: E.Either<ReadonlyArray<GanError>, A>, b: E.Either<ReadonlyArray<GanError>, B>): E.Either<ReadonlyArray<GanError>, readonly [A, B]> =>
  E.isRight(a) && E.isRight(b) ? E.right([a.right, b.right] as const) : E.left([...(E.isLeft(a) ? a.left : []), ...(E.isLeft(b) ? b.left : [])])

/** A record's dataset: as decoded, or (when the record did not decode) whether it names a folder, so that its other problems are reported too. */
const recordedDataset = (
  decoded: E.Either<ReadonlyArray<GanError>, { readonly dataset: 'mnist' | 'fashion' | 'folder' }>,
  config: Readonly<Record<string, unknown>>,
): 'mnist' | 'fashion' | 'folder' => (E.isRight(decoded) ? decoded.right.dataset : config['dataset'] === 'folder' ? 'folder' : 'mnist')

/** The recipes `builtinGanOf` knows, each a record's configuration to its GAN. */
const builtinRecipes: Readonly<Record<'vanilla' | 'dcgan' | 'cgan' | 'srgan', (config: Readonly<Record<string, unknown>>, path: string, options: BuiltinGanOptions) => E.Either<ReadonlyArray<GanError>, Gan>>> = {
  vanilla: (config, path) => E.map(vanillaRecipeGan)(decodeRecorded(vanillaFlags, () => [], config, path)),
  dcgan: (config, path) => E.map(dcganRecipeGan)(decodeRecorded(dcganFlags, imageSizeProblems, config, path)),
  cgan: (config, path, options) => {
    const decoded = decodeRecorded(cganFlags, imageSizeProblems, config, path)
    const dataset = recordedDataset(decoded, config)
    return E.map(([c, classes]: readonly [CganConfig, number]) => cganRecipeGan(c, classes))(both(decoded, cganClasses(dataset, options.labelClasses)))
  },
  srgan: (config, path, options) => {
    const decoded = decodeRecorded(srganFlags, srganConfig.check, config, path)
    const dataset = recordedDataset(decoded, config)
    return E.map(([c, judge]: readonly [SrganConfig, JudgeWeights | undefined]) => srganRecipeGan(c, judge))(
      both(decoded, srganJudge(dataset, options.judgeWeights)),
    )
  },
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * The GAN a run of a built-in recipe (`vanilla`, `dcgan`, `cgan`, `srgan`) trained, from the run
 * record of one of its checkpoints: `{ recipe, config }`, where `config` holds the recipe's options
 * by flag name (`latent-dim`, `width`, …; an absent one takes its value from before the option
 * existed, or its default; other keys are ignored). Every problem is reported with its path
 * (`run.recipe`, `run.config.width`; `path` replaces `run`). An SRGAN run's perceptual content term
 * needs `judgeWeights` (the run's dataset's, `await judgeWeights('mnist')`); without them the
 * content loss is MSE alone, which only training reads: sampling and generating are the same
 * either way. A CGAN run on a folder needs `labelClasses`, its class count (the length of the
 * run's `classes.json`).
 *
 * @example
 * import { builtinGanOf, compileOrThrow, getOrThrow } from 'ganfp'
 * const spec = getOrThrow(builtinGanOf({ recipe: 'dcgan', config: { width: 8, 'latent-dim': 32 } }))
 * compileOrThrow(spec).generator.inputShape // [32]
 * builtinGanOf({ recipe: 'pix2pix', config: {} })._tag
 * // 'Left': InvalidConfig at run.recipe: expected a built-in recipe (vanilla, dcgan, cgan or srgan), found "pix2pix"
 *
 * @since 0.2.0
 * @category zoo
 */
export const builtinGanOf = (run: unknown, options: BuiltinGanOptions = {}): E.Either<ReadonlyArray<GanError>, Gan> => {
  const path = options.path ?? 'run'
  if (!isRecord(run)) return E.left([invalidConfig(path, 'a run record { recipe, config }', run === null ? 'null' : Array.isArray(run) ? 'an array' : typeof run)])
  const errors: Array<GanError> = []
  const recipe = run['recipe']
  const config = run['config']
  const known = typeof recipe === 'string' && Object.hasOwn(builtinRecipes, recipe) ? (recipe as keyof typeof builtinRecipes) : undefined
  if (known === undefined)
    errors.push(invalidConfig(`${path}.recipe`, 'a built-in recipe (vanilla, dcgan, cgan or srgan)', describeValue(recipe)))
  if (!isRecord(config))
    errors.push(invalidConfig(`${path}.config`, "an object of the recipe's options", config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config))
  if (known === undefined || !isRecord(config)) return E.left(errors)
  return builtinRecipes[known](config, `${path}.config`, options)
}
