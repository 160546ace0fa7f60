// Fusion changes how a network runs, not what it computes: fused and unfused compilations of the
// same network give the same outputs and gradients, and the fused one runs fewer kernels.
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { batchNorm, checkNetwork, conv2d, dense, flatten, leakyRelu, relu, sequential, sigmoid, useBackend, Rng } from '../src/index.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { tf, type Tensor } from '../src/compile/tf.ts'

const network = sequential([6, 6, 2], [
  conv2d(4, 3, { stride: 2 }),
  leakyRelu(0.2),
  conv2d(4, 3, { useBias: false }),
  batchNorm(),
  relu,
  flatten,
  dense(5),
  batchNorm(),
  sigmoid,
  dense(1),
])

// Without batch norm, whose activation runs as its own kernel inside the fused op: every
// activation of this one disappears into a fused kernel.
const kernelFusedNetwork = sequential([6, 6, 2], [conv2d(4, 3, { stride: 2 }), leakyRelu(0.2), conv2d(4, 3, { useBias: false }), relu, flatten, dense(5), sigmoid, dense(1)])

const compiled = (fuse: boolean, spec = network) => {
  const checked = checkNetwork(spec, 'net')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right, { fuse })
}

for (const backend of ['cpu', 'wasm'] as const)
  describe(`fusion (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    it('fused and unfused networks agree on outputs and on every gradient', async () => {
      const fused = compiled(true)
      const plain = compiled(false)
      const params = fused.init(2)
      const x = tf.tensor(Rng.fromSeed(8).normals(4 * 72), [4, 6, 6, 2])
      const run = async (net: ReturnType<typeof compiled>) => {
        const paths = net.trainablePaths
        const { value, grads } = tf.valueAndGrads((...ts: Array<Tensor>) =>
          tf.sum(net.apply({ ...params, ...Object.fromEntries(paths.map((p, i) => [p, ts[i]!])) }, x, { training: true })),
        )(paths.map((p) => params[p]!))
        const out = [await value.data(), ...(await Promise.all(grads.map((g) => g.data())))]
        tf.dispose([value, ...grads])
        return out
      }
      const [a, b] = [await run(fused), await run(plain)]
      expect(a.length).toBe(b.length)
      a.forEach((values, k) => {
        values.forEach((v, i) => expect(v).toBeCloseTo(b[k]![i]!, 4))
      })
      // Not vacuous: some gradient entries are far from zero.
      expect(a.slice(1).some((g) => Array.from(g).some((v) => Math.abs(v) > 1e-2))).toBe(true)
      fused.dispose(params)
      x.dispose()
    })

    it('skipping the gradients nobody asks for leaves the asked-for ones unchanged', async () => {
      const net = compiled(true)
      const params = net.init(4)
      const x = tf.tensor(Rng.fromSeed(6).normals(4 * 72), [4, 6, 6, 2])
      const paths = net.trainablePaths
      const paramGradients = async (mode: { training: boolean; inputGradient?: boolean }) => {
        const grads = tf.grads((...ts: Array<Tensor>) =>
          tf.sum(net.apply({ ...params, ...Object.fromEntries(paths.map((p, i) => [p, ts[i]!])) }, x, mode)),
        )(paths.map((p) => params[p]!))
        const values = await Promise.all(grads.map((g) => g.data()))
        tf.dispose(grads)
        return values
      }
      const inputGradient = async (mode: { training: boolean; paramGradients?: boolean }) => {
        const g = tf.grad((input: Tensor) => tf.sum(net.apply(params, input, mode)))(x)
        const values = await g.data()
        g.dispose()
        return values
      }
      expect(await paramGradients({ training: true, inputGradient: false })).toEqual(await paramGradients({ training: true }))
      const input = await inputGradient({ training: true, paramGradients: false })
      expect(input).toEqual(await inputGradient({ training: true }))
      expect(Array.from(input).some((v) => Math.abs(v) > 1e-3)).toBe(true)
      net.dispose(params)
      x.dispose()
    })

    it('the fused network runs fewer kernels, the activations inside the fused ones', async () => {
      const count = async (fuse: boolean) => {
        const net = compiled(fuse, kernelFusedNetwork)
        const params = net.init(1)
        const x = tf.zeros([2, 6, 6, 2])
        const profile = await tf.profile(() => {
          net.apply(params, x, { training: false }).dispose()
        })
        net.dispose(params)
        x.dispose()
        return profile.kernels.map((k) => k.name)
      }
      const [fused, plain] = [await count(true), await count(false)]
      expect(fused.length).toBeLessThan(plain.length)
      expect(fused).toContain('_FusedMatMul')
      expect(fused).toContain('FusedConv2D')
      // The activations ran inside the fused kernels, not after them.
      for (const activation of ['LeakyRelu', 'Relu', 'Sigmoid']) {
        expect(plain).toContain(activation)
        expect(fused).not.toContain(activation)
      }
    })
  })
