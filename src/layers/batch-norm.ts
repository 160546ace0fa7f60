/**
 * Batch normalisation: its moving statistics are state (not trained), updated in training mode;
 * a following activation runs inside its op.
 *
 * @since 0.1.0
 */
import type { FusedActivation } from '../compile/fusion.ts'
import type { ParamSpec } from '../compile/params.ts'
import type { Tensor } from '../compile/tf.ts'
import { optionsOf } from '../dsl/describe.ts'
import { numberAt } from './checks.ts'
import type { LayerKind } from './kind.ts'

/**
 * Batch normalisation over every axis but the last (the channels). In training it uses the
 * batch's statistics and updates moving averages; in inference it uses the moving averages.
 * @since 0.1.0
 * @category model
 */
export interface BatchNorm {
  readonly _tag: 'BatchNorm'
  /** Weight of the old moving average in each update (TensorFlow's convention). */
  readonly momentum: number
  readonly epsilon: number
}

/**
 * @example
 * import { batchNorm } from 'ganfp'
 * batchNorm().momentum // 0.99
 * @since 0.1.0
 * @category constructors
 */
export const batchNorm = (
  options: { readonly momentum?: number; readonly epsilon?: number } = {},
): BatchNorm => ({
  _tag: 'BatchNorm',
  momentum: optionsOf(options).momentum ?? 0.99,
  epsilon: optionsOf(options).epsilon ?? 1e-3,
})

const linear: FusedActivation = { name: 'linear' }

/**
 * The batch-norm kind: shape-preserving; `gamma` and `beta` trained, `movingMean` and
 * `movingVariance` state.
 *
 * @example
 * import { batchNormKind, batchNorm, kindOf } from 'ganfp'
 * batchNormKind.takesActivation?.(batchNorm(), kindOf) // true
 * @since 0.1.0
 * @category instances
 */
export const batchNormKind: LayerKind<BatchNorm> = {
  tag: 'BatchNorm',
  infer: (layer, input, path) => ({
    errors: [
      ...numberAt(`${path}.momentum`, layer.momentum, (m) => m >= 0 && m < 1, 'a number in [0, 1)'),
      ...numberAt(`${path}.epsilon`, layer.epsilon, (e) => e > 0, 'a number > 0'),
    ],
    outputShape: input,
  }),
  compile: ({ layer, inputShape }, { local, activation = linear, kit }) => {
    const { tf } = kit
    const channels = inputShape[inputShape.length - 1]!
    const gamma = `${local}.gamma`
    const beta = `${local}.beta`
    const movingMean = `${local}.movingMean`
    const movingVariance = `${local}.movingVariance`
    const constant = (path: string, value: number, trainable: boolean): ParamSpec => ({
      path,
      shape: [channels],
      trainable,
      init: { _tag: 'Constant', value },
    })
    return {
      params: [constant(gamma, 1, true), constant(beta, 0, true), constant(movingMean, 0, false), constant(movingVariance, 1, false)],
      forward: (x, p, mode) => {
        if (!mode.training) {
          // Inference: the moving statistics folded into one scale and one shift per channel.
          const scale = tf.mul(tf.rsqrt(tf.add(p[movingVariance]!, layer.epsilon)), p[gamma]!)
          const shift = tf.sub(p[beta]!, tf.mul(p[movingMean]!, scale))
          return { output: kit.activate(tf.add(tf.mul(x, scale), shift), activation), stateUpdates: [] }
        }
        const { output, mean, variance } = mode.twiceDifferentiable
          ? kit.batchNormTrainingComposed(x, p[gamma]!, p[beta]!, layer.epsilon, activation)
          : kit.batchNormTraining(x, p[gamma]!, p[beta]!, layer.epsilon, activation, kit.neededGradients(mode))
        const blend = (old: Tensor, batch: Tensor): Tensor => tf.add(tf.mul(old, layer.momentum), tf.mul(batch, 1 - layer.momentum))
        const stateUpdates: Array<readonly [string, Tensor]> = [
          [movingMean, blend(p[movingMean]!, mean)],
          [movingVariance, blend(p[movingVariance]!, variance)],
        ]
        mean.dispose()
        variance.dispose()
        return { output, stateUpdates }
      },
    }
  },
  takesActivation: () => true,
}
