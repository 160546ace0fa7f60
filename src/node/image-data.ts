/**
 * The training images a configuration of `imageDataFlags` names: a bundled set's training split,
 * or the user's folder brought to its size and channels (with a progress bar while it decodes).
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../errors.ts'
import type { Dataset } from '../data/dataset.ts'
import { imageDataset, splitHeldOut, type LabelledImages } from '../data/images.ts'
import type { ImageDataConfig } from '../recipe/image-data.ts'
import { imageShapeOf } from '../zoo/dcgan-sizes.ts'
import { loadBundledImages } from './bundled-data.ts'
import { decodeProgressBar } from './decode-progress.ts'
import { openImageFolder } from './image-folder-data.ts'

/**
 * Training images: their dataset (in [−1, 1], labelled), class names in label order, and shape.
 *
 * @since 0.3.0
 * @category model
 */
export interface ImageData {
  readonly dataset: Dataset
  readonly classNames: ReadonlyArray<string>
  readonly size: number
  readonly channels: 1 | 3
}

/**
 * The training images of an image recipe's configuration: the bundled set's training split (all
 * but protocol Q2's held-out images), or `--folder` opened by `openImageFolder` at `--size` and
 * `--channels` (held in memory within `--memory-budget-mb`, else streamed from the decode cache).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { configCodec, getOrThrow, imageDataFlags } from 'ganfp'
 * import { openImageData } from 'ganfp/node'
 * const data = openImageData(getOrThrow(configCodec(imageDataFlags).decode({ dataset: 'fashion' })))
 * E.isRight(data) && data.right.classNames.length // 10
 * @since 0.3.0
 * @category constructors
 */
export const openImageData = (config: ImageDataConfig): E.Either<ReadonlyArray<GanError>, ImageData> => {
  const { size, channels } = imageShapeOf(config)
  if (config.dataset !== 'folder')
    return E.map((images: LabelledImages) => ({ dataset: imageDataset(splitHeldOut(images).train), classNames: images.classNames, size, channels }))(
      loadBundledImages(config.dataset),
    )
  const bar = decodeProgressBar()
  try {
    const folder = openImageFolder(config.folder, {
      size,
      channels,
      flip: config.flip === 'yes',
      ...(config['cache-dir'] === '' ? {} : { cacheDir: config['cache-dir'] }),
      ...(config['memory-budget-mb'] === 'auto' ? {} : { memoryBudgetBytes: config['memory-budget-mb'] * 2 ** 20 }),
      onProgress: bar.onProgress,
    })
    return E.map((opened: { readonly dataset: Dataset; readonly classNames: ReadonlyArray<string> }) => ({ dataset: opened.dataset, classNames: opened.classNames, size, channels }))(folder)
  } finally {
    bar.stop()
  }
}
