/**
 * SRGAN (Ledig et al.) scaled to small images, ×4: the residual generator with sub-pixel
 * upsampling, the strided discriminator, and the two-phase schedule (MSE pretraining, then content
 * + weighted adversarial loss). The built-in `srgan` recipe's GAN.
 *
 * @since 0.2.0
 */
import { mse, type ContentLoss } from '../dsl/content.ts'
import { gan, type Gan } from '../dsl/gan.ts'
import { pairedInput } from '../dsl/latent.ts'
import { sequential, type Network } from '../dsl/network.ts'
import { adam } from '../dsl/optimizer.ts'
import { adversarial, alternating, pretrain } from '../dsl/schedule.ts'
import { batchNorm } from '../layers/batch-norm.ts'
import { conv2d } from '../layers/conv2d.ts'
import { dense } from '../layers/dense.ts'
import { flatten } from '../layers/flatten.ts'
import { leakyRelu } from '../layers/leaky-relu.ts'
import { pixelShuffle } from '../layers/pixel-shuffle.ts'
import { prelu } from '../layers/prelu.ts'
import type { Layer } from '../layers/registry.ts'
import { residual } from '../layers/residual.ts'
import { tanh } from '../layers/tanh.ts'

/** The upscaling factor of the SRGAN networks: two ×2 sub-pixel upsamplings. */
const factor = 4

/**
 * The most residual blocks an SRGAN generator is built with: the paper uses 16; far more is a
 * mistyped number, refused as such rather than an array too long to build.
 *
 * @example
 * import { srganMaxBlocks } from 'ganfp'
 * srganMaxBlocks // 256
 * @since 0.3.0
 * @category zoo
 */
export const srganMaxBlocks = 256

/**
 * The SRGAN generator, ×4: low-resolution `[h, w, c]` in, `[4h, 4w, c]` out in [−1, 1]. A 3×3
 * convolution and PReLU, then `blocks` residual blocks (conv, batch norm, PReLU, conv, batch norm,
 * skip) and a conv + batch norm inside a global skip, two ×2 sub-pixel upsamplings (conv to 4× the
 * channels, pixel shuffle, PReLU), and a conv to `c` channels with tanh.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkNetwork, srganGenerator } from 'ganfp'
 * const g = checkNetwork(srganGenerator([7, 7, 1], 32, 4), 'generator')
 * E.isRight(g) && g.right.outputShape // [28, 28, 1]
 *
 * @since 0.2.0
 * @category zoo
 */
export const srganGenerator = (lowShape: readonly [number, number, number], filters: number, blocks: number): Network => {
  const block = (): Layer => residual([conv2d(filters, 3, { useBias: false }), batchNorm(), prelu(), conv2d(filters, 3, { useBias: false }), batchNorm()])
  const upsampling = (): ReadonlyArray<Layer> => [conv2d(4 * filters, 3), pixelShuffle(2), prelu()]
  return sequential(lowShape, [
    conv2d(filters, 3),
    prelu(),
    // The global skip: the trunk learns a residual over its first features.
    residual([...Array.from({ length: blocks }, block), conv2d(filters, 3, { useBias: false }), batchNorm()]),
    ...upsampling(),
    ...upsampling(),
    conv2d(lowShape[2], 3),
    tanh,
  ])
}

/**
 * The SRGAN discriminator for `[h, w, c]` images: strided 3×3 convolutions (`filters`, then twice
 * as many) with batch norm and leaky ReLU, a dense layer of 128, one logit.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkNetwork, srganDiscriminator } from 'ganfp'
 * const d = checkNetwork(srganDiscriminator([28, 28, 1], 32), 'discriminator')
 * E.isRight(d) && d.right.outputShape // [1]
 *
 * @since 0.2.0
 * @category zoo
 */
export const srganDiscriminator = (highShape: readonly [number, number, number], filters: number): Network =>
  sequential(highShape, [
    conv2d(filters, 3),
    leakyRelu(0.2),
    conv2d(filters, 3, { stride: 2, useBias: false }),
    batchNorm(),
    leakyRelu(0.2),
    conv2d(2 * filters, 3, { useBias: false }),
    batchNorm(),
    leakyRelu(0.2),
    conv2d(2 * filters, 3, { stride: 2, useBias: false }),
    batchNorm(),
    leakyRelu(0.2),
    flatten,
    dense(128),
    leakyRelu(0.2),
    dense(1),
  ])

/**
 * The whole SRGAN ×4 for high-resolution images of `highShape` (height and width multiples of 4):
 * the generator reads their box downsample (paired data, `pairedInput`), `pretrainSteps` of MSE
 * pretraining, then `content` + `adversarialWeight` × the adversarial loss; Adam (β1 0.9) at
 * `learningRate` for the pretraining and the generator, a tenth of it for the discriminator.
 *
 * @example
 * import { compileOrThrow, mse, srganGan } from 'ganfp'
 * const spec = srganGan({ highShape: [28, 28, 1], filters: 32, blocks: 4, pretrainSteps: 1500, content: mse(), adversarialWeight: 1e-3, learningRate: 1e-3 })
 * compileOrThrow(spec).generator.inputShape // [7, 7, 1]
 *
 * @since 0.2.0
 * @category zoo
 */
export const srganGan = (options: {
  readonly highShape: readonly [number, number, number]
  readonly filters: number
  readonly blocks: number
  readonly pretrainSteps: number
  readonly content: ContentLoss
  readonly adversarialWeight: number
  readonly learningRate: number
}): Gan => {
  const [h, w, c] = options.highShape
  return gan({
    generator: srganGenerator([h / factor, w / factor, c], options.filters, options.blocks),
    discriminator: srganDiscriminator(options.highShape, options.filters),
    latent: pairedInput(),
    schedule: alternating({
      phases: [
        pretrain({ steps: options.pretrainSteps, loss: mse() }),
        adversarial({ content: options.content, contentWeight: 1, adversarialWeight: options.adversarialWeight }),
      ],
    }),
    optimizers: {
      // The paper's schedule in small: pretraining at the full rate, the game at a tenth.
      generator: adam({ learningRate: options.learningRate, beta1: 0.9 }),
      discriminator: adam({ learningRate: options.learningRate / 10, beta1: 0.9 }),
    },
  })
}
