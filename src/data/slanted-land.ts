/**
 * The seed toy's "slanted land" (protocol Q5): 2×2 grayscale images, row-major
 * [top-left, top-right, bottom-left, bottom-right], values in [0, 1] where 1 is dark.
 * A face has dark top-left and bottom-right pixels and light others.
 *
 * @since 0.1.0
 */
import { fromSampler, type Dataset } from './dataset.ts'

/**
 * Q5's rule for a face: TL + BR − TR − BL > 1.
 *
 * @example
 * import { isFace } from 'ganfp'
 * isFace([0.9, 0.1, 0.1, 0.9]) // true
 * isFace([0.5, 0.5, 0.5, 0.5]) // false
 * @since 0.1.0
 * @category predicates
 */
export const isFace = (pixels: ArrayLike<number>): boolean =>
  pixels[0]! + pixels[3]! - pixels[1]! - pixels[2]! > 1

/**
 * Faces: dark pixels in [0.8, 1], light pixels in [0, 0.2], so every one meets the rule.
 *
 * @example
 * import { slantedLandFaces } from 'ganfp'
 * slantedLandFaces().exampleShape // [4]
 * @since 0.1.0
 * @category constructors
 */
export const slantedLandFaces = (): Dataset =>
  fromSampler('slanted-land', [4], (batchSize, rng) => {
    const out = new Float32Array(batchSize * 4)
    for (let i = 0; i < batchSize; i++) {
      out[4 * i] = 0.8 + 0.2 * rng.uniform()
      out[4 * i + 1] = 0.2 * rng.uniform()
      out[4 * i + 2] = 0.2 * rng.uniform()
      out[4 * i + 3] = 0.8 + 0.2 * rng.uniform()
    }
    return out
  })
