// A user's recipe module, outside ganfp's built-ins: `ganfp train tests/support/tiny-recipe.ts`.
import {
  configCodec,
  defineRecipe,
  flag,
  gan,
  leakyRelu,
  mixtureScatter,
  mlp,
  positiveIntFlag,
  relu,
  ring,
  ringMixture,
} from '../../src/index.ts'
import { encodePng, runIfMain } from '../../src/node.ts'

const recipe = defineRecipe({
  name: 'tiny-ring',
  description: 'a small MLP GAN on the Q1 ring',
  config: configCodec({ width: flag(positiveIntFlag, 8, 'hidden units') }),
  runDefaults: { steps: 20, batch: 16, checkpointEvery: 10, sampleEvery: 10, logEvery: 5, threads: 1 },
  build: (config) => gan({ generator: mlp([2], [config.width], relu, 2), discriminator: mlp([2], [config.width], leakyRelu(0.2), 1) }),
  data: () => ring(),
  render: (samples) => encodePng(mixtureScatter(ringMixture, samples, 64)),
})
export default recipe

runIfMain(import.meta, recipe)
