/**
 * The label as a one-hot vector.
 *
 * @since 0.1.0
 */
import type { LayerKind } from './kind.ts'
import { labelReaderErrors, labelsOf, oneHotRows } from './label.ts'

/**
 * The label as a one-hot vector `[numClasses]`. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface OneHot {
  readonly _tag: 'OneHot'
  readonly numClasses: number
}

/**
 * @example
 * import { oneHot } from 'ganfp'
 * oneHot(10).numClasses // 10
 * @since 0.1.0
 * @category constructors
 */
export const oneHot = (numClasses: number): OneHot => ({ _tag: 'OneHot', numClasses })

/**
 * The one-hot kind: the label gives `[numClasses]`.
 *
 * @example
 * import { oneHotKind } from 'ganfp'
 * oneHotKind.acceptsLabel // true
 * @since 0.1.0
 * @category instances
 */
export const oneHotKind: LayerKind<OneHot> = {
  tag: 'OneHot',
  infer: (layer, input, path, context) => {
    const errors = labelReaderErrors(layer.numClasses, input, path, context)
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [layer.numClasses] : undefined }
  },
  compile: ({ layer }, { local, kit }) => ({
    params: [],
    forward: (_x, _p, _mode, _index, context) => ({ output: oneHotRows(kit, labelsOf(context, local), layer.numClasses), stateUpdates: [] }),
  }),
  acceptsLabel: true,
}
