/**
 * `ganfp export RECIPE|RUN_DIR --format torch --out DIR [recipe options]`: the spec as a PyTorch
 * package (`ganToTorchPackage`) that trains under `torchrun` with DistributedDataParallel and
 * writes a ganfp run directory.
 *
 * From a recipe, the package starts where `ganfp train` would (the same step-0 parameters from
 * `--seed`); from a run directory, it goes on from the run's newest checkpoint (parameters,
 * optimizer state, moving average). The training data travels with it: images as uint8 `.npy`,
 * other data as float32, an endless source (the 2-D mixtures) as its first `maxExamples` draws.
 * The folder is written beside DIR and renamed into place: all or nothing.
 *
 * @since 0.3.0
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { GanException, getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import { shapeSize } from '../dsl/shape.ts'
import { ganToTorchPackage, type TorchTrainingData } from '../export/torch/package.ts'
import { initialTrainerSnapshot } from '../export/torch/snapshot.ts'
import type { TorchExportRun } from '../export/torch/spec.ts'
import { checkGan } from '../shape/check.ts'
import type { TrainerSnapshot } from '../train/snapshot.ts'
import { directoryMode, fileMode, tryFileSystem } from '../node/files.ts'
import { parseRecipeArgs, recipeHelp } from '../run/options.ts'
import { recipeResult } from '../recipe/define.ts'
import { prepareRecipe, type RecipeSetup } from '../run/prepare.ts'
import { recipeModuleReference } from '../run/module-reference.ts'
import { restoreRunOrThrow, type RecipeLoader } from '../run/start.ts'

/** Examples drawn from a source that never ends (the 2-D mixtures), or at most taken from a larger one. */
export const maxExamples = 200_000

/** Whether every value is a byte scaled to [−1, 1] (`p / 127.5 − 1`), as ganfp's image sets give them. */
const areScaledBytes = (values: Float32Array): boolean => values.every((v) => v >= -1 && v <= 1 && Math.abs((v + 1) * 127.5 - Math.round((v + 1) * 127.5)) < 1e-3)

/**
 * One epoch of the run's data, in the order the seed shuffles it (the torch run reshuffles), one
 * example at a time so that no partial batch is dropped; paired inputs are not kept (the package
 * derives them from the targets, as ganfp's super-resolution data does).
 */
const trainingDataOf = async (setup: RecipeSetup, seed: number): Promise<{ readonly data: TorchTrainingData; readonly capped: boolean }> => {
  const shape = setup.dataset.exampleShape
  const perExample = shapeSize(shape)
  const values = new Float32Array(maxExamples * perExample)
  const labels = setup.dataset.numClasses === undefined ? undefined : new Int32Array(maxExamples)
  let count = 0
  for await (const batch of setup.dataset.batches({ batchSize: 1, seed })) {
    if (count === maxExamples) break
    values.set(batch.values, count * perExample)
    if (labels !== undefined) labels[count] = batch.labels?.[0] ?? 0
    count += 1
  }
  const capped = count === maxExamples
  const used = values.subarray(0, count * perExample)
  const usedLabels = labels?.slice(0, count)
  const isImage = shape.length === 3 && (shape[2] === 1 || shape[2] === 3) && areScaledBytes(used)
  const data: TorchTrainingData = isImage
    ? {
        _tag: 'Images',
        pixels: Uint8Array.from(used, (v) => Math.round((v + 1) * 127.5)),
        shape: [count, ...shape],
        ...(usedLabels === undefined ? {} : { labels: usedLabels }),
        ...(setup.config['flip'] === true ? { flip: true } : {}),
      }
    : { _tag: 'Values', values: Float32Array.from(used), shape: [count, ...shape], ...(usedLabels === undefined ? {} : { labels: usedLabels }) }
  return { data, capped }
}

/** DIR must be new or empty: a package is never written over files. */
const checkTarget = (out: string): void => {
  if (!existsSync(out)) return
  const entries = tryFileSystem(out, 'a new or empty folder', () => readdirSync(out))
  if (E.isLeft(entries)) throw new GanException(entries.left)
  if (entries.right.length > 0) throw new GanException([invalidConfig('--out', 'a new or empty folder', `${out}, which holds ${entries.right.length} entries`)])
}

/** The files written under a temporary folder beside `out`, then renamed into place. */
const writePackage = (out: string, files: Readonly<Record<string, string | Uint8Array>>): void => {
  const target = resolve(out)
  const temporary = join(dirname(target), `.${basename(target)}.torch-export.${process.pid}.tmp`)
  const written = tryFileSystem(target, 'a writable folder', () => {
    try {
      mkdirSync(temporary, { recursive: true, mode: directoryMode })
      for (const [path, contents] of Object.entries(files)) {
        const file = join(temporary, path)
        mkdirSync(dirname(file), { recursive: true, mode: directoryMode })
        writeFileSync(file, contents, { mode: fileMode })
        // Explicit modes: \`npm run\` runs scripts under umask 0.
        chmodSync(file, fileMode)
      }
      // An empty target folder gives way to the written one.
      if (existsSync(target)) rmSync(target, { recursive: true })
      renameSync(temporary, target)
    } finally {
      rmSync(temporary, { recursive: true, force: true })
    }
  })
  if (E.isLeft(written)) throw new GanException(written.left)
}

/** What to pack, from a run directory (its newest checkpoint) or a recipe and its options. */
interface Source {
  readonly setup: RecipeSetup
  readonly initial: TrainerSnapshot
  readonly run: TorchExportRun
  readonly from: string
}

const isRunDirectory = (source: string): boolean => existsSync(join(source, 'manifest.json'))

const optionsAfterRunDirectory = (recipeArgs: ReadonlyArray<string>): GanError =>
  invalidConfig(recipeArgs[0]!, 'no recipe option: a run directory keeps its configuration (give a recipe name to export a new run)', recipeArgs.join(' '))

/**
 * What is wrong with a source and its recipe options, found without building anything: the
 * export command reports these beside its own options' problems, all at once.
 */
export const torchSourceProblems = async (source: string, recipeArgs: ReadonlyArray<string>, loadRecipe: RecipeLoader): Promise<ReadonlyArray<GanError>> => {
  if (isRunDirectory(source)) return recipeArgs.length > 0 ? [optionsAfterRunDirectory(recipeArgs)] : []
  const recipe = await recipeResult(() => loadRecipe(source))
  if (E.isLeft(recipe)) return recipe.left
  const parsed = parseRecipeArgs(recipe.right, recipeArgs)
  return E.isLeft(parsed) ? parsed.left : []
}

const fromRunDirectory = async (path: string, recipeArgs: ReadonlyArray<string>, loadRecipe: RecipeLoader): Promise<Source> => {
  if (recipeArgs.length > 0) throw new GanException([optionsAfterRunDirectory(recipeArgs)])
  const restored = await restoreRunOrThrow(path, loadRecipe, { backend: 'cpu' })
  restored.trainer.dispose()
  const { manifest } = restored.directory
  return {
    setup: restored.setup,
    initial: restored.checkpoint.snapshot,
    run: { recipe: manifest.recipe, argv: manifest.argv, config: manifest.config, seed: manifest.seed },
    from: `run ${path}, step ${restored.checkpoint.step}`,
  }
}

const fromRecipe = async (reference: string, module: string, recipeArgs: ReadonlyArray<string>, loadRecipe: RecipeLoader, log: (line: string) => void): Promise<Source | 'help'> => {
  const recipe = getOrThrow(await recipeResult(() => loadRecipe(reference)))
  const parsed = getOrThrow(parseRecipeArgs(recipe, recipeArgs))
  if (parsed.help) {
    log(recipeHelp(recipe, `ganfp export ${reference} --format torch --out DIR`))
    return 'help'
  }
  const { setup, compiled } = getOrThrow(await prepareRecipe(recipe, parsed.recipeConfig, parsed.run.batch))
  return {
    setup,
    initial: initialTrainerSnapshot(compiled, parsed.run.seed),
    run: { recipe: { name: recipe.name, module: recipeModuleReference(module) }, argv: [...recipeArgs], config: { ...parsed.recipeConfig, ...parsed.run }, seed: parsed.run.seed },
    from: `recipe ${recipe.name}, step 0, seed ${parsed.run.seed}`,
  }
}

/**
 * The command's work for `--format torch`: `source` is a run directory (one holding
 * `manifest.json`) or a recipe reference (`module` is how a run finds it again); prints what it
 * wrote and how to train it. Every problem is a `GanException` (exit 2), and nothing is written.
 */
export const torchExportCommand = async (
  source: string,
  options: { readonly out: string; readonly module: string; readonly recipeArgs: ReadonlyArray<string> },
  loadRecipe: RecipeLoader,
  log: (line: string) => void = console.log,
): Promise<void> => {
  checkTarget(options.out)
  const picked = isRunDirectory(source) ? await fromRunDirectory(source, options.recipeArgs, loadRecipe) : await fromRecipe(source, options.module, options.recipeArgs, loadRecipe, log)
  if (picked === 'help') return
  const { data, capped } = await trainingDataOf(picked.setup, picked.run.seed)
  const checked = getOrThrow(checkGan(picked.setup.gan))
  const exported = getOrThrow(ganToTorchPackage({ checked, run: picked.run, initial: picked.initial, data }))
  const files = exported.files
  const bytes = Object.values(files).reduce((sum, contents) => sum + contents.length, 0)
  writePackage(options.out, files)
  const examples = data.shape[0]!
  log(`wrote ${options.out} (${Object.keys(files).length} files, ${(bytes / 1e6).toFixed(1)} MB): ${picked.from}`)
  log(
    `  data: ${examples.toLocaleString('en-US')} examples of ${data.shape.slice(1).join('×')} as ${data._tag === 'Images' ? 'uint8' : 'float32'}` +
      `${data.labels === undefined ? '' : ', with labels'}${capped ? ` (the first ${maxExamples.toLocaleString('en-US')} draws of data(${picked.setup.dataset.name}))` : ''}`,
  )
  log(`train it: torchrun --standalone --nproc_per_node 2 ${join(options.out, 'train.py')} --steps 50 --out runs/torch`)
  log(`  (Debian 12's torch 1.13 on Python 3.11 also needs --redirects 1 --tee 1 after --nproc_per_node N; see ${join(options.out, 'README.md')})`)
}
