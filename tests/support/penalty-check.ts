// Finite differences of a gradient penalty with respect to the discriminator's parameters, against
// the double backward pass. Piecewise-linear activations have kinks where a finite difference
// jumps: an entry whose differences at ε and ε/2 disagree straddles one and is skipped (counted).
import * as E from 'fp-ts/lib/Either.js'
import { tf, type Tensor } from '../../src/compile/tf.ts'
import { penaltyValue } from '../../src/compile/penalty.ts'
import { checkNetwork, sequential, withLabelInput, Rng, type Layer, type Params, type Penalty } from '../../src/index.ts'
import { compileNetwork } from '../../src/compile/network.ts'

export const checkPenaltyGradients = async (
  inputShape: ReadonlyArray<number>,
  layers: ReadonlyArray<Layer>,
  penalty: Penalty,
  options: { readonly batch?: number; readonly seed?: number; readonly labelClasses?: number } = {},
): Promise<{ readonly worst: number; readonly checked: number; readonly skipped: number }> => {
  const network = sequential(inputShape, layers)
  const checked = checkNetwork(options.labelClasses === undefined ? network : withLabelInput(options.labelClasses)(network), 'D')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  const net = compileNetwork(checked.right)
  const params = net.init(options.seed ?? 3)
  const rng = Rng.fromSeed(options.seed ?? 2)
  const n = options.batch ?? 3
  const size = n * inputShape.reduce((a, b) => a * b, 1)
  const inputs = {
    real: tf.tensor(rng.uniforms(size, -1, 1), [n, ...inputShape]),
    fake: tf.tensor(rng.uniforms(size, -1, 1), [n, ...inputShape]),
    epsilon: tf.tensor1d(rng.uniforms(n)),
    seed: 7,
    ...(options.labelClasses === undefined
      ? {}
      : {
          realLabels: tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i % options.labelClasses!), 'int32'),
          fakeLabels: tf.tensor1d(Int32Array.from({ length: n }, (_, i) => (i + 1) % options.labelClasses!), 'int32'),
        }),
  }
  const value = (p: Params): Tensor => penaltyValue(penalty, net, p, inputs)
  const paths = net.trainablePaths
  const xs = paths.map((path) => params[path]!)
  // A parameter the input gradient does not depend on (the last bias) has no path: its gradient is 0.
  const analytic = tf.tidy(() => tf.engine().gradients(() => value(params), xs, undefined, true).grads.map((g, i) => g ?? tf.zerosLike(xs[i]!)))
  const read = async (p: Params): Promise<number> => {
    const t = tf.tidy(() => value(p))
    const v = (await t.data())[0]!
    t.dispose()
    return v
  }
  let worst = 0
  let count = 0
  let skipped = 0
  const epsilon = 1e-3
  for (const [k, path] of paths.entries()) {
    const base = (await params[path]!.data()) as Float32Array
    const a = (await analytic[k]!.data()) as Float32Array
    for (let i = 0; i < base.length; i++) {
      const at = async (delta: number) => {
        const values = base.slice()
        values[i]! += delta
        const t = tf.tensor(values, params[path]!.shape)
        const v = await read({ ...params, [path]: t })
        t.dispose()
        return v
      }
      const wide = ((await at(epsilon)) - (await at(-epsilon))) / (2 * epsilon)
      const narrow = ((await at(epsilon / 2)) - (await at(-epsilon / 2))) / epsilon
      if (Math.abs(wide - narrow) > 0.05 * Math.max(1, Math.abs(narrow))) {
        skipped++
        continue
      }
      count++
      worst = Math.max(worst, Math.abs(a[i]! - narrow) / Math.max(1, Math.abs(narrow)))
    }
  }
  for (const t of [...analytic, ...Object.values(params), inputs.real, inputs.fake, inputs.epsilon, inputs.realLabels, inputs.fakeLabels]) t?.dispose()
  return { worst, checked: count, skipped }
}

/** The discriminators whose penalties are checked: every layer kind a discriminator uses. */
export const penalisedDiscriminators = async () => {
  const { batchNorm, conv2d, dense, dropout, flatten, leakyRelu, relu, sigmoid, tanh } = await import('../../src/index.ts')
  return {
    'MLP (leaky ReLU, tanh)': [[3], [dense(5), leakyRelu(0.2), dense(4), tanh, dense(1)]],
    'MLP (sigmoid, ReLU)': [[3], [dense(5), sigmoid, dense(4), relu, dense(1)]],
    'MLP with batch norm': [[3], [dense(5), batchNorm(), leakyRelu(0.2), dense(1)]],
    'DCGAN-style convolutions (stride 2, leaky ReLU, dropout)': [
      [8, 8, 1],
      [conv2d(3, 5, { stride: 2 }), leakyRelu(0.2), dropout(0.3), conv2d(4, 3, { stride: 2 }), leakyRelu(0.2), flatten, dense(1)],
    ],
    'convolutions (stride 1, two channels, valid padding, sigmoid)': [
      [5, 5, 2],
      [conv2d(2, 3, { stride: 1 }), sigmoid, conv2d(2, 3, { stride: 1, padding: 'valid' }), tanh, flatten, dense(1)],
    ],
  } as Record<string, readonly [ReadonlyArray<number>, ReadonlyArray<Layer>]>
}
