/**
 * `ganfp eval TARGET`: protocol Q2's scores of a run (2,000 samples from its newest checkpoint, or
 * its `samples.npy`), of a `.npy` file of images or of a folder of PNGs the judges' size (28×28), against the
 * held-out split with the real-vs-real floor, printed as a table and written as JSON beside the
 * target.
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

/**
 * Runs `ganfp eval`.
 *
 * @since 0.1.0
 * @category cli
 */
export const evaluateCommand = async (
  target: string,
  options: { readonly dataset?: string; readonly backend: BackendChoice },
  loadRecipe: RecipeLoader,
): Promise<void> => {
  if (!existsSync(target)) throw new GanException([invalidConfig('TARGET', 'a run directory, a .npy file or a folder of PNGs', `${target} (missing)`)])
  const isDirectory = getOrThrow(tryFileSystem(target, 'a readable file or folder', () => statSync(target).isDirectory()))
  const isRun = isDirectory && existsSync(join(target, 'manifest.json'))
  const runDataset = isRun ? getOrThrow(openRunDirectory(target)).manifest.config['dataset'] : undefined
  const dataset = options.dataset ?? (typeof runDataset === 'string' ? runDataset : 'mnist')
  if (dataset !== 'mnist' && dataset !== 'fashion')
    throw new GanException([invalidConfig('--dataset', 'one of mnist, fashion', JSON.stringify(dataset))])
  const started = performance.now()
  const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`)
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
