/**
 * Update rules for the optimizers of `src/dsl/optimizer.ts`, over path-keyed records. The state
 * is a record too (`m:layers[0].kernel`), so a checkpoint can store it as it stores parameters.
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
 * Zeroed state for the trainable parameters at `paths`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const initOptimizerState = (optimizer: Optimizer, params: Params, paths: ReadonlyArray<string>): OptimizerState => {
  const slots: Record<string, Tensor> = {}
  if (optimizer._tag === 'Adam')
    for (const path of paths) {
      slots[`m:${path}`] = tf.zerosLike(params[path]!)
      slots[`v:${path}`] = tf.zerosLike(params[path]!)
    }
  return { updates: 0, slots }
}

/**
 * One update of the parameters at the gradients' paths; the others are carried over unchanged.
 * Adam follows Kingma & Ba with PyTorch's placement of ε: p − lr·m̂ / (√v̂ + ε).
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
      const slots: Record<string, Tensor> = {}
      // lr·(m/c1)/(√(v/c2) + ε) = (lr·√c2/c1)·m/(√v + ε·√c2): the bias corrections folded into two
      // scalars, two kernels fewer per parameter than the textbook form, the same value.
      const rootVCorrection = Math.sqrt(1 - beta2 ** updates)
      const stepSize = (learningRate * rootVCorrection) / (1 - beta1 ** updates)
      const scaledEpsilon = epsilon * rootVCorrection
      for (const [path, g] of Object.entries(grads)) {
        const m = tf.add(tf.mul(state.slots[`m:${path}`]!, beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(state.slots[`v:${path}`]!, beta2), tf.mul(tf.square(g), 1 - beta2))
        next[path] = tf.sub(params[path]!, tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), scaledEpsilon)))
        slots[`m:${path}`] = m
        slots[`v:${path}`] = v
      }
      return { params: next, state: { updates, slots } }
    }
  }
}
