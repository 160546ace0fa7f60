/**
 * Shape inference for one layer: its output shape from its input shape, and every problem with
 * its parameters, located by path. Runs before any tensor exists.
 *
 * @since 0.1.0
 */
import { invalidConfig, shapeMismatch, unknownLayer, type GanError } from '../errors.ts'
import { layerTags, type Layer } from '../dsl/layer.ts'
import type { Shape } from '../dsl/network.ts'
import { inferConvLayer } from './conv.ts'
import { describeValue, formatShape, isFiniteNumber, isPositiveInt } from './describe.ts'
import { inferGraphLeaf, isLabelShape, type InferenceContext } from './graph-layers.ts'

/**
 * What inference says of one layer: its problems, and its output shape when it could be known.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerInference {
  readonly errors: ReadonlyArray<GanError>
  readonly outputShape: Shape | undefined
}

const product = (shape: Shape): number => shape.reduce((a, b) => a * b, 1)

const inRange = (
  path: string,
  value: unknown,
  ok: (v: number) => boolean,
  expected: string,
): ReadonlyArray<GanError> =>
  isFiniteNumber(value) && ok(value) ? [] : [invalidConfig(path, expected, describeValue(value))]

/**
 * Checks a value claimed to be a layer; `undefined` when its tag is known.
 *
 * @example
 * import { checkLayerTag } from 'ganfp'
 * checkLayerTag({ _tag: 'Dense2' }, 'generator.layers[0]')?._tag // 'UnknownLayer'
 * @since 0.1.0
 * @category validation
 */
export const checkLayerTag = (layer: unknown, path: string): GanError | undefined =>
  typeof layer === 'object' && layer !== null && layerTags.includes((layer as { _tag: Layer['_tag'] })._tag)
    ? undefined
    : unknownLayer(path, `a layer (one of ${layerTags.join(', ')})`, describeValue(layer))

const inferReshape = (target: ReadonlyArray<number>, input: Shape | undefined, path: string): LayerInference => {
  const entriesOk =
    Array.isArray(target) &&
    target.length > 0 &&
    target.every((d) => isPositiveInt(d) || d === -1) &&
    target.filter((d) => d === -1).length <= 1
  if (!entriesOk)
    return {
      errors: [invalidConfig(`${path}.shape`, 'positive integers, at most one -1', describeValue(target))],
      outputShape: undefined,
    }
  if (input === undefined) return { errors: [], outputShape: undefined }
  const known = product(target.filter((d) => d !== -1))
  const size = product(input)
  const hasWildcard = target.includes(-1)
  if (hasWildcard ? size % known !== 0 : size !== known)
    return {
      errors: [
        shapeMismatch(
          `${path}.shape`,
          hasWildcard
            ? `a shape whose known entries divide ${size} (the size of input ${formatShape(input)})`
            : `a shape of ${size} elements (the size of input ${formatShape(input)})`,
          `${formatShape(target)} (${known} elements)`,
        ),
      ],
      outputShape: undefined,
    }
  return { errors: [], outputShape: target.map((d) => (d === -1 ? size / known : d)) }
}

/**
 * Infers one layer's output shape; `input` is `undefined` when an earlier layer already failed,
 * in which case only the layer's own parameters are checked. `residual` and `concat` hold chains
 * of their own: `inferChain` (shape/graph.ts) infers them.
 *
 * @example
 * import { inferLayer, dense } from 'ganfp'
 * inferLayer(dense(16), [8], 'g.layers[0]').outputShape // [16]
 *
 * @since 0.1.0
 * @category inference
 */
export const inferLayer = (
  layer: Layer,
  input: Shape | undefined,
  path: string,
  context: InferenceContext = {},
): LayerInference => {
  const tagError = checkLayerTag(layer, path)
  if (tagError !== undefined) return { errors: [tagError], outputShape: undefined }
  if (input !== undefined && isLabelShape(input) && layer._tag !== 'Embedding' && layer._tag !== 'OneHot')
    return {
      errors: [invalidConfig(path, 'embedding(numClasses, dim) or oneHot(numClasses) first (a label is a class index)', layer._tag)],
      outputShape: undefined,
    }
  // Shape-preserving layers pass their input shape on even when a parameter is wrong, so the
  // layers after them are still checked.
  const same = (errors: ReadonlyArray<GanError>): LayerInference => ({ errors, outputShape: input })
  switch (layer._tag) {
    case 'Dense': {
      const errors: Array<GanError> = []
      if (!isPositiveInt(layer.units))
        errors.push(invalidConfig(`${path}.units`, 'a positive integer', describeValue(layer.units)))
      if (typeof layer.useBias !== 'boolean')
        errors.push(invalidConfig(`${path}.useBias`, 'a boolean', describeValue(layer.useBias)))
      if (input !== undefined && input.length !== 1)
        errors.push(
          shapeMismatch(path, 'a rank-1 input (put flatten() before dense)', `input ${formatShape(input)}`),
        )
      return { errors, outputShape: errors.length === 0 && input !== undefined ? [layer.units] : undefined }
    }
    case 'Relu':
    case 'Tanh':
    case 'Sigmoid':
    case 'Flatten':
      return {
        errors: [],
        outputShape: input === undefined ? undefined : layer._tag === 'Flatten' ? [product(input)] : input,
      }
    case 'LeakyRelu':
      return same(inRange(`${path}.alpha`, layer.alpha, (a) => a >= 0, 'a finite number ≥ 0'))
    case 'BatchNorm':
      return same([
        ...inRange(`${path}.momentum`, layer.momentum, (m) => m >= 0 && m < 1, 'a number in [0, 1)'),
        ...inRange(`${path}.epsilon`, layer.epsilon, (e) => e > 0, 'a number > 0'),
      ])
    case 'Dropout':
      return same(inRange(`${path}.rate`, layer.rate, (r) => r >= 0 && r < 1, 'a number in [0, 1)'))
    case 'MinibatchStddev': {
      const errors: Array<GanError> = []
      if (!isPositiveInt(layer.groupSize)) errors.push(invalidConfig(`${path}.groupSize`, 'a positive integer', describeValue(layer.groupSize)))
      const rankFits = input === undefined || input.length === 1 || input.length === 3
      if (!rankFits) errors.push(shapeMismatch(path, 'a rank-1 or rank-3 input (features, or height × width × channels)', `input ${formatShape(input!)}`))
      // One more channel (the last axis) holding the group's deviation; known even with a bad
      // group size, so the layers after it are still checked.
      return { errors, outputShape: rankFits && input !== undefined ? [...input.slice(0, -1), input.at(-1)! + 1] : undefined }
    }
    case 'Reshape':
      return inferReshape(layer.shape, input, path)
    case 'Conv2d':
    case 'Conv2dTranspose':
    case 'Upsample':
    case 'AvgPool':
      return inferConvLayer(layer, input, path)
    case 'PixelShuffle':
    case 'Prelu':
    case 'Embedding':
    case 'OneHot':
    case 'Projection':
    case 'TileSpatial':
      return inferGraphLeaf(layer, input, path, context)
    case 'Residual':
    case 'Concat':
      return { errors: [invalidConfig(path, 'a single layer (inferChain infers residual and concat)', layer._tag)], outputShape: undefined }
  }
}
