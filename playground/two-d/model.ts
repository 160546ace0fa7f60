/**
 * The GAN a set of 2-D settings describes: MLPs on a 2-D normal latent (so that the latent grid
 * can be drawn), the chosen loss (WGAN-GP: Wasserstein plus the gradient penalty), k
 * discriminator updates per generator update, Adam with β1 = 0.5 for each network.
 */
import {
  adam,
  alternating,
  gan,
  gradientPenalty,
  hinge,
  leakyRelu,
  leastSquares,
  mlp,
  nonSaturating,
  normalLatent,
  relu,
  wasserstein,
  type Gan,
  type GanLoss,
  type Penalty,
} from '../../src/index.ts'
import type { LossChoice, Settings } from './settings.ts'

/** The latent's size: two, so that its grid is a plane the generator warps. */
export const latentDim = 2

const lossOf = (choice: LossChoice): { readonly loss: GanLoss; readonly penalties: ReadonlyArray<Penalty> } => {
  switch (choice) {
    case 'nonSaturating':
      return { loss: nonSaturating(), penalties: [] }
    case 'leastSquares':
      return { loss: leastSquares(), penalties: [] }
    case 'wassersteinGp':
      return { loss: wasserstein(), penalties: [gradientPenalty({ weight: 10 })] }
    case 'hinge':
      return { loss: hinge(), penalties: [] }
  }
}

/** The GAN of `settings`. */
export const ganOf = (settings: Settings): Gan =>
  gan({
    generator: mlp([latentDim], settings.generatorWidths, relu, 2),
    discriminator: mlp([2], settings.discriminatorWidths, leakyRelu(0.2), 1),
    latent: normalLatent(latentDim),
    ...lossOf(settings.loss),
    schedule: alternating({
      discriminatorStepsPerGeneratorStep: settings.discriminatorStepsPerGeneratorStep,
      generatorAverageDecay: settings.generatorAverageDecay > 0 ? settings.generatorAverageDecay : undefined,
    }),
    optimizers: {
      generator: adam({ learningRate: settings.generatorLearningRate, beta1: 0.5 }),
      discriminator: adam({ learningRate: settings.discriminatorLearningRate, beta1: 0.5 }),
    },
  })

/** How the discriminator's output reads for `choice`: a probability, or a raw critic score. */
export const scoreIsProbability = (choice: LossChoice): boolean => choice === 'nonSaturating'
