/**
 * The image options the `dcgan` and `cgan` recipes share (and a user's image recipe may reuse):
 * a bundled 28×28 grey set or the user's folder at a size and channel count, and their checks
 * across options (the image shape they give is `imageShapeOf`, beside the networks it sizes).
 *
 * @since 0.3.0
 */
import * as t from 'io-ts'
import { invalidConfig, type GanError } from '../errors.ts'
import { flag, oneOfFlag, positiveIntOrAutoFlag, type Flag, type FlagValues } from '../io/flags.ts'
import { dcganSizeProblems } from '../zoo/dcgan-sizes.ts'

/** A path, or the empty text for none (the default: `--folder` is needed only with `--dataset folder`). */
const optionalPathFlag: t.Type<string, string, string> = new t.Type<string, string, string>(
  'a folder path',
  (u): u is string => typeof u === 'string',
  (s) => t.success(s),
  String,
)

/**
 * The image data options, by flag name (a type alias, not an interface: a set of flags is a
 * record of them, `Flags`).
 * @since 0.3.0
 * @category recipes
 */
export type ImageDataFlags = {
  readonly dataset: Flag<'mnist' | 'fashion' | 'folder'>
  readonly folder: Flag<string>
  readonly size: Flag<number | 'auto'>
  readonly channels: Flag<'auto' | '1' | '3'>
  readonly flip: Flag<'no' | 'yes'>
  readonly 'cache-dir': Flag<string>
  readonly 'memory-budget-mb': Flag<number | 'auto'>
}

/**
 * The image data options: `--dataset mnist|fashion|folder`, `--folder`, `--size`, `--channels`,
 * `--flip`, `--cache-dir` and `--memory-budget-mb`. `auto` sizes and channels are the bundled
 * sets' 28 and 1, or 64 and 3 for a folder.
 *
 * @example
 * import { configCodec, imageDataFlags } from 'ganfp'
 * configCodec(imageDataFlags).decode({ dataset: 'folder', folder: 'faces' })._tag // 'Right'
 * @since 0.3.0
 * @category recipes
 */
export const imageDataFlags: ImageDataFlags = {
  dataset: flag(oneOfFlag(['mnist', 'fashion', 'folder'] as const), 'mnist', 'bundled image set (28×28 grey), or folder: your own images (--folder)'),
  folder: flag(optionalPathFlag, '', 'with --dataset folder (needed there): PNG and JPEG images of any size, flat or one sub-folder per class'),
  size: flag(positiveIntOrAutoFlag, 'auto', 'image side: with --dataset folder a power of two from 16 to 256 (auto: 64); the bundled sets are 28'),
  channels: flag(oneOfFlag(['auto', '1', '3'] as const), 'auto', 'with --dataset folder: 3 (RGB; auto) or 1 (luminance); the bundled sets are 1'),
  flip: flag(oneOfFlag(['no', 'yes'] as const), 'no', 'with --dataset folder: mirror each training image left–right at random', { alone: 'yes' }),
  'cache-dir': flag(optionalPathFlag, '', 'with --dataset folder: where the decode cache goes when the images exceed the memory budget (none: $XDG_CACHE_HOME/ganfp/images or ~/.cache/ganfp/images)'),
  'memory-budget-mb': flag(positiveIntOrAutoFlag, 'auto', 'with --dataset folder: decoded images up to this stay in memory, more stream from the decode cache (auto: 1024)'),
}

/**
 * The image options' values.
 * @since 0.3.0
 * @category recipes
 */
export type ImageDataConfig = FlagValues<ImageDataFlags>

/**
 * What the image options rule out together, each with its option as path: a folder run needs
 * `--folder` and a power-of-two size from 16 to 256; the bundled sets are 28×28×1 and take no
 * folder options.
 *
 * @example
 * import { imageDataProblems } from 'ganfp'
 * const config = { dataset: 'folder', folder: '', size: 48, channels: 'auto', flip: 'no', 'cache-dir': '', 'memory-budget-mb': 'auto' } as const
 * imageDataProblems(config).map((e) => e.path) // ['--folder', '--size']
 * @since 0.3.0
 * @category recipes
 */
export const imageDataProblems = (config: ImageDataConfig): ReadonlyArray<GanError> => {
  if (config.dataset === 'folder')
    return [
      ...(config.folder === '' ? [invalidConfig('--folder', 'a folder of images with --dataset folder', 'nothing')] : []),
      ...(config.size === 'auto' ? [] : dcganSizeProblems(config.size, '--size')),
    ]
  const bundled = `with --dataset ${config.dataset} (28×28 grey images; --dataset folder for your own)`
  // The values that mean the bundled sets' own: anything else would be ignored, so it is refused.
  const fitting: ReadonlyArray<readonly [keyof ImageDataConfig, ReadonlyArray<unknown>, string]> = [
    ['folder', [''], 'nothing'],
    ['size', ['auto', 28], '28 or auto'],
    ['channels', ['auto', '1'], '1 or auto'],
    ['flip', ['no'], 'no'],
  ]
  return fitting
    .filter(([key, allowed]) => !allowed.includes(config[key]))
    .map(([key, , expected]) => invalidConfig(`--${key}`, `${expected} ${bundled}`, JSON.stringify(config[key])))
}
