/**
 * The conditional DCGAN (Mirza & Osindero) for 28×28×1 images of labelled classes: the DCGAN
 * networks of `dcgan.ts`, each also reading the class label. The built-in `cgan` recipe's GAN.
 *
 * @since 0.2.0
 */
import { gan, type Gan } from '../dsl/gan.ts'
import { normalLatent } from '../dsl/latent.ts'
import { sequential, withLabelInput } from '../dsl/network.ts'
import { adam } from '../dsl/optimizer.ts'
import { alternating, modeSeeking } from '../dsl/schedule.ts'
import type { DiffAugment } from '../dsl/augmentation.ts'
import type { GanLoss } from '../dsl/loss.ts'
import type { Penalty } from '../dsl/penalty.ts'
import { concat, fromLabel } from '../layers/concat.ts'
import { conditionalBatchNorm } from '../layers/conditional-batch-norm.ts'
import { dense } from '../layers/dense.ts'
import { embedding } from '../layers/embedding.ts'
import { projection } from '../layers/projection.ts'
import type { Layer } from '../layers/registry.ts'
import { reshape } from '../layers/reshape.ts'
import type { KernelInit } from '../layers/kernel-init.ts'
import { dcganDiscriminatorLayers, dcganGeneratorLayers, kernelInitOf } from './dcgan.ts'
import { batchNorm } from '../layers/batch-norm.ts'
import { dcganDiscriminatorLayersOfSize, dcganGeneratorLayersOfSize } from './dcgan-sizes.ts'

/**
 * The conditional DCGAN for 28×28×1 images (or, with `size` S a power of two from 16 to 256 and
 * `channels` 1 or 3, the PyTorch example's layout of `dcganGeneratorLayersOfSize`) of `classes`
 * classes (default 10):
 * - generator: the latent concatenated with a learned label embedding of `embeddingDim`, then the
 *   DCGAN generator's layers, normalised by batch norm (`generatorNorm: 'batch'`, the default) or
 *   by conditional batch norm, a scale and shift per class (`'conditional'`);
 * - discriminator: the DCGAN critic reading the label as a learned 28×28 map beside the image
 *   (`labelIn: 'input'`; S×S for other sizes), through a projection output (Miyato & Koyama; `'projection'`), or both;
 *   with `minibatchStddevGroup` > 0, a minibatch-stddev feature.
 * Adam (`learningRate`, `beta1`) for both players; samples come from a moving average of the
 * generator when `generatorAverageDecay` is a number. `kernelInit` sets how every dense and
 * convolution kernel of both networks starts (Glorot-uniform when not given); the label
 * embeddings and the projection's weights keep their own initialisers.
 *
 * @example
 * import { cganGan, compileOrThrow } from 'ganfp'
 * const options = { width: 16, latentDim: 64, embeddingDim: 16, labelIn: 'both', learningRate: 2e-4, beta1: 0.5, generatorAverageDecay: 0.999 } as const
 * compileOrThrow(cganGan(options)).generator.labelClasses // 10
 * // Conditional batch norm: the first one's γ table, a row per class.
 * compileOrThrow(cganGan({ ...options, generatorNorm: 'conditional' })).generator.paramSpecs[2]?.shape // [10, 3136]
 * compileOrThrow(cganGan({ ...options, size: 32, channels: 3, classes: 4 })).discriminator.inputShape // [32, 32, 3]
 *
 * @since 0.2.0
 * @category zoo
 */
export const cganGan = (options: {
  readonly width: number
  readonly latentDim: number
  readonly embeddingDim: number
  readonly labelIn: 'both' | 'input' | 'projection'
  readonly learningRate: number
  readonly beta1: number
  readonly generatorAverageDecay: number | undefined
  readonly minibatchStddevGroup?: number
  readonly classes?: number
  /** Image side: 28 (the bundled sets' layout, the default) or a power of two from 16 to 256. */
  readonly size?: number
  /** Image channels (default 1). */
  readonly channels?: 1 | 3
  /** The generator's normalisation: `'batch'` (the default) or `'conditional'` (per-class scale and shift). */
  readonly generatorNorm?: 'batch' | 'conditional'
  /** The adversarial loss; non-saturating by default. */
  readonly loss?: GanLoss
  /** Penalties on the discriminator (since 0.3.0); none by default. */
  readonly penalties?: ReadonlyArray<Penalty>
  /** Discriminator updates per generator update (since 0.3.0); 1 by default. */
  readonly criticSteps?: number
  /** Weight of a mode-seeking term in the generator's loss (Mao et al.); none by default. */
  readonly modeSeekingWeight?: number
  /** Differentiable augmentation of the discriminator's inputs; none by default. */
  readonly augmentation?: DiffAugment
  /** How every dense and convolution kernel of both networks starts (since 0.3.0); Glorot-uniform when not given. */
  readonly kernelInit?: KernelInit
}): Gan => {
  const initialised = kernelInitOf(options.kernelInit)
  const w = options.width
  const classes = options.classes ?? 10
  const optimizer = adam({ learningRate: options.learningRate, beta1: options.beta1 })
  const size = options.size ?? 28
  const channels = options.channels ?? 1
  const bundled = size === 28
  const labelMap: ReadonlyArray<Layer> =
    options.labelIn === 'projection' ? [] : [concat([[], fromLabel([embedding(classes, size * size), reshape([size, size, 1])])])]
  const norm = options.generatorNorm === 'conditional' ? conditionalBatchNorm() : batchNorm()
  const generatorLayers = bundled ? dcganGeneratorLayers(w, norm, channels) : dcganGeneratorLayersOfSize(size, channels, w, norm)
  const output = options.labelIn === 'input' ? dense(1) : projection
  const stddevGroup = options.minibatchStddevGroup ?? 0
  return gan({
    generator: initialised(
      withLabelInput(classes)(sequential([options.latentDim], [concat([[], fromLabel([embedding(classes, options.embeddingDim)])]), ...generatorLayers])),
    ),
    discriminator: initialised(
      withLabelInput(classes)(
        sequential([size, size, channels], [
          ...labelMap,
          ...(bundled ? dcganDiscriminatorLayers(w, output, stddevGroup) : dcganDiscriminatorLayersOfSize(size, w, output, stddevGroup)),
        ]),
      ),
    ),
    latent: normalLatent(options.latentDim),
    schedule: alternating({
      generatorAverageDecay: options.generatorAverageDecay,
      ...(options.criticSteps === undefined ? {} : { discriminatorStepsPerGeneratorStep: options.criticSteps }),
      ...(options.modeSeekingWeight === undefined ? {} : { modeSeeking: modeSeeking({ weight: options.modeSeekingWeight }) }),
    }),
    ...(options.loss === undefined ? {} : { loss: options.loss }),
    ...(options.penalties === undefined ? {} : { penalties: options.penalties }),
    ...(options.augmentation === undefined ? {} : { augmentation: options.augmentation }),
    optimizers: { generator: optimizer, discriminator: optimizer },
  })
}
