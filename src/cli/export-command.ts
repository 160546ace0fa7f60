/**
 * `ganfp export SOURCE --format onnx|torch …`: the command's own options read off its arguments
 * (the rest are a recipe's, for `--format torch` from a recipe), then
 *
 * - `ganfp export RUN_DIR --format onnx [--network generator|discriminator] [--weights
 *   average|trained] [--out FILE.onnx]`: a trained network as an ONNX model (`networkToOnnx`),
 *   read from the run's newest checkpoint, for ONNX Runtime and other serving runtimes. The
 *   generator's moving average is exported by default where the run keeps one: it is what
 *   `ganfp sample` draws from. The file is written atomically; nothing is written on an error.
 * - `ganfp export RECIPE|RUN_DIR --format torch --out DIR [recipe options]`: a PyTorch package
 *   (`./torch-export-command.ts`).
 *
 * @since 0.3.0
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { GanException, getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import { networkToOnnx } from '../export/onnx/export.ts'
import { oneOfFlag } from '../io/flags.ts'
import { checkGan } from '../shape/check.ts'
import type { TensorData } from '../train/snapshot.ts'
import { writeFileAtomicOrThrow } from '../node/files.ts'
import { restoreRunOrThrow, type RecipeLoader } from '../run/start.ts'
import { torchExportCommand, torchSourceProblems } from './torch-export-command.ts'

/** Which network, and which of its weights. */
export interface OnnxExportRequest {
  readonly network: 'generator' | 'discriminator'
  /** `average`: the generator's moving average where the run keeps one; `trained`: the optimizer's weights. */
  readonly weights: 'average' | 'trained'
  /** Default: `RUN_DIR/<network>.onnx`. */
  readonly out: string | undefined
}

const valuesOf = (tensors: Readonly<Record<string, TensorData>>): Record<string, Float32Array> =>
  Object.fromEntries(Object.entries(tensors).map(([path, tensor]) => [path, tensor.values]))

const shapeText = (shape: ReadonlyArray<number>): string => `[batch, ${shape.join(', ')}]`

/**
 * The command's work for `--format onnx`: prints what it wrote (the inputs and output by name and
 * shape); every problem is a `GanException` (exit 2).
 */
export const onnxExportCommand = async (path: string, request: OnnxExportRequest, loadRecipe: RecipeLoader, log: (line: string) => void = console.log): Promise<void> => {
  if (request.network === 'discriminator' && request.weights === 'average')
    throw new GanException([invalidConfig('--weights', 'trained for the discriminator (only the generator has a moving average)', 'average')])
  // The CPU backend: exporting computes nothing, and an idle wasm or WebGPU start-up is wasted.
  const run = await restoreRunOrThrow(path, loadRecipe, { backend: 'cpu' })
  try {
    const checked = getOrThrow(checkGan(run.setup.gan))
    const snapshot = run.checkpoint.snapshot
    const average = request.network === 'generator' && request.weights === 'average' ? snapshot.generatorAverage : undefined
    if (request.network === 'generator' && request.weights === 'average' && average === undefined)
      log('note: this run keeps no moving average of the generator; exporting its trained weights')
    const params = valuesOf(average ?? snapshot[request.network].params)
    const network = checked[request.network]
    const recipe = run.setup.recipe.name
    const bytes = getOrThrow(
      networkToOnnx(network, params, {
        name: `${recipe} ${request.network}`,
        docString: `ganfp ${recipe} run ${path}, step ${run.checkpoint.step}, ${average === undefined ? 'trained' : 'moving-average'} weights`,
      }),
    )
    const out = request.out ?? join(path, `${request.network}.onnx`)
    writeFileAtomicOrThrow(out, bytes)
    const labels = network.labelClasses === undefined ? '' : `, labels int32 [batch] in [0, ${network.labelClasses})`
    log(`wrote ${out} (${(bytes.length / 1e6).toFixed(2)} MB): the ${request.network} at step ${run.checkpoint.step}${average === undefined ? '' : ' (moving average)'}`)
    log(`  inputs: input float32 ${shapeText(network.inputShape)}${labels}; output: output float32 ${shapeText(network.outputShape)} (ganfp's layout: NHWC for images)`)
  } finally {
    run.trainer.dispose()
  }
}

/** The export command's own options; any other word goes to the recipe (`--format torch` from a recipe). */
const ownOptions = ['--format', '--out', '--network', '--weights'] as const
type OwnOption = (typeof ownOptions)[number]

/** `args` split into the command's own options (`--out DIR` or `--out=DIR`) and the rest, in order. */
const splitOptions = (args: ReadonlyArray<string>): { readonly own: Partial<Record<OwnOption, string>>; readonly rest: ReadonlyArray<string>; readonly errors: ReadonlyArray<GanError> } => {
  const own: Partial<Record<OwnOption, string>> = {}
  const rest: Array<string> = []
  const errors: Array<GanError> = []
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i]!.split(/=(.*)/s) as [string, string | undefined]
    const option = ownOptions.find((o) => o === name)
    if (option === undefined) {
      rest.push(args[i]!)
      continue
    }
    const value = inline ?? args[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) errors.push(invalidConfig(option, 'a value', 'nothing'))
    else if (own[option] !== undefined) errors.push(invalidConfig(option, 'the option once', `${own[option]} and ${value}`))
    else own[option] = value
  }
  return { own, rest, errors }
}

const decoded = <A extends string>(choices: ReadonlyArray<A>, option: OwnOption, raw: string | undefined, errors: Array<GanError>): A | undefined => {
  if (raw === undefined) return undefined
  const result = oneOfFlag(choices).decode(raw)
  if (E.isRight(result)) return result.right
  errors.push(invalidConfig(option, `one of ${choices.join(', ')}`, JSON.stringify(raw)))
  return undefined
}

/**
 * `ganfp export SOURCE [args]`: reads the command's options off `args` (every problem at once),
 * then exports; `module` is how a new run finds a recipe SOURCE again (`builtin:NAME` or the
 * reference itself).
 */
export const exportCommand = async (source: string, args: ReadonlyArray<string>, module: string, loadRecipe: RecipeLoader, log: (line: string) => void = console.log): Promise<void> => {
  const { own, rest, errors } = splitOptions(args)
  const problems = [...errors]
  const format = decoded(['onnx', 'torch'] as const, '--format', own['--format'], problems)
  const network = decoded(['generator', 'discriminator'] as const, '--network', own['--network'], problems)
  const weights = decoded(['average', 'trained'] as const, '--weights', own['--weights'], problems)
  if (own['--format'] === undefined) problems.push(invalidConfig('--format', 'onnx or torch', 'nothing'))
  if (format === 'torch') {
    if (own['--out'] === undefined) problems.push(invalidConfig('--out', 'the folder to write the package to', 'nothing'))
    for (const option of ['--network', '--weights'] as const)
      if (own[option] !== undefined) problems.push(invalidConfig(option, 'nothing: a PyTorch package holds both networks and all their state', own[option]!))
  }
  if (format === 'onnx' && rest.length > 0)
    problems.push(invalidConfig(rest[0]!, 'an option of ganfp export --format onnx (--network, --weights, --out)', rest.join(' ')))
  // The recipe's options are checked too, so one run of the command names every problem.
  if (format === 'torch' && problems.length > 0) problems.push(...(await torchSourceProblems(source, rest, loadRecipe)))
  if (problems.length > 0 || format === undefined) throw new GanException(problems)
  if (format === 'torch') return torchExportCommand(source, { out: own['--out']!, module, recipeArgs: rest }, loadRecipe, log)
  const chosen = network ?? 'generator'
  return onnxExportCommand(source, { network: chosen, weights: weights ?? (chosen === 'generator' ? 'average' : 'trained'), out: own['--out'] }, loadRecipe, log)
}
