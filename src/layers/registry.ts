/**
 * Every layer kind ganfp knows, by tag: the one table the shape checker and the compiler read.
 * A new kind is its module, one line in `Layer`, one entry in `layerKinds` (a missing entry is a
 * type error) and its exports in src/index.ts.
 *
 * @since 0.1.0
 */
import { avgPoolKind, type AvgPool } from './avg-pool.ts'
import { batchNormKind, type BatchNorm } from './batch-norm.ts'
import { conditionalBatchNormKind, type ConditionalBatchNorm } from './conditional-batch-norm.ts'
import { concatKind, type Concat } from './concat.ts'
import { conv2dTransposeKind, type Conv2dTranspose } from './conv2d-transpose.ts'
import { conv2dKind, type Conv2d } from './conv2d.ts'
import { denseKind, type Dense } from './dense.ts'
import { dropoutKind, type Dropout } from './dropout.ts'
import { embeddingKind, type Embedding } from './embedding.ts'
import { flattenKind, type Flatten } from './flatten.ts'
import type { KindOf, LayerKind } from './kind.ts'
import { leakyReluKind, type LeakyRelu } from './leaky-relu.ts'
import { minibatchStddevKind, type MinibatchStddev } from './minibatch-stddev.ts'
import { oneHotKind, type OneHot } from './one-hot.ts'
import { packKind, type Pack } from './pack.ts'
import { pixelShuffleKind, type PixelShuffle } from './pixel-shuffle.ts'
import { preluKind, type Prelu } from './prelu.ts'
import { projectionKind, type Projection } from './projection.ts'
import { reluKind, type Relu } from './relu.ts'
import { reshapeKind, type Reshape } from './reshape.ts'
import { residualKind, type Residual } from './residual.ts'
import { sigmoidKind, type Sigmoid } from './sigmoid.ts'
import { spectralNormKind, type SpectralNorm } from './spectral-norm.ts'
import { tanhKind, type Tanh } from './tanh.ts'
import { tileSpatialKind, type TileSpatial } from './tile-spatial.ts'
import { upsampleKind, type Upsample } from './upsample.ts'

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
  | ConditionalBatchNorm
  | Dropout
  | MinibatchStddev
  | Pack
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
  | SpectralNorm

/**
 * One kind per tag, each typed for its own layer.
 *
 * @since 0.1.0
 * @category model
 */
export type LayerKinds = { readonly [T in Layer['_tag']]: LayerKind<Extract<Layer, { readonly _tag: T }>> }

/**
 * Every kind, by tag, in the order `layerTags` lists them.
 *
 * @example
 * import { layerKinds } from 'ganfp'
 * layerKinds.Dense.tag // 'Dense'
 * @since 0.1.0
 * @category instances
 */
export const layerKinds: LayerKinds = {
  Dense: denseKind,
  Relu: reluKind,
  LeakyRelu: leakyReluKind,
  Tanh: tanhKind,
  Sigmoid: sigmoidKind,
  BatchNorm: batchNormKind,
  ConditionalBatchNorm: conditionalBatchNormKind,
  Dropout: dropoutKind,
  MinibatchStddev: minibatchStddevKind,
  Pack: packKind,
  Reshape: reshapeKind,
  Flatten: flattenKind,
  Conv2d: conv2dKind,
  Conv2dTranspose: conv2dTransposeKind,
  Upsample: upsampleKind,
  AvgPool: avgPoolKind,
  PixelShuffle: pixelShuffleKind,
  Prelu: preluKind,
  Embedding: embeddingKind,
  OneHot: oneHotKind,
  Projection: projectionKind,
  TileSpatial: tileSpatialKind,
  Residual: residualKind,
  Concat: concatKind,
  SpectralNorm: spectralNormKind,
}

/**
 * The tags of every layer, for checking values that come from untyped code.
 *
 * @example
 * import { layerTags } from 'ganfp'
 * layerTags.includes('Dense') // true
 * @since 0.1.0
 * @category model
 */
export const layerTags: ReadonlyArray<Layer['_tag']> = Object.keys(layerKinds) as Array<Layer['_tag']>

/**
 * A layer's kind; `undefined` for a value whose tag is no layer's (checkLayerTag reports those).
 *
 * @example
 * import { kindOf, dense } from 'ganfp'
 * kindOf(dense(4))?.tag // 'Dense'
 * @since 0.1.0
 * @category instances
 */
export const kindOf: KindOf = (layer) =>
  typeof layer === 'object' && layer !== null && Object.hasOwn(layerKinds, layer._tag)
    ? (layerKinds[layer._tag] as unknown as LayerKind)
    : undefined
