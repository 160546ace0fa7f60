/**
 * Shape inference over chains of layers, including the layers that hold chains of their own
 * (`residual`, `concat`): every layer's output shape and every problem, each located by its path
 * (`generator.layers[2].branches[1].layers[0].dim`).
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { BranchSource, Concat, Residual } from '../dsl/graph.ts'
import type { Layer } from '../dsl/layer.ts'
import type { Shape } from '../dsl/network.ts'
import { describeValue, formatShape } from './describe.ts'
import { inferLayer } from './infer.ts'
import { isLabelShape, labelShape, type InferenceContext } from './graph-layers.ts'

/**
 * A layer with its place and shapes known; `chains` are the inner chains of a `residual` (block,
 * shortcut) or a `concat` (one per branch).
 *
 * @since 0.1.0
 * @category model
 */
export interface ShapedLayer {
  readonly layer: Layer
  readonly path: string
  readonly inputShape: Shape
  readonly outputShape: Shape
  readonly chains?: ReadonlyArray<ShapedChain>
  /** The classes of the network's label input, when it has one (a projection sizes its table by it). */
  readonly labelClasses?: number
}

/**
 * An inner chain: where it reads from, its name inside its layer (`block`, `shortcut`,
 * `branches[1].layers`), and its shaped layers.
 *
 * @since 0.1.0
 * @category model
 */
export interface ShapedChain {
  readonly source: BranchSource
  readonly name: string
  readonly layers: ReadonlyArray<ShapedLayer>
  readonly inputShape: Shape
  readonly outputShape: Shape
}

/**
 * What inference says of a chain: its problems, its shaped layers (complete only without
 * problems), and its output with the path that produces it.
 *
 * @since 0.1.0
 * @category model
 */
export interface ChainInference {
  readonly errors: ReadonlyArray<GanError>
  readonly layers: ReadonlyArray<ShapedLayer>
  readonly output: { readonly shape: Shape; readonly path: string } | undefined
}

interface NodeInference {
  readonly errors: ReadonlyArray<GanError>
  readonly outputShape: Shape | undefined
  readonly chains: ReadonlyArray<ShapedChain> | undefined
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/** The output of a chain as "where it comes from gives what", for messages about two paths. */
const describeOutput = (name: string, chain: ChainInference): string =>
  chain.output === undefined ? `${name} (unknown shape)` : `${chain.output.path} gives ${formatShape(chain.output.shape)}`

const shapedChain = (source: BranchSource, name: string, input: Shape | undefined, chain: ChainInference): ShapedChain | undefined =>
  input === undefined || chain.output === undefined || chain.errors.length > 0
    ? undefined
    : { source, name, layers: chain.layers, inputShape: input, outputShape: chain.output.shape }

const inferResidual = (layer: Residual, input: Shape | undefined, path: string, context: InferenceContext): NodeInference => {
  const errors: Array<GanError> = []
  if (Array.isArray(layer.block) && layer.block.length === 0)
    errors.push(invalidConfig(`${path}.block`, 'at least one layer (an empty block doubles its input)', '[]'))
  const block = inferChain(layer.block, input, `${path}.block`, `${path} (its input)`, context)
  const shortcut = inferChain(layer.shortcut, input, `${path}.shortcut`, `${path}.shortcut (identity)`, context)
  errors.push(...block.errors, ...shortcut.errors)
  if (block.output !== undefined && shortcut.output !== undefined && !sameShape(block.output.shape, shortcut.output.shape))
    errors.push(
      shapeMismatch(path, `the same shape from both paths: ${describeOutput('block', block)}`, describeOutput('shortcut', shortcut)),
    )
  const chains = [shapedChain('trunk', 'block', input, block), shapedChain('trunk', 'shortcut', input, shortcut)]
  return errors.length === 0 && chains.every((c) => c !== undefined)
    ? { errors, outputShape: block.output!.shape, chains: chains as ReadonlyArray<ShapedChain> }
    : { errors, outputShape: undefined, chains: undefined }
}

const inferConcat = (layer: Concat, input: Shape | undefined, path: string, context: InferenceContext): NodeInference => {
  if (!Array.isArray(layer.branches) || layer.branches.length === 0)
    return {
      errors: [invalidConfig(`${path}.branches`, 'a non-empty list of branches (layer lists, fromTrunk, fromLabel)', describeValue(layer.branches))],
      outputShape: undefined,
      chains: undefined,
    }
  const errors: Array<GanError> = []
  const inferred = layer.branches.map((branch, k) => {
    const branchPath = `${path}.branches[${k}]`
    if (typeof branch !== 'object' || branch === null || branch._tag !== 'Branch' || (branch.source !== 'trunk' && branch.source !== 'label')) {
      errors.push(invalidConfig(branchPath, 'a branch: a list of layers, fromTrunk([...]) or fromLabel([...])', describeValue(branch)))
      return undefined
    }
    const fromLabel = branch.source === 'label'
    if (fromLabel && context.labelClasses === undefined)
      errors.push(invalidConfig(branchPath, 'a network with a label input (withLabelInput(numClasses)) for fromLabel', 'a network without one'))
    const branchInput = fromLabel ? (context.labelClasses === undefined ? undefined : labelShape) : input
    const chain = inferChain(branch.layers, branchInput, `${branchPath}.layers`, fromLabel ? `${branchPath} (the label)` : `${branchPath} (the trunk)`, context)
    errors.push(...chain.errors)
    if (chain.output !== undefined && isLabelShape(chain.output.shape))
      errors.push(invalidConfig(`${branchPath}.layers`, 'layers that turn the label into features: embedding(...) or oneHot(...) first', '[]'))
    return { chain, shaped: shapedChain(branch.source, `branches[${k}].layers`, branchInput, chain), path: branchPath }
  })
  const known = inferred.filter((b) => b?.chain.output !== undefined && !isLabelShape(b.chain.output.shape))
  const first = known[0]
  for (const other of known.slice(1)) {
    const a = first!.chain.output!.shape
    const b = other!.chain.output!.shape
    if (a.length !== b.length || !a.slice(0, -1).every((d, i) => d === b[i]))
      errors.push(
        shapeMismatch(
          other!.path,
          `a shape that agrees with ${first!.path} in all but the last (channel) axis: ${describeOutput(first!.path, first!.chain)}`,
          describeOutput(other!.path, other!.chain),
        ),
      )
  }
  const chains = inferred.map((b) => b?.shaped)
  if (errors.length > 0 || !chains.every((c) => c !== undefined)) return { errors, outputShape: undefined, chains: undefined }
  const shapes = (chains as ReadonlyArray<ShapedChain>).map((c) => c.outputShape)
  return {
    errors,
    outputShape: [...shapes[0]!.slice(0, -1), shapes.reduce((sum, s) => sum + s[s.length - 1]!, 0)],
    chains: chains as ReadonlyArray<ShapedChain>,
  }
}

const inferNode = (layer: Layer, input: Shape | undefined, path: string, context: InferenceContext): NodeInference => {
  const isObject = typeof layer === 'object' && layer !== null
  if (isObject && layer._tag === 'Residual') return inferResidual(layer, input, path, context)
  if (isObject && layer._tag === 'Concat') return inferConcat(layer, input, path, context)
  return { ...inferLayer(layer, input, path, context), chains: undefined }
}

/**
 * Infers a chain from `input` (`undefined` when an earlier layer failed: only parameters are then
 * checked); `prefix` is the chain's path (`generator.layers`), `inputPath` names its input in
 * messages.
 *
 * @example
 * import { inferChain, dense, relu } from 'ganfp'
 * inferChain([dense(4), relu], [2], 'd.layers', 'd.inputShape', {}).output?.shape // [4]
 *
 * @since 0.1.0
 * @category inference
 */
export const inferChain = (
  layers: ReadonlyArray<Layer>,
  input: Shape | undefined,
  prefix: string,
  inputPath: string,
  context: InferenceContext,
): ChainInference => {
  if (!Array.isArray(layers))
    return { errors: [invalidConfig(prefix, 'a list of layers', describeValue(layers))], layers: [], output: undefined }
  const errors: Array<GanError> = []
  const shaped: Array<ShapedLayer> = []
  let shape = input
  let outputPath = inputPath
  layers.forEach((layer, i) => {
    const path = `${prefix}[${i}]`
    const inference = inferNode(layer, shape, path, context)
    errors.push(...inference.errors)
    if (shape !== undefined && inference.outputShape !== undefined && inference.errors.length === 0)
      shaped.push({
        layer,
        path,
        inputShape: shape,
        outputShape: inference.outputShape,
        ...(inference.chains === undefined ? {} : { chains: inference.chains }),
        ...(context.labelClasses === undefined ? {} : { labelClasses: context.labelClasses }),
      })
    shape = inference.outputShape
    outputPath = path
  })
  return { errors, layers: shaped, output: shape === undefined ? undefined : { shape, path: outputPath } }
}
