/**
 * One gradient update of one player, the step both the discriminator and the generator take:
 * differentiate an objective with respect to the trainable parameters, apply the optimizer, and
 * fold in the state (batch-norm statistics) the forward pass produced. Runs inside one `tidy`.
 *
 * @since 0.1.0
 */
import type { Optimizer } from '../dsl/optimizer.ts'
import { mapParams, type Params } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { applyOptimizer, type OptimizerState } from './optimizer.ts'

/**
 * A network's parameters and its optimizer's state: what an update replaces.
 *
 * @since 0.1.0
 * @category model
 */
export interface Player {
  readonly params: Params
  readonly optimizer: OptimizerState
}

/**
 * What an objective computes from the parameters: the loss to minimise, the new state values of
 * its forward passes, and a 1-D tensor of metrics to report.
 *
 * @since 0.1.0
 * @category model
 */
export interface ObjectiveResult {
  readonly loss: Tensor
  readonly stateUpdates: Params
  readonly metrics: Tensor
}

/**
 * The updated player, and `[loss, gradient norm, ...metrics]` as one 1-D tensor (the norm is the
 * global L2 norm of the gradient over every trainable parameter, for the health alarms). The caller owns every returned
 * tensor and disposes what the new player replaced (see `disposeReplaced`).
 *
 * @since 0.1.0
 * @category combinators
 */
export const gradientUpdate = (
  player: Player,
  trainablePaths: ReadonlyArray<string>,
  optimizer: Optimizer,
  objective: (params: Params) => ObjectiveResult,
): { readonly player: Player; readonly report: Tensor } => {
  // Tensors needed after the gradient pass must outlive its inner tidy: keep them, free them below.
  const kept: Array<Tensor> = []
  const result = tf.tidy(() => {
    let stateUpdates: Params = {}
    let metrics: Tensor | undefined
    const { value, grads } = tf.valueAndGrads((...trainables: Array<Tensor>) => {
      const out = objective({ ...player.params, ...Object.fromEntries(trainablePaths.map((p, i) => [p, trainables[i]!])) })
      stateUpdates = out.stateUpdates
      metrics = out.metrics
      for (const t of [metrics, ...Object.values(stateUpdates)]) kept.push(tf.keep(t))
      return out.loss
    })(trainablePaths.map((p) => player.params[p]!))
    const updated = applyOptimizer(
      optimizer,
      player.params,
      Object.fromEntries(trainablePaths.map((p, i) => [p, grads[i]!])),
      player.optimizer,
    )
    return {
      params: { ...updated.params, ...mapParams(stateUpdates, (t) => tf.clone(t)) },
      slots: updated.state.slots,
      report: tf.concat([tf.reshape(value, [1]), tf.reshape(globalNorm(grads), [1]), tf.reshape(metrics!, [-1])]),
    }
  })
  for (const t of kept) t.dispose()
  return {
    player: { params: result.params, optimizer: { updates: player.optimizer.updates + 1, slots: result.slots } },
    report: result.report,
  }
}

/**
 * √Σ‖g‖², over the gradients laid end to end: four kernels however many tensors (per-tensor sums
 * cost two kernels a tensor, a sixth of a small network's step on WebGPU). Not addN: tfjs 4.22's
 * WebGPU AddN with 8 or more inputs (on lavapipe) returns a wrong sum.
 */
const globalNorm = (grads: ReadonlyArray<Tensor>): Tensor =>
  grads.length === 0 ? tf.scalar(0) : tf.sqrt(tf.sum(tf.square(tf.concat(grads.map((g) => tf.reshape(g, [-1]))))))

/**
 * Disposes the tensors of `old` that `next` no longer holds.
 *
 * @since 0.1.0
 * @category destructors
 */
export const disposeReplaced = (old: Player, next: Player): void => {
  const kept = new Set<Tensor>([...Object.values(next.params), ...Object.values(next.optimizer.slots)])
  for (const t of [...Object.values(old.params), ...Object.values(old.optimizer.slots)]) if (!kept.has(t)) t.dispose()
}
