/**
 * The network's label inside layers. A label is one integer class per example; it enters a
 * network only through the label readers (`embedding`, `oneHot`, `projection`), so shape
 * inference knows where every label goes. Inside inference a label is the shape `[]`; inside a
 * forward pass, an int32 tensor `[n]` in the layer context.
 *
 * @since 0.1.0
 */
import type { Tensor1D } from '@tensorflow/tfjs-core'
import { GanException, invalidConfig, invalidData, shapeMismatch, type GanError } from '../errors.ts'
import { formatShape, isPositiveInt } from '../dsl/describe.ts'
import type { Shape } from '../dsl/shape.ts'
import type { LayerContext } from '../compile/forward.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { Tensor } from '../compile/tf.ts'
import { positiveIntAt } from './checks.ts'
import type { InferenceContext, ShapedLayer } from './kind.ts'

/**
 * The shape inference gives a label: one integer per example.
 *
 * @example
 * import { isLabelShape, labelShape } from 'ganfp'
 * isLabelShape(labelShape) // true
 * @since 0.1.0
 * @category inference
 */
export const labelShape: Shape = []

/**
 * Whether a shape is the label's.
 *
 * @example
 * import { isLabelShape } from 'ganfp'
 * isLabelShape([]) // true
 * @since 0.1.0
 * @category inference
 */
export const isLabelShape = (shape: Shape): boolean => shape.length === 0

/**
 * The error of a label reader in a network without a label input.
 *
 * @example
 * import { noLabelInput } from './src/layers/label.ts'
 * noLabelInput('d.layers[4]').expected // 'a network with a label input (withLabelInput(numClasses))'
 * @since 0.1.0
 * @category validation
 */
export const noLabelInput = (path: string): GanError =>
  invalidConfig(path, 'a network with a label input (withLabelInput(numClasses))', 'a network without one')

/**
 * The problems of a layer that turns the label into features (`embedding`, `oneHot`): its class
 * count, the network's label input, and its input, which must be the label itself.
 *
 * @example
 * import { labelReaderErrors } from './src/layers/label.ts'
 * labelReaderErrors(10, [], 'g.layers[0].branches[1].layers[0]', { labelClasses: 10 }) // []
 * @since 0.1.0
 * @category validation
 */
export const labelReaderErrors = (
  numClasses: number,
  input: Shape | undefined,
  path: string,
  context: InferenceContext,
): Array<GanError> => {
  const errors: Array<GanError> = [...positiveIntAt(`${path}.numClasses`, numClasses)]
  if (context.labelClasses === undefined) errors.push(noLabelInput(path))
  else if (isPositiveInt(numClasses) && numClasses !== context.labelClasses)
    errors.push(invalidConfig(`${path}.numClasses`, `${context.labelClasses} (the network's label classes)`, String(numClasses)))
  if (input !== undefined && !isLabelShape(input))
    errors.push(shapeMismatch(path, "the network's label (put it first in a fromLabel([...]) branch)", `input ${formatShape(input)}`))
  return errors
}

/**
 * The labels of a forward pass; an error when the network was called without them.
 *
 * @example
 * import { labelsOf } from './src/layers/label.ts'
 * // labelsOf({}, 'layers[0]') throws InvalidData at layers[0] (labels)
 * @since 0.1.0
 * @category compiler
 */
export const labelsOf = (context: LayerContext, path: string): Tensor => {
  if (context.labels === undefined)
    throw new GanException([invalidData(`${path} (labels)`, 'one class label per example', 'none: the network was called without labels')])
  return context.labels
}

/**
 * The label as float one-hot rows `[n, classes]`: a matrix product with it is an embedding lookup.
 * Made as int32 and cast: tfjs-wasm's OneHot asked for float32 writes the int32 bits of 1 (a
 * denormal, 1.4e-45), which silently cut every label out of the network.
 *
 * @example
 * import { oneHotRows } from './src/layers/label.ts'
 * // oneHotRows(kit, labels, 10).shape // [n, 10]
 * @since 0.1.0
 * @category compiler
 */
export const oneHotRows = ({ tf }: CompileKit, labels: Tensor, classes: number): Tensor =>
  tf.cast(tf.oneHot(labels as Tensor1D, classes), 'float32')

/**
 * The class count of a label reader's network, which shape inference records on every layer of a
 * labelled network; a `GanException` for a layer compiled without it (the spec was not checked).
 *
 * @example
 * labelClassesOf(shaped) // 10 in a network with withLabelInput(10)
 * @since 0.3.0
 * @category compiler
 */
export const labelClassesOf = (shaped: ShapedLayer): number => {
  if (shaped.labelClasses === undefined)
    throw new GanException([invalidData(shaped.path, 'a network with a label input', 'none (the spec was not checked)')])
  return shaped.labelClasses
}
