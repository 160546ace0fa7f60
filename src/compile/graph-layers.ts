/**
 * The layers of conditional and super-resolution networks in tfjs-core: label readers
 * (`embedding`, `oneHot`, `projection`), `pixelShuffle`, `prelu` and `tileSpatial`. Labels arrive
 * as an int32 tensor `[n]` in the forward context.
 *
 * Each is written with ops whose registered gradients are themselves differentiable, so they work
 * in twice-differentiable mode (gradient penalties) unchanged.
 *
 * @since 0.1.0
 */
import { GanException, invalidData } from '../errors.ts'
import type { Embedding, OneHot, PixelShuffle, Prelu, Projection, TileSpatial } from '../dsl/graph.ts'
import type { ShapedLayer } from '../shape/graph.ts'
import type { CompiledLayer, LayerContext } from './layers.ts'
import { tf, type Tensor } from './tf.ts'

const labelsOf = (context: LayerContext, path: string): Tensor => {
  if (context.labels === undefined)
    throw new GanException([invalidData(`${path} (labels)`, 'one class label per example', 'none: the network was called without labels')])
  return context.labels
}

/**
 * The label as float one-hot rows `[n, classes]`: a matrix product with it is an embedding lookup.
 * Made as int32 and cast: tfjs-wasm's OneHot asked for float32 writes the int32 bits of 1 (a
 * denormal, 1.4e-45), which silently cut every label out of the network.
 */
const oneHotRows = (labels: Tensor, classes: number): Tensor => tf.cast(tf.oneHot(labels as tf.Tensor1D, classes), 'float32')

/**
 * Depth to space by one rank-4 transpose: `[n, h, w, r·r·c]` → `[n·h, w, r, r·c]` → swap `w` and
 * the first `r` → `[n, h·r, w·r, c]`; the channel order is TensorFlow's `depth_to_space`.
 *
 * @example
 * import { depthToSpace } from 'ganfp'
 * import { tf } from './src/compile/tf.ts'
 * depthToSpace(tf.zeros([1, 7, 7, 16]), 2).shape // [1, 14, 14, 4]
 * @since 0.1.0
 * @category compiler
 */
export const depthToSpace = (x: Tensor, factor: number): Tensor => {
  const [n, h, w, depth] = x.shape as [number, number, number, number]
  const c = depth / (factor * factor)
  const rows = tf.reshape(x, [n * h, w, factor, factor * c])
  return tf.reshape(tf.transpose(rows, [0, 2, 1, 3]), [n, h * factor, w * factor, c])
}

/**
 * Compiles one of this module's layers; `local` is its path inside its network.
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileGraphLeaf = (
  shaped: ShapedLayer & { readonly layer: Embedding | OneHot | PixelShuffle | Prelu | Projection | TileSpatial },
  local: string,
): CompiledLayer => {
  const { layer, inputShape } = shaped
  switch (layer._tag) {
    case 'Embedding': {
      const table = `${local}.embeddings`
      return {
        // N(0, 1) rows, PyTorch's nn.Embedding default: classes start far apart.
        params: [{ path: table, shape: [layer.numClasses, layer.dim], trainable: true, init: { _tag: 'Normal', std: 1 } }],
        forward: (_x, p, _mode, _index, context) => ({
          output: tf.matMul(oneHotRows(labelsOf(context, local), layer.numClasses), p[table]!),
          stateUpdates: [],
        }),
      }
    }
    case 'OneHot':
      return {
        params: [],
        forward: (_x, _p, _mode, _index, context) => ({ output: oneHotRows(labelsOf(context, local), layer.numClasses), stateUpdates: [] }),
      }
    case 'Projection': {
      const features = inputShape[0]!
      const kernel = `${local}.kernel`
      const bias = `${local}.bias`
      const table = `${local}.embeddings`
      return {
        params: [
          { path: kernel, shape: [features, 1], trainable: true, init: { _tag: 'GlorotUniform', fanIn: features, fanOut: 1 } },
          { path: bias, shape: [1], trainable: true, init: { _tag: 'Constant', value: 0 } },
          // Only the classes actually given are ever read: the table is sized by the label input.
          { path: table, shape: [labelClassesOf(shaped), features], trainable: true, init: { _tag: 'GlorotUniform', fanIn: labelClassesOf(shaped), fanOut: features } },
        ],
        forward: (x, p, _mode, _index, context) => {
          const classVectors = tf.matMul(oneHotRows(labelsOf(context, local), labelClassesOf(shaped)), p[table]!)
          const unconditional = tf.add(tf.matMul(x, p[kernel]!), p[bias]!)
          return { output: tf.add(unconditional, tf.sum(tf.mul(classVectors, x), 1, true)), stateUpdates: [] }
        },
      }
    }
    case 'PixelShuffle':
      return { params: [], forward: (x) => ({ output: depthToSpace(x, layer.factor), stateUpdates: [] }) }
    case 'Prelu': {
      const alpha = `${local}.alpha`
      const channels = inputShape[inputShape.length - 1]!
      return {
        params: [{ path: alpha, shape: [channels], trainable: true, init: { _tag: 'Constant', value: layer.initialAlpha } }],
        forward: (x, p) => ({ output: tf.prelu(x, p[alpha]!), stateUpdates: [] }),
      }
    }
    case 'TileSpatial':
      return {
        params: [],
        forward: (x) => {
          const d = x.shape[1]!
          return { output: tf.tile(tf.reshape(x, [-1, 1, 1, d]), [1, layer.height, layer.width, 1]), stateUpdates: [] }
        },
      }
  }
}

/** The projection's class count, which shape inference records on every layer of a labelled network. */
const labelClassesOf = (shaped: ShapedLayer): number => {
  if (shaped.labelClasses === undefined)
    throw new GanException([invalidData(shaped.path, 'a network with a label input', 'none (the spec was not checked)')])
  return shaped.labelClasses
}
