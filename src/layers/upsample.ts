/**
 * Nearest-neighbour upsampling.
 *
 * @since 0.1.0
 */
import type { GanError } from '../errors.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { Tensor } from '../compile/tf.ts'
import { checkPair, inferSpatial, pair, type Pair } from './conv-geometry.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Nearest-neighbour upsampling by an integer factor per axis.
 * @since 0.1.0
 * @category model
 */
export interface Upsample {
  readonly _tag: 'Upsample'
  readonly factor: Pair
}

/**
 * @example
 * import { upsample } from 'ganfp'
 * upsample(2).factor // [2, 2]
 * @since 0.1.0
 * @category constructors
 */
export const upsample = (factor: number | Pair): Upsample => ({ _tag: 'Upsample', factor: pair(factor) })

/**
 * Each pixel repeated, by reshape + tile, one axis at a time in rank 4. Why not
 * `tf.image.resizeNearestNeighbor`: its gradient kernel disagrees with finite differences on the
 * cpu backend (tests/conv.test.ts caught it), while tile's gradient is a plain sum.
 */
const repeatPixels = ({ tf }: CompileKit, x: Tensor, [fh, fw]: Pair): Tensor => {
  const [n, h, w, c] = x.shape as [number, number, number, number]
  const tall = fh === 1 ? x : tf.reshape(tf.tile(tf.reshape(x, [n, h, 1, w * c]), [1, 1, fh, 1]), [n, h * fh, w, c])
  return fw === 1 ? tall : tf.reshape(tf.tile(tf.reshape(tall, [n * h * fh, w, 1, c]), [1, 1, fw, 1]), [n, h * fh, w * fw, c])
}

/**
 * The upsample kind: `[h, w, c]` gives `[h·fh, w·fw, c]`.
 *
 * @example
 * import { upsampleKind } from 'ganfp'
 * upsampleKind.tag // 'Upsample'
 * @since 0.1.0
 * @category instances
 */
export const upsampleKind: LayerKind<Upsample> = {
  tag: 'Upsample',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = []
    checkPair(layer.factor, `${path}.factor`, errors)
    return inferSpatial(errors, input, path, (h, w, c) => [[h * layer.factor[0], w * layer.factor[1]], c])
  },
  compile: ({ layer }, { kit }) => stateless((x) => repeatPixels(kit, x, layer.factor)),
}
