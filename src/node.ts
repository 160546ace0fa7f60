/**
 * ganfp/node: what needs a file system or a process, on Deno, Bun and Node. Checkpoints and run
 * directories on disk, PNG and IDX files, users' image folders, the bundled MNIST and
 * Fashion-MNIST, running and resuming recipes, and the pieces of the `ganfp` command a recipe
 * module uses (`runIfMain`). The core (GANs, training, metrics) is `ganfp` (src/index.ts); this
 * entry adds to it and repeats none of it.
 *
 * @module
 * @since 0.1.0
 */

// Files.
export { pointsToCsv, writeAndFlush, writeChunksAtomic, writeFileAtomic, writeFileAtomicOrThrow } from './node/files.ts'
export * from './node/checkpoint.ts'
export * from './node/run-directory.ts'
export * from './node/png.ts'
export * from './node/png-files.ts'
export { decodeImageFile, decodeImageToSize, listImageClasses, listPngClasses, type DecodedImage } from './node/image-files.ts'
export * from './node/idx.ts'
export * from './node/image-folder.ts'
export * from './node/demo-folder.ts'
export { defaultImageCacheDir, defaultMemoryBudgetBytes, openImageFolder, type ImageFolder, type OpenImageFolderOptions } from './node/image-folder-data.ts'
export { decodeProgressBar } from './node/decode-progress.ts'
export { openImageData, type ImageData } from './node/image-data.ts'
export * from './node/bundled-data.ts'
export * from './node/image-evaluation.ts'
export * from './node/main.ts'

// Running recipes: options and help, preparation, training runs, loading recipe modules.
export { parseRecipeArgs, recipeHelp, runFlags, type RunConfig, type RunFlags } from './run/options.ts'
export { parseFlags } from './run/parse-flags.ts'
export { generatorInputs, generatorInputsOrThrow, prepareRecipe, type RecipeSetup } from './run/prepare.ts'
export type { RunEvents, RunSummary } from './run/execute.ts'
export * from './run/start.ts'
export * from './run/load-recipe.ts'

// The command line pieces a recipe module uses.
export { runIfMain, trainCommand } from './cli/train-command.ts'
export { progressBar } from './cli/progress.ts'
