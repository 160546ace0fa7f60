/**
 * Conditional batch normalisation (de Vries et al. 2017; Miyato & Koyama 2018): batch norm
 * without its own affine, then a scale and a shift per class, read from two learned tables by the
 * network's label. The normalisation itself is batch norm's (the same statistics, state, modes and
 * kernels), run with γ = 1 and β = 0.
 *
 * @since 0.3.0
 */
import type { FusedActivation } from '../compile/fusion.ts'
import type { ParamSpec } from '../compile/params.ts'
import type { Tensor } from '../compile/tf.ts'
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape, optionsOf } from '../dsl/describe.ts'
import { batchNormKind, type BatchNorm } from './batch-norm.ts'
import type { LayerKind } from './kind.ts'
import { labelClassesOf, labelsOf, noLabelInput, oneHotRows } from './label.ts'

/**
 * Conditional batch normalisation: batch norm over every axis but the last (the channels), then
 * y = γ[label]·x̂ + β[label], γ and β rows of two `[classes, channels]` tables. Statistics as
 * `batchNorm`'s: the batch's in training (updating moving averages), the moving ones in inference.
 * Reads the network's label; takes a rank-1 input (features) or a rank-3 one (height, width,
 * channels).
 * @since 0.3.0
 * @category model
 */
export interface ConditionalBatchNorm {
  readonly _tag: 'ConditionalBatchNorm'
  /** Weight of the old moving average in each update (TensorFlow's convention). */
  readonly momentum: number
  readonly epsilon: number
}

/**
 * @example
 * import { conditionalBatchNorm, dense, relu, sequential, withLabelInput } from 'ganfp'
 * conditionalBatchNorm().momentum // 0.99
 * const generator = withLabelInput(10)(sequential([64], [dense(128), conditionalBatchNorm(), relu, dense(2)]))
 * @since 0.3.0
 * @category constructors
 */
export const conditionalBatchNorm = (
  options: { readonly momentum?: number; readonly epsilon?: number } = {},
): ConditionalBatchNorm => ({
  _tag: 'ConditionalBatchNorm',
  momentum: optionsOf(options).momentum ?? 0.99,
  epsilon: optionsOf(options).epsilon ?? 1e-3,
})

const linear: FusedActivation = { name: 'linear' }

/** The batch norm it normalises with; its fields as given, for batch norm's checks to report. */
const plainBatchNorm = (layer: ConditionalBatchNorm): BatchNorm => ({ _tag: 'BatchNorm', momentum: layer.momentum, epsilon: layer.epsilon })

/**
 * The conditional batch-norm kind: shape-preserving; the tables `gamma` and `beta`
 * (`[classes, channels]`, initially 1 and 0) trained, `movingMean` and `movingVariance`
 * (`[channels]`) state, as `batchNorm` names them.
 *
 * @example
 * import { conditionalBatchNormKind } from './src/layers/conditional-batch-norm.ts'
 * conditionalBatchNormKind.tag // 'ConditionalBatchNorm'
 * @since 0.3.0
 * @category instances
 */
export const conditionalBatchNormKind: LayerKind<ConditionalBatchNorm> = {
  tag: 'ConditionalBatchNorm',
  infer: (layer, input, path, tools) => {
    const errors: Array<GanError> = [...batchNormKind.infer(plainBatchNorm(layer), undefined, path, tools).errors]
    if (tools.labelClasses === undefined) errors.push(noLabelInput(path))
    const rankOk = input === undefined || input.length === 1 || input.length === 3
    if (!rankOk)
      errors.push(shapeMismatch(path, 'a rank-1 input (features) or a rank-3 one (height, width, channels)', `input ${formatShape(input)}`))
    return { errors, outputShape: rankOk ? input : undefined }
  },
  compile: (shaped, { local, activation = linear, fuse, kit }) => {
    const { tf } = kit
    const { inputShape, layer } = shaped
    const channels = inputShape[inputShape.length - 1]!
    const classes = labelClassesOf(shaped)
    const gamma = `${local}.gamma`
    const beta = `${local}.beta`
    // Batch norm's own γ and β are replaced by the tables: it normalises with γ = 1 and β = 0.
    const normalise = batchNormKind.compile({ ...shaped, layer: plainBatchNorm(layer) }, { local, fuse, kit })
    const table = (path: string, value: number): ParamSpec => ({ path, shape: [classes, channels], trainable: true, init: { _tag: 'Constant', value } })
    const params = normalise.params.map((spec) => (spec.path === gamma ? table(gamma, 1) : spec.path === beta ? table(beta, 0) : spec))
    // Per-example rows broadcast over the spatial axes of a rank-3 input.
    const rowShape = [-1, ...inputShape.slice(0, -1).map(() => 1), channels]
    return {
      params,
      forward: (x, p, mode, index, context) => {
        const identity = { [gamma]: tf.ones([channels]), [beta]: tf.zeros([channels]) }
        // Only the input gradient flows through the normalisation: it has no parameters of its own.
        const normalised = normalise.forward(x, { ...p, ...identity }, { ...mode, paramGradients: false }, index, context)
        const labelRows = oneHotRows(kit, labelsOf(context, local), classes)
        const rows = (path: string): Tensor => tf.reshape(tf.matMul(labelRows, p[path]!), rowShape)
        const z = tf.add(tf.mul(normalised.output, rows(gamma)), rows(beta))
        const output = mode.twiceDifferentiable === true ? kit.activateTwiceDifferentiable(z, activation) : kit.activate(z, activation)
        return { output, stateUpdates: normalised.stateUpdates }
      },
    }
  },
  takesActivation: () => true,
}
