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
import { concat, fromLabel } from '../layers/concat.ts'
import { conditionalBatchNorm } from '../layers/conditional-batch-norm.ts'
import { dense } from '../layers/dense.ts'
import { embedding } from '../layers/embedding.ts'
import { projection } from '../layers/projection.ts'
import type { Layer } from '../layers/registry.ts'
import { reshape } from '../layers/reshape.ts'
import { dcganDiscriminatorLayers, dcganGeneratorLayers } from './dcgan.ts'

/**
 * The conditional DCGAN for 28×28×1 images of `classes` classes (default 10):
 * - generator: the latent concatenated with a learned label embedding of `embeddingDim`, then the
 *   DCGAN generator's layers, normalised by batch norm (`generatorNorm: 'batch'`, the default) or
 *   by conditional batch norm, a scale and shift per class (`'conditional'`);
 * - discriminator: the DCGAN critic reading the label as a learned 28×28 map beside the image
 *   (`labelIn: 'input'`), through a projection output (Miyato & Koyama; `'projection'`), or both;
 *   with `minibatchStddevGroup` > 0, a minibatch-stddev feature.
 * Adam (`learningRate`, `beta1`) for both players; samples come from a moving average of the
 * generator when `generatorAverageDecay` is a number.
 *
 * @example
 * import { cganGan, compileOrThrow } from 'ganfp'
 * const options = { width: 16, latentDim: 64, embeddingDim: 16, labelIn: 'both', learningRate: 2e-4, beta1: 0.5, generatorAverageDecay: 0.999 } as const
 * compileOrThrow(cganGan(options)).generator.labelClasses // 10
 * // Conditional batch norm: the first one's γ table, a row per class.
 * compileOrThrow(cganGan({ ...options, generatorNorm: 'conditional' })).generator.paramSpecs[2]?.shape // [10, 3136]
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
  /** The generator's normalisation: `'batch'` (the default) or `'conditional'` (per-class scale and shift). */
  readonly generatorNorm?: 'batch' | 'conditional'
  /** The adversarial loss; non-saturating by default. */
  readonly loss?: GanLoss
  /** Weight of a mode-seeking term in the generator's loss (Mao et al.); none by default. */
  readonly modeSeekingWeight?: number
  /** Differentiable augmentation of the discriminator's inputs; none by default. */
  readonly augmentation?: DiffAugment
}): Gan => {
  const w = options.width
  const classes = options.classes ?? 10
  const optimizer = adam({ learningRate: options.learningRate, beta1: options.beta1 })
  const labelMap: ReadonlyArray<Layer> =
    options.labelIn === 'projection' ? [] : [concat([[], fromLabel([embedding(classes, 28 * 28), reshape([28, 28, 1])])])]
  const generatorLayers = options.generatorNorm === 'conditional' ? dcganGeneratorLayers(w, conditionalBatchNorm()) : dcganGeneratorLayers(w)
  return gan({
    generator: withLabelInput(classes)(
      sequential([options.latentDim], [concat([[], fromLabel([embedding(classes, options.embeddingDim)])]), ...generatorLayers]),
    ),
    discriminator: withLabelInput(classes)(
      sequential([28, 28, 1], [
        ...labelMap,
        ...dcganDiscriminatorLayers(w, options.labelIn === 'input' ? dense(1) : projection, options.minibatchStddevGroup ?? 0),
      ]),
    ),
    latent: normalLatent(options.latentDim),
    schedule: alternating({
      generatorAverageDecay: options.generatorAverageDecay,
      ...(options.modeSeekingWeight === undefined ? {} : { modeSeeking: modeSeeking({ weight: options.modeSeekingWeight }) }),
    }),
    ...(options.loss === undefined ? {} : { loss: options.loss }),
    ...(options.augmentation === undefined ? {} : { augmentation: options.augmentation }),
    optimizers: { generator: optimizer, discriminator: optimizer },
  })
}
