import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  adam,
  alternating,
  batchNorm,
  checkGan,
  compile,
  dense,
  dropout,
  flatten,
  formatGanErrors,
  gan,
  leakyRelu,
  minibatchStddev,
  mlp,
  normalLatent,
  nonSaturating,
  relu,
  reshape,
  sequential,
  sigmoid,
  tanh,
  wasserstein,
  sgd,
  rmsProp,
  linearDecay,
  cosineDecay,
  warmUp,
  type Gan,
  type GanError,
  type GanLoss,
  type Layer,
} from '../src/index.ts'

const good = (): Gan =>
  gan({
    generator: sequential([8], [dense(16), relu, dense(12), tanh]),
    discriminator: sequential([12], [dense(16), leakyRelu(0.2), dense(1)]),
  })

const errorsOf = (g: Gan): ReadonlyArray<GanError> => {
  const r = checkGan(g)
  if (E.isRight(r)) throw new Error('expected the spec to be rejected')
  return r.left
}

const paths = (g: Gan): ReadonlyArray<string> => errorsOf(g).map((e) => e.path)

describe('shape checking', () => {
  it('accepts a well-formed GAN and infers every layer shape', () => {
    const r = checkGan(
      gan({
        generator: sequential([8], [dense(98), relu, reshape([7, 7, 2]), batchNorm(), flatten, dense(784), tanh]),
        discriminator: sequential([784], [reshape([28, 28, 1]), flatten, dense(32), dropout(0.3), leakyRelu(0.2), dense(1)]),
      }),
    )
    expect(E.isRight(r)).toBe(true)
    if (E.isRight(r)) {
      expect(r.right.generator.layers.map((l) => l.outputShape)).toEqual([[98], [98], [7, 7, 2], [7, 7, 2], [98], [784], [784]])
      expect(r.right.discriminator.outputShape).toEqual([1])
    }
  })

  it('names both paths when the generator output (784) does not fit the discriminator input (785)', () => {
    const errors = errorsOf(gan({ generator: mlp([8], [32], relu, 784), discriminator: mlp([785], [32], relu, 1) }))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      _tag: 'ShapeMismatch',
      path: 'discriminator.inputShape',
      expected: '[784] (the output of generator.layers[2])',
      actual: '[785]',
    })
    expect(formatGanErrors(errors)).toContain('generator.layers[2]')
  })

  const malformed: ReadonlyArray<readonly [string, (g: Gan) => Gan, ReadonlyArray<string>]> = [
    ['non-integer units', (g) => ({ ...g, generator: sequential([8], [dense(16.5), relu, dense(12)]) }), ['generator.layers[0].units']],
    ['negative units', (g) => ({ ...g, discriminator: sequential([12], [dense(-4), dense(1)]) }), ['discriminator.layers[0].units']],
    ['a negative leaky slope', (g) => ({ ...g, discriminator: sequential([12], [dense(4), leakyRelu(-1), dense(1)]) }), ['discriminator.layers[1].alpha']],
    ['a dropout rate of 1', (g) => ({ ...g, discriminator: sequential([12], [dense(4), dropout(1), dense(1)]) }), ['discriminator.layers[1].rate']],
    ['a reshape of the wrong size', (g) => ({ ...g, generator: sequential([8], [dense(12), reshape([5, 5])]) }), ['generator.layers[1].shape']],
    ['dense on a rank-3 input', (g) => ({ ...g, generator: sequential([8], [dense(12), reshape([2, 2, 3]), dense(12)]) }), ['generator.layers[2]']],
    ['a batch-norm momentum of 1', (g) => ({ ...g, generator: sequential([8], [dense(12), batchNorm({ momentum: 1 })]) }), ['generator.layers[1].momentum']],
    ['an unknown layer', (g) => ({ ...g, generator: sequential([8], [dense(12), { _tag: 'Conv9' } as unknown as Layer]) }), ['generator.layers[1]']],
    ['a discriminator with two outputs', (g) => ({ ...g, discriminator: sequential([12], [dense(2)]) }), ['discriminator.layers[0]']],
    ['a final sigmoid in the discriminator', (g) => ({ ...g, discriminator: sequential([12], [dense(1), sigmoid]) }), ['discriminator.layers[1]']],
    ['a latent that does not fit the generator', (g) => ({ ...g, latent: normalLatent(9) }), ['generator.inputShape']],
    ['a zero latent std', (g) => ({ ...g, latent: normalLatent(8, { std: 0 }) }), ['latent.std']],
    ['label smoothing of 1', (g) => ({ ...g, loss: nonSaturating({ labelSmoothing: 1 }) }), ['loss.labelSmoothing']],
    ['a zero WGAN weight clip', (g) => ({ ...g, loss: wasserstein({ weightClip: 0 }) }), ['loss.weightClip']],
    ['an unknown loss', (g) => ({ ...g, loss: { _tag: 'Energy' } as unknown as GanLoss }), ['loss']],
    ['zero discriminator steps', (g) => ({ ...g, schedule: alternating({ discriminatorStepsPerGeneratorStep: 0 }) }), ['schedule.discriminatorStepsPerGeneratorStep']],
    ['a generator average decay of 1', (g) => ({ ...g, schedule: alternating({ generatorAverageDecay: 1 }) }), ['schedule.generatorAverageDecay']],
    ['a negative learning rate', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: adam({ learningRate: -1 }) } }), ['optimizers.generator.learningRate']],
    ['a beta1 of 1', (g) => ({ ...g, optimizers: { ...g.optimizers, discriminator: adam({ beta1: 1 }) } }), ['optimizers.discriminator.beta1']],
    ['a momentum of 1', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: sgd({ learningRate: 0.1, momentum: 1 }) } }), ['optimizers.generator.momentum']],
    ['Nesterov without momentum', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: sgd({ learningRate: 0.1, nesterov: true }) } }), ['optimizers.generator.nesterov']],
    ['an RMSProp decay of 1.5', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: rmsProp({ decay: 1.5 }) } }), ['optimizers.generator.decay']],
    ['a decay over zero steps', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: adam({ schedule: linearDecay({ steps: 0 }) }) } }), ['optimizers.generator.schedule.steps']],
    ['a warm-up into a bad cosine', (g) => ({ ...g, optimizers: { ...g.optimizers, generator: adam({ schedule: warmUp({ steps: 10, then: cosineDecay({ steps: 5, final: 2 }) }) }) } }), ['optimizers.generator.schedule.then.final']],
    ['an empty input shape', (g) => ({ ...g, discriminator: sequential([], [dense(1)]) }), ['discriminator.inputShape']],
  ]

  for (const [name, breakIt, expected] of malformed)
    it(`rejects ${name} at ${expected.join(', ')}`, () => {
      expect(paths(breakIt(good()))).toEqual(expected)
    })

  it('reports every problem at once, across both networks and the config', () => {
    const g: Gan = {
      ...good(),
      generator: sequential([8], [dense(0), relu, dense(12), leakyRelu(-2)]),
      discriminator: sequential([12], [dense(16), dropout(2), dense(3)]),
      loss: nonSaturating({ labelSmoothing: -0.1 }),
      optimizers: { generator: adam({ learningRate: 0 }), discriminator: adam({ beta2: 2 }) },
    }
    expect(paths(g)).toEqual([
      'generator.layers[0].units',
      'generator.layers[3].alpha',
      'discriminator.layers[1].rate',
      'discriminator.layers[2]',
      'loss.labelSmoothing',
      'optimizers.generator.learningRate',
      'optimizers.discriminator.beta2',
    ])
  })

  it('carries expected and found values in each error', () => {
    const [e] = errorsOf({ ...good(), generator: sequential([8], [dense(16), reshape([3, 5]), dense(12)]) })
    expect(e).toMatchObject({
      _tag: 'ShapeMismatch',
      path: 'generator.layers[1].shape',
      expected: 'a shape of 16 elements (the size of input [16])',
      actual: '[3, 5] (15 elements)',
    })
  })

  it('compile returns the same errors as values, allocating nothing', () => {
    const r = compile(gan({ generator: mlp([8], [32], relu, 784), discriminator: mlp([785], [32], relu, 1) }))
    expect(E.isLeft(r) && r.left[0]!.path).toBe('discriminator.inputShape')
  })
})

describe('minibatch stddev shapes', () => {
  it('adds one channel (rank 3) or one feature (rank 1)', () => {
    const checked = checkGan(
      gan({
        generator: sequential([8], [dense(12), tanh]),
        discriminator: sequential([12], [minibatchStddev(), dense(4), reshape([2, 2, 1]), minibatchStddev(2), flatten, dense(1)]),
      }),
    )
    expect(E.isRight(checked) && checked.right.discriminator.layers.map((l) => l.outputShape)).toEqual([[13], [4], [2, 2, 1], [2, 2, 2], [8], [1]])
  })

  it('refuses a group size that is not a positive integer and a rank-2 input, at once', () => {
    const checked = checkGan(
      gan({
        generator: sequential([8], [dense(12), tanh]),
        discriminator: sequential([12], [minibatchStddev(0), reshape([13, 1]), minibatchStddev(), flatten, dense(1)]),
      }),
    )
    expect(E.isLeft(checked) && checked.left.map((e) => [e._tag, e.path])).toEqual([
      ['InvalidConfig', 'discriminator.layers[0].groupSize'],
      ['ShapeMismatch', 'discriminator.layers[2]'],
    ])
  })
})
