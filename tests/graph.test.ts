// Graph-shaped networks: residual blocks, concatenated branches, label inputs (embedding, one-hot,
// projection), pixel shuffle and PReLU. Gradients against finite differences on cpu and wasm,
// forward values against hand computations, and malformed graphs rejected with exact paths.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import {
  batchNorm,
  checkGan,
  checkNetwork,
  concat,
  conv2d,
  dense,
  embedding,
  flatten,
  fromLabel,
  gan,
  leakyRelu,
  oneHot,
  pixelShuffle,
  minibatchStddev,
  prelu,
  projection,
  relu,
  reshape,
  residual,
  sequential,
  tanh,
  tileSpatial,
  useBackend,
  withLabelInput,
  type Gan,
  type GanError,
  type Layer,
  type Network,
} from '../src/index.ts'
import { compiledNetwork } from './support/compiled-network.ts'
import { depthToSpace } from '../src/compile/depth-to-space.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'
import { checkPenaltyGradients } from './support/penalty-check.ts'

for (const backend of ['cpu', 'wasm'] as const)
  describe(`graph layer gradients against finite differences (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean; labelClasses?: number; epsilon?: number }?]> = [
      ['residual (identity shortcut)', [4], [residual([dense(4), tanh, dense(4)]), dense(2)]],
      ['residual with a projection shortcut', [4], [residual([dense(3), tanh], { shortcut: [dense(3)] }), dense(2)]],
      // PReLU's kink at 0 is crossed by wide differences of pre-activations near it: a small step.
      ['residual conv block (conv, batch norm, PReLU, conv, batch norm)', [4, 4, 2], [residual([conv2d(2, 3), batchNorm(), prelu(), conv2d(2, 3), batchNorm()]), flatten, dense(2)], { training: true, epsilon: 1e-3 }],
      ['prelu (learned slope per channel)', [4], [dense(5), prelu({ initialAlpha: 0.1 }), dense(2)], { epsilon: 1e-3 }],
      ['pixel shuffle after a convolution', [3, 3, 2], [conv2d(8, 3), pixelShuffle(2), flatten, dense(2)]],
      ['concat of two trunk branches', [4], [concat([[dense(3), tanh], [dense(2)]]), dense(2)]],
      ['concat of the input with a label embedding', [3], [concat([[], fromLabel([embedding(4, 2)])]), dense(3), tanh], { labelClasses: 4 }],
      ['concat of an image with a tiled one-hot label', [4, 4, 1], [concat([[], fromLabel([oneHot(3), tileSpatial(4, 4)])]), conv2d(2, 3), flatten, dense(1)], { labelClasses: 3 }],
      ['concat of an image with a tiled embedding', [4, 4, 1], [concat([[], fromLabel([embedding(3, 2), tileSpatial(4, 4)])]), conv2d(2, 3, { stride: 2 }), flatten, dense(1)], { labelClasses: 3 }],
      ['label embedding through dense layers, reshaped into a channel', [4, 4, 1], [concat([[], fromLabel([embedding(3, 4), dense(16), reshape([4, 4, 1])])]), flatten, dense(1)], { labelClasses: 3 }],
      ['projection discriminator output', [5], [dense(4), leakyRelu(0.2), projection], { labelClasses: 3 }],
    ]

    for (const [name, shape, layers, options] of cases)
      it(name, async () => {
        expect(await checkGradients(shape, layers, { batch: 4, ...options })).toBeLessThan(gradientTolerance)
      })

    it('gradient penalty through a conditional (projection) discriminator: double gradients', async () => {
      const { gradientPenalty } = await import('../src/index.ts')
      const { worst, checked } = await checkPenaltyGradients(
        [4, 4, 1],
        [concat([[], fromLabel([oneHot(3), tileSpatial(4, 4)])]), conv2d(3, 3, { stride: 2 }), tanh, flatten, dense(4), tanh, projection],
        gradientPenalty(),
        { labelClasses: 3 },
      )
      expect(checked).toBeGreaterThan(20)
      expect(worst).toBeLessThan(1e-2)
    })

    it('a gradient penalty through a minibatch-stddev critic matches double finite differences', async () => {
      const { gradientPenalty } = await import('../src/index.ts')
      const { worst, checked } = await checkPenaltyGradients([4, 4, 1], [conv2d(3, 3, { stride: 2 }), tanh, minibatchStddev(2), flatten, dense(4), tanh, dense(1)], gradientPenalty())
      expect(checked).toBeGreaterThan(20)
      expect(worst).toBeLessThan(1e-2)
    })
  })

const compiled = (network: Network) => compiledNetwork(network)

describe('graph layers compute what they say', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it("pixel shuffle is TensorFlow's depth_to_space", async () => {
    // One 1×1 position with 4 channels c = (i·2 + j): output pixel (i, j) = channel i·2 + j.
    const x = tf.tensor([10, 11, 12, 13], [1, 1, 1, 4])
    expect(Array.from(await depthToSpace(x, 2).data())).toEqual([10, 11, 12, 13])
    const y = tf.tensor(Array.from({ length: 2 * 3 * 3 * 8 }, (_, i) => i), [2, 3, 3, 8])
    expect(Array.from(await depthToSpace(y, 2).data())).toEqual(Array.from(await tf.depthToSpace(y as tf.Tensor4D, 2).data()))
    tf.dispose([x, y])
  })

  it('minibatch stddev appends each group\'s mean deviation as one more channel (strided groups)', async () => {
    // Batch 4, groups of 2: examples 0 and 2 form one group (values 0, 2: deviation 1), 1 and 3 the
    // other (0, 4: deviation 2).
    const features = compiled(sequential([1], [minibatchStddev(2)]))
    const out = features.apply({}, tf.tensor([[0], [0], [2], [4]]), { training: false })
    expect(out.shape).toEqual([4, 2])
    expect(Array.from(await out.data()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0, 1, 0, 2, 2, 1, 4, 2])
    // Rank 3: the deviation is averaged over every position and channel, and fills a new channel.
    const maps = compiled(sequential([1, 2, 1], [minibatchStddev(2)]))
    const x = tf.tensor([0, 0, 0, 0, 2, 6, 4, 4], [4, 1, 2, 1])
    const image = maps.apply({}, x, { training: false })
    expect(image.shape).toEqual([4, 1, 2, 2])
    // Group {0, 2}: positions (0, 2) and (0, 6): deviations 1 and 3, mean 2; group {1, 3}: 2 and 2.
    expect(Array.from(await image.data()).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([0, 2, 0, 2, 0, 2, 0, 2, 2, 2, 6, 2, 4, 2, 4, 2])
    // A batch the group size does not divide is one group: three equal examples have deviation ≈ 0.
    const whole = features.apply({}, tf.tensor([[5], [5], [5]]), { training: false })
    expect(Array.from(await whole.data()).filter((_, i) => i % 2 === 1).every((v) => v < 1e-3)).toBe(true)
    tf.dispose([out, x, image, whole])
  })

  it('prelu scales negatives by α and keeps positives', async () => {
    const net = compiled(sequential([3], [prelu({ initialAlpha: 0.5 })]))
    const params = net.init(1)
    const out = net.apply(params, tf.tensor([[-2, 0, 4]]), { training: false })
    expect(Array.from(await out.data())).toEqual([-1, 0, 4])
    tf.dispose([out, ...Object.values(params)])
  })

  for (const backend of ['cpu', 'wasm'] as const)
  it(`an embedding returns its table row for each label; oneHot the unit vector (${backend})`, async () => {
    // On wasm, tfjs's float32 OneHot writes int bits (1.4e-45 for 1): labels would vanish unseen.
    await useBackend(backend)
    const net = compiled(withLabelInput(3)(sequential([1], [concat([fromLabel([embedding(3, 2)]), fromLabel([oneHot(3)]), []])])))
    const params = net.init(4)
    const table = (await params['layers[0].branches[0].layers[0].embeddings']!.data()) as Float32Array
    const out = net.apply(params, tf.tensor([[7], [8]]), { training: false }, tf.tensor1d([2, 0], 'int32'))
    expect(out.shape).toEqual([2, 6])
    const values = Array.from(await out.data())
    expect(values.slice(0, 2)).toEqual([table[4], table[5]])
    expect(values.slice(2, 6)).toEqual([0, 0, 1, 7])
    expect(values.slice(6, 8)).toEqual([table[0], table[1]])
    expect(values.slice(8)).toEqual([1, 0, 0, 8])
    tf.dispose([out, ...Object.values(params)])
    await useBackend('cpu')
  })

  it('a residual block adds its input back', async () => {
    const net = compiled(sequential([2], [residual([dense(2)])]))
    const params = net.init(2)
    const x = tf.tensor([[1, -2]])
    const block = tf.add(tf.matMul(x, params['layers[0].block[0].kernel']!), params['layers[0].block[0].bias']!)
    const out = net.apply(params, x, { training: false })
    expect(Array.from(await out.data())).toEqual(Array.from(await tf.add(block, x).data()))
    tf.dispose([x, block, out, ...Object.values(params)])
  })

  it('a projection output is dense(1)(h) + ⟨embed(y), h⟩', async () => {
    const net = compiled(withLabelInput(2)(sequential([3], [projection])))
    const params = net.init(3)
    const h = [0.5, -1, 2]
    const [kernel, bias, table] = await Promise.all(['kernel', 'bias', 'embeddings'].map((k) => params[`layers[0].${k}`]!.data()))
    const out = net.apply(params, tf.tensor([h]), { training: false }, tf.tensor1d([1], 'int32'))
    const expected = h.reduce((s, v, i) => s + v * kernel![i]! + v * table![3 + i]!, bias![0]!)
    expect((await out.data())[0]).toBeCloseTo(expected, 5)
    tf.dispose([out, ...Object.values(params)])
  })

  it('parameters of nested layers are addressed by their paths', () => {
    const net = compiled(
      withLabelInput(10)(sequential([4], [concat([[dense(3)], fromLabel([embedding(10, 2)])]), residual([dense(5), batchNorm(), prelu()]), projection])),
    )
    expect(net.paramSpecs.map((p) => p.path)).toEqual([
      'layers[0].branches[0].layers[0].kernel',
      'layers[0].branches[0].layers[0].bias',
      'layers[0].branches[1].layers[0].embeddings',
      'layers[1].block[0].kernel',
      'layers[1].block[0].bias',
      'layers[1].block[1].gamma',
      'layers[1].block[1].beta',
      'layers[1].block[1].movingMean',
      'layers[1].block[1].movingVariance',
      'layers[1].block[2].alpha',
      'layers[2].kernel',
      'layers[2].bias',
      'layers[2].embeddings',
    ])
  })

  it('calling a labelled network without labels is a GanError, not a tfjs failure', () => {
    const net = compiled(withLabelInput(3)(sequential([2], [concat([[], fromLabel([oneHot(3)])])])))
    expect(() => net.apply({}, tf.zeros([1, 2]), { training: false })).toThrow(/labels/)
  })
})

const errorsOf = (network: Network): ReadonlyArray<GanError> => {
  const r = checkNetwork(network, 'generator')
  if (E.isRight(r)) throw new Error('expected the network to be rejected')
  return r.left
}

describe('malformed graphs are rejected with exact paths', () => {
  it('concatenating branches of different spatial sizes names both branches and both shapes', () => {
    const errors = errorsOf(sequential([8, 8, 1], [concat([[conv2d(4, 3)], [conv2d(4, 3, { stride: 2 })]])]))
    expect(errors).toHaveLength(1)
    expect(errors[0]!._tag).toBe('ShapeMismatch')
    expect(errors[0]!.path).toBe('generator.layers[0].branches[1]')
    expect(errors[0]!.expected).toContain('generator.layers[0].branches[0].layers[0] gives [8, 8, 4]')
    expect(errors[0]!.actual).toContain('generator.layers[0].branches[1].layers[0] gives [4, 4, 4]')
  })

  it('a residual block that changes the shape names both paths', () => {
    const errors = errorsOf(sequential([4], [residual([dense(3)])]))
    expect(errors.map((e) => e.path)).toEqual(['generator.layers[0]'])
    expect(errors[0]!.expected).toContain('generator.layers[0].block[0] gives [3]')
    expect(errors[0]!.actual).toContain('[4]')
  })

  it('label layers need a label input, in a fromLabel branch, with the right class count', () => {
    const errors = errorsOf(
      sequential([4], [concat([[], fromLabel([embedding(10, 2)])]), dense(3)]),
    )
    // The branch needs a label input, and so does its embedding.
    expect(errors.map((e) => e.path)).toEqual(['generator.layers[0].branches[1]', 'generator.layers[0].branches[1].layers[0]'])
    const labelled = errorsOf(
      withLabelInput(10)(sequential([4], [embedding(10, 2), concat([fromLabel([dense(3)]), fromLabel([oneHot(9)]), fromLabel([])])])),
    )
    expect(labelled.map((e) => `${e._tag} ${e.path}`)).toEqual([
      'ShapeMismatch generator.layers[0]',
      'InvalidConfig generator.layers[1].branches[0].layers[0]',
      'InvalidConfig generator.layers[1].branches[1].layers[0].numClasses',
      'InvalidConfig generator.layers[1].branches[2].layers',
    ])
  })

  it('pixel shuffle, prelu, tileSpatial and projection check their parameters and inputs', () => {
    const errors = errorsOf(
      sequential([4, 4, 6], [pixelShuffle(2), prelu({ initialAlpha: Number.NaN }), flatten, tileSpatial(0, 2), flatten, projection]),
    )
    expect(errors.map((e) => e.path)).toEqual([
      'generator.layers[0]',
      'generator.layers[1].initialAlpha',
      'generator.layers[3].height',
      'generator.layers[5]',
    ])
    expect(errors[0]!.expected).toContain('factor² = 4')
  })

  it('errors deep inside nested chains are all reported, with their paths', () => {
    const errors = errorsOf(sequential([4], [residual([dense(-1), residual([dense(0)])]), concat([[dense(2.5)], [relu]])]))
    expect(errors.map((e) => e.path)).toEqual([
      'generator.layers[0].block[0].units',
      'generator.layers[0].block[1].block[0].units',
      'generator.layers[1].branches[0].layers[0].units',
    ])
  })

  it('generator and discriminator must agree on the number of classes', () => {
    const g: Gan = gan({
      generator: withLabelInput(10)(sequential([4], [concat([[], fromLabel([embedding(10, 2)])]), dense(2)])),
      discriminator: withLabelInput(9)(sequential([2], [dense(4), relu, projection])),
    })
    const r = checkGan(g)
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual(['discriminator.labelInput.numClasses'])
  })

  it('a label input with fewer than two classes is rejected', () => {
    expect(errorsOf(withLabelInput(1)(sequential([2], [dense(1)]))).map((e) => e.path)).toEqual(['generator.labelInput'])
  })
})
