// Every layer's gradients (with respect to its parameters and its input) against central finite
// differences of the compiled forward pass, on the cpu and wasm backends. Dense layers followed by
// relu, leaky ReLU or sigmoid compile to one fused kernel with a hand-written gradient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchNorm, dense, dropout, flatten, leakyRelu, minibatchStddev, relu, reshape, sigmoid, tanh, useBackend, type Layer } from '../src/index.ts'
import { checkGradients, gradientTolerance } from './support/gradient-check.ts'

for (const backend of ['cpu', 'wasm'] as const)
  describe(`layer gradients against finite differences (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean; batch?: number }?]> = [
      ['dense', [4], [dense(3)]],
      ['dense without bias', [4], [dense(3, { useBias: false })]],
      ['relu (fused into dense)', [4], [dense(3), relu]],
      ['leakyRelu (fused into dense)', [4], [dense(3), leakyRelu(0.2)]],
      ['leakyRelu (fused into dense without bias)', [4], [dense(3, { useBias: false }), leakyRelu(0.2)]],
      ['tanh', [4], [dense(3), tanh]],
      ['sigmoid (fused into dense)', [4], [dense(3), sigmoid]],
      ['relu after tanh (not fused)', [4], [dense(3), tanh, relu]],
      ['batchNorm (training: batch statistics)', [4], [dense(3), batchNorm()], { training: true }],
      ['batchNorm (inference: moving statistics)', [4], [dense(3), batchNorm()]],
      ['batchNorm with a fused leaky ReLU (training)', [4], [dense(3), batchNorm(), leakyRelu(0.2), dense(2)], { training: true }],
      ['batchNorm with a fused sigmoid (inference)', [4], [dense(3), batchNorm(), sigmoid]],
      ['batchNorm over channels of a rank-3 input', [6], [reshape([2, 1, 3]), batchNorm(), flatten, dense(2)], { training: true }],
      ['dropout (fixed mask)', [4], [dense(6), dropout(0.5)], { training: true }],
      ['reshape then flatten', [6], [reshape([3, 2]), flatten, dense(2)]],
      ['minibatch stddev over features (two groups of 2)', [4], [dense(3), minibatchStddev(2), dense(2)], { batch: 4 }],
      ['minibatch stddev over maps (one group: 4 does not divide 3)', [8], [reshape([2, 2, 2]), minibatchStddev(4), flatten, dense(2)]],
    ]

    for (const [name, shape, layers, options] of cases)
      it(name, async () => {
        expect(await checkGradients(shape, layers, options)).toBeLessThan(gradientTolerance)
      })

    it('a deliberately wrong gradient is caught (the check can fail)', async () => {
      // Central differences with a huge step cannot follow tanh's curvature: the check must notice.
      expect(await checkGradients([4], [dense(3), tanh], { epsilon: 3 })).toBeGreaterThan(gradientTolerance)
    })
  })
