/**
 * `ganfp eval TARGET`: protocol Q2's scores of a run (2,000 samples from its newest checkpoint, or
 * its `samples.npy`), of a `.npy` file of images or of a folder of images, beside the real-vs-real
 * floor, printed as a table and written as JSON beside the target. Runs on a bundled set (and
 * targets without `--reference`) are scored in the shipped judge's features against its held-out
 * split, as always; a folder run, or any target with `--reference DIR|FILE.npy`, in the random
 * features (`src/eval/random-features.ts`) against those images, of any size and channels.
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { GanException, getOrThrow, invalidConfig } from '../errors.ts'
import { pixelsToUnit, type BundledImageSet } from '../data/images.ts'
import { formatImageEvaluation } from '../eval/image-report.ts'
import { evaluateImages } from '../node/image-evaluation.ts'
import { tryFileSystem, writeFileAtomicOrThrow } from '../node/files.ts'
import { decodeNpy } from '../io/npy.ts'
import { loadImageFolder } from '../node/image-folder.ts'
import { openRunDirectory } from '../node/run-directory.ts'
import { restoreRunOrThrow, type RecipeLoader } from '../run/start.ts'
import { useBackendOrThrow, type BackendChoice } from '../compile/backend.ts'
import { evaluateAgainstReference, formatReferenceEvaluation } from '../eval/reference-evaluation.ts'
import type { ImageSet } from '../eval/random-features.ts'
import { readImages } from '../node/image-evaluation.ts'
import { runImageSource } from './run-images.ts'
import { shapeSize } from '../dsl/shape.ts'
import { judgeImageShape, judgeShapeProblems } from '../eval/judge.ts'

const evaluationSize = 2000
/** The judges' image size: every image scored must be this. */
const [judgeHeight, judgeWidth, judgeChannels] = judgeImageShape as [number, number, number]
const judgeImageSize = shapeSize(judgeImageShape)

/** Images in [0, 1] from a `.npy` of float32 N × the judges' image shape (N×28×28 or N×28×28×1). */
const imagesFromNpy = (file: string): { readonly values: Float32Array; readonly count: number } => {
  const bytes = getOrThrow(tryFileSystem(file, 'a readable file', () => new Uint8Array(readFileSync(file))))
  const array = getOrThrow(decodeNpy(bytes, file))
  const perImage = shapeSize(array.shape.slice(1))
  if (perImage !== judgeImageSize || !(array.values instanceof Float32Array))
    throw new GanException([invalidConfig(file, `float32 images of N × ${judgeHeight} × ${judgeWidth}`, `${array.values.constructor.name} of shape (${array.shape.join(', ')})`)])
  const count = Math.min(array.shape[0]!, evaluationSize)
  return { values: array.values.subarray(0, count * judgeImageSize), count }
}

/** Images in [0, 1] from a folder of PNGs of the judges' size (flat, or one sub-folder per class). */
const imagesFromFolder = (folder: string): { readonly values: Float32Array; readonly count: number } => {
  const images = getOrThrow(loadImageFolder(folder, { height: judgeHeight, width: judgeWidth, channels: judgeChannels as 1 }))
  for (const note of images.notes ?? []) console.log(note)
  const count = Math.min(images.count, evaluationSize)
  return { values: pixelsToUnit(images.pixels.subarray(0, count * judgeImageSize)), count }
}

/** 2,000 samples of a run: from its newest checkpoint when the recipe maps samples to images, else its samples.npy. */
const imagesFromRun = async (
  path: string,
  loadRecipe: RecipeLoader,
  backend: BackendChoice,
  log: (line: string) => void,
): Promise<{ readonly values: Float32Array; readonly count: number }> => {
  const restored = await restoreRunOrThrow(path, loadRecipe, { backend })
  try {
    const toUnit = restored.setup.toUnitImages
    if (toUnit === undefined) {
      const npy = join(path, 'samples.npy')
      if (!existsSync(npy))
        throw new GanException([invalidConfig('TARGET', 'a run whose recipe maps samples to images, or with a samples.npy', path)])
      return imagesFromNpy(npy)
    }
    log(`sampling ${evaluationSize} images from the checkpoint of step ${restored.checkpoint.step}`)
    const produced = restored.trainer.compiled.generator.outputShape
    const problems = judgeShapeProblems(produced, 'TARGET', path)
    if (problems.length > 0) throw new GanException(problems)
    const values = new Float32Array(evaluationSize * judgeImageSize)
    for (let i = 0; i < evaluationSize; i += 250) values.set(toUnit(await restored.trainer.sampleOrThrow(250, { seed: 2 + i })), i * judgeImageSize)
    return { values, count: evaluationSize }
  } finally {
    restored.trainer.dispose()
  }
}

/** 2,000 samples of a run at whatever shape its generator makes, for the random-feature evaluation. */
const anySizeSamplesOfRun = async (path: string, loadRecipe: RecipeLoader, backend: BackendChoice, log: (line: string) => void): Promise<ImageSet> => {
  const restored = await restoreRunOrThrow(path, loadRecipe, { backend })
  try {
    const toUnit = restored.setup.toUnitImages
    if (toUnit === undefined) return getOrThrow(readImages(join(path, 'samples.npy'))).images
    const [height, width, channels] = restored.trainer.compiled.generator.outputShape as [number, number, number]
    const size = height * width * channels
    log(`sampling ${evaluationSize} images of ${height}×${width}×${channels} from the checkpoint of step ${restored.checkpoint.step}`)
    const values = new Float32Array(evaluationSize * size)
    for (let i = 0; i < evaluationSize; i += 250) values.set(toUnit(await restored.trainer.sampleOrThrow(250, { seed: 2 + i })), i * size)
    return { values, count: evaluationSize, height, width, channels }
  } finally {
    restored.trainer.dispose()
  }
}

/** The random-feature evaluation of `target` against `reference` (a folder or `.npy`), printed and written. */
const evaluateAgainstImages = async (
  target: string,
  options: { readonly reference: string; readonly cacheDir?: string; readonly isDirectory: boolean; readonly isRun: boolean; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
  log: (line: string) => void,
): Promise<void> => {
  const { isDirectory } = options
  const shapeOf = (images: ImageSet) => ({ height: images.height, width: images.width, channels: images.channels as 1 | 3 })
  // A .npy keeps its own shape and a run makes its own; a folder is read at the other side's shape.
  const referenceIsFolder = getOrThrow(tryFileSystem(options.reference, 'a readable file or folder', () => statSync(options.reference).isDirectory()))
  const npyReference = referenceIsFolder ? undefined : getOrThrow(readImages(options.reference))
  const samples = options.isRun
    ? await anySizeSamplesOfRun(target, loadRecipe, options.backend, log)
    : getOrThrow(readImages(target, npyReference === undefined ? undefined : shapeOf(npyReference.images))).images
  const cache = options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }
  const against = npyReference ?? getOrThrow(readImages(options.reference, shapeOf(samples), cache))
  for (const note of against.notes) log(note)
  if (!options.isRun) await useBackendOrThrow(options.backend)
  const evaluation = getOrThrow(await evaluateAgainstReference(samples, against.images, { name: against.name, progress: log }))
  console.log(`\n${formatReferenceEvaluation(evaluation)}`)
  const out = isDirectory ? join(target, 'eval.json') : join(dirname(target), `${basename(target, '.npy')}.eval.json`)
  writeFileAtomicOrThrow(out, `${JSON.stringify({ target, referencePath: options.reference, ...evaluation }, null, 2)}\n`)
  console.log(`\nwrote ${out}`)
}

/**
 * Runs `ganfp eval`.
 *
 * @since 0.1.0
 * @category cli
 */
export const evaluateCommand = async (
  target: string,
  options: { readonly dataset?: string; readonly reference?: string; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
): Promise<void> => {
  if (!existsSync(target)) throw new GanException([invalidConfig('TARGET', 'a run directory, a .npy file or a folder of images', `${target} (missing)`)])
  const isDirectory = getOrThrow(tryFileSystem(target, 'a readable file or folder', () => statSync(target).isDirectory()))
  const isRun = isDirectory && existsSync(join(target, 'manifest.json'))
  const runConfig = isRun ? getOrThrow(openRunDirectory(target)).manifest.config : {}
  const started = performance.now()
  const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)
  const source = runImageSource(runConfig)
  const folderRun = source?._tag === 'Folder' ? source : undefined
  if (options.reference !== undefined && options.dataset !== undefined)
    throw new GanException([invalidConfig('--reference', 'either --reference (your images) or --dataset (a bundled set), not both', `--reference ${options.reference} --dataset ${options.dataset}`)])
  if (options.reference !== undefined || (folderRun !== undefined && options.dataset === undefined)) {
    const reference = options.reference ?? folderRun!.folder
    if (!existsSync(reference)) throw new GanException([invalidConfig(options.reference === undefined ? 'RUN (its --folder)' : '--reference', 'a folder of images or a .npy file', `${reference} (missing)`)])
    const cacheDir = options.reference === undefined ? folderRun?.cacheDir : undefined
    return evaluateAgainstImages(target, { reference, isDirectory, isRun, backend: options.backend, ...(cacheDir === undefined ? {} : { cacheDir }) }, loadRecipe, log)
  }
  const runDataset = runConfig['dataset']
  const dataset = options.dataset ?? (typeof runDataset === 'string' ? runDataset : 'mnist')
  if (dataset !== 'mnist' && dataset !== 'fashion')
    throw new GanException([invalidConfig('--dataset', 'one of mnist, fashion', JSON.stringify(dataset))])
  const { values, count } = isRun
    ? await imagesFromRun(target, loadRecipe, options.backend, log)
    : isDirectory
      ? imagesFromFolder(target)
      : imagesFromNpy(target)
  if (!isRun) await useBackendOrThrow(options.backend)
  const evaluation = getOrThrow(await evaluateImages(values, count, { dataset: dataset as BundledImageSet, progress: (stage) => log(stage) }))
  console.log(`\n${formatImageEvaluation(evaluation)}`)
  const out = isDirectory ? join(target, 'eval.json') : join(dirname(target), `${basename(target, '.npy')}.eval.json`)
  writeFileAtomicOrThrow(out, `${JSON.stringify({ target, ...evaluation }, null, 2)}\n`)
  console.log(`\nwrote ${out}`)
}
