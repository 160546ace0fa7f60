/**
 * Branches joined along the channels: chains from the trunk or from the network's label.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import { copyList, describeValue } from '../dsl/describe.ts'
import { compileJoinedChains, describeOutput, shapedChain } from './chains.ts'
import type { LayerKind, ShapedChain } from './kind.ts'
import { isLabelShape, labelShape } from './label.ts'
import type { Layer } from './registry.ts'

/**
 * Where a branch starts: the value flowing through the network at the branch point (`trunk`), or
 * the network's label input (`label`).
 * @since 0.1.0
 * @category model
 */
export type BranchSource = 'trunk' | 'label'

/**
 * A chain of layers from a source, one input of a `concat`.
 * @since 0.1.0
 * @category model
 */
export interface Branch {
  readonly _tag: 'Branch'
  readonly source: BranchSource
  readonly layers: ReadonlyArray<Layer>
}

/**
 * Branches joined along the last (channel) axis; all other dimensions must agree.
 * @since 0.1.0
 * @category model
 */
export interface Concat {
  readonly _tag: 'Concat'
  readonly branches: ReadonlyArray<Branch>
}

/**
 * A branch from the value at the branch point.
 *
 * @example
 * import { fromTrunk, dense } from 'ganfp'
 * fromTrunk([dense(8)]).source // 'trunk'
 * @since 0.1.0
 * @category constructors
 */
export const fromTrunk = (layers: ReadonlyArray<Layer> = []): Branch => ({ _tag: 'Branch', source: 'trunk', layers: copyList(layers) })

/**
 * A branch from the network's label; its first layer is `embedding` or `oneHot`.
 *
 * @example
 * import { fromLabel, embedding } from 'ganfp'
 * fromLabel([embedding(10, 16)]).source // 'label'
 * @since 0.1.0
 * @category constructors
 */
export const fromLabel = (layers: ReadonlyArray<Layer>): Branch => ({ _tag: 'Branch', source: 'label', layers: copyList(layers) })

/**
 * Branches joined along the channels; a plain list of layers is a branch from the trunk.
 *
 * @example
 * import { concat, fromLabel, embedding } from 'ganfp'
 * // the latent itself, then the label's embedding: [100] and [10] make [110]
 * concat([[], fromLabel([embedding(10, 10)])]).branches.length // 2
 * @since 0.1.0
 * @category constructors
 */
export const concat = (branches: ReadonlyArray<Branch | ReadonlyArray<Layer>>): Concat => ({
  _tag: 'Concat',
  branches: Array.isArray(branches) ? branches.map((b) => (Array.isArray(b) ? fromTrunk(b as ReadonlyArray<Layer>) : (b as Branch))) : (branches as unknown as Array<Branch>),
})

const isBranch = (branch: unknown): branch is Branch =>
  typeof branch === 'object' &&
  branch !== null &&
  (branch as Branch)._tag === 'Branch' &&
  ((branch as Branch).source === 'trunk' || (branch as Branch).source === 'label')

/**
 * The concat kind: each branch inferred from its source (`branches[k].layers`), their outputs
 * agreeing in all but the channels, which add up.
 *
 * @example
 * import { concatKind } from 'ganfp'
 * concatKind.acceptsLabel // true
 * @since 0.1.0
 * @category instances
 */
export const concatKind: LayerKind<Concat> = {
  tag: 'Concat',
  infer: (layer, input, path, tools) => {
    if (!Array.isArray(layer.branches) || layer.branches.length === 0)
      return {
        errors: [invalidConfig(`${path}.branches`, 'a non-empty list of branches (layer lists, fromTrunk, fromLabel)', describeValue(layer.branches))],
        outputShape: undefined,
      }
    const errors: Array<GanError> = []
    const inferred = layer.branches.map((branch, k) => {
      const branchPath = `${path}.branches[${k}]`
      if (!isBranch(branch)) {
        errors.push(invalidConfig(branchPath, 'a branch: a list of layers, fromTrunk([...]) or fromLabel([...])', describeValue(branch)))
        return undefined
      }
      const fromLabel = branch.source === 'label'
      if (fromLabel && tools.labelClasses === undefined)
        errors.push(invalidConfig(branchPath, 'a network with a label input (withLabelInput(numClasses)) for fromLabel', 'a network without one'))
      const branchInput = fromLabel ? (tools.labelClasses === undefined ? undefined : labelShape) : input
      const chain = tools.inferChain(branch.layers, branchInput, `${branchPath}.layers`, fromLabel ? `${branchPath} (the label)` : `${branchPath} (the trunk)`, tools)
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
    if (errors.length > 0 || !chains.every((c) => c !== undefined)) return { errors, outputShape: undefined }
    const shapes = (chains as ReadonlyArray<ShapedChain>).map((c) => c.outputShape)
    return {
      errors,
      outputShape: [...shapes[0]!.slice(0, -1), shapes.reduce((sum, s) => sum + s[s.length - 1]!, 0)],
      chains: chains as ReadonlyArray<ShapedChain>,
    }
  },
  compile: (shaped, options) => compileJoinedChains(shaped, options, (outputs) => options.kit.concatChannels(outputs)),
  acceptsLabel: true,
}
