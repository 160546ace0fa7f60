// The BatchMatMul gradient ganfp registers (src/compile/matmul-gradient.ts): on wasm it multiplies
// by explicit transposes, never asking wasm's kernel to transpose (its slow path), and gives the
// cpu backend's first and second derivatives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../src/index.ts'
import { tf, type Tensor } from '../src/compile/tf.ts'

const values = (shape: ReadonlyArray<number>, phase: number): Tensor =>
  tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.7 + phase)), [...shape])

/** Gradients of Σ w ⊙ matMul(a, b, ta, tb) with respect to a and b, as arrays. */
const firstOrder = async (transposeA: boolean, transposeB: boolean) => {
  const a = values(transposeA ? [4, 3] : [3, 4], 1)
  const b = values(transposeB ? [5, 4] : [4, 5], 2)
  const w = values([3, 5], 3)
  const grads = tf.grads((x: Tensor, y: Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), w)))([a, b])
  const result = await Promise.all(grads.map(async (g) => Array.from(await g.data())))
  tf.dispose([a, b, w, ...grads])
  return result
}

/** R1's shape of computation: d/dW of ‖∂/∂x Σ (x·W)²‖², through the first gradient's products. */
const secondOrder = async () => {
  const x = values([6, 4], 4)
  const kernel = values([4, 3], 5)
  const penalty = (k: Tensor) => {
    const inputGradient = tf.grad((input: Tensor) => tf.sum(tf.square(tf.matMul(input, k))))(x)
    return tf.sum(tf.square(inputGradient))
  }
  const grad = tf.grad(penalty)(kernel)
  const result = Array.from(await grad.data())
  // A central difference on one entry of the kernel, in float32 (a coarse check of the whole).
  const step = 2e-3
  const nudged = (sign: number) => tf.tidy(() => penalty(tf.add(kernel, tf.mul(tf.cast(tf.reshape(tf.oneHot(tf.tensor1d([5], 'int32'), 12), [4, 3]), 'float32'), sign * step))).dataSync()[0]!)
  const difference = (nudged(1) - nudged(-1)) / (2 * step)
  tf.dispose([x, kernel, grad])
  return { result, difference }
}

/** The transposeA/B attributes wasm's BatchMatMul kernel is called with while `f` runs. */
const kernelTransposes = async (f: () => Promise<unknown>): Promise<Array<string>> => {
  const config = tf.getKernel('BatchMatMul', 'wasm')
  const seen: Array<string> = []
  tf.unregisterKernel('BatchMatMul', 'wasm')
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean }
      seen.push(`${transposeA}/${transposeB}`)
      return config.kernelFunc(args)
    },
  })
  try {
    await f()
  } finally {
    tf.unregisterKernel('BatchMatMul', 'wasm')
    tf.registerKernel(config)
  }
  return seen
}

describe('the BatchMatMul gradient on wasm', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  it('gives the cpu backend’s first and second derivatives, and never asks wasm to transpose', async () => {
    const cases = [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const
    const onCpu = await Promise.all(cases.map(([ta, tb]) => firstOrder(ta, tb)))
    const secondOnCpu = await secondOrder()
    await useBackend('wasm', { wasmThreads: 1 })
    // Plain forward products, so every transpose wasm's kernel could be asked for is a gradient's.
    let plainOnWasm: Array<Array<number>> = []
    let secondOnWasm: Awaited<ReturnType<typeof secondOrder>> | undefined
    const transposes = await kernelTransposes(async () => {
      plainOnWasm = await firstOrder(false, false)
      secondOnWasm = await secondOrder()
    })
    expect(transposes.length).toBeGreaterThan(0)
    expect(transposes.every((t) => t === 'false/false')).toBe(true)
    const onWasm = [plainOnWasm, ...(await Promise.all(cases.slice(1).map(([ta, tb]) => firstOrder(ta, tb))))]
    for (const [i, grads] of onWasm.entries())
      for (const [j, grad] of grads.entries()) grad.forEach((v, k) => expect(v).toBeCloseTo(onCpu[i]![j]![k]!, 5))
    secondOnWasm!.result.forEach((v, k) => expect(v).toBeCloseTo(secondOnCpu.result[k]!, 4))
    // Against a finite difference of the penalty itself on the sixth kernel entry (float64: 7.8077).
    expect(Math.abs(secondOnWasm!.result[5]! - secondOnWasm!.difference)).toBeLessThan(0.02 * Math.max(1, Math.abs(secondOnWasm!.difference)))
    expect(Math.abs(secondOnWasm!.result[5]!)).toBeGreaterThan(0.01)
  })
})
