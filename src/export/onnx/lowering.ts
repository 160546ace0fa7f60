/**
 * What a lowering is: one function per layer kind that writes the layer's inference form
 * (`apply(params, x, { training: false })`) into an ONNX graph. The families (dense.ts,
 * convolutions.ts, normalisation.ts, shapes-and-labels.ts, composite.ts) each fill part of the
 * table; chain.ts joins them, and `Lowerings` makes a kind without a lowering a type error.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../../errors.ts'
import type { ShapedLayer } from '../../layers/kind.ts'
import type { Layer } from '../../layers/registry.ts'
import type { GraphBuilder } from './graph.ts'

/**
 * A lowering's result: the name of its output value, or why the layer has no ONNX form.
 *
 * @since 0.3.0
 * @category model
 */
export type Lowered = E.Either<ReadonlyArray<GanError>, string>

/**
 * What a lowering may use besides its layer and input value.
 *
 * @since 0.3.0
 * @category model
 */
export interface LoweringContext {
  readonly graph: GraphBuilder
  /** Where the layer's parameters live, as `compileNetwork` names them (`layers[2]`, `layers[1].block[0]`). */
  readonly local: string
  /** A parameter of this layer by its name under `local` (`kernel`); checked present and sized before lowering. */
  readonly param: (name: string) => Float32Array
  /** That parameter's shape. */
  readonly paramShape: (name: string) => ReadonlyArray<number>
  /** The value of the network's labels (int32 `[batch]`), when it has a label input. */
  readonly labels: string | undefined
  /** An inner chain lowered from `input`, its parameters under `local` (`layers[3].block`). */
  readonly lowerChain: (layers: ReadonlyArray<ShapedLayer>, input: string, local: string) => Lowered
  /** Another layer lowered in this context (a wrapper's inner layer). */
  readonly lowerLayer: (shaped: ShapedLayer, input: string, context: LoweringContext) => Lowered
}

/**
 * One kind's lowering: its shaped layer, the name of its input value, and the context.
 *
 * @since 0.3.0
 * @category model
 */
export type Lowering<L extends Layer> = (shaped: ShapedLayer<L>, input: string, context: LoweringContext) => Lowered

/**
 * One lowering per layer tag.
 *
 * @since 0.3.0
 * @category model
 */
export type Lowerings = { readonly [T in Layer['_tag']]: Lowering<Extract<Layer, { readonly _tag: T }>> }

/**
 * The labels' value for a layer that reads them; an error at its path in a network without them
 * (which shape checking already refuses).
 *
 * @example
 * import { labelsFor } from './src/export/onnx/lowering.ts'
 * labelsFor('g.layers[0]', 'labels')._tag // 'Right'
 * @since 0.3.0
 * @category destructors
 */
export const labelsFor = (path: string, labels: string | undefined): Lowered =>
  labels === undefined ? E.left([invalidConfig(path, 'a network with a label input (withLabelInput(numClasses))', 'a network without one')]) : E.right(labels)
