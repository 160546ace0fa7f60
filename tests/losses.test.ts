// The adversarial losses against values computed by hand from their definitions.
import { beforeAll, describe, expect, it } from 'vitest'
import { tf } from '../src/compile/tf.ts'
import { discriminatorLoss, generatorLoss, sigmoidCrossEntropy } from '../src/compile/loss.ts'
import { hinge, leastSquares, minimax, nonSaturating, outputIsLogit, useBackend, wasserstein } from '../src/index.ts'

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

  it('least squares: D ½E[(D(x) − 1)²] + ½E[D(G(z))²], G ½E[(D(G(z)) − 1)²]', async () => {
    const d = 0.5 * mean(real.map((r) => (r - 1) ** 2)) + 0.5 * mean(fake.map((f) => f ** 2))
    expect(await value(discriminatorLoss(leastSquares(), tf.tensor(real), tf.tensor(fake)))).toBeCloseTo(d, 5)
    const g = 0.5 * mean(fake.map((f) => (f - 1) ** 2))
    expect(await value(generatorLoss(leastSquares(), tf.tensor(fake)))).toBeCloseTo(g, 5)
  })

  it('Wasserstein: the critic E[D(G(z))] − E[D(x)], G −E[D(G(z))]', async () => {
    expect(await value(discriminatorLoss(wasserstein(), tf.tensor(real), tf.tensor(fake)))).toBeCloseTo(mean(fake) - mean(real), 5)
    expect(await value(generatorLoss(wasserstein({ weightClip: 0.01 }), tf.tensor(fake)))).toBeCloseTo(-mean(fake), 5)
  })

  it('hinge: D E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))], G −E[D(G(z))]', async () => {
    const d = mean(real.map((r) => Math.max(0, 1 - r))) + mean(fake.map((f) => Math.max(0, 1 + f)))
    // Not vacuous: some margins are active and some are not on both sides.
    expect(real.some((r) => r > 1) && real.some((r) => r < 1) && fake.some((f) => f < -1) && fake.some((f) => f > -1)).toBe(true)
    expect(await value(discriminatorLoss(hinge(), tf.tensor(real), tf.tensor(fake)))).toBeCloseTo(d, 5)
    expect(await value(generatorLoss(hinge(), tf.tensor(fake)))).toBeCloseTo(-mean(fake), 5)
  })

  it('only the log losses read the output as a logit', () => {
    expect([minimax(), nonSaturating(), leastSquares(), wasserstein(), hinge()].map(outputIsLogit)).toEqual([true, true, false, false, false])
  })
})

