/**
 * Every layer kind's lowering in one table, and chains of shaped layers lowered one after the
 * other, their parameters found where `compileNetwork` puts them.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../../errors.ts'
import type { ShapedLayer } from '../../layers/kind.ts'
import type { Layer } from '../../layers/registry.ts'
import { compositeLowerings } from './composite.ts'
import { convolutionLowerings } from './convolutions.ts'
import { denseLowerings } from './dense.ts'
import type { GraphBuilder } from './graph.ts'
import type { Lowered, Lowering, LoweringContext, Lowerings } from './lowering.ts'
import { normalisationLowerings } from './normalisation.ts'
import { shapeAndLabelLowerings } from './shapes-and-labels.ts'

/**
 * One lowering per layer kind; a kind missing here is a type error.
 *
 * @example
 * import { onnxLowerings } from './src/export/onnx/chain.ts'
 * typeof onnxLowerings.Dense // 'function'
 * @since 0.3.0
 * @category instances
 */
export const onnxLowerings: Lowerings = {
  ...denseLowerings,
  ...convolutionLowerings,
  ...normalisationLowerings,
  ...shapeAndLabelLowerings,
  ...compositeLowerings,
}

/**
 * What lowering a network needs: the graph, the labels' value, and the checked parameters and
 * their shapes by path.
 *
 * @since 0.3.0
 * @category model
 */
export interface NetworkLowering {
  readonly graph: GraphBuilder
  readonly labels: string | undefined
  readonly values: ReadonlyMap<string, Float32Array>
  readonly shapes: ReadonlyMap<string, ReadonlyArray<number>>
}

const lowerLayer = (shaped: ShapedLayer, input: string, context: LoweringContext): Lowered =>
  (onnxLowerings[shaped.layer._tag] as Lowering<Layer>)(shaped, input, context)

/**
 * A chain lowered from the value `input`, layer `i`'s parameters under `${prefix}[i]`; every
 * layer's problems, not only the first's.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { inferChain, relu } from 'ganfp'
 * import { lowerChain } from './src/export/onnx/chain.ts'
 * import { graphBuilder } from './src/export/onnx/graph.ts'
 * const chain = inferChain([relu], [2], 'd.layers', 'd.inputShape', {})
 * lowerChain(chain.layers, 'input', 'layers', { graph: graphBuilder(), labels: undefined, values: new Map(), shapes: new Map() }) // right('layers[0]/Relu')
 * @since 0.3.0
 * @category compiler
 */
export const lowerChain = (layers: ReadonlyArray<ShapedLayer>, input: string, prefix: string, network: NetworkLowering): Lowered => {
  const errors: Array<GanError> = []
  let value = input
  layers.forEach((shaped, i) => {
    const local = `${prefix}[${i}]`
    const context: LoweringContext = {
      graph: network.graph,
      local,
      labels: network.labels,
      param: (name) => network.values.get(`${local}.${name}`)!,
      paramShape: (name) => network.shapes.get(`${local}.${name}`)!,
      lowerChain: (inner, from, innerPrefix) => lowerChain(inner, from, innerPrefix, network),
      lowerLayer,
    }
    const lowered = lowerLayer(shaped, value, context)
    // After a refusal the later layers are still lowered (from the same value) for their own problems.
    if (E.isLeft(lowered)) errors.push(...lowered.left)
    else value = lowered.right
  })
  return errors.length > 0 ? E.left(errors) : E.right(value)
}
