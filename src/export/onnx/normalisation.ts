/**
 * Lowerings of the normalising layers in inference form: batch norm folded into one scale and one
 * shift per channel from its moving statistics (as ganfp's inference pass folds it), conditional
 * batch norm the same with per-class scale and shift gathered by label, and minibatch standard
 * deviation computed from the batch at hand, whatever its size.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { shapeSize } from '../../dsl/shape.ts'
import { attribute } from './graph.ts'
import { labelsFor, type Lowerings, type LoweringContext } from './lowering.ts'

/** y = x·scale + shift per channel, scale = γ/√(σ² + ε) and shift = β − μ·scale (γ = 1, β = 0 when absent). */
const foldedStatistics = (context: LoweringContext, epsilon: number, affine: boolean) => {
  const mean = context.param('movingMean')
  const variance = context.param('movingVariance')
  const gamma = affine ? context.param('gamma') : undefined
  const beta = affine ? context.param('beta') : undefined
  const scale = new Float32Array(mean.length)
  const shift = new Float32Array(mean.length)
  for (let c = 0; c < mean.length; c++) {
    scale[c] = (gamma?.[c] ?? 1) / Math.sqrt(variance[c]! + epsilon)
    shift[c] = (beta?.[c] ?? 0) - mean[c]! * scale[c]!
  }
  return { scale, shift }
}

/** `x·scale + shift` with the folded statistics as initializers. */
const normalised = (x: string, context: LoweringContext, epsilon: number, affine: boolean): string => {
  const { graph, local } = context
  const { scale, shift } = foldedStatistics(context, epsilon, affine)
  const scaled = graph.node('Mul', [x, graph.initializer(`${local}.scale`, scale, [scale.length])], local)
  return graph.node('Add', [scaled, graph.initializer(`${local}.shift`, shift, [shift.length])], local)
}

/**
 * Batch norm as Mul and Add by folded moving statistics; conditional batch norm as that without
 * γ and β, then Mul and Add by the rows of its γ and β tables gathered by label; minibatch
 * standard deviation from Shape, Mod, Where, Reshape, ReduceMean, Sqrt and Expand, so an
 * exported critic groups any batch size as ganfp does.
 *
 * @example
 * import { normalisationLowerings } from './src/export/onnx/normalisation.ts'
 * Object.keys(normalisationLowerings) // ['BatchNorm', 'ConditionalBatchNorm', 'MinibatchStddev']
 * @since 0.3.0
 * @category instances
 */
export const normalisationLowerings: Pick<Lowerings, 'BatchNorm' | 'ConditionalBatchNorm' | 'MinibatchStddev'> = {
  BatchNorm: ({ layer }, x, context) => E.right(normalised(x, context, layer.epsilon, true)),
  ConditionalBatchNorm: ({ layer, path, inputShape }, x, context) => {
    const { graph, local, param, paramShape } = context
    const labels = labelsFor(path, context.labels)
    if (E.isLeft(labels)) return labels
    const channels = inputShape.at(-1)!
    const rows = (name: 'gamma' | 'beta'): string => {
      const table = graph.initializer(`${local}.${name}`, param(name), paramShape(name))
      const gathered = graph.node('Gather', [table, labels.right], local, { axis: attribute.int(0) })
      // Per-example rows broadcast over the spatial axes of a rank-3 input.
      return inputShape.length === 1 ? gathered : graph.node('Reshape', [gathered, graph.int64s([-1, 1, 1, channels])], local)
    }
    const scaled = graph.node('Mul', [normalised(x, context, layer.epsilon, false), rows('gamma')], local)
    return E.right(graph.node('Add', [scaled, rows('beta')], local))
  },
  MinibatchStddev: ({ layer, inputShape }, x, { graph, local }) => {
    const node = (op: string, inputs: ReadonlyArray<string>, attributes = {}): string => graph.node(op, inputs, local, attributes)
    const size = shapeSize(inputShape)
    const positions = size / inputShape.at(-1)!
    // Groups of `groupSize` when it divides the batch n (then n ≥ groupSize), else one group of n.
    const n = node('Gather', [node('Shape', [x]), graph.int64s([0])], { axis: attribute.int(0) })
    const groupSize = graph.int64s([layer.groupSize])
    const divides = node('Equal', [node('Mod', [n, groupSize]), graph.int64s([0])])
    const groups = node('Where', [divides, groupSize, n])
    // [g, m·size]: example e sits in row e div m, so its group is e mod m (ganfp's strided groups).
    const grouped = node('Reshape', [x, node('Concat', [groups, graph.int64s([-1])], { axis: attribute.int(0) })])
    const centred = node('Sub', [grouped, node('ReduceMean', [grouped], { axes: attribute.ints([0]), keepdims: attribute.int(1) })])
    const variance = node('ReduceMean', [node('Mul', [centred, centred])], { axes: attribute.ints([0]), keepdims: attribute.int(0) })
    const deviation = node('Sqrt', [node('Add', [variance, graph.floats([1e-8])])])
    const perGroup = node('ReduceMean', [node('Reshape', [deviation, graph.int64s([-1, size])])], { axes: attribute.ints([1]), keepdims: attribute.int(0) })
    // [1, m, 1] broadcast to [g, m, positions], then one channel per example and position.
    const spreadShape = node('Concat', [groups, graph.int64s([1, positions])], { axis: attribute.int(0) })
    const spread = node('Expand', [node('Reshape', [perGroup, graph.int64s([1, -1, 1])]), spreadShape])
    const channel = node('Reshape', [spread, graph.int64s([-1, ...inputShape.slice(0, -1), 1])])
    return E.right(node('Concat', [x, channel], { axis: attribute.int(-1) }))
  },
}
