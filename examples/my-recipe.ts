// A whole recipe in user code: WGAN-GP with MLPs on the 25-mode grid. `ganfp train ./my-recipe.ts --help`
// lists its options; `deno run -A my-recipe.ts` (or `bun run`) trains it directly.
import { adam, alternating, configCodec, defineRecipe, flag, gan, gradientPenalty, gridMixture, leakyRelu } from 'ganfp'
import { mixtureDataset, mlp, normalLatent, positiveIntFlag, positiveNumberFlag, relu, wasserstein } from 'ganfp'
import { runIfMain } from 'ganfp/node'

const config = configCodec({
  width: flag(positiveIntFlag, 128, 'hidden units in both networks'),
  'latent-dim': flag(positiveIntFlag, 8, 'latent dimension'),
  lr: flag(positiveNumberFlag, 1e-4, 'Adam learning rate'),
  'critic-steps': flag(positiveIntFlag, 5, 'critic updates per generator update'),
})

const recipe = defineRecipe({
  name: 'wgan-gp-grid',
  description: 'WGAN-GP with MLPs on the 25-mode grid',
  config,
  runDefaults: { steps: 3000, batch: 128, sampleEvery: 250 },
  build: (c) =>
    gan({
      generator: mlp([c['latent-dim']], [c.width, c.width], relu, 2),
      discriminator: mlp([2], [c.width, c.width], leakyRelu(0.2), 1),
      latent: normalLatent(c['latent-dim']),
      loss: wasserstein(),
      penalties: [gradientPenalty({ weight: 10 })],
      schedule: alternating({ discriminatorStepsPerGeneratorStep: c['critic-steps'] }),
      optimizers: { generator: adam({ learningRate: c.lr, beta1: 0.5, beta2: 0.9 }), discriminator: adam({ learningRate: c.lr, beta1: 0.5, beta2: 0.9 }) },
    }),
  data: () => mixtureDataset(gridMixture),
})
export default recipe

runIfMain(import.meta, recipe)
