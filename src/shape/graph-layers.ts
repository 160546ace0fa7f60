/**
 * Shape inference for the layers of conditional and super-resolution networks: the label readers
 * (`embedding`, `oneHot`, `projection`), `pixelShuffle`, `prelu` and `tileSpatial`.
 *
 * Inside inference a label is the shape `[]`: one integer per example. Only the label readers
 * accept it, and they accept nothing else.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { Embedding, OneHot, PixelShuffle, Prelu, Projection, TileSpatial } from '../dsl/graph.ts'
import type { Shape } from '../dsl/network.ts'
import { describeValue, formatShape, isFiniteNumber, isPositiveInt } from './describe.ts'
import type { LayerInference } from './infer.ts'

/**
 * What a layer may know of the network around it: the classes of its label input, if it has one.
 *
 * @since 0.1.0
 * @category model
 */
export interface InferenceContext {
  readonly labelClasses?: number
}

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

const positive = (path: string, value: unknown, errors: Array<GanError>): void => {
  if (!isPositiveInt(value)) errors.push(invalidConfig(path, 'a positive integer', describeValue(value)))
}

const readLabel = (
  layer: Embedding | OneHot,
  input: Shape | undefined,
  path: string,
  context: InferenceContext,
  errors: Array<GanError>,
): void => {
  positive(`${path}.numClasses`, layer.numClasses, errors)
  if (context.labelClasses === undefined)
    errors.push(invalidConfig(path, 'a network with a label input (withLabelInput(numClasses))', 'a network without one'))
  else if (isPositiveInt(layer.numClasses) && layer.numClasses !== context.labelClasses)
    errors.push(invalidConfig(`${path}.numClasses`, `${context.labelClasses} (the network's label classes)`, String(layer.numClasses)))
  if (input !== undefined && !isLabelShape(input))
    errors.push(shapeMismatch(path, "the network's label (put it first in a fromLabel([...]) branch)", `input ${formatShape(input)}`))
}

/**
 * Infers one of this module's layers.
 *
 * @example
 * import { inferGraphLeaf, pixelShuffle } from 'ganfp'
 * inferGraphLeaf(pixelShuffle(2), [7, 7, 64], 'g.layers[4]', {}).outputShape // [14, 14, 16]
 * @since 0.1.0
 * @category inference
 */
export const inferGraphLeaf = (
  layer: Embedding | OneHot | PixelShuffle | Prelu | Projection | TileSpatial,
  input: Shape | undefined,
  path: string,
  context: InferenceContext,
): LayerInference => {
  const errors: Array<GanError> = []
  const result = (shape: () => Shape): LayerInference => ({
    errors,
    outputShape: errors.length === 0 && input !== undefined ? shape() : undefined,
  })
  switch (layer._tag) {
    case 'Embedding':
      readLabel(layer, input, path, context, errors)
      positive(`${path}.dim`, layer.dim, errors)
      return result(() => [layer.dim])
    case 'OneHot':
      readLabel(layer, input, path, context, errors)
      return result(() => [layer.numClasses])
    case 'Projection':
      if (context.labelClasses === undefined)
        errors.push(invalidConfig(path, 'a network with a label input (withLabelInput(numClasses))', 'a network without one'))
      if (input !== undefined && input.length !== 1)
        errors.push(shapeMismatch(path, 'a rank-1 input of features (put flatten() before projection)', `input ${formatShape(input)}`))
      return result(() => [1])
    case 'PixelShuffle': {
      positive(`${path}.factor`, layer.factor, errors)
      if (input !== undefined && input.length !== 3)
        errors.push(shapeMismatch(path, 'a rank-3 input [height, width, channels]', `input ${formatShape(input)}`))
      else if (input !== undefined && isPositiveInt(layer.factor) && input[2]! % (layer.factor * layer.factor) !== 0)
        errors.push(
          shapeMismatch(path, `channels divisible by factor² = ${layer.factor * layer.factor}`, `input ${formatShape(input)}`),
        )
      const r = layer.factor
      return result(() => [input![0]! * r, input![1]! * r, input![2]! / (r * r)])
    }
    case 'Prelu':
      if (!isFiniteNumber(layer.initialAlpha))
        errors.push(invalidConfig(`${path}.initialAlpha`, 'a finite number', describeValue(layer.initialAlpha)))
      if (input !== undefined && isLabelShape(input))
        errors.push(shapeMismatch(path, 'features (a label goes through embedding or oneHot first)', 'the label'))
      // Shape-preserving: later layers are still checked when only its parameter is wrong.
      return { errors, outputShape: input !== undefined && !isLabelShape(input) ? input : undefined }
    case 'TileSpatial':
      positive(`${path}.height`, layer.height, errors)
      positive(`${path}.width`, layer.width, errors)
      if (input !== undefined && input.length !== 1)
        errors.push(shapeMismatch(path, 'a rank-1 input [features]', `input ${formatShape(input)}`))
      return result(() => [layer.height, layer.width, input![0]!])
  }
}
