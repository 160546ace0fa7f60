/**
 * Parametric ReLU: one learned slope per channel below zero.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import { describeValue, isFiniteNumber, optionsOf } from '../dsl/describe.ts'
import type { LayerKind } from './kind.ts'
import { isLabelShape } from './label.ts'

/**
 * Parametric ReLU: `max(0, x) + α·min(0, x)` with one learned α per channel.
 * @since 0.1.0
 * @category model
 */
export interface Prelu {
  readonly _tag: 'Prelu'
  readonly initialAlpha: number
}

/**
 * α starts at 0.25, as in He et al.
 *
 * @example
 * import { prelu } from 'ganfp'
 * prelu().initialAlpha // 0.25
 * @since 0.1.0
 * @category constructors
 */
export const prelu = (options: { readonly initialAlpha?: number } = {}): Prelu => ({
  _tag: 'Prelu',
  initialAlpha: optionsOf(options).initialAlpha ?? 0.25,
})

/**
 * The PReLU kind: shape-preserving; `alpha` has one entry per channel.
 *
 * @example
 * import { preluKind } from 'ganfp'
 * preluKind.tag // 'Prelu'
 * @since 0.1.0
 * @category instances
 */
export const preluKind: LayerKind<Prelu> = {
  tag: 'Prelu',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = []
    if (!isFiniteNumber(layer.initialAlpha)) errors.push(invalidConfig(`${path}.initialAlpha`, 'a finite number', describeValue(layer.initialAlpha)))
    if (input !== undefined && isLabelShape(input)) errors.push(shapeMismatch(path, 'features (a label goes through embedding or oneHot first)', 'the label'))
    // Shape-preserving: later layers are still checked when only its parameter is wrong.
    return { errors, outputShape: input !== undefined && !isLabelShape(input) ? input : undefined }
  },
  compile: ({ layer, inputShape }, { local, kit: { tf } }) => {
    const alpha = `${local}.alpha`
    const channels = inputShape[inputShape.length - 1]!
    return {
      params: [{ path: alpha, shape: [channels], trainable: true, init: { _tag: 'Constant', value: layer.initialAlpha } }],
      forward: (x, p) => ({ output: tf.prelu(x, p[alpha]!), stateUpdates: [] }),
    }
  },
}
