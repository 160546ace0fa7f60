/**
 * Update rules for the optimizers of `src/dsl/optimizer.ts`, over path-keyed records. The state
 * is a record of tensors too (Adam's: `m` and `v`), so a checkpoint can store it as it stores
 * parameters.
 *
 * @since 0.1.0
 */
import type { Optimizer } from '../dsl/optimizer.ts'
import type { Params } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'

/**
 * @since 0.1.0
 * @category model
 */
export interface OptimizerState {
  /** Updates applied so far (Adam's bias correction needs it). */
  readonly updates: number
  readonly slots: Params
}

/**
 * Zeroed state for the trainable parameters at `paths`. Adam keeps its two moments as single
 * flat vectors, `m` and `v`, over the parameters at `paths` concatenated in that order.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initOptimizerState = (optimizer: Optimizer, params: Params, paths: ReadonlyArray<string>): OptimizerState => {
  if (optimizer._tag !== 'Adam' || paths.length === 0) return { updates: 0, slots: {} }
  const size = paths.reduce((total, path) => total + params[path]!.size, 0)
  return { updates: 0, slots: { m: tf.zeros([size]), v: tf.zeros([size]) } }
}

/**
 * One update of the parameters at the gradients' paths (which must be the paths the state was
 * made for, in the same order); the others are carried over unchanged. Adam follows Kingma & Ba
 * with PyTorch's placement of ε: p − lr·m̂ / (√v̂ + ε).
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyOptimizer = (
  optimizer: Optimizer,
  params: Params,
  grads: Params,
  state: OptimizerState,
): { readonly params: Params; readonly state: OptimizerState } => {
  const next: Record<string, Tensor> = { ...params }
  const updates = state.updates + 1
  switch (optimizer._tag) {
    case 'Sgd':
      for (const [path, g] of Object.entries(grads)) next[path] = tf.sub(params[path]!, tf.mul(g, optimizer.learningRate))
      return { params: next, state: { updates, slots: state.slots } }
    case 'Adam': {
      const { learningRate, beta1, beta2, epsilon } = optimizer
      const paths = Object.keys(grads)
      if (paths.length === 0) return { params: next, state: { updates, slots: state.slots } }
      // One flat vector for all parameters: Adam's ≈ 10 elementwise kernels run once per step
      // rather than once per parameter tensor, which is most of a small network's step (the
      // MLP GAN: ≈ 200 kernels fewer). The concatenation and the split back cost one pass each.
      const flat = (record: Params) => tf.concat(paths.map((path) => tf.reshape(record[path]!, [-1])))
      const g = flat(grads)
      // lr·(m/c1)/(√(v/c2) + ε) = (lr·√c2/c1)·m/(√v + ε·√c2): the bias corrections folded into two
      // scalars, two kernels fewer than the textbook form, the same value.
      const rootVCorrection = Math.sqrt(1 - beta2 ** updates)
      const stepSize = (learningRate * rootVCorrection) / (1 - beta1 ** updates)
      const scaledEpsilon = epsilon * rootVCorrection
      const m = tf.add(tf.mul(state.slots['m']!, beta1), tf.mul(g, 1 - beta1))
      const v = tf.add(tf.mul(state.slots['v']!, beta2), tf.mul(tf.square(g), 1 - beta2))
      const updated = tf.sub(flat(params), tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), scaledEpsilon)))
      const pieces = tf.split(updated, paths.map((path) => params[path]!.size))
      paths.forEach((path, i) => {
        next[path] = tf.reshape(pieces[i]!, params[path]!.shape)
      })
      return { params: next, state: { updates, slots: { m, v } } }
    }
  }
}
