/**
 * Layers as immutable values. Nothing here allocates a tensor: the compiler gives them meaning.
 *
 * Shapes exclude the batch dimension and are channels-last, the tfjs convention.
 *
 * @since 0.1.0
 */
import type { AvgPool, Conv2d, Conv2dTranspose, Upsample } from './conv.ts'
import type { Concat, Embedding, OneHot, PixelShuffle, Prelu, Projection, Residual, TileSpatial } from './graph.ts'

/**
 * A fully connected layer: `x · kernel + bias`.
 * @since 0.1.0
 * @category model
 */
export interface Dense {
  readonly _tag: 'Dense'
  readonly units: number
  readonly useBias: boolean
}
/**
 * The rectified linear unit: max(0, x) elementwise.
 * @since 0.1.0
 * @category model
 */
export interface Relu {
  readonly _tag: 'Relu'
}
/**
 * The leaky ReLU: x for x ≥ 0, `alpha`·x below.
 * @since 0.1.0
 * @category model
 */
export interface LeakyRelu {
  readonly _tag: 'LeakyRelu'
  readonly alpha: number
}
/**
 * The hyperbolic tangent, elementwise: a generator's last layer for data in [−1, 1].
 * @since 0.1.0
 * @category model
 */
export interface Tanh {
  readonly _tag: 'Tanh'
}
/**
 * The logistic sigmoid 1 / (1 + e^(−x)), elementwise.
 * @since 0.1.0
 * @category model
 */
export interface Sigmoid {
  readonly _tag: 'Sigmoid'
}
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
 * Inverted dropout: active only in training.
 * @since 0.1.0
 * @category model
 */
export interface Dropout {
  readonly _tag: 'Dropout'
  readonly rate: number
}
/**
 * Minibatch standard deviation (Karras et al., ProGAN): the batch is split into groups of
 * `groupSize` (the whole batch when it does not divide), each feature's standard deviation across
 * a group is averaged into one number per group, and that number is appended to every example of
 * the group as one more channel (rank 3) or feature (rank 1). A critic that sees it can tell a
 * batch of near-identical samples from a varied real one: a push against mode collapse.
 * @since 0.1.0
 * @category model
 */
export interface MinibatchStddev {
  readonly _tag: 'MinibatchStddev'
  readonly groupSize: number
}
/**
 * Reshape to `shape` (batch dimension excluded; one entry may be -1, inferred).
 * @since 0.1.0
 * @category model
 */
export interface Reshape {
  readonly _tag: 'Reshape'
  readonly shape: ReadonlyArray<number>
}
/**
 * Flattens each example to one dimension (batch dimension kept).
 * @since 0.1.0
 * @category model
 */
export interface Flatten {
  readonly _tag: 'Flatten'
}

/**
 * Every layer ganfp knows.
 * @since 0.1.0
 * @category model
 */
export type Layer =
  | Dense
  | Relu
  | LeakyRelu
  | Tanh
  | Sigmoid
  | BatchNorm
  | Dropout
  | MinibatchStddev
  | Reshape
  | Flatten
  | Conv2d
  | Conv2dTranspose
  | Upsample
  | AvgPool
  | PixelShuffle
  | Prelu
  | Embedding
  | OneHot
  | Projection
  | TileSpatial
  | Residual
  | Concat

/**
 * The tags of every layer, for checking values that come from untyped code.
 *
 * @example
 * import { layerTags } from 'ganfp'
 * layerTags.includes('Dense') // true
 * @since 0.1.0
 * @category model
 */
export const layerTags: ReadonlyArray<Layer['_tag']> = [
  'Dense',
  'Relu',
  'LeakyRelu',
  'Tanh',
  'Sigmoid',
  'BatchNorm',
  'Dropout',
  'MinibatchStddev',
  'Reshape',
  'Flatten',
  'Conv2d',
  'Conv2dTranspose',
  'Upsample',
  'AvgPool',
  'PixelShuffle',
  'Prelu',
  'Embedding',
  'OneHot',
  'Projection',
  'TileSpatial',
  'Residual',
  'Concat',
]

/**
 * @example
 * import { dense } from 'ganfp'
 * dense(128) // { _tag: 'Dense', units: 128, useBias: true }
 * @since 0.1.0
 * @category constructors
 */
export const dense = (units: number, options: { readonly useBias?: boolean } = {}): Dense => ({
  _tag: 'Dense',
  units,
  useBias: options.useBias ?? true,
})

/**
 * @example
 * import { relu } from 'ganfp'
 * relu._tag // 'Relu'
 * @since 0.1.0
 * @category constructors
 */
export const relu: Relu = { _tag: 'Relu' }

/**
 * @example
 * import { leakyRelu } from 'ganfp'
 * leakyRelu(0.2).alpha // 0.2
 * @since 0.1.0
 * @category constructors
 */
export const leakyRelu = (alpha = 0.2): LeakyRelu => ({ _tag: 'LeakyRelu', alpha })

/**
 * @example
 * import { tanh } from 'ganfp'
 * tanh._tag // 'Tanh'
 * @since 0.1.0
 * @category constructors
 */
export const tanh: Tanh = { _tag: 'Tanh' }

/**
 * @example
 * import { sigmoid } from 'ganfp'
 * sigmoid._tag // 'Sigmoid'
 * @since 0.1.0
 * @category constructors
 */
export const sigmoid: Sigmoid = { _tag: 'Sigmoid' }

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
  momentum: options.momentum ?? 0.99,
  epsilon: options.epsilon ?? 1e-3,
})

/**
 * @example
 * import { dropout } from 'ganfp'
 * dropout(0.3).rate // 0.3
 * @since 0.1.0
 * @category constructors
 */
export const dropout = (rate: number): Dropout => ({ _tag: 'Dropout', rate })

/**
 * A minibatch-standard-deviation layer (see `MinibatchStddev`), usually just before a critic's
 * `flatten`; groups of 4 as in ProGAN by default.
 *
 * @example
 * import { conv2d, dense, flatten, leakyRelu, minibatchStddev, sequential } from 'ganfp'
 * const critic = sequential([28, 28, 1], [conv2d(16, 5, { stride: 2 }), leakyRelu(0.2), minibatchStddev(), flatten, dense(1)])
 * minibatchStddev(8).groupSize // 8
 * @since 0.1.0
 * @category constructors
 */
export const minibatchStddev = (groupSize = 4): MinibatchStddev => ({ _tag: 'MinibatchStddev', groupSize })

/**
 * @example
 * import { reshape } from 'ganfp'
 * reshape([7, 7, 128]).shape // [7, 7, 128]
 * @since 0.1.0
 * @category constructors
 */
export const reshape = (shape: ReadonlyArray<number>): Reshape => ({ _tag: 'Reshape', shape: [...shape] })

/**
 * @example
 * import { flatten } from 'ganfp'
 * flatten._tag // 'Flatten'
 * @since 0.1.0
 * @category constructors
 */
export const flatten: Flatten = { _tag: 'Flatten' }
