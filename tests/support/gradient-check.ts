// Central finite differences against tfjs's analytic gradients of a compiled network, shared by
// the layer and convolution gradient tests.
import * as E from 'fp-ts/lib/Either.js'
import { tf, type Tensor } from '../../src/compile/tf.ts'
import { checkNetwork, packSizeOf, sequential, withLabelInput, Rng, type Layer, type Params } from '../../src/index.ts'
import { compileNetwork } from '../../src/compile/network.ts'

const compiled = (inputShape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>, labelClasses: number | undefined) => {
  const network = sequential(inputShape, layers)
  const checked = checkNetwork(labelClasses === undefined ? network : withLabelInput(labelClasses)(network), 'net')
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}

/**
 * Compares analytic and numeric gradients of L = Σ w ⊙ f(x), w fixed random weights so that every
 * output element matters differently. Values are kept away from the kinks of ReLU-like layers.
 */
export const checkGradients = async (
  inputShape: ReadonlyArray<number>,
  layers: ReadonlyArray<Layer>,
  options: {
    readonly training?: boolean
    readonly seed?: number
    readonly epsilon?: number
    readonly batch?: number
    /** Gives the network a label input of this many classes; example i has class i mod classes. */
    readonly labelClasses?: number
  } = {},
): Promise<number> => {
  const net = compiled(inputShape, layers, options.labelClasses)
  const batch = options.batch ?? 3
  const rng = Rng.fromSeed(options.seed ?? 11)
  const inputSize = batch * inputShape.reduce((a, b) => a * b, 1)
  const xValues = rng.uniforms(inputSize, 0.1, 1).map((v) => (rng.uniform() < 0.5 ? -v : v))
  const params = net.init(5)
  // A packed network (`pack(k)` first) gives one output row per k examples.
  const rows = batch / packSizeOf(sequential(inputShape, layers))
  const outputSize = rows * net.outputShape.reduce((a, b) => a * b, 1)
  const weights = tf.tensor(rng.uniforms(outputSize, -1, 1), [rows, ...net.outputShape])
  const mode = { training: options.training ?? false, seed: 3 }
  const trainable = net.trainablePaths
  const classes = options.labelClasses
  const labels = classes === undefined ? undefined : tf.tensor1d(Int32Array.from({ length: batch }, (_, i) => i % classes), 'int32')
  const objective = (p: Params, x: Tensor): Tensor => tf.sum(tf.mul(net.apply(p, x, mode, labels), weights))

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
  for (const t of [x, weights, labels, ...analytic, ...Object.values(params)]) t?.dispose()
  return worst
}

/** Largest relative difference accepted. */
export const gradientTolerance = 2e-2


/**
 * Central finite differences of a scalar `objective` in each element of `params` at `paths`,
 * against tfjs's analytic gradients: the worst relative gap, how many elements were compared and
 * the largest analytic slope (to show the gradient is not trivially zero). Shared by the tests of
 * terms that act on a generator's parameters (mode seeking, top-k updates).
 */
export const parameterGradientGap = async (
  objective: (p: Params) => Tensor,
  params: Params,
  paths: ReadonlyArray<string>,
  epsilon: number,
): Promise<{ readonly worst: number; readonly compared: number; readonly largestSlope: number }> => {
  const analytic = tf.grads((...ts: Array<Tensor>) => objective({ ...params, ...Object.fromEntries(paths.map((p, i) => [p, ts[i]!])) }))(paths.map((p) => params[p]!))
  const analyticValues = await Promise.all(analytic.map((t) => t.data()))
  analytic.forEach((t) => t.dispose())
  const valueAt = (p: Params): number => {
    const t = tf.tidy(() => objective(p))
    const v = t.dataSync()[0]!
    t.dispose()
    return v
  }
  let worst = 0
  let compared = 0
  for (const [k, path] of paths.entries()) {
    const base = params[path]!.dataSync() as Float32Array
    const shifted = (delta: number, i: number): number => {
      const values = base.slice()
      values[i]! += delta
      const t = tf.tensor(values, params[path]!.shape)
      const v = valueAt({ ...params, [path]: t })
      t.dispose()
      return v
    }
    for (let i = 0; i < base.length; i++) {
      const numeric = (shifted(epsilon, i) - shifted(-epsilon, i)) / (2 * epsilon)
      worst = Math.max(worst, Math.abs(analyticValues[k]![i]! - numeric) / Math.max(1, Math.abs(numeric)))
      compared++
    }
  }
  return { worst, compared, largestSlope: Math.max(...analyticValues.flatMap((v) => Array.from(v, Math.abs))) }
}
