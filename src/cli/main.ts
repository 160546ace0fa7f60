/**
 * The `ganfp` command, on commander:
 *
 * - `ganfp train RECIPE [options]`: RECIPE is a built-in name (`ganfp recipes` lists them), the
 *   path of a recipe module, or an installed package, whose default export is the recipe;
 *   `ganfp train RECIPE --help` lists its options;
 * - `ganfp resume RUN_DIR [--steps N] [--from step-N]`: continues a run from its newest checkpoint
 *   (or the one named; newer ones are moved aside);
 * - `ganfp sample RUN_DIR [--n 64] [--out grid.png|samples.npy] [--seed S] [--label K]`: a grid, or
 *   an array streamed to disk, from the newest checkpoint (class K only, for a conditional run;
 *   paired runs draw their inputs from the data; `./sample-command.ts`);
 * - `ganfp eval TARGET [--dataset mnist|fashion | --reference DIR|FILE.npy]`: protocol Q2's scores with the floor (`./evaluate.ts`);
 * - `ganfp interpolate | attribute | truncation | nearest RUN_DIR`: latent-space tools (`./latent.ts`).
 * - `ganfp demo-data DIR [--count 3000] [--seed 0]`: writes a colour demo image set, made here (`./demo-data.ts`).
 * - `ganfp export RUN_DIR --format onnx [--network generator|discriminator] [--out FILE.onnx]`: a
 *   trained network as an ONNX model; `ganfp export RECIPE|RUN_DIR --format torch --out DIR`: a
 *   PyTorch package that trains it with DistributedDataParallel (`./export-command.ts`).
 *
 * Exit codes: 0 done (or stopped by Ctrl-C or the time budget, with a checkpoint), 2 a bad command,
 * option, recipe, config or checkpoint (nothing is written), 3 training stopped on non-finite
 * values (the last good checkpoint is kept), 1 anything unexpected.
 *
 * @since 0.1.0
 */
import { Command, CommanderError } from 'commander'
import * as E from 'fp-ts/lib/Either.js'
import { GanException, invalidConfig } from '../errors.ts'
import { intFlag, nonNegativeIntFlag, oneOfFlag, positiveIntFlag, positiveNumberFlag, stringFlag } from '../io/flags.ts'
import { backendChoices, type BackendChoice } from '../compile/backend.ts'
import type { Recipe } from '../recipe/define.ts'
import { loadRecipeOrThrow } from '../run/load-recipe.ts'
import { resumeRunOrThrow } from '../run/start.ts'
import { builtinRecipes, isBuiltinRecipe } from './builtins.ts'
import { evaluateCommand } from './evaluate.ts'
import { demoDataCommand } from './demo-data.ts'
import { exportCommand } from './export-command.ts'
import { attributeCommand, interpolateCommand, nearestCommand, truncationCommand } from './latent.ts'
import { pngSampleLimit, sampleCommand } from './sample-command.ts'
import { report, trainCommand, withProgress } from './train-command.ts'

/** Recipes by built-in name, module path or package name: every command's loader. */
const load = (reference: string): Promise<Recipe> => loadRecipeOrThrow(reference, { builtins: builtinRecipes })

const decodeOption = <A>(codec: { decode: (s: string) => E.Either<unknown, A>; name: string }, name: string, raw: string): A => {
  const decoded = codec.decode(raw)
  if (E.isLeft(decoded)) throw new GanException([invalidConfig(`--${name}`, codec.name, JSON.stringify(raw))])
  return decoded.right
}

const backendOption = (raw: string): BackendChoice => decodeOption(oneOfFlag(backendChoices), 'backend', raw)

const sample = async (
  path: string,
  options: { readonly n: string; readonly out: string; readonly seed: string; readonly label?: string },
): Promise<void> => {
  const n = decodeOption(positiveIntFlag, 'n', options.n)
  const seed = decodeOption(intFlag, 'seed', options.seed)
  const out = decodeOption(stringFlag, 'out', options.out)
  const label = options.label === undefined ? undefined : decodeOption(intFlag, 'label', options.label)
  await sampleCommand(path, { n, seed, out, label }, load)
}

/**
 * The program; `argv` excludes the runtime and script.
 *
 * @since 0.1.0
 * @category cli
 */
export const cliMain = async (argv: ReadonlyArray<string>): Promise<void> => {
  const program = new Command('ganfp')
    .description('GANs as typed values: train, resume, sample and evaluate runs; explore their latent space')
    .exitOverride()
    // Usage errors come back as GanErrors (exit 2), printed once by runMain.
    .configureOutput({ writeErr: () => {} })
    .enablePositionalOptions()
  program
    .command('train')
    .description('train a recipe (a built-in name, a module path or a package name) into a new run directory')
    .argument('<recipe>', 'built-in recipe name, path to a recipe module, or an installed recipe package')
    .argument('[options...]', 'the recipe\'s options; see `ganfp train RECIPE --help`')
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (reference: string, options: Array<string>) => {
      const recipe = await load(reference)
      await trainCommand(recipe, isBuiltinRecipe(reference) ? `builtin:${reference}` : reference, options)
    })
  program
    .command('resume')
    .description('continue a run from its newest checkpoint')
    .argument('<run_dir>', 'the run directory')
    .option('--steps <n>', 'train to this many steps in all (default: the steps it was started with)')
    .option('--from <checkpoint>', 'resume from this checkpoint (step-N), not the newest; newer ones are moved to RUN_DIR/checkpoints-set-aside/')
    .action(async (path: string, options: { readonly steps?: string; readonly from?: string }) => {
      const steps = options.steps === undefined ? undefined : decodeOption(positiveIntFlag, 'steps', options.steps)
      const from = options.from === undefined ? undefined : decodeOption(stringFlag, 'from', options.from)
      report(
        await withProgress((events, signal) =>
          resumeRunOrThrow(path, load, { events, signal, ...(steps === undefined ? {} : { steps }), ...(from === undefined ? {} : { from }) }),
        ),
      )
    })
  program
    .command('sample')
    .description("write a grid of samples from a run's newest checkpoint")
    .argument('<run_dir>', 'the run directory')
    .option('--n <count>', 'samples', '64')
    .option('--out <file>', `PNG grid to write (at most ${pngSampleLimit} samples), or FILE.npy for the samples as an array`, 'samples.png')
    .option('--seed <seed>', 'latent seed', '0')
    .option('--label <class>', 'the class to draw, for a conditional run (default: every class in turn)')
    .action(sample)
  program
    .command('eval')
    .description("sample quality of a run (or a .npy of images) against held-out images (FD, KID, precision, recall), beside the real-vs-real floor")
    .argument('<target>', 'a run directory, a .npy file of float32 N×H×W(×C) images in [0, 1], or a folder of images')
    .option('--dataset <name>', "mnist or fashion (default: the run's dataset, else mnist)")
    .option('--reference <path>', "your images to score against (a folder, or a .npy of float32 N×H×W(×C)), of any size: random features, with the floor (default for a folder run: its --folder)")
    .option('--backend <name>', 'tfjs backend for sampling and the judge (auto, webgpu, wasm, cpu)', backendOption, 'auto')
    .action((target: string, options: { readonly dataset?: string; readonly reference?: string; readonly backend: BackendChoice }) => evaluateCommand(target, options, load))
  const number = (name: string, codec: typeof intFlag) => (raw: string) => decodeOption(codec, name, raw)
  program
    .command('interpolate')
    .description('a strip of samples along the latent path between two seeds')
    .argument('<run_dir>', 'the run directory')
    .option('--from <seed>', 'seed of the first latent', number('from', intFlag), 1)
    .option('--to <seed>', 'seed of the last latent', number('to', intFlag), 2)
    .option('--steps <n>', 'samples along the path', number('steps', positiveIntFlag), 10)
    .option('--spherical', 'along the great circle (slerp) rather than the straight line', false)
    .option('--out <file>', 'PNG to write', 'interpolation.png')
    .option('--backend <name>', 'tfjs backend for sampling and the judge (auto, webgpu, wasm, cpu)', backendOption, 'auto')
    .action((path: string, options: { from: number; to: number; steps: number; spherical: boolean; out: string; backend: BackendChoice }) =>
      interpolateCommand(path, options, load),
    )
  program
    .command('attribute')
    .description("latent arithmetic: move class-A samples along the direction to class B, judged by the classifier")
    .argument('<run_dir>', 'the run directory (a bundled image set)')
    .requiredOption('--from-class <c>', 'class index A', number('from-class', nonNegativeIntFlag))
    .requiredOption('--to-class <c>', 'class index B', number('to-class', nonNegativeIntFlag))
    .option('--n <count>', 'samples drawn to find the classes', number('n', positiveIntFlag), 2000)
    .option('--out <file>', 'PNG to write', 'attribute.png')
    .option('--backend <name>', 'tfjs backend for sampling and the judge (auto, webgpu, wasm, cpu)', backendOption, 'auto')
    .action((path: string, options: { fromClass: number; toClass: number; n: number; out: string; backend: BackendChoice }) =>
      attributeCommand(path, options, load),
    )
  program
    .command('truncation')
    .description('precision and recall of 2,000 samples with the latent scaled by each ψ')
    .argument('<run_dir>', 'the run directory (a bundled image set)')
    .option('--psi <list>', 'comma-separated scales in (0, 1]', '1,0.75,0.5,0.25')
    .option('--backend <name>', 'tfjs backend for sampling and the judge (auto, webgpu, wasm, cpu)', backendOption, 'auto')
    .action((path: string, options: { psi: string; backend: BackendChoice }) =>
      truncationCommand(path, { psi: options.psi.split(',').map((p) => decodeOption(positiveNumberFlag, 'psi', p)), backend: options.backend }, load),
    )
  program
    .command('nearest')
    .description("memorisation check: each sample's nearest training image, against held-out images'")
    .argument('<run_dir>', 'the run directory (a bundled image set)')
    .option('--n <count>', 'samples', number('n', positiveIntFlag), 500)
    .option('--out <file>', 'PNG of the closest pairs', 'nearest.png')
    .option('--backend <name>', 'tfjs backend for sampling and the judge (auto, webgpu, wasm, cpu)', backendOption, 'auto')
    .action((path: string, options: { n: number; out: string; backend: BackendChoice }) => nearestCommand(path, options, load))
  program
    .command('demo-data')
    .description('write a colour demo image set, drawn here (nothing downloaded): shapes in one folder per class, mixed sizes, PNG and JPEG')
    .argument('<dir>', 'the folder to write: new, empty, or one demo-data wrote before (replaced)')
    .option('--count <n>', 'images in all, shared among the 6 classes', number('count', positiveIntFlag), 3000)
    .option('--seed <seed>', 'seed of the images', number('seed', intFlag), 0)
    .action((dir: string, options: { count: number; seed: number }) => demoDataCommand(dir, options))
  program
    .command('export')
    .description("a network for other runtimes: an ONNX model of a run's network, or a PyTorch package that trains a recipe or run with DistributedDataParallel")
    .argument('<source>', 'a run directory, or (for --format torch) a recipe: a built-in name, a module path or a package name')
    .argument(
      '[options...]',
      '--format onnx|torch; --out FILE.onnx (default RUN_DIR/<network>.onnx) or DIR (torch, required); --network generator|discriminator and --weights average|trained (onnx); a recipe\'s own options (torch from a recipe)',
    )
    .allowUnknownOption()
    .passThroughOptions()
    .action((source: string, options: Array<string>) => exportCommand(source, options, isBuiltinRecipe(source) ? `builtin:${source}` : source, load))
  program.command('recipes').description('list the built-in recipes').action(async () => {
    for (const name of Object.keys(builtinRecipes)) console.log(`${name}: ${(await load(name)).description}`)
  })
  // A bare `ganfp` asks what there is: the help, as `ganfp --help` prints it.
  if (argv.length === 0) return void process.stdout.write(program.helpInformation())
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; a usage error is a bad command: exit 2.
      if (error.exitCode === 0) return
      throw new GanException([invalidConfig('argv', 'a ganfp command (see ganfp --help)', error.message.replace(/^error: /, ''))])
    }
    throw error
  }
}
