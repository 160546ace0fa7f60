/**
 * Pixel shuffle (depth to space): Shi et al.'s sub-pixel convolution upsampling.
 *
 * @since 0.1.0
 */
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape, isPositiveInt } from '../dsl/describe.ts'
import { positiveIntAt } from './checks.ts'
import type { LayerKind } from './kind.ts'

/**
 * Depth to space: `[h, w, c·r²]` becomes `[h·r, w·r, c]` (Shi et al.'s sub-pixel convolution
 * upsampling, TensorFlow's `depth_to_space` channel order).
 * @since 0.1.0
 * @category model
 */
export interface PixelShuffle {
  readonly _tag: 'PixelShuffle'
  readonly factor: number
}

/**
 * @example
 * import { pixelShuffle } from 'ganfp'
 * pixelShuffle(2).factor // 2
 * @since 0.1.0
 * @category constructors
 */
export const pixelShuffle = (factor: number): PixelShuffle => ({ _tag: 'PixelShuffle', factor })

/**
 * The pixel-shuffle kind: channels divisible by factor².
 *
 * @example
 * import { pixelShuffleKind } from 'ganfp'
 * pixelShuffleKind.tag // 'PixelShuffle'
 * @since 0.1.0
 * @category instances
 */
export const pixelShuffleKind: LayerKind<PixelShuffle> = {
  tag: 'PixelShuffle',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = [...positiveIntAt(`${path}.factor`, layer.factor)]
    if (input !== undefined && input.length !== 3)
      errors.push(shapeMismatch(path, 'a rank-3 input [height, width, channels]', `input ${formatShape(input)}`))
    else if (input !== undefined && isPositiveInt(layer.factor) && input[2]! % (layer.factor * layer.factor) !== 0)
      errors.push(shapeMismatch(path, `channels divisible by factor² = ${layer.factor * layer.factor}`, `input ${formatShape(input)}`))
    const r = layer.factor
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [input[0]! * r, input[1]! * r, input[2]! / (r * r)] : undefined }
  },
  compile: ({ layer }, { kit }) => ({ params: [], forward: (x) => ({ output: kit.depthToSpace(x, layer.factor), stateUpdates: [] }) }),
}
