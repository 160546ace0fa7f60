/**
 * A training run: a recipe and its options turned into a run directory that fills as training
 * goes (metrics, grids, loss plot, checkpoints), watched by the health alarms, stoppable at any
 * step (a signal checkpoints and returns) and resumable from its directory alone.
 *
 * Resuming reads the manifest (recipe and arguments), re-validates them, restores the newest
 * checkpoint and continues; on the same backend the resumed run logs the same numbers an
 * uninterrupted one would.
 *
 * @since 0.1.0
 */
import { isAbsolute, join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { GanException, checkpointMismatch, getOrThrow, invalidConfig, type GanError } from './errors.ts'
import { compile } from './compile/gan.ts'
import { sampleLatent } from './compile/gan.ts'
import { backendChoices, useBackendOrThrow, type BackendChoice, type BackendSelection } from './compile/backend.ts'
import { tf } from './compile/tf.ts'
import { outputIsLogit } from './dsl/loss.ts'
import { phaseAt } from './dsl/schedule.ts'
import { decodeWithPaths, NonNegativeInt } from './io/decode.ts'
import { listCheckpoints, readLatestCheckpoint, writeCheckpoint, type Checkpoint } from './io/checkpoint.ts'
import {
  flag,
  flagsHelp,
  intFlag,
  nonNegativeIntFlag,
  nonNegativeNumberFlag,
  oneOfFlag,
  parseFlags,
  positiveIntFlag,
  stringFlag,
  type Flag,
  type FlagValues,
  type Flags,
} from './io/flags.ts'
import { createRunDirectory, openRunDirectory, type MetricsRow, type RunDirectory, type RunManifest } from './io/run-directory.ts'
import { recipeResult, type Recipe } from './recipe.ts'
import type { Gan } from './dsl/gan.ts'
import type { Dataset } from './data/dataset.ts'
import type { CompiledGan } from './compile/gan.ts'
import { decodeConfig } from './io/config.ts'
import { writeFileAtomic } from './io/files.ts'
import { encodePng } from './io/png.ts'
import { imageGrid } from './io/grid.ts'
import { pointsScatter } from './io/scatter.ts'
import { Rng } from './random.ts'
import { runtimeInfo } from './runtime.ts'
import {
  defaultHealthThresholds,
  initialHealthState,
  observeSpread,
  observeStep,
  sampleSpread,
  type Alarm,
  type HealthState,
} from './train/health.ts'
import { snapshotTensorGroups, type TrainerSnapshot } from './train/snapshot.ts'
import { createTrainer, type StepReport, type Trainer } from './train/trainer.ts'
import { libraryVersion } from './version.ts'

/**
 * The options every run takes, on top of the recipe's own.
 *
 * @since 0.1.0
 * @category model
 */
// A type alias, not an interface: it must fit `Flags`, whose index signature interfaces lack.
export type RunFlags = {
  readonly steps: Flag<number>
  readonly batch: Flag<number>
  readonly seed: Flag<number>
  readonly out: Flag<string>
  readonly backend: Flag<BackendChoice>
  readonly threads: Flag<number>
  readonly minutes: Flag<number>
  readonly 'checkpoint-every': Flag<number>
  readonly keep: Flag<number>
  readonly 'sample-every': Flag<number>
  readonly 'log-every': Flag<number>
}

/**
 * The options every run takes, on top of the recipe's own, with the recipe's run defaults.
 *
 * @example
 * import { runFlags } from 'ganfp'
 * runFlags({ name: 'dcgan' }).out.defaultValue // 'runs/dcgan'
 * runFlags({ name: 'x', runDefaults: { batch: 32 } }).batch.defaultValue // 32
 * @since 0.1.0
 * @category constructors
 */
export const runFlags = (recipe: Pick<Recipe, 'name' | 'runDefaults'>): RunFlags => {
  const d = recipe.runDefaults ?? {}
  return {
    steps: flag(positiveIntFlag, d.steps ?? 2000, 'generator steps in all'),
    batch: flag(positiveIntFlag, d.batch ?? 64, 'examples per batch'),
    seed: flag(intFlag, 1, 'seed of the whole run'),
    out: flag(stringFlag, `runs/${recipe.name}`, 'run directory (must be new or empty)'),
    backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
    threads: flag(nonNegativeIntFlag, d.threads ?? 0, 'wasm threads (0: every core)'),
    minutes: flag(nonNegativeNumberFlag, 0, 'wall-clock budget; out of time, the run checkpoints, writes its final outputs and stops (0: none)'),
    'checkpoint-every': flag(positiveIntFlag, d.checkpointEvery ?? 500, 'steps between checkpoints'),
    keep: flag(positiveIntFlag, 3, 'checkpoints kept (the newest)'),
    'sample-every': flag(positiveIntFlag, d.sampleEvery ?? 200, 'steps between sample grids'),
    'log-every': flag(positiveIntFlag, d.logEvery ?? 10, 'steps between lines of metrics.jsonl'),
  }
}

/**
 * The run options' values.
 * @since 0.1.0
 * @category model
 */
export type RunConfig = FlagValues<RunFlags>

/**
 * What a run tells whoever watches it (the CLI draws a progress bar from these).
 *
 * @since 0.1.0
 * @category model
 */
export interface RunEvents {
  readonly started?: (info: {
    readonly directory: string
    readonly backend: BackendSelection
    readonly firstStep: number
    readonly totalSteps: number
    readonly resumed: boolean
  }) => void
  readonly step?: (report: StepReport, info: { readonly stepsPerSecond: number; readonly activeAlarms: ReadonlyArray<string> }) => void
  readonly alarm?: (alarm: Alarm) => void
  readonly message?: (line: string) => void
}

/**
 * How a run ended.
 *
 * @since 0.1.0
 * @category model
 */
export interface RunSummary {
  readonly directory: string
  readonly ended: 'completed' | 'interrupted' | 'out of time' | 'non-finite'
  readonly step: number
  /** The newest checkpoint written (or kept), if any. */
  readonly checkpoint: string | undefined
  readonly alarms: ReadonlyArray<Alarm>
}

/**
 * What the run keeps in each checkpoint besides the trainer's state: the recipe and its validated
 * configuration (the run options that may change on resume, `out` and `steps`, left out), the
 * schedule phase of the checkpoint's step, and the alarm monitor's state.
 */
const RunRecordCodec = t.type({
  recipe: t.string,
  config: t.record(t.string, t.unknown),
  phase: NonNegativeInt,
  health: t.type({
    wonStreak: NonNegativeInt,
    peakSpread: t.number,
    gradientNormAverage: t.type({ generator: t.number, discriminator: t.number }),
    averagedSteps: t.type({ generator: NonNegativeInt, discriminator: NonNegativeInt }),
    active: t.readonlyArray(t.keyof({ NonFinite: null, DiscriminatorWon: null, Collapse: null, ExplodingGradients: null })),
  }),
})
type RunRecord = t.TypeOf<typeof RunRecordCodec>

/** The configuration a checkpoint must agree with to be resumed: all but `out` and `steps`. */
const resumableConfig = (config: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'out' && key !== 'steps'))

/** A checkpoint written by another recipe or configuration than the run directory's is not resumed. */
const checkRecord = (record: RunRecord, manifest: RunManifest, where: string): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  if (record.recipe !== manifest.recipe.name) errors.push(checkpointMismatch(`${where}.recipe`, manifest.recipe.name, record.recipe))
  const expected = resumableConfig(manifest.config)
  for (const key of new Set([...Object.keys(expected), ...Object.keys(record.config)]))
    if (JSON.stringify(expected[key]) !== JSON.stringify(record.config[key]))
      errors.push(checkpointMismatch(`${where}.config.${key}`, `${JSON.stringify(expected[key])} (manifest.json)`, JSON.stringify(record.config[key])))
  return errors
}

const recipeFlagsWithRun = (recipe: Recipe): E.Either<ReadonlyArray<GanError>, Flags> => {
  const run = runFlags(recipe)
  const options = recipe.config.options
  const clashes = Object.keys(options).filter((key) => key in run || key === 'help')
  return clashes.length > 0
    ? E.left(clashes.map((key) => invalidConfig(`recipe(${recipe.name}).config.options.${key}`, 'a name no run option has', `--${key}`)))
    : E.right({ ...options, ...run })
}

/**
 * `--help` text for a recipe: its own options and the run options, with types and defaults, under
 * the command that runs it (`ganfp train NAME` unless said otherwise).
 *
 * @example
 * import { recipeHelp } from 'ganfp'
 * import dcgan from './recipes/dcgan.ts'
 * recipeHelp(dcgan).includes('--latent-dim') // true
 *
 * @since 0.1.0
 * @category destructors
 */
export const recipeHelp = (recipe: Recipe, command = `ganfp train ${recipe.name}`): string => {
  const run = runFlags(recipe)
  // One help text over both sets, so the columns line up; the run options under their own heading.
  const options = recipe.config.options
  const lines = flagsHelp(command, recipe.description, { ...options, ...run }).split('\n')
  const firstRun = 3 + Object.keys(options).length
  return [...lines.slice(0, firstRun), '', 'Run options (every recipe):', ...lines.slice(firstRun)].join('\n')
}

/**
 * The recipe's and the run's options decoded from `argv`, every problem at once, before anything
 * is built or written.
 *
 * @example
 * import { parseRecipeArgs } from 'ganfp'
 * import dcgan from './recipes/dcgan.ts'
 * parseRecipeArgs(dcgan, ['--width', '8', '--steps', '10'])
 * // Right({ help: false, recipeConfig: { width: 8, dataset: 'mnist', … }, run: { steps: 10, batch: 64, … } })
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRecipeArgs = (
  recipe: Recipe,
  argv: ReadonlyArray<string>,
): E.Either<ReadonlyArray<GanError>, { readonly help: boolean; readonly recipeConfig: Record<string, unknown>; readonly run: RunConfig }> => {
  const flags = recipeFlagsWithRun(recipe)
  if (E.isLeft(flags)) return flags
  const parsed = parseFlags(flags.right, argv)
  if (E.isLeft(parsed)) return parsed
  const values = parsed.right.values as Record<string, unknown>
  const runKeys = Object.keys(runFlags(recipe))
  const recipeConfig = Object.fromEntries(Object.entries(values).filter(([key]) => !runKeys.includes(key)))
  // Checks across the recipe's options (help needs none: it is asked for before a config is whole).
  const problems = parsed.right.help ? [] : recipe.config.check(recipeConfig as never)
  if (problems.length > 0) return E.left(problems)
  return E.right({
    help: parsed.right.help,
    recipeConfig,
    run: Object.fromEntries(runKeys.map((key) => [key, values[key]])) as RunConfig,
  })
}

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
  /** For 28×28×1 image outputs (the judges' shape): samples mapped to [0, 1] for evaluation. */
  readonly toUnitImages: ((samples: Float32Array) => Float32Array) | undefined
}

/** The default drawing of samples: image outputs as a grid, 2-D points as a scatter plot. */
const defaultRender = (shape: ReadonlyArray<number>, toUnit: (values: Float32Array) => Float32Array) => {
  const [height, width, channels] = shape
  if (shape.length === 3 && (channels === 1 || channels === 3))
    return (samples: Float32Array, count: number, columns: number): Uint8Array =>
      encodePng(imageGrid(toUnit(samples), { count, height: height!, width: width!, channels: channels!, columns }))
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
 * import { prepareRecipe } from 'ganfp'
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
  const errors = [...(E.isLeft(built) ? built.left : []), ...(E.isLeft(data) ? data.left : [])]
  if (E.isLeft(built) || E.isLeft(data)) return E.left(errors)
  const compiled = compile(built.right)
  if (E.isLeft(compiled)) return compiled
  const shape = compiled.right.generator.outputShape
  const [low, high] = recipe.outputRange ?? [-1, 1]
  const toUnit = (values: Float32Array): Float32Array => values.map((v) => (v - low) / (high - low))
  const custom = recipe.render
  const render =
    custom === undefined
      ? defaultRender(shape, toUnit)
      : (samples: Float32Array, count: number, columns: number) => custom.call(recipe, samples, { count, columns, shape }, config.right)
  const setup: RecipeSetup = {
    recipe,
    config: config.right,
    gan: built.right,
    dataset: data.right,
    batchSize,
    render: render && ((samples, count, columns = Math.ceil(Math.sqrt(count))) => render(samples, count, columns)),
    toUnitImages: shape.join() === '28,28,1' ? toUnit : undefined,
  }
  return E.right({ setup, compiled: compiled.right })
}

const selectBackend = (run: RunConfig): Promise<BackendSelection> =>
  useBackendOrThrow(run.backend as BackendChoice, run.threads > 0 ? { wasmThreads: run.threads } : {})

/** Paths of non-finite parameter values, for the NonFinite alarm's message. */
const nonFiniteTensors = (snapshot: TrainerSnapshot): ReadonlyArray<string> =>
  snapshotTensorGroups(snapshot).flatMap(([group, tensors]) =>
    Object.entries(tensors).flatMap(([path, t]) => (t.values.every(Number.isFinite) ? [] : [`${group}.${path}`])),
  )

/**
 * `n` generator inputs from `seed`: latents, or for paired data the paired inputs of a first
 * batch drawn with that seed (the run's grids, `ganfp sample`).
 *
 * @example
 * import { generatorInputs, getOrThrow, prepareRecipe } from 'ganfp'
 * import recipe from './recipes/dcgan.ts'
 * const { setup } = getOrThrow(await prepareRecipe(recipe, {}, 64))
 * (await generatorInputs(setup, 4, 1)).length // 256: 4 latents of 64
 * @since 0.1.0
 * @category sampling
 */
export const generatorInputs = async (setup: RecipeSetup, n: number, seed: number): Promise<Float32Array> => {
  if (setup.gan.latent._tag !== 'Paired') return sampleLatent(setup.gan.latent, n, Rng.fromSeed(seed))
  const first = await setup.dataset.batches({ batchSize: n, seed })[Symbol.asyncIterator]().next()
  const inputs = first.done === true ? undefined : first.value.pairedInput
  if (inputs === undefined)
    throw new GanException([invalidConfig(`data(${setup.dataset.name})`, `a first batch of ${n} paired examples`, 'none')])
  return inputs
}

/**
 * Trains, filling `directory`, from the trainer's current step to `run.steps`. Shared by new and
 * resumed runs.
 */
const execute = async (context: {
  readonly directory: RunDirectory
  readonly trainer: Trainer
  readonly setup: RecipeSetup
  readonly run: RunConfig
  readonly backend: BackendSelection
  readonly health: HealthState
  readonly rows: ReadonlyArray<MetricsRow>
  readonly resumed: boolean
  readonly events: RunEvents
  readonly signal: AbortSignal | undefined
}): Promise<RunSummary> => {
  const { directory, trainer, setup, run, events } = context
  const log = (line: string): void => events.message?.(line)
  const spec = trainer.compiled.spec
  const scoreLabel = outputIsLogit(spec.loss) ? 'D(x), D(G(z))' : 'critic scores on real and generated'
  const fixedLatents = await generatorInputs(setup, 64, run.seed + 1)
  const rows = [...context.rows]
  let health = context.health
  const alarms: Array<Alarm> = []
  let lastCheckpoint: string | undefined
  const started = performance.now()
  const firstStep = trainer.stepCount()
  let lastPlot = 0

  const checkpoint = async (): Promise<'written' | 'non-finite'> => {
    const snapshot = await trainer.snapshot()
    const bad = nonFiniteTensors(snapshot)
    if (bad.length > 0) {
      raise({ kind: 'NonFinite', step: snapshot.step, fatal: true, message: `non-finite values in ${bad.join(', ')} at step ${snapshot.step}` })
      return 'non-finite'
    }
    const record: RunRecord = {
      recipe: directory.manifest.recipe.name,
      config: resumableConfig(directory.manifest.config),
      phase: phaseAt(spec.schedule, Math.max(snapshot.step, 1)).index,
      health,
    }
    lastCheckpoint = writeCheckpoint(directory.checkpoints, snapshot, { run: record, keep: run.keep })
    return 'written'
  }
  const raise = (alarm: Alarm): void => {
    alarms.push(alarm)
    events.alarm?.(alarm)
  }
  const writeGrid = async (step: number): Promise<ReadonlyArray<Alarm>> => {
    const samples = await trainer.generate(fixedLatents)
    if (setup.render !== undefined) directory.writeGrid(step, setup.render(samples, 64))
    const observed = observeSpread(health, sampleSpread(samples, 64), step, defaultHealthThresholds)
    health = observed.state
    return observed.alarms
  }
  const plot = (force: boolean): void => {
    // The plot is rewritten at most every 2 s: cheap next to a step, not next to a thousand.
    if (!force && performance.now() - lastPlot < 2000) return
    directory.writeLossPlot(rows, scoreLabel)
    lastPlot = performance.now()
  }

  events.started?.({ directory: directory.path, backend: context.backend, firstStep, totalSteps: run.steps, resumed: context.resumed })
  if (firstStep === 0) for (const a of await writeGrid(0)) raise(a)

  let ended: RunSummary['ended'] = 'completed'
  while (trainer.stepCount() < run.steps) {
    // A step's awaits can all resolve as microtasks (the cpu backend reads synchronously): yield
    // to the event loop once a step so a signal handler (Ctrl-C) gets to run.
    await new Promise<void>((resolve) => setImmediate(resolve))
    if (context.signal?.aborted === true) {
      ended = 'interrupted'
      break
    }
    if (run.minutes > 0 && performance.now() - started > run.minutes * 60_000) {
      ended = 'out of time'
      break
    }
    const report = await trainer.step()
    const observed = observeStep(health, report, spec.loss, defaultHealthThresholds)
    health = observed.state
    const stepAlarms = [...observed.alarms]
    if (report.step % run['sample-every'] === 0 || report.step === run.steps) stepAlarms.push(...(await writeGrid(report.step)))
    const fatal = stepAlarms.find((a) => a.fatal)
    if (fatal !== undefined) {
      // Say where the non-finite values are: read the state once, on this fatal path only.
      const bad = nonFiniteTensors(await trainer.snapshot())
      stepAlarms[stepAlarms.indexOf(fatal)] = bad.length === 0 ? fatal : { ...fatal, message: `${fatal.message}; non-finite values in ${bad.join(', ')}` }
    }
    for (const a of stepAlarms) raise(a)
    const seconds = (performance.now() - started) / 1000
    const stepsPerSecond = (report.step - firstStep) / Math.max(seconds, 1e-9)
    if (report.step % run['log-every'] === 0 || report.step === run.steps || stepAlarms.length > 0 || report.step === 1) {
      const row: MetricsRow = { ...report, seconds, stepsPerSecond, alarms: stepAlarms.map(({ kind, message }) => ({ kind, message })) }
      rows.push(row)
      directory.appendMetrics(row)
      plot(false)
    }
    events.step?.(report, { stepsPerSecond, activeAlarms: health.active })
    if (fatal === undefined && setup.recipe.phaseEnded !== undefined && phaseAt(spec.schedule, report.step + 1).index !== report.phase)
      await setup.recipe.phaseEnded?.({ config: setup.config as never, seed: run.seed, trainer, phase: report.phase, out: directory.path, log })
    if (fatal !== undefined) {
      ended = 'non-finite'
      break
    }
    if (report.step % run['checkpoint-every'] === 0 && (await checkpoint()) === 'non-finite') {
      ended = 'non-finite'
      break
    }
  }
  plot(true)
  if (ended !== 'non-finite' && (await checkpoint()) === 'non-finite') ended = 'non-finite'
  // A spent time budget is a planned end too: the recipe's final outputs are written (the run can
  // still be resumed for more steps).
  if ((ended === 'completed' || ended === 'out of time') && setup.recipe.evaluate !== undefined) {
    const scores = await setup.recipe.evaluate({ config: setup.config as never, seed: run.seed, trainer, out: directory.path, log })
    if (scores !== undefined) {
      const file = join(directory.path, 'evaluation.json')
      writeFileAtomic(file, new TextEncoder().encode(`${JSON.stringify({ step: trainer.stepCount(), scores }, null, 2)}\n`))
      log(`wrote ${file}`)
    }
  }
  return {
    directory: directory.path,
    ended,
    step: trainer.stepCount(),
    checkpoint: lastCheckpoint ?? listCheckpoints(directory.checkpoints).at(-1)?.path,
    alarms,
  }
}

/**
 * How a manifest names a recipe module so that `ganfp resume` finds it again: `builtin:NAME` and
 * package names as given, paths and `file:` URLs as absolute paths.
 */
const recipeModuleReference = (module: string): string =>
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

/**
 * Starts a new run of `recipe` with command-line `argv`; `module` is how `ganfp resume` finds the
 * recipe again (`builtin:NAME`, a module path or a package name). Bad options are a
 * `GanException` before any directory is created; `'help'` when `argv` asks for `--help`.
 *
 * @example
 * import { startRun } from 'ganfp'
 * import vanilla from './recipes/vanilla.ts'
 * const summary = await startRun(vanilla, 'builtin:vanilla', ['--steps', '100', '--out', 'runs/ring'])
 * // { directory: 'runs/ring', ended: 'completed', step: 100, checkpoint: 'runs/ring/checkpoints/step-00000100', alarms: [] }
 * @since 0.1.0
 * @category runs
 */
export const startRun = async (
  recipe: Recipe,
  module: string,
  argv: ReadonlyArray<string>,
  events: RunEvents = {},
  signal?: AbortSignal,
): Promise<RunSummary | 'help'> => {
  const parsed = getOrThrow(parseRecipeArgs(recipe, argv))
  if (parsed.help) return 'help'
  const { setup, compiled } = getOrThrow(await prepareRecipe(recipe, parsed.recipeConfig, parsed.run.batch))
  const backend = await selectBackend(parsed.run)
  const manifest: RunManifest = {
    format: 'ganfp-run',
    formatVersion: 1,
    recipe: {
      name: recipe.name,
      module: recipeModuleReference(module),
    },
    argv: [...argv],
    config: { ...parsed.recipeConfig, ...parsed.run },
    seed: parsed.run.seed,
    backend: { requested: parsed.run.backend, name: backend.name, reason: backend.reason },
    runtime: runtimeInfo(),
    versions: { ganfp: libraryVersion, '@tensorflow/tfjs-core': tf.version_core },
    createdAt: new Date().toISOString(),
  }
  const trainer = getOrThrow(createTrainer(compiled, setup.dataset, { seed: parsed.run.seed, batchSize: setup.batchSize }))
  try {
    const directory = getOrThrow(createRunDirectory(parsed.run.out, manifest))
    return await execute({ directory, trainer, setup, run: parsed.run, backend, health: initialHealthState, rows: [], resumed: false, events, signal })
  } finally {
    trainer.dispose()
  }
}

/**
 * A run directory opened to continue: its recipe rebuilt from the manifest's arguments, the newest
 * checkpoint read and checked against the directory, the backend selected, and a trainer restored
 * from the checkpoint (the caller disposes it). `steps` overrides the step count in all;
 * `backend` the run's backend (evaluation need not run on the backend that trained).
 *
 * @example
 * import { loadRecipe, restoreRun } from 'ganfp'
 * const { trainer, checkpoint } = await restoreRun('runs/ring', loadRecipe, { backend: 'cpu' })
 * checkpoint.step // 100
 * trainer.dispose()
 * @since 0.1.0
 * @category runs
 */
export const restoreRun = async (
  path: string,
  loadRecipe: (module: string) => Promise<Recipe>,
  overrides: { readonly steps?: number; readonly backend?: BackendChoice } = {},
): Promise<{
  readonly directory: RunDirectory
  readonly run: RunConfig
  readonly setup: RecipeSetup
  readonly checkpoint: Checkpoint
  readonly health: HealthState
  readonly backend: BackendSelection
  readonly trainer: Trainer
}> => {
  const directory = getOrThrow(openRunDirectory(path))
  const recipe = await loadRecipe(directory.manifest.recipe.module)
  const parsed = getOrThrow(parseRecipeArgs(recipe, directory.manifest.argv))
  const run: RunConfig = { ...parsed.run, out: path, ...overrides }
  const { setup, compiled } = getOrThrow(await prepareRecipe(recipe, parsed.recipeConfig, run.batch))
  const checkpoint = getOrThrow(readLatestCheckpoint(directory.checkpoints))
  const where = `checkpoint(${checkpoint.path}).manifest.json.run`
  const record = getOrThrow(decodeWithPaths(RunRecordCodec, checkpoint.run, where, 'CheckpointCorrupt'))
  const recordErrors = checkRecord(record, directory.manifest, where)
  if (recordErrors.length > 0) throw new GanException(recordErrors)
  const backend = await selectBackend(run)
  const trainer = getOrThrow(
    createTrainer(compiled, setup.dataset, { seed: run.seed, batchSize: setup.batchSize, resumeFrom: checkpoint.snapshot }),
  )
  return { directory, run, setup, checkpoint, health: record.health, backend, trainer }
}

/**
 * Continues the run in `path` from its newest checkpoint, to the step count it was started with
 * (or `steps` if given). `loadRecipe` finds the recipe from the manifest's `recipe.module`.
 *
 * @example
 * import { loadRecipe, resumeRun } from 'ganfp'
 * const summary = await resumeRun('runs/ring', loadRecipe, { steps: 200 })
 * summary.step // 200: steps 101–200 log what an uninterrupted run would have
 * @since 0.1.0
 * @category runs
 */
export const resumeRun = async (
  path: string,
  loadRecipe: (module: string) => Promise<Recipe>,
  options: { readonly steps?: number; readonly events?: RunEvents; readonly signal?: AbortSignal } = {},
): Promise<RunSummary> => {
  const { directory, run, setup, checkpoint, health, backend, trainer } = await restoreRun(path, loadRecipe, options.steps === undefined ? {} : { steps: options.steps })
  try {
    // The metrics of steps after the checkpoint are re-run, so their old lines go.
    const rows = getOrThrow(directory.readMetrics()).filter((row) => row.step <= checkpoint.step)
    directory.replaceMetrics(rows)
    return await execute({
      directory,
      trainer,
      setup,
      run,
      backend,
      health,
      rows,
      resumed: true,
      events: options.events ?? {},
      signal: options.signal,
    })
  } finally {
    trainer.dispose()
  }
}
