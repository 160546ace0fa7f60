/**
 * Average pooling.
 *
 * @since 0.1.0
 */
import type { GanError } from '../errors.ts'
import type { Tensor4D } from '@tensorflow/tfjs-core'
import { optionsOf } from '../dsl/describe.ts'
import { checkPadding, checkPair, inferSpatial, pair, windowed, type Padding, type Pair } from './conv-geometry.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Average pooling.
 * @since 0.1.0
 * @category model
 */
export interface AvgPool {
  readonly _tag: 'AvgPool'
  readonly poolSize: Pair
  readonly strides: Pair
  readonly padding: Padding
}

/**
 * Strides default to the pool size (non-overlapping windows).
 *
 * @example
 * import { avgPool } from 'ganfp'
 * avgPool(2) // { _tag: 'AvgPool', poolSize: [2, 2], strides: [2, 2], padding: 'valid' }
 * @since 0.1.0
 * @category constructors
 */
export const avgPool = (
  poolSize: number | Pair,
  options: { readonly stride?: number | Pair; readonly padding?: Padding } = {},
): AvgPool => ({
  _tag: 'AvgPool',
  poolSize: pair(poolSize),
  strides: pair(optionsOf(options).stride ?? poolSize),
  padding: optionsOf(options).padding ?? 'valid',
})

/**
 * The average-pooling kind: channels kept, the window's output size.
 *
 * @example
 * import { avgPoolKind } from 'ganfp'
 * avgPoolKind.tag // 'AvgPool'
 * @since 0.1.0
 * @category instances
 */
export const avgPoolKind: LayerKind<AvgPool> = {
  tag: 'AvgPool',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = []
    checkPair(layer.poolSize, `${path}.poolSize`, errors)
    checkPair(layer.strides, `${path}.strides`, errors)
    checkPadding(layer.padding, `${path}.padding`, errors)
    return inferSpatial(errors, input, path, (h, w, c) => [
      windowed([h, w], layer.poolSize, layer.strides, layer.padding, path, 'poolSize', errors),
      c,
    ])
  },
  compile: ({ layer }, { kit: { tf } }) =>
    stateless((x) => tf.avgPool(x as Tensor4D, [layer.poolSize[0], layer.poolSize[1]], [layer.strides[0], layer.strides[1]], layer.padding)),
}
