// The adversarial losses against values computed by hand from their definitions.
import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import { discriminatorLoss, generatorLoss, minimax, nonSaturating, sigmoidCrossEntropy, useBackend } from '../src/index.ts'

const sigma = (l: number) => 1 / (1 + Math.exp(-l))
const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
const value = async (t: tf.Tensor) => {
  const v = (await t.data())[0]!
  t.dispose()
  return v
}

describe('losses from logits', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  const real = [2, -1, 0.5]
  const fake = [-3, 0.25, 1]

  it('discriminator loss is −mean log D(x) − mean log(1 − D(G(z)))', async () => {
    const expected = -mean(real.map((l) => Math.log(sigma(l)))) - mean(fake.map((l) => Math.log(1 - sigma(l))))
    const got = await value(discriminatorLoss(nonSaturating(), tf.tensor(real), tf.tensor(fake)))
    expect(got).toBeCloseTo(expected, 5)
    // With zero logits each term is log 2.
    expect(await value(discriminatorLoss(minimax(), tf.zeros([4]), tf.zeros([4])))).toBeCloseTo(2 * Math.log(2), 6)
  })

  it('one-sided label smoothing changes only the real targets', async () => {
    const t = 0.9
    const expected =
      -mean(real.map((l) => t * Math.log(sigma(l)) + (1 - t) * Math.log(1 - sigma(l)))) -
      mean(fake.map((l) => Math.log(1 - sigma(l))))
    const got = await value(discriminatorLoss(nonSaturating({ labelSmoothing: 0.1 }), tf.tensor(real), tf.tensor(fake)))
    expect(got).toBeCloseTo(expected, 5)
  })

  it('minimax generator loss is mean log(1 − D(G(z)))', async () => {
    const expected = mean(fake.map((l) => Math.log(1 - sigma(l))))
    expect(await value(generatorLoss(minimax(), tf.tensor(fake)))).toBeCloseTo(expected, 5)
  })

  it('non-saturating generator loss is −mean log D(G(z))', async () => {
    const expected = -mean(fake.map((l) => Math.log(sigma(l))))
    expect(await value(generatorLoss(nonSaturating(), tf.tensor(fake)))).toBeCloseTo(expected, 5)
  })

  it('stays finite for saturated logits, where log of a probability would be −∞', async () => {
    const huge = tf.tensor([200, -200])
    const ce = await value(sigmoidCrossEntropy(huge, 1))
    expect(ce).toBeCloseTo(100, 3) // softplus(−200) ≈ 0 and softplus(200) − 200 + … = 200 → mean 100
    expect(Number.isFinite(await value(generatorLoss(nonSaturating(), huge)))).toBe(true)
    const g = tf.grad((l: tf.Tensor) => generatorLoss(minimax(), l))(huge)
    const grads = await g.data()
    expect(Array.from(grads).every(Number.isFinite)).toBe(true)
    g.dispose()
    huge.dispose()
  })

  it('the two generator losses have the same fixed point but different early gradients', async () => {
    // At D(G(z)) ≈ 0 (logit −5) minimax's gradient nearly vanishes; non-saturating's does not.
    const logits = tf.tensor([-5])
    const gMinimax = tf.grad((l: tf.Tensor) => generatorLoss(minimax(), l))(logits)
    const gNonSat = tf.grad((l: tf.Tensor) => generatorLoss(nonSaturating(), l))(logits)
    expect(await value(gMinimax)).toBeCloseTo(-sigma(-5), 5)
    expect(await value(gNonSat)).toBeCloseTo(-(1 - sigma(-5)), 5)
    logits.dispose()
  })
})
