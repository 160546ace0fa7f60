// Convolutional layers: shape inference with path-carrying errors, gradients against finite
// differences (small shapes) on the cpu and wasm backends, and the phase decomposition of
// transposed convolutions against tfjs's own kernel.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  avgPool,
  batchNorm,
  checkGan,
  checkNetwork,
  conv2d,
  conv2dTranspose,
  dense,
  flatten,
  gan,
  leakyRelu,
  relu,
  reshape,
  sigmoid,
  sequential,
  tanh,
  upsample,
  useBackend,
  Rng,
  type Layer,
} from '../src/index.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { conv2dTransposeByPhases } from '../src/compile/conv-lowering.ts'
import { tf } from '../src/compile/tf.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'

const shapes = (input: ReadonlyArray<number>, layers: ReadonlyArray<Layer>) => {
  const r = checkNetwork(sequential(input, layers), 'net')
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right.layers.map((l) => l.outputShape)
}

const errorsOf = (input: ReadonlyArray<number>, layers: ReadonlyArray<Layer>) => {
  const r = checkNetwork(sequential(input, layers), 'generator')
  if (E.isRight(r)) throw new Error('expected the network to be rejected')
  return r.left
}

describe('convolutional shape inference', () => {
  it('infers the DCGAN generator and discriminator shapes', () => {
    expect(
      shapes([100], [dense(7 * 7 * 256), reshape([7, 7, 256]), conv2dTranspose(128, 5), conv2dTranspose(64, 5, { stride: 2 }), conv2dTranspose(1, 5, { stride: 2 }), tanh]),
    ).toEqual([[12544], [7, 7, 256], [7, 7, 128], [14, 14, 64], [28, 28, 1], [28, 28, 1]])
    expect(shapes([28, 28, 1], [conv2d(64, 5, { stride: 2 }), leakyRelu(0.2), conv2d(128, 5, { stride: 2 }), flatten, dense(1)])).toEqual([
      [14, 14, 64],
      [14, 14, 64],
      [7, 7, 128],
      [6272],
      [1],
    ])
  })

  it('follows TensorFlow for valid padding, upsampling and pooling', () => {
    expect(shapes([9, 7, 2], [conv2d(4, 3, { padding: 'valid', stride: 2 })])).toEqual([[4, 3, 4]])
    expect(shapes([4, 3, 2], [conv2dTranspose(4, 3, { padding: 'valid', stride: 2 })])).toEqual([[9, 7, 4]])
    expect(shapes([7, 7, 3], [upsample(2), avgPool(2), avgPool([3, 1], { stride: 1, padding: 'valid' })])).toEqual([
      [14, 14, 3],
      [7, 7, 3],
      [5, 7, 3],
    ])
  })

  it('rejects a stride that does not divide the input under same padding', () => {
    expect(errorsOf([28, 28, 1], [conv2d(8, 3, { stride: 3 })])).toEqual([
      expect.objectContaining({
        _tag: 'ShapeMismatch',
        path: 'generator.layers[0].strides',
        expected: 'strides dividing the input size [28, 28] (padding "same")',
        actual: '[3, 3]',
      }),
    ])
  })

  it('rejects a valid-padding kernel larger than its input, a conv on a flat input, and bad parameters, all at once', () => {
    expect(
      errorsOf([4, 4, 1], [conv2d(2, 5, { padding: 'valid' })]).map((e) => e.path),
    ).toEqual(['generator.layers[0].kernelSize'])
    expect(errorsOf([16], [conv2d(2, 3)]).map((e) => e.path)).toEqual(['generator.layers[0]'])
    expect(
      errorsOf([8, 8, 1], [conv2d(0, 3), upsample(0), { ...avgPool(2), padding: 'full' } as unknown as Layer]).map((e) => e.path),
    ).toEqual(['generator.layers[0].filters', 'generator.layers[1].factor', 'generator.layers[2].padding'])
  })

  it('a transposed-conv generator that cannot reach the discriminator input names both paths', () => {
    const r = checkGan(
      gan({
        generator: sequential([16], [dense(7 * 7 * 8), reshape([7, 7, 8]), conv2dTranspose(1, 5, { stride: 2 })]),
        discriminator: sequential([28, 28, 1], [flatten, dense(1)]),
      }),
    )
    expect(E.isLeft(r) && r.left[0]).toMatchObject({
      path: 'discriminator.inputShape',
      expected: '[14, 14, 1] (the output of generator.layers[2])',
      actual: '[28, 28, 1]',
    })
  })
})

describe('convolutional forward values', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('upsample repeats each pixel (nearest neighbour), per channel', async () => {
    const checked = checkNetwork(sequential([2, 2, 2], [upsample([2, 3])]), 'u')
    if (E.isLeft(checked)) throw new Error('rejected')
    const net = compileNetwork(checked.right)
    // Channel 0 holds 1..4, channel 1 holds 10..40.
    const x = tf.tensor([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2])
    const y = net.apply({}, x, { training: false })
    const values = await y.data()
    const channel = (k: number) => Array.from(values).filter((_, i) => i % 2 === k)
    expect(y.shape).toEqual([1, 4, 6, 2])
    expect(channel(0)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4])
    expect(channel(1)).toEqual([10, 10, 10, 20, 20, 20, 10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40, 30, 30, 30, 40, 40, 40])
    x.dispose()
    y.dispose()
  })
})

// The CPU backends run convolutions lowered to forward convolutions (filter gradients as
// correlations, transposed convolutions as phases): check both against finite differences.
for (const backend of ['cpu', 'wasm'] as const)
  describe(`convolutional gradients against finite differences (${backend}, lowered)`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean; seed?: number }?]> = [
      ['conv2d, same padding, stride 2', [4, 4, 2], [conv2d(3, 3, { stride: 2 })]],
      ['conv2d, valid padding, no bias', [5, 4, 2], [conv2d(2, [3, 2], { padding: 'valid', useBias: false })]],
      ['conv2d, valid padding, stride 2 leaving a remainder', [6, 5, 2], [conv2d(2, 3, { padding: 'valid', stride: 2 })]],
      ['conv2d, 5×5 kernel, same padding, stride 2 (uneven padding)', [6, 6, 1], [conv2d(2, 5, { stride: 2 })]],
      ['conv2d fused with leaky ReLU', [4, 4, 2], [conv2d(3, 3, { stride: 2 }), leakyRelu(0.2)]],
      // Seed 13 keeps every pre-activation clear of ReLU's kink by more than the finite-difference step.
      ['conv2d fused with ReLU, no bias', [4, 4, 2], [conv2d(3, 3, { useBias: false }), relu], { seed: 13 }],
      ['conv2d fused with sigmoid, valid padding', [5, 4, 2], [conv2d(2, [3, 2], { padding: 'valid' }), sigmoid]],
      ['conv2dTranspose, same padding, stride 2', [2, 2, 3], [conv2dTranspose(2, 3, { stride: 2 })]],
      ['conv2dTranspose, 5×5 kernel, same padding, stride 2', [3, 3, 2], [conv2dTranspose(2, 5, { stride: 2 })]],
      ['conv2dTranspose, valid padding, stride 2', [2, 2, 2], [conv2dTranspose(2, 3, { padding: 'valid', stride: 2 })]],
      ['conv2dTranspose, valid padding', [2, 3, 2], [conv2dTranspose(2, 3, { padding: 'valid' })]],
      ['conv2dTranspose, kernel smaller than the stride', [2, 2, 2], [conv2dTranspose(2, 2, { padding: 'valid', stride: 3 })]],
      ['upsample', [2, 2, 2], [conv2d(2, 1), upsample(2)]],
      ['upsample by different factors per axis', [2, 3, 2], [upsample([3, 2]), conv2d(2, 3)]],
      ['avgPool', [4, 4, 2], [conv2d(2, 1), avgPool(2)]],
      ['batchNorm over conv channels', [3, 3, 2], [conv2d(3, 2), batchNorm(), tanh], { training: true }],
    ]
    for (const [name, shape, layers, options] of cases)
      it(name, async () => {
        expect(await checkGradients(shape, layers, options)).toBeLessThan(gradientTolerance)
      })
  })

describe('transposed convolution as phases', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  // [input, filter [kh, kw, out, in], strides, padding, output]: odd and even kernels, uneven
  // strides, kernels smaller than the stride, outputs the stride does not divide; one output
  // channel (interleaved by a transpose rather than stacks).
  const cases: ReadonlyArray<readonly [number[], number[], [number, number], 'same' | 'valid', number[]]> = [
    [[2, 7, 7, 3], [5, 5, 4, 3], [2, 2], 'same', [2, 14, 14, 4]],
    [[2, 7, 7, 3], [5, 5, 4, 3], [1, 1], 'same', [2, 7, 7, 4]],
    [[2, 7, 7, 3], [5, 5, 4, 3], [2, 2], 'valid', [2, 17, 17, 4]],
    [[2, 7, 7, 3], [5, 5, 4, 3], [2, 2], 'valid', [2, 18, 18, 4]],
    [[2, 5, 6, 3], [3, 4, 4, 3], [3, 2], 'same', [2, 15, 12, 4]],
    [[2, 5, 6, 3], [2, 2, 4, 3], [3, 3], 'valid', [2, 15, 18, 4]],
    [[2, 4, 4, 3], [3, 3, 4, 3], [2, 2], 'same', [2, 7, 7, 4]],
    [[2, 7, 7, 3], [5, 5, 1, 3], [2, 2], 'same', [2, 14, 14, 1]],
    [[2, 5, 6, 3], [3, 4, 1, 3], [3, 2], 'same', [2, 15, 12, 1]],
    [[2, 5, 6, 3], [2, 2, 1, 3], [3, 3], 'valid', [2, 15, 18, 1]],
  ]
  for (const [xShape, wShape, strides, padding, outShape] of cases)
    it(`matches tfjs's kernel: x ${xShape.join('×')}, filter ${wShape.join('×')}, strides ${strides.join('×')}, ${padding} → ${outShape.join('×')}`, async () => {
      const rng = Rng.fromSeed(xShape.length + wShape[0]! + strides[0]! + outShape[1]!)
      const size = (s: number[]) => s.reduce((a, b) => a * b, 1)
      const x = tf.tensor4d(rng.normals(size(xShape)), xShape as [number, number, number, number])
      const w = tf.tensor4d(rng.normals(size(wShape)), wShape as [number, number, number, number])
      const out = outShape as [number, number, number, number]
      const expected = tf.conv2dTranspose(x, w, out, strides, padding)
      const actual = conv2dTransposeByPhases(x, w, out, strides, padding)
      expect(actual.shape).toEqual(outShape)
      const [e, a] = await Promise.all([expected.data(), actual.data()])
      const worst = Array.from(e).reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]!)), 0)
      expect(worst).toBeLessThan(1e-4)
      expect(Array.from(e).some((v) => Math.abs(v) > 1)).toBe(true)
      tf.dispose([x, w, expected, actual])
    })
})
