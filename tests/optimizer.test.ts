// The optimizers' update rules against updates computed by hand (PyTorch's Adam: ε added to the
// bias-corrected √v̂).
import { beforeAll, describe, expect, it } from 'vitest'
import {
  adam,
  constantRate,
  cosineDecay,
  learningRateFactor,
  linearDecay,
  rmsProp,
  sgd,
  useBackend,
  warmUp,
  type Optimizer,
} from '../src/index.ts'
import { applyOptimizer, initOptimizerState } from '../src/train/optimizer.ts'
import { tf } from '../src/compile/tf.ts'

describe('optimizers', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('Adam: three updates match the hand computation', async () => {
    const optimizer = adam({ learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 })
    let params = { w: tf.tensor([1, -2]) }
    let state = initOptimizerState(optimizer, params, ['w'])
    const gradients = [[0.5, -1], [1, 2], [-0.25, 0.5]]
    // By hand, per coordinate: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w − lr·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε).
    const expected = [1, -2]
    const m = [0, 0]
    const v = [0, 0]
    for (const [t, g] of gradients.entries()) {
      for (let i = 0; i < 2; i++) {
        m[i] = 0.5 * m[i]! + 0.5 * g[i]!
        v[i] = 0.9 * v[i]! + 0.1 * g[i]! ** 2
        expected[i]! -= (0.1 * (m[i]! / (1 - 0.5 ** (t + 1)))) / (Math.sqrt(v[i]! / (1 - 0.9 ** (t + 1))) + 1e-3)
      }
      const gradient = tf.tensor(g)
      const next = applyOptimizer(optimizer, params, { w: gradient }, state)
      tf.dispose([gradient, params.w, ...Object.values(state.slots)])
      params = next.params as { w: tf.Tensor }
      state = next.state
    }
    expect(state.updates).toBe(3)
    const actual = Array.from(await params.w.data())
    actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 5))
    // Not vacuous: the weights moved by more than the tolerance.
    expect(Math.abs(actual[0]! - 1)).toBeGreaterThan(0.1)
    tf.dispose([params.w, ...Object.values(state.slots)])
  })

  it('Adam over several tensors (one flat state) equals Adam on each tensor alone', async () => {
    const optimizer = adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.99, epsilon: 1e-8 })
    const shapes: Record<string, number[]> = { a: [2, 3], b: [3], c: [1, 2, 2] }
    const values = (seed: number, shape: number[]) =>
      tf.tensor(Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => Math.sin(seed + 1.7 * i)), shape)
    const params = Object.fromEntries(Object.entries(shapes).map(([k, shape], i) => [k, values(i, shape)]))
    const paths = Object.keys(shapes)
    let together = { params: params as Record<string, tf.Tensor>, state: initOptimizerState(optimizer, params, paths) }
    const alone = paths.map((k) => ({ params: { [k]: params[k]! } as Record<string, tf.Tensor>, state: initOptimizerState(optimizer, params, [k]) }))
    expect(Object.keys(together.state.slots).sort()).toEqual(['m', 'v'])
    expect(together.state.slots['m']!.shape).toEqual([6 + 3 + 4])
    for (let step = 0; step < 3; step++) {
      const grads = Object.fromEntries(paths.map((k, i) => [k, values(10 * step + i, shapes[k]!)]))
      together = applyOptimizer(optimizer, together.params, grads, together.state)
      alone.forEach((one, i) => {
        const k = paths[i]!
        const next = applyOptimizer(optimizer, one.params, { [k]: grads[k]! }, one.state)
        one.params = next.params as Record<string, tf.Tensor>
        one.state = next.state
      })
    }
    for (const [i, k] of paths.entries()) {
      expect(together.params[k]!.shape).toEqual(shapes[k])
      expect(Array.from(await together.params[k]!.data())).toEqual(Array.from(await alone[i]!.params[k]!.data()))
    }
    expect(Array.from(await together.params['a']!.data())).not.toEqual(Array.from(await params['a']!.data()))
  })

  it('SGD: w ← w − lr·g, leaving parameters without a gradient alone', async () => {
    const optimizer = sgd({ learningRate: 0.5 })
    const params = { w: tf.tensor([1, 2]), frozen: tf.tensor([7]) }
    const gradient = tf.tensor([0.5, -1])
    const next = applyOptimizer(optimizer, params, { w: gradient }, initOptimizerState(optimizer, params, ['w']))
    expect(Array.from(await next.params.w!.data())).toEqual([0.75, 2.5])
    expect(next.params.frozen).toBe(params.frozen)
    tf.dispose([params.w, params.frozen, gradient, next.params.w!])
  })

  /** Three updates of w = [1, −2] with the gradients below; returns the final weights. */
  const gradients = [[0.5, -1], [1, 2], [-0.25, 0.5]]
  const threeUpdates = async (optimizer: Optimizer): Promise<Array<number>> => {
    let params = { w: tf.tensor([1, -2]) }
    let state = initOptimizerState(optimizer, params, ['w'])
    for (const g of gradients) {
      const gradient = tf.tensor(g)
      const next = applyOptimizer(optimizer, params, { w: gradient }, state)
      tf.dispose([gradient, params.w, ...Object.values(state.slots)])
      params = next.params as { w: tf.Tensor }
      state = next.state
    }
    const result = Array.from(await params.w.data())
    tf.dispose([params.w, ...Object.values(state.slots)])
    return result
  }

  it('SGD with momentum and with Nesterov momentum: PyTorch\'s rule, by hand', async () => {
    for (const nesterov of [false, true]) {
      const expected = [1, -2]
      const b = [0, 0]
      for (const g of gradients)
        for (let i = 0; i < 2; i++) {
          b[i] = 0.9 * b[i]! + g[i]!
          expected[i]! -= 0.1 * (nesterov ? g[i]! + 0.9 * b[i]! : b[i]!)
        }
      const actual = await threeUpdates(sgd({ learningRate: 0.1, momentum: 0.9, nesterov }))
      actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 5))
    }
  })

  it('RMSProp: v ← αv + (1 − α)g², w ← w − lr·g/(√v + ε), by hand', async () => {
    const expected = [1, -2]
    const v = [0, 0]
    for (const g of gradients)
      for (let i = 0; i < 2; i++) {
        v[i] = 0.9 * v[i]! + 0.1 * g[i]! ** 2
        expected[i]! -= (0.01 * g[i]!) / (Math.sqrt(v[i]!) + 1e-6)
      }
    const actual = await threeUpdates(rmsProp({ learningRate: 0.01, decay: 0.9, epsilon: 1e-6 }))
    actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 5))
  })

  it('learning-rate schedules: the factors by hand, and the update uses lr × factor', async () => {
    expect([1, 5, 10, 20].map((t) => learningRateFactor(constantRate, t))).toEqual([1, 1, 1, 1])
    ;[1, 0.6, 0.2, 0.2].forEach((f, i) => expect(learningRateFactor(linearDecay({ steps: 10, final: 0.2 }), [0, 5, 10, 20][i]!)).toBeCloseTo(f, 12))
    const cosine = cosineDecay({ steps: 10 })
    expect(learningRateFactor(cosine, 5)).toBeCloseTo(0.5, 12)
    expect(learningRateFactor(cosine, 10)).toBeCloseTo(0, 12)
    expect(learningRateFactor(cosine, 2)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 5)), 12)
    const warm = warmUp({ steps: 4, then: linearDecay({ steps: 2 }) })
    ;[0.25, 0.5, 1, 0.5, 0, 0].forEach((f, i) => expect(learningRateFactor(warm, [1, 2, 4, 5, 6, 7][i]!)).toBeCloseTo(f, 12))
    // Plain SGD under linear decay over 2 updates: steps of lr·(1/2), lr·0, lr·0.
    const actual = await threeUpdates(sgd({ learningRate: 0.1, schedule: linearDecay({ steps: 2 }) }))
    const expected = [1 - 0.1 * 0.5 * 0.5, -2 - 0.1 * 0.5 * -1]
    actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 6))
  })
})

