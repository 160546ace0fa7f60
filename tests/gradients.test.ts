// Every layer's gradients (with respect to its parameters and its input) against central finite
// differences of the compiled forward pass, on the cpu backend.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { tf, type Tensor } from '../src/compile/tf.ts'
import {
  batchNorm,
  checkNetwork,
  compileNetwork,
  dense,
  dropout,
  flatten,
  leakyRelu,
  relu,
  reshape,
  sequential,
  sigmoid,
  tanh,
  useBackend,
  Rng,
  type Layer,
  type Params,
} from '../src/index.ts'

const compiled = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>) => {
  const checked = checkNetwork(sequential(inputShape, layers), 'net')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}

/**
 * Compares analytic and numeric gradients of L = Σ w ⊙ f(x), w fixed random weights so that every
 * output element matters differently. Values are kept away from the kinks of ReLU-like layers.
 */
const checkGradients = async (
  inputShape: ReadonlyArray<number>,
  layers: ReadonlyArray<Layer>,
  options: { readonly training?: boolean; readonly seed?: number; readonly epsilon?: number; readonly batch?: number } = {},
): Promise<number> => {
  const net = compiled(inputShape, layers)
  const batch = options.batch ?? 3
  const rng = Rng.fromSeed(options.seed ?? 11)
  const inputSize = batch * inputShape.reduce((a, b) => a * b, 1)
  const xValues = rng.uniforms(inputSize, 0.1, 1).map((v) => (rng.uniform() < 0.5 ? -v : v))
  const params = net.init(5)
  const outputSize = batch * net.outputShape.reduce((a, b) => a * b, 1)
  const weights = tf.tensor(rng.uniforms(outputSize, -1, 1), [batch, ...net.outputShape])
  const mode = { training: options.training ?? false, seed: 3 }
  const trainable = net.trainablePaths
  const objective = (p: Params, x: Tensor): Tensor => tf.sum(tf.mul(net.apply(p, x, mode), weights))

  const x = tf.tensor(xValues, [batch, ...inputShape])
  const analytic = tf.grads((xIn: Tensor, ...ts: Array<Tensor>) =>
    objective({ ...params, ...Object.fromEntries(trainable.map((p, i) => [p, ts[i]!])) }, xIn),
  )([x, ...trainable.map((p) => params[p]!)])
  const analyticValues = await Promise.all(analytic.map((g) => g.data()))

  const epsilon = options.epsilon ?? 1e-2
  const evaluate = async (p: Params, xs: Float32Array): Promise<number> => {
    const t = tf.tidy(() => objective(p, tf.tensor(xs, [batch, ...inputShape])))
    const v = (await t.data())[0]!
    t.dispose()
    return v
  }
  let worst = 0
  const compare = (a: number, numeric: number) => {
    worst = Math.max(worst, Math.abs(a - numeric) / Math.max(1, Math.abs(numeric)))
  }
  // Input gradient.
  for (let i = 0; i < xValues.length; i++) {
    const plus = xValues.slice(), minus = xValues.slice()
    plus[i]! += epsilon
    minus[i]! -= epsilon
    compare(analyticValues[0]![i]!, ((await evaluate(params, plus)) - (await evaluate(params, minus))) / (2 * epsilon))
  }
  // Parameter gradients.
  for (const [k, path] of trainable.entries()) {
    const base = (await params[path]!.data()) as Float32Array
    for (let i = 0; i < base.length; i++) {
      const shifted = async (delta: number) => {
        const values = base.slice()
        values[i]! += delta
        const t = tf.tensor(values, params[path]!.shape)
        const v = await evaluate({ ...params, [path]: t }, xValues)
        t.dispose()
        return v
      }
      compare(analyticValues[k + 1]![i]!, ((await shifted(epsilon)) - (await shifted(-epsilon))) / (2 * epsilon))
    }
  }
  for (const t of [x, weights, ...analytic, ...Object.values(params)]) t.dispose()
  return worst
}

const tolerance = 2e-2

describe('layer gradients against finite differences', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  const cases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<Layer>, { training?: boolean }?]> = [
    ['dense', [4], [dense(3)]],
    ['dense without bias', [4], [dense(3, { useBias: false })]],
    ['relu', [4], [dense(3), relu]],
    ['leakyRelu', [4], [dense(3), leakyRelu(0.2)]],
    ['tanh', [4], [dense(3), tanh]],
    ['sigmoid', [4], [dense(3), sigmoid]],
    ['batchNorm (training: batch statistics)', [4], [dense(3), batchNorm()], { training: true }],
    ['batchNorm (inference: moving statistics)', [4], [dense(3), batchNorm()]],
    ['batchNorm over channels of a rank-3 input', [6], [reshape([2, 1, 3]), batchNorm(), flatten, dense(2)], { training: true }],
    ['dropout (fixed mask)', [4], [dense(6), dropout(0.5)], { training: true }],
    ['reshape then flatten', [6], [reshape([3, 2]), flatten, dense(2)]],
  ]

  for (const [name, shape, layers, options] of cases)
    it(name, async () => {
      expect(await checkGradients(shape, layers, options)).toBeLessThan(tolerance)
    })

  it('a deliberately wrong gradient is caught (the check can fail)', async () => {
    // Central differences with a huge step cannot follow tanh's curvature: the check must notice.
    expect(await checkGradients([4], [dense(3), tanh], { epsilon: 3 })).toBeGreaterThan(tolerance)
  })
})
