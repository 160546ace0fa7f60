/**
 * Lowerings of the layers that only move values (reshape, flatten, pack, tile) and of the label
 * readers (embedding, one-hot, projection). Shapes keep the batch axis symbolic: `-1` in every
 * Reshape.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { attribute } from './graph.ts'
import { labelsFor, type Lowerings } from './lowering.ts'

/** The identity matrix `[n, n]`: gathering its rows by label is a one-hot encoding. */
const identityRows = (n: number): Float32Array => {
  const rows = new Float32Array(n * n)
  for (let i = 0; i < n; i++) rows[i * n + i] = 1
  return rows
}

/**
 * Reshape and flatten as Reshape; pack as Reshape (rank 1) or Reshape, Transpose, Reshape
 * (rank 3: examples side by side on the channels); tile-spatial as Reshape and Tile; embedding as
 * Gather of its table by label; one-hot as Gather of the identity matrix (the same rows for every
 * valid label, and an op every runtime has for int32 labels); projection as Gemm plus the
 * ReduceSum of the input times its class rows.
 *
 * @example
 * import { shapeAndLabelLowerings } from './src/export/onnx/shapes-and-labels.ts'
 * Object.keys(shapeAndLabelLowerings).length // 7
 * @since 0.3.0
 * @category instances
 */
export const shapeAndLabelLowerings: Pick<Lowerings, 'Reshape' | 'Flatten' | 'Pack' | 'TileSpatial' | 'Embedding' | 'OneHot' | 'Projection'> = {
  Reshape: ({ outputShape }, x, { graph, local }) => E.right(graph.node('Reshape', [x, graph.int64s([-1, ...outputShape])], local)),
  Flatten: ({ outputShape }, x, { graph, local }) => E.right(graph.node('Reshape', [x, graph.int64s([-1, ...outputShape])], local)),
  Pack: ({ layer, inputShape, outputShape }, x, { graph, local }) => {
    if (inputShape.length === 1) return E.right(graph.node('Reshape', [x, graph.int64s([-1, ...outputShape])], local))
    const [height, width, channels] = inputShape as [number, number, number]
    // Consecutive examples i·k … i·k + k − 1: [packs, k, h·w, c] → [packs, h·w, k, c] → [packs, h, w, k·c].
    const split = graph.node('Reshape', [x, graph.int64s([-1, layer.packSize, height * width, channels])], local)
    const sideBySide = graph.node('Transpose', [split], local, { perm: attribute.ints([0, 2, 1, 3]) })
    return E.right(graph.node('Reshape', [sideBySide, graph.int64s([-1, ...outputShape])], local))
  },
  TileSpatial: ({ layer, inputShape }, x, { graph, local }) => {
    const column = graph.node('Reshape', [x, graph.int64s([-1, 1, 1, inputShape[0]!])], local)
    return E.right(graph.node('Tile', [column, graph.int64s([1, layer.height, layer.width, 1])], local))
  },
  Embedding: ({ layer, path }, _x, { graph, local, param, labels }) =>
    E.map((label: string) => {
      const table = graph.initializer(`${local}.embeddings`, param('embeddings'), [layer.numClasses, layer.dim])
      return graph.node('Gather', [table, label], local, { axis: attribute.int(0) })
    })(labelsFor(path, labels)),
  OneHot: ({ layer, path }, _x, { graph, local, labels }) =>
    E.map((label: string) => {
      const table = graph.initializer(`${local}.identity`, identityRows(layer.numClasses), [layer.numClasses, layer.numClasses])
      return graph.node('Gather', [table, label], local, { axis: attribute.int(0) })
    })(labelsFor(path, labels)),
  Projection: ({ inputShape, path }, x, { graph, local, param, paramShape, labels }) =>
    E.map((label: string) => {
      const features = inputShape[0]!
      const kernel = graph.initializer(`${local}.kernel`, param('kernel'), [features, 1])
      const bias = graph.initializer(`${local}.bias`, param('bias'), [1])
      const unconditional = graph.node('Gemm', [x, kernel, bias], local)
      const table = graph.initializer(`${local}.embeddings`, param('embeddings'), paramShape('embeddings'))
      const classVectors = graph.node('Gather', [table, label], local, { axis: attribute.int(0) })
      const agreement = graph.node('ReduceSum', [graph.node('Mul', [classVectors, x], local), graph.int64s([1])], local, { keepdims: attribute.int(1) })
      return graph.node('Add', [unconditional, agreement], local)
    })(labelsFor(path, labels)),
}
