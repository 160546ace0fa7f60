/**
 * The DCGAN networks for 28×28×1 images (Radford et al., as in TensorFlow's DCGAN tutorial), as
 * layer lists to put in a `sequential` after an input, condition, or extend: the architecture zoo
 * the built-in `dcgan` and `cgan` recipes share with users.
 *
 * @since 0.1.0
 */
import type { GanLoss } from '../dsl/loss.ts'
import { gan, type Gan } from '../dsl/gan.ts'
import { normalLatent } from '../dsl/latent.ts'
import { sequential } from '../dsl/network.ts'
import { adam } from '../dsl/optimizer.ts'
import type { Penalty } from '../dsl/penalty.ts'
import type { DiffAugment } from '../dsl/augmentation.ts'
import { alternating } from '../dsl/schedule.ts'
import type { Network } from '../dsl/network.ts'
import { batchNorm } from '../layers/batch-norm.ts'
import { conv2d } from '../layers/conv2d.ts'
import { conv2dTranspose } from '../layers/conv2d-transpose.ts'
import { dense } from '../layers/dense.ts'
import { dropout } from '../layers/dropout.ts'
import { flatten } from '../layers/flatten.ts'
import { withKernelInit, type KernelInit } from '../layers/kernel-init.ts'
import { leakyRelu } from '../layers/leaky-relu.ts'
import { minibatchStddev } from '../layers/minibatch-stddev.ts'
import type { Layer } from '../layers/registry.ts'
import { reshape } from '../layers/reshape.ts'
import { tanh } from '../layers/tanh.ts'
import { dcganDiscriminatorLayersOfSize, dcganGeneratorLayersOfSize } from './dcgan-sizes.ts'

/**
 * The DCGAN generator's layers after its input (a latent vector): dense → 7×7×4w → transposed
 * convolutions with batch norm and leaky ReLU (2w, then w channels at 14×14) → 28×28×1 tanh.
 * `width` (w) is the channel count of the last block; the classic size is 64. `normalisation`
 * replaces the three batch norms (a conditional generator passes `conditionalBatchNorm()`);
 * `channels` (default 1) is the image's.
 *
 * @example
 * import { conditionalBatchNorm, dcganGeneratorLayers, sequential, withLabelInput } from 'ganfp'
 * const generator = sequential([64], dcganGeneratorLayers(16)) // 64-d latent → 28×28×1 in [−1, 1]
 * const conditional = withLabelInput(10)(sequential([64], dcganGeneratorLayers(16, conditionalBatchNorm())))
 *
 * @since 0.1.0
 * @category zoo
 */
export const dcganGeneratorLayers = (width: number, normalisation: Layer = batchNorm(), channels = 1): ReadonlyArray<Layer> => [
  dense(7 * 7 * 4 * width, { useBias: false }),
  normalisation,
  leakyRelu(0.2),
  reshape([7, 7, 4 * width]),
  conv2dTranspose(2 * width, 5, { useBias: false }),
  normalisation,
  leakyRelu(0.2),
  conv2dTranspose(width, 5, { stride: 2, useBias: false }),
  normalisation,
  leakyRelu(0.2),
  conv2dTranspose(channels, 5, { stride: 2 }),
  tanh,
]

/**
 * The DCGAN discriminator's layers for 28×28 input: strided convolutions (w, then 2w channels)
 * with leaky ReLU and dropout, flattened, then `output` (default one logit). With
 * `minibatchStddevGroup` > 0, a minibatch-stddev feature beside the flattened features (ProGAN's
 * statistic; appended after flatten, where it is one value rather than a channel of 49 copies).
 *
 * @example
 * import { dcganDiscriminatorLayers, sequential, withLabelInput, projection } from 'ganfp'
 * const critic = sequential([28, 28, 1], dcganDiscriminatorLayers(16)) // → one logit
 * const conditional = withLabelInput(10)(sequential([28, 28, 1], dcganDiscriminatorLayers(16, projection, 4)))
 *
 * @since 0.1.0
 * @category zoo
 */
export const dcganDiscriminatorLayers = (width: number, output: Layer = dense(1), minibatchStddevGroup = 0): ReadonlyArray<Layer> => [
  conv2d(width, 5, { stride: 2 }),
  leakyRelu(0.2),
  dropout(0.3),
  conv2d(2 * width, 5, { stride: 2 }),
  leakyRelu(0.2),
  dropout(0.3),
  flatten,
  ...(minibatchStddevGroup > 0 ? [minibatchStddev(minibatchStddevGroup)] : []),
  output,
]

/**
 * The whole DCGAN, as the built-in `dcgan` recipe trains it: for 28×28×1 images (the default
 * `size`) the layers above; for `size` S a power of two from 16 to 256 (see `dcganSizeProblems`)
 * and `channels` 1 or 3, the PyTorch example's layout of `dcganGeneratorLayersOfSize`. A normal
 * latent, Adam (2e-4, β1 0.5) for both players, a moving average of the generator (decay 0.999
 * unless given; `undefined` keeps none), and optionally another loss, penalties, k critic steps,
 * DiffAugment of the discriminator's inputs and `kernelInit`, how every dense and convolution
 * kernel of both networks starts (Glorot-uniform when not given; `normalInit(0.02)` is the DCGAN
 * paper's).
 *
 * @example
 * import { compileOrThrow, dcganGan, normalInit } from 'ganfp'
 * compileOrThrow(dcganGan({ width: 16, latentDim: 64 })).generator.outputShape // [28, 28, 1]
 * compileOrThrow(dcganGan({ width: 8, latentDim: 64, size: 32, channels: 3 })).generator.outputShape // [32, 32, 3]
 * // DCGAN's N(0, 0.02) for every kernel: { _tag: 'Conv2d', filters: 8, …, kernelInit: { _tag: 'Normal', std: 0.02 } }
 * dcganGan({ width: 8, latentDim: 64, kernelInit: normalInit(0.02) }).discriminator.layers[0]
 *
 * @since 0.2.0
 * @category zoo
 */
export const dcganGan = (options: {
  readonly width: number
  readonly latentDim: number
  /** Image side: 28 (the bundled sets' layout, the default) or a power of two from 16 to 256. */
  readonly size?: number
  /** Image channels (default 1). */
  readonly channels?: 1 | 3
  readonly learningRate?: number
  readonly beta1?: number
  readonly generatorAverageDecay?: number
  readonly loss?: GanLoss
  readonly penalties?: ReadonlyArray<Penalty>
  readonly criticSteps?: number
  /** Differentiable augmentation of the discriminator's inputs (DiffAugment); none by default. */
  readonly augmentation?: DiffAugment
  /** How every dense and convolution kernel of both networks starts (since 0.3.0); Glorot-uniform when not given. */
  readonly kernelInit?: KernelInit
}): Gan => {
  const initialised = kernelInitOf(options.kernelInit)
  const optimizer = adam({ learningRate: options.learningRate ?? 2e-4, beta1: options.beta1 ?? 0.5 })
  const w = options.width
  const size = options.size ?? 28
  const channels = options.channels ?? 1
  const bundled = size === 28
  return gan({
    generator: initialised(sequential([options.latentDim], bundled ? dcganGeneratorLayers(w, batchNorm(), channels) : dcganGeneratorLayersOfSize(size, channels, w))),
    discriminator: initialised(sequential([size, size, channels], bundled ? dcganDiscriminatorLayers(w) : dcganDiscriminatorLayersOfSize(size, w))),
    latent: normalLatent(options.latentDim),
    schedule: alternating({
      generatorAverageDecay: 'generatorAverageDecay' in options ? options.generatorAverageDecay : 0.999,
      discriminatorStepsPerGeneratorStep: options.criticSteps ?? 1,
    }),
    ...(options.loss === undefined ? {} : { loss: options.loss }),
    penalties: options.penalties ?? [],
    ...(options.augmentation === undefined ? {} : { augmentation: options.augmentation }),
    optimizers: { generator: optimizer, discriminator: optimizer },
  })
}

/**
 * A zoo GAN's networks with their kernels starting from `init`; the networks as they are when none
 * is given, so that a GAN built without the option is the value it always was.
 *
 * @example
 * import { dense, sequential } from 'ganfp'
 * import { kernelInitOf } from './src/zoo/dcgan.ts'
 * kernelInitOf(undefined)(sequential([2], [dense(4)])).layers[0] // { _tag: 'Dense', units: 4, useBias: true }
 * @since 0.3.0
 * @category zoo
 */
export const kernelInitOf = (init: KernelInit | undefined): ((network: Network) => Network) =>
  init === undefined ? (network) => network : withKernelInit(init)
