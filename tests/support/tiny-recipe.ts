// A user's recipe module, outside ganfp's built-ins: `ganfp train tests/support/tiny-recipe.ts`.
import * as E from 'fp-ts/lib/Either.js'
import { defineRecipe, encodePng, flag, gan, leakyRelu, mixtureScatter, mlp, positiveIntFlag, relu, ring, ringMixture } from '../../src/index.ts'

export const recipe = defineRecipe({
  name: 'tiny-ring',
  description: 'a small MLP GAN on the Q1 ring',
  flags: { width: flag(positiveIntFlag, 8, 'hidden units') },
  runDefaults: { steps: 20, checkpointEvery: 10, sampleEvery: 10, logEvery: 5, threads: 1 },
  setup: (config) =>
    E.right({
      gan: gan({ generator: mlp([2], [config.width], relu, 2), discriminator: mlp([2], [config.width], leakyRelu(0.2), 1) }),
      dataset: ring(),
      batchSize: 16,
      render: (samples) => encodePng(mixtureScatter(ringMixture, samples, 64)),
    }),
})
