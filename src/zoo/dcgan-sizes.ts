/**
 * The DCGAN networks for S×S images of 1 or 3 channels, S a power of two from 16 to 256: the
 * layout of PyTorch's DCGAN example (64×64; at 32 the CIFAR-style one with a block fewer). The
 * 28×28×1 layout of the bundled sets stays in `dcgan.ts`.
 *
 * @since 0.3.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import { batchNorm } from '../layers/batch-norm.ts'
import { conv2d } from '../layers/conv2d.ts'
import { conv2dTranspose } from '../layers/conv2d-transpose.ts'
import { dense } from '../layers/dense.ts'
import { flatten } from '../layers/flatten.ts'
import { leakyRelu } from '../layers/leaky-relu.ts'
import { minibatchStddev } from '../layers/minibatch-stddev.ts'
import type { Layer } from '../layers/registry.ts'
import { relu } from '../layers/relu.ts'
import { reshape } from '../layers/reshape.ts'
import { tanh } from '../layers/tanh.ts'

/** The image sides the size-general layout takes: 4×4 at the bottom, at least one block, at most six. */
const smallest = 16
const largest = 256

/**
 * Why `size` is not an image side the size-general DCGAN builds (empty when it is): a power of
 * two from 16 to 256, so that halving from S reaches the 4×4 bottom after log2(S) − 2 blocks.
 *
 * @example
 * import { dcganSizeProblems } from 'ganfp'
 * dcganSizeProblems(64, '--size') // []
 * dcganSizeProblems(48, '--size')[0]?.expected // 'a power of two from 16 to 256 (halved to 4×4 block by block)'
 * @since 0.3.0
 * @category zoo
 */
export const dcganSizeProblems = (size: unknown, path: string): ReadonlyArray<GanError> =>
  typeof size === 'number' && Number.isInteger(size) && size >= smallest && size <= largest && (size & (size - 1)) === 0
    ? []
    : [invalidConfig(path, `a power of two from ${smallest} to ${largest} (halved to 4×4 block by block)`, describeValue(size))]

/** Blocks at 4×4 … S/2 (log2(S) − 2); a size that is no power of two rounds, so shapes then disagree at compile time. */
const blocksOf = (size: number): number => Math.max(1, Math.round(Math.log2(size)) - 2)

/**
 * The generator's layers for S×S×C images after a latent vector: dense to 4×4×(w·2^(n−1)) (the
 * example's 4×4 transposed convolution of a 1×1 input, the same map), then n − 1 transposed
 * convolutions 4×4, stride 2, each halving the channels, all with batch norm (or `normalisation`)
 * and ReLU; a last one to C channels and tanh. n = log2(S) − 2 (64: 8w, 4w, 2w, w).
 *
 * @example
 * import { compileOrThrow, dcganGeneratorLayersOfSize, sequential } from 'ganfp'
 * sequential([64], dcganGeneratorLayersOfSize(32, 3, 8)).layers.length // 14: dense … tanh
 * @since 0.3.0
 * @category zoo
 */
export const dcganGeneratorLayersOfSize = (size: number, channels: number, width: number, normalisation: Layer = batchNorm()): ReadonlyArray<Layer> => {
  const blocks = blocksOf(size)
  const top = width * 2 ** (blocks - 1)
  const upsampling = Array.from({ length: blocks - 1 }, (_, i) => [
    conv2dTranspose(top / 2 ** (i + 1), 4, { stride: 2, useBias: false }),
    normalisation,
    relu,
  ]).flat()
  return [
    dense(4 * 4 * top, { useBias: false }),
    // Reshaped before the norm: statistics per channel over the 4×4 pixels, as BatchNorm2d's.
    reshape([4, 4, top]),
    normalisation,
    relu,
    ...upsampling,
    conv2dTranspose(channels, 4, { stride: 2, useBias: false }),
    tanh,
  ]
}

/**
 * The discriminator's layers for S×S input: n = log2(S) − 2 convolutions 4×4, stride 2, from w
 * channels doubling to 4×4×(w·2^(n−1)), leaky ReLU 0.2, batch norm on all but the first; then
 * flattened into `output` (default one logit: the example's last 4×4 convolution, the same map).
 * With `minibatchStddevGroup` > 0, a minibatch-stddev feature beside the flattened features.
 *
 * @example
 * import { dcganDiscriminatorLayersOfSize, projection, sequential } from 'ganfp'
 * const critic = sequential([64, 64, 3], dcganDiscriminatorLayersOfSize(64, 16)) // → one logit
 * const conditional = dcganDiscriminatorLayersOfSize(32, 16, projection) // inside withLabelInput
 * @since 0.3.0
 * @category zoo
 */
export const dcganDiscriminatorLayersOfSize = (size: number, width: number, output: Layer = dense(1), minibatchStddevGroup = 0): ReadonlyArray<Layer> => {
  const blocks = blocksOf(size)
  const downsampling = Array.from({ length: blocks - 1 }, (_, i) => [
    conv2d(width * 2 ** (i + 1), 4, { stride: 2, useBias: false }),
    batchNorm(),
    leakyRelu(0.2),
  ]).flat()
  return [
    conv2d(width, 4, { stride: 2, useBias: false }),
    leakyRelu(0.2),
    ...downsampling,
    flatten,
    ...(minibatchStddevGroup > 0 ? [minibatchStddev(minibatchStddevGroup)] : []),
    output,
  ]
}

/**
 * The image shape an image recipe's `--dataset`, `--size` and `--channels` give (see
 * `imageDataFlags`): `auto` resolved, bundled sets 28×28×1, a folder 64×64×3.
 *
 * @example
 * import { imageShapeOf } from 'ganfp'
 * imageShapeOf({ dataset: 'folder', size: 'auto', channels: 'auto' }) // { size: 64, channels: 3 }
 * imageShapeOf({ dataset: 'mnist', size: 'auto', channels: 'auto' }) // { size: 28, channels: 1 }
 * @since 0.3.0
 * @category zoo
 */
export const imageShapeOf = (config: {
  readonly dataset: 'mnist' | 'fashion' | 'folder'
  readonly size: number | 'auto'
  readonly channels: 'auto' | '1' | '3'
}): { readonly size: number; readonly channels: 1 | 3 } => {
  const folder = config.dataset === 'folder'
  return {
    size: config.size !== 'auto' ? config.size : folder ? 64 : 28,
    channels: config.channels === '1' ? 1 : config.channels === '3' ? 3 : folder ? 3 : 1,
  }
}
