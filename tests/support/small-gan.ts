// A small GAN with every kind of state a checkpoint holds: batch-norm statistics, dropout, Adam
// slots, k = 2 discriminator steps and the generator's moving average. Shared by the checkpoint,
// checkpoint-bytes and sampler tests.
import { alternating, batchNorm, compileOrThrow, dense, dropout, gan, leakyRelu, relu, sequential, type CompiledGan } from '../../src/index.ts'

export const smallGan = (hidden = 16): CompiledGan =>
  compileOrThrow(
    gan({
      generator: sequential([4], [dense(hidden), batchNorm(), relu, dense(2)]),
      discriminator: sequential([2], [dense(16), leakyRelu(0.2), dropout(0.2), dense(1)]),
      schedule: alternating({ generatorAverageDecay: 0.99, discriminatorStepsPerGeneratorStep: 2 }),
    }),
  )
