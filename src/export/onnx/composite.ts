/**
 * Lowerings of the layers that hold layers: residual blocks and concatenated branches (their
 * inner chains lowered in turn), and spectral normalisation, whose inference-time kernel is a
 * constant computed here.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../../errors.ts'
import type { ShapedChain } from '../../layers/kind.ts'
import { layerKinds } from '../../layers/registry.ts'
import { attribute } from './graph.ts'
import { labelsFor, type Lowered, type Lowerings, type LoweringContext } from './lowering.ts'

/** Each inner chain lowered from its source (the layer's input, or the labels), every problem kept. */
const lowerChains = (chains: ReadonlyArray<ShapedChain>, x: string, path: string, context: LoweringContext) => {
  const errors: Array<GanError> = []
  const outputs = chains.flatMap((chain) => {
    const input = chain.source === 'label' ? labelsFor(path, context.labels) : E.right(x)
    const lowered = E.isLeft(input) ? input : context.lowerChain(chain.layers, input.right, `${context.local}.${chain.name}`)
    if (E.isLeft(lowered)) errors.push(...lowered.left)
    return E.isRight(lowered) ? [lowered.right] : []
  })
  return errors.length > 0 ? E.left(errors) : E.right(outputs)
}

/**
 * σ as ganfp's inference pass estimates it (src/layers/spectral-norm.ts, 0 power iterations):
 * with W the kernel as a `[fanIn, out]` matrix (its output axis moved last) and u the stored
 * vector, v = (W u) / max(‖W u‖, 1e-12) and σ = vᵀ W u.
 */
const sigmaOf = (kernel: Float32Array, shape: ReadonlyArray<number>, outputAxis: number, u: Float32Array): number => {
  const out = shape[outputAxis]!
  const inner = shape.slice(outputAxis + 1).reduce((a, b) => a * b, 1)
  // Element i of the kernel is at row (i's index without the output axis) and column (its output index).
  const rowOf = (i: number): number => Math.floor(i / (out * inner)) * inner + (i % inner)
  const columnOf = (i: number): number => Math.floor(i / inner) % out
  const rows = kernel.length / out
  const wu = new Float64Array(rows)
  kernel.forEach((w, i) => {
    const row = rowOf(i)
    wu[row] = wu[row]! + w * u[columnOf(i)]!
  })
  const norm = Math.max(Math.sqrt(wu.reduce((sum, a) => sum + a * a, 0)), 1e-12)
  let sigma = 0
  kernel.forEach((w, i) => {
    sigma += (wu[rowOf(i)]! / norm) * w * u[columnOf(i)]!
  })
  return sigma
}

/**
 * Residual as Add of its block and shortcut; concat as Concat on the last (channel) axis of its
 * branches, a label branch starting from the labels; spectral norm as its inner layer with the
 * kernel divided by σ, computed here from the kernel and the stored u exactly as ganfp's
 * inference pass does (no power iteration: u is only updated in training).
 *
 * @example
 * import { compositeLowerings } from './src/export/onnx/composite.ts'
 * Object.keys(compositeLowerings) // ['Residual', 'Concat', 'SpectralNorm']
 * @since 0.3.0
 * @category instances
 */
export const compositeLowerings: Pick<Lowerings, 'Residual' | 'Concat' | 'SpectralNorm'> = {
  Residual: ({ chains = [], path }, x, context): Lowered =>
    E.map((outputs: ReadonlyArray<string>) => context.graph.node('Add', [outputs[0]!, outputs[1]!], context.local))(lowerChains(chains, x, path, context)),
  Concat: ({ chains = [], path }, x, context): Lowered =>
    E.map((outputs: ReadonlyArray<string>) => context.graph.node('Concat', outputs, context.local, { axis: attribute.int(-1) }))(lowerChains(chains, x, path, context)),
  SpectralNorm: (shaped, x, context) => {
    const inner = shaped.layer.layer
    const { param: name, outputAxis } = layerKinds[inner._tag].kernel!
    const kernel = context.param(name)
    const shape = context.paramShape(name)
    const sigma = Math.fround(sigmaOf(kernel, shape, outputAxis, context.param('u')))
    const normalised = kernel.map((w) => w / sigma)
    const param = (p: string): Float32Array => (p === name ? normalised : context.param(p))
    return context.lowerLayer({ ...shaped, layer: inner, path: `${shaped.path}.layer` }, x, { ...context, param })
  },
}
