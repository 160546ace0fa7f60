/**
 * Lowerings of the spatial layers. ganfp is channels-last (NHWC) and ONNX's spatial ops are
 * channels-first (NCHW): each runs between two transposes, which runtimes cancel between
 * neighbours. Padding and output sizes are TensorFlow's, made explicit (src/layers/conv-geometry.ts).
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Padding, Pair } from '../../layers/conv-geometry.ts'
import { attribute } from './graph.ts'
import type { Lowerings, LoweringContext } from './lowering.ts'
import { permute } from './values.ts'

/** TensorFlow's padding before and after along one axis, for a window from `input` to `output` positions. */
const axisPadding = (padding: Padding, input: number, output: number, kernel: number, stride: number): Pair => {
  if (padding === 'valid') return [0, 0]
  const total = Math.max((output - 1) * stride + kernel - input, 0)
  return [Math.floor(total / 2), total - Math.floor(total / 2)]
}

/** ONNX's `pads`, [top, left, bottom, right], for a window over `[h, w]` giving `[oh, ow]`. */
const windowPads = (padding: Padding, input: ReadonlyArray<number>, output: ReadonlyArray<number>, window: Pair, strides: Pair): ReadonlyArray<number> => {
  const [top, bottom] = axisPadding(padding, input[0]!, output[0]!, window[0], strides[0])
  const [left, right] = axisPadding(padding, input[1]!, output[1]!, window[1], strides[1])
  return [top, left, bottom, right]
}

/** `op` on the NCHW form of `x`, its output back to NHWC. */
const channelsFirst = (x: string, { graph, local }: LoweringContext, op: (nchw: string) => string): string =>
  graph.toChannelsLast(op(graph.toChannelsFirst(x, local)), local)

/**
 * One axis of a transposed convolution as ONNX writes it: the full output `(in − 1)·s + k`,
 * `before` rows cut at the start (TensorFlow's `same` padding of the forward convolution), and
 * at the end either rows cut (`after`) or zero rows added (`extra`, ONNX's `output_padding`,
 * when the kernel is narrower than the stride).
 */
const transposedAxis = (padding: Padding, input: number, output: number, kernel: number, stride: number) => {
  const [before] = axisPadding(padding, output, input, kernel, stride)
  const after = (input - 1) * stride + kernel - before - output
  return { before, after: Math.max(after, 0), extra: Math.max(-after, 0) }
}

/**
 * Conv2d as Conv (kernel `[kh, kw, in, out]` → `[out, in, kh, kw]`); Conv2dTranspose as
 * ConvTranspose (kernel `[kh, kw, out, in]` → `[in, out, kh, kw]`, TensorFlow's padding as `pads`
 * and `output_padding`); upsample as Resize (nearest, asymmetric, floor: each pixel repeated);
 * average pooling as AveragePool (padding not counted, as TensorFlow); pixel shuffle as
 * DepthToSpace in DCR mode (TensorFlow's `depth_to_space` channel order).
 *
 * @example
 * import { convolutionLowerings } from './src/export/onnx/convolutions.ts'
 * Object.keys(convolutionLowerings).length // 5
 * @since 0.3.0
 * @category instances
 */
export const convolutionLowerings: Pick<Lowerings, 'Conv2d' | 'Conv2dTranspose' | 'Upsample' | 'AvgPool' | 'PixelShuffle'> = {
  Conv2d: ({ layer, inputShape, outputShape }, x, context) => {
    const { graph, local, param } = context
    const [kh, kw] = layer.kernelSize
    const inChannels = inputShape[2]!
    const kernel = graph.initializer(`${local}.kernel`, permute(param('kernel'), [kh, kw, inChannels, layer.filters], [3, 2, 0, 1]), [layer.filters, inChannels, kh, kw])
    const bias = layer.useBias ? [graph.initializer(`${local}.bias`, param('bias'), [layer.filters])] : []
    return E.right(
      channelsFirst(x, context, (nchw) =>
        graph.node('Conv', [nchw, kernel, ...bias], local, {
          kernel_shape: attribute.ints([kh, kw]),
          strides: attribute.ints(layer.strides),
          pads: attribute.ints(windowPads(layer.padding, inputShape, outputShape, layer.kernelSize, layer.strides)),
          dilations: attribute.ints([1, 1]),
          group: attribute.int(1),
        }),
      ),
    )
  },
  Conv2dTranspose: ({ layer, inputShape, outputShape }, x, context) => {
    const { graph, local, param } = context
    const [kh, kw] = layer.kernelSize
    const inChannels = inputShape[2]!
    const kernel = graph.initializer(`${local}.kernel`, permute(param('kernel'), [kh, kw, layer.filters, inChannels], [3, 2, 0, 1]), [inChannels, layer.filters, kh, kw])
    const bias = layer.useBias ? [graph.initializer(`${local}.bias`, param('bias'), [layer.filters])] : []
    const rows = transposedAxis(layer.padding, inputShape[0]!, outputShape[0]!, kh, layer.strides[0])
    const columns = transposedAxis(layer.padding, inputShape[1]!, outputShape[1]!, kw, layer.strides[1])
    return E.right(
      channelsFirst(x, context, (nchw) =>
        graph.node('ConvTranspose', [nchw, kernel, ...bias], local, {
          kernel_shape: attribute.ints([kh, kw]),
          strides: attribute.ints(layer.strides),
          pads: attribute.ints([rows.before, columns.before, rows.after, columns.after]),
          output_padding: attribute.ints([rows.extra, columns.extra]),
          dilations: attribute.ints([1, 1]),
          group: attribute.int(1),
        }),
      ),
    )
  },
  Upsample: ({ layer }, x, context) =>
    E.right(
      channelsFirst(x, context, (nchw) =>
        context.graph.node('Resize', [nchw, '', context.graph.floats([1, 1, layer.factor[0], layer.factor[1]])], context.local, {
          mode: attribute.string('nearest'),
          coordinate_transformation_mode: attribute.string('asymmetric'),
          nearest_mode: attribute.string('floor'),
        }),
      ),
    ),
  AvgPool: ({ layer, inputShape, outputShape }, x, context) =>
    E.right(
      channelsFirst(x, context, (nchw) =>
        context.graph.node('AveragePool', [nchw], context.local, {
          kernel_shape: attribute.ints(layer.poolSize),
          strides: attribute.ints(layer.strides),
          pads: attribute.ints(windowPads(layer.padding, inputShape, outputShape, layer.poolSize, layer.strides)),
          count_include_pad: attribute.int(0),
        }),
      ),
    ),
  PixelShuffle: ({ layer }, x, context) =>
    E.right(
      channelsFirst(x, context, (nchw) =>
        context.graph.node('DepthToSpace', [nchw], context.local, { blocksize: attribute.int(layer.factor), mode: attribute.string('DCR') }),
      ),
    ),
}
