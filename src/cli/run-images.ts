/**
 * Where a run's real images come from, for the commands that compare samples with them (`eval`,
 * `truncation`, `nearest`, `attribute`): a bundled set, or the folder of a `--dataset folder`
 * run, read at the shape its generator makes.
 *
 * @since 0.3.0
 */
import { GanException, getOrThrow, invalidConfig } from '../errors.ts'
import type { BundledImageSet, LabelledImages } from '../data/images.ts'
import { readImageFolderSample } from '../node/image-evaluation.ts'
import type { RestoredRun } from '../run/start.ts'

/**
 * A run's real images: a bundled set, or a folder (with the decode cache it trained with).
 *
 * @since 0.3.0
 * @category model
 */
export type RunImageSource =
  | { readonly _tag: 'Bundled'; readonly dataset: BundledImageSet }
  | { readonly _tag: 'Folder'; readonly folder: string; readonly cacheDir?: string }

/**
 * The image source a run's manifest records (`--dataset`, `--folder`, `--cache-dir`), if any.
 *
 * @example
 * runImageSource({ dataset: 'folder', folder: 'faces', 'cache-dir': '' }) // { _tag: 'Folder', folder: 'faces' }
 * runImageSource({ dataset: 'mnist' }) // { _tag: 'Bundled', dataset: 'mnist' }
 * @since 0.3.0
 * @category cli
 */
export const runImageSource = (config: Readonly<Record<string, unknown>>): RunImageSource | undefined => {
  const { dataset, folder } = config
  if (dataset === 'mnist' || dataset === 'fashion') return { _tag: 'Bundled', dataset }
  if (dataset !== 'folder' || typeof folder !== 'string' || folder === '') return undefined
  const cacheDir = config['cache-dir']
  return typeof cacheDir === 'string' && cacheDir !== '' ? { _tag: 'Folder', folder, cacheDir } : { _tag: 'Folder', folder }
}

/**
 * The run's image source, or an error at RUN for a run on neither a bundled set nor a folder.
 *
 * @example
 * imageSourceOf(run)._tag // 'Folder'
 * @since 0.3.0
 * @category cli
 */
export const imageSourceOf = (run: RestoredRun): RunImageSource => {
  const source = runImageSource(run.directory.manifest.config)
  if (source === undefined)
    throw new GanException([invalidConfig('RUN', 'a run on a bundled image set (mnist or fashion) or on a folder (--dataset folder)', JSON.stringify(run.directory.manifest.config['dataset']))])
  return source
}

/**
 * The shape a run's generator makes, as height, width and channels (1 or 3).
 *
 * @example
 * runImageShape(run) // { height: 64, width: 64, channels: 3 }
 * @since 0.3.0
 * @category cli
 */
export const runImageShape = (run: RestoredRun): { readonly height: number; readonly width: number; readonly channels: 1 | 3 } => {
  const shape = run.trainer.compiled.generator.outputShape
  const [height, width, channels] = shape as [number, number, number]
  if (shape.length !== 3 || (channels !== 1 && channels !== 3))
    throw new GanException([invalidConfig('RUN', 'a run whose generator makes images (height × width × 1 or 3)', shape.join('×'))])
  return { height, width, channels }
}

/**
 * At most 4,000 of a folder run's images, read at the shape its generator makes.
 *
 * @example
 * folderImagesOf(run, { _tag: 'Folder', folder: 'faces' }).count // 4000 (or fewer)
 * @since 0.3.0
 * @category cli
 */
export const folderImagesOf = (run: RestoredRun, source: Extract<RunImageSource, { _tag: 'Folder' }>): LabelledImages => {
  const images = getOrThrow(readImageFolderSample(source.folder, runImageShape(run), source.cacheDir === undefined ? {} : { cacheDir: source.cacheDir }))
  for (const note of images.notes ?? []) console.log(note)
  return images
}
