/**
 * The label's embedding: a learned vector per class.
 *
 * @since 0.1.0
 */
import { positiveIntAt } from './checks.ts'
import type { LayerKind } from './kind.ts'
import { labelReaderErrors, labelsOf, oneHotRows } from './label.ts'

/**
 * A learned vector per class: the label `[]` becomes `[dim]`. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface Embedding {
  readonly _tag: 'Embedding'
  readonly numClasses: number
  readonly dim: number
}

/**
 * @example
 * import { embedding } from 'ganfp'
 * embedding(10, 50) // { _tag: 'Embedding', numClasses: 10, dim: 50 }
 * @since 0.1.0
 * @category constructors
 */
export const embedding = (numClasses: number, dim: number): Embedding => ({ _tag: 'Embedding', numClasses, dim })

/**
 * The embedding kind: the label gives `[dim]`; the table `embeddings` is `[numClasses, dim]`.
 *
 * @example
 * import { embeddingKind } from 'ganfp'
 * embeddingKind.acceptsLabel // true
 * @since 0.1.0
 * @category instances
 */
export const embeddingKind: LayerKind<Embedding> = {
  tag: 'Embedding',
  infer: (layer, input, path, context) => {
    const errors = [...labelReaderErrors(layer.numClasses, input, path, context), ...positiveIntAt(`${path}.dim`, layer.dim)]
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [layer.dim] : undefined }
  },
  compile: ({ layer }, { local, kit }) => {
    const table = `${local}.embeddings`
    return {
      // N(0, 1) rows, PyTorch's nn.Embedding default: classes start far apart.
      params: [{ path: table, shape: [layer.numClasses, layer.dim], trainable: true, init: { _tag: 'Normal', std: 1 } }],
      forward: (_x, p, _mode, _index, context) => ({
        output: kit.tf.matMul(oneHotRows(kit, labelsOf(context, local), layer.numClasses), p[table]!),
        stateUpdates: [],
      }),
    }
  },
  acceptsLabel: true,
}
