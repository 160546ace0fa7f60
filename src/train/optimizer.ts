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
      const mCorrection = 1 - beta1 ** updates
      const vCorrection = 1 - beta2 ** updates
      for (const [path, g] of Object.entries(grads)) {
        const m = tf.add(tf.mul(state.slots[`m:${path}`]!, beta1), tf.mul(g, 1 - beta1))
        const v = tf.add(tf.mul(state.slots[`v:${path}`]!, beta2), tf.mul(tf.square(g), 1 - beta2))
        const step = tf.div(tf.div(m, mCorrection), tf.add(tf.sqrt(tf.div(v, vCorrection)), epsilon))
        next[path] = tf.sub(params[path]!, tf.mul(step, learningRate))
        slots[`m:${path}`] = m
        slots[`v:${path}`] = v
      }
      return { params: next, state: { updates, slots } }
    }
  }
}
