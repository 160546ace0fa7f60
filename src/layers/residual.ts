/**
 * Skip connections: `block(x) + shortcut(x)`, two chains of their own.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import { sameShape } from '../dsl/shape.ts'
import { copyList, optionsOf } from '../dsl/describe.ts'
import { compileJoinedChains, describeOutput, shapedChain } from './chains.ts'
import type { LayerKind, ShapedChain } from './kind.ts'
import type { Layer } from './registry.ts'

/**
 * `block(x) + shortcut(x)`; an empty shortcut is the identity (a plain skip connection). Both
 * paths must produce the same shape.
 * @since 0.1.0
 * @category model
 */
export interface Residual {
  readonly _tag: 'Residual'
  readonly block: ReadonlyArray<Layer>
  readonly shortcut: ReadonlyArray<Layer>
}

/**
 * A skip connection around `block`.
 *
 * @example
 * import { residual, conv2d, prelu } from 'ganfp'
 * residual([conv2d(16, 3), prelu()]).shortcut.length // 0
 * @since 0.1.0
 * @category constructors
 */
export const residual = (block: ReadonlyArray<Layer>, options: { readonly shortcut?: ReadonlyArray<Layer> } = {}): Residual => ({
  _tag: 'Residual',
  block: copyList(block),
  shortcut: copyList(optionsOf(options).shortcut ?? []),
})

/**
 * The residual kind: both chains inferred from the input (`block`, `shortcut`), their outputs
 * equal; parameters under `layers[i].block` and `layers[i].shortcut`.
 *
 * @example
 * import { residualKind } from 'ganfp'
 * residualKind.acceptsLabel // true
 * @since 0.1.0
 * @category instances
 */
export const residualKind: LayerKind<Residual> = {
  tag: 'Residual',
  infer: (layer, input, path, tools) => {
    const errors: Array<GanError> = []
    if (Array.isArray(layer.block) && layer.block.length === 0)
      errors.push(invalidConfig(`${path}.block`, 'at least one layer (an empty block doubles its input)', '[]'))
    const block = tools.inferChain(layer.block, input, `${path}.block`, `${path} (its input)`, tools)
    const shortcut = tools.inferChain(layer.shortcut, input, `${path}.shortcut`, `${path}.shortcut (identity)`, tools)
    errors.push(...block.errors, ...shortcut.errors)
    if (block.output !== undefined && shortcut.output !== undefined && !sameShape(block.output.shape, shortcut.output.shape))
      errors.push(shapeMismatch(path, `the same shape from both paths: ${describeOutput('block', block)}`, describeOutput('shortcut', shortcut)))
    const chains = [shapedChain('trunk', 'block', input, block), shapedChain('trunk', 'shortcut', input, shortcut)]
    return errors.length === 0 && chains.every((c) => c !== undefined)
      ? { errors, outputShape: block.output!.shape, chains: chains as ReadonlyArray<ShapedChain> }
      : { errors, outputShape: undefined }
  },
  compile: (shaped, options) => compileJoinedChains(shaped, options, (outputs) => options.kit.tf.add(outputs[0]!, outputs[1]!)),
  acceptsLabel: true,
}
