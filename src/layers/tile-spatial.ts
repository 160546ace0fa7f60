/**
 * A vector repeated over a map, to join a label's encoding to image channels.
 *
 * @since 0.1.0
 */
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape } from '../dsl/describe.ts'
import { positiveIntAt } from './checks.ts'
import type { LayerKind } from './kind.ts'

/**
 * A vector `[d]` repeated at every position of a `height × width` map: `[height, width, d]`, to
 * concatenate a label's encoding with image channels.
 * @since 0.1.0
 * @category model
 */
export interface TileSpatial {
  readonly _tag: 'TileSpatial'
  readonly height: number
  readonly width: number
}

/**
 * @example
 * import { tileSpatial } from 'ganfp'
 * tileSpatial(28, 28).height // 28
 * @since 0.1.0
 * @category constructors
 */
export const tileSpatial = (height: number, width: number): TileSpatial => ({ _tag: 'TileSpatial', height, width })

/**
 * The tile-spatial kind: `[d]` gives `[height, width, d]`.
 *
 * @example
 * import { tileSpatialKind } from 'ganfp'
 * tileSpatialKind.tag // 'TileSpatial'
 * @since 0.1.0
 * @category instances
 */
export const tileSpatialKind: LayerKind<TileSpatial> = {
  tag: 'TileSpatial',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = [...positiveIntAt(`${path}.height`, layer.height), ...positiveIntAt(`${path}.width`, layer.width)]
    if (input !== undefined && input.length !== 1) errors.push(shapeMismatch(path, 'a rank-1 input [features]', `input ${formatShape(input)}`))
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [layer.height, layer.width, input[0]!] : undefined }
  },
  compile: ({ layer }, { kit: { tf } }) => ({
    params: [],
    forward: (x) => {
      const d = x.shape[1]!
      return { output: tf.tile(tf.reshape(x, [-1, 1, 1, d]), [1, layer.height, layer.width, 1]), stateUpdates: [] }
    },
  }),
}
