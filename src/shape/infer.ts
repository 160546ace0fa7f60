/**
 * Shape inference over layers and chains of layers: every layer's output shape and every problem,
 * each located by its path (`generator.layers[2].branches[1].layers[0].dim`). Each layer's rule
 * is its kind's (src/layers); this module checks tags, keeps labels to the layers that read them,
 * and threads shapes along chains. Runs before any tensor exists.
 *
 * @since 0.1.0
 */
import { invalidConfig, unknownLayer, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import type { Shape } from '../dsl/shape.ts'
import type { AvgPool } from '../layers/avg-pool.ts'
import type { Conv2dTranspose } from '../layers/conv2d-transpose.ts'
import type { Conv2d } from '../layers/conv2d.ts'
import type { Embedding } from '../layers/embedding.ts'
import type { ChainInference, InferenceContext, InferenceTools, LayerInference, ShapedLayer } from '../layers/kind.ts'
import { isLabelShape } from '../layers/label.ts'
import type { OneHot } from '../layers/one-hot.ts'
import type { PixelShuffle } from '../layers/pixel-shuffle.ts'
import type { Prelu } from '../layers/prelu.ts'
import type { Projection } from '../layers/projection.ts'
import { kindOf, layerTags, type Layer } from '../layers/registry.ts'
import type { TileSpatial } from '../layers/tile-spatial.ts'
import type { Upsample } from '../layers/upsample.ts'

export type { ChainInference, InferenceContext, LayerInference, ShapedChain, ShapedLayer } from '../layers/kind.ts'

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

const tools = (context: InferenceContext): InferenceTools => ({
  ...(context.labelClasses === undefined ? {} : { labelClasses: context.labelClasses }),
  inferLayer,
  inferChain,
  kindOf,
})

/**
 * Infers one layer's output shape; `input` is `undefined` when an earlier layer already failed,
 * in which case only the layer's own parameters are checked. A layer holding chains (`residual`,
 * `concat`) infers them too, and returns them shaped.
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
  const kind = kindOf(layer)!
  if (input !== undefined && isLabelShape(input) && kind.acceptsLabel !== true)
    return {
      errors: [invalidConfig(path, 'embedding(numClasses, dim) or oneHot(numClasses) first (a label is a class index)', layer._tag)],
      outputShape: undefined,
    }
  return kind.infer(layer, input, path, tools(context))
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
    const inference = inferLayer(layer, shape, path, context)
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

/**
 * A convolutional layer's inference (`inferLayer` for these kinds; kept for callers of 0.1).
 *
 * @example
 * import { inferConvLayer, conv2d } from 'ganfp'
 * inferConvLayer(conv2d(64, 5, { stride: 2 }), [28, 28, 1], 'd.layers[0]').outputShape // [14, 14, 64]
 * @since 0.1.0
 * @category inference
 */
export const inferConvLayer = (layer: Conv2d | Conv2dTranspose | Upsample | AvgPool, input: Shape | undefined, path: string): LayerInference =>
  inferLayer(layer, input, path)

/**
 * The inference of a layer of conditional and super-resolution networks (`inferLayer` for these
 * kinds; kept for callers of 0.1).
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
): LayerInference => inferLayer(layer, input, path, context)
