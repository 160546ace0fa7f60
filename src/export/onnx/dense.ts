/**
 * Lowerings of dense layers and elementwise activations. A fused activation (ganfp runs a dense
 * layer and a following ReLU as one op) is the same arithmetic as the two ops apart.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { attribute } from './graph.ts'
import type { Lowerings } from './lowering.ts'

/**
 * Dense as Gemm (MatMul without a bias); ReLU, LeakyRelu, Tanh, Sigmoid and PRelu as the ONNX ops
 * of those names; dropout as the identity (inference).
 *
 * @example
 * import { denseLowerings } from './src/export/onnx/dense.ts'
 * Object.keys(denseLowerings).length // 7
 * @since 0.3.0
 * @category instances
 */
export const denseLowerings: Pick<Lowerings, 'Dense' | 'Relu' | 'LeakyRelu' | 'Tanh' | 'Sigmoid' | 'Prelu' | 'Dropout'> = {
  Dense: ({ layer, inputShape }, x, { graph, local, param }) => {
    const kernel = graph.initializer(`${local}.kernel`, param('kernel'), [inputShape[0]!, layer.units])
    return E.right(
      layer.useBias
        ? graph.node('Gemm', [x, kernel, graph.initializer(`${local}.bias`, param('bias'), [layer.units])], local)
        : graph.node('MatMul', [x, kernel], local),
    )
  },
  Relu: (_shaped, x, { graph, local }) => E.right(graph.node('Relu', [x], local)),
  LeakyRelu: ({ layer }, x, { graph, local }) => E.right(graph.node('LeakyRelu', [x], local, { alpha: attribute.float(layer.alpha) })),
  Tanh: (_shaped, x, { graph, local }) => E.right(graph.node('Tanh', [x], local)),
  Sigmoid: (_shaped, x, { graph, local }) => E.right(graph.node('Sigmoid', [x], local)),
  // The slope `[channels]` broadcasts along the last axis, the channels in ganfp's layout.
  Prelu: ({ inputShape }, x, { graph, local, param }) =>
    E.right(graph.node('PRelu', [x, graph.initializer(`${local}.alpha`, param('alpha'), [inputShape.at(-1)!])], local)),
  Dropout: (_shaped, x) => E.right(x),
}
