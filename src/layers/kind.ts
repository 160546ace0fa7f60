/**
 * What a layer kind is: everything ganfp knows of one kind of layer, in one value. Its shape rule
 * (`infer`), its compile rule (`compile`) and its part in fusion; the registry (registry.ts)
 * holds one per tag, and both the shape checker and the compiler read it.
 *
 * A kind's module imports no tfjs and nothing of src/compile at run time: the compiler hands its
 * kernels and tfjs itself to `compile` (`CompileKit`), and the shape checker hands `inferLayer`
 * and `inferChain` to `infer` (`InferenceTools`), so that layers holding layers need no import
 * of either.
 *
 * @since 0.1.0
 */
import type { GanError } from '../errors.ts'
import type { Shape } from '../dsl/shape.ts'
import type { CompiledLayer } from '../compile/forward.ts'
import type { Tensor } from '../compile/tf.ts'
import type { FusedActivation } from '../compile/fusion.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { BranchSource } from './concat.ts'
import type { Layer } from './registry.ts'

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
 * What inference says of one layer: its problems, its output shape when it could be known, and
 * for a layer holding chains (`residual`, `concat`) those chains shaped.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerInference {
  readonly errors: ReadonlyArray<GanError>
  readonly outputShape: Shape | undefined
  readonly chains?: ReadonlyArray<ShapedChain>
}

/**
 * A layer with its place and shapes known; `chains` are the inner chains of a `residual` (block,
 * shortcut) or a `concat` (one per branch).
 *
 * @since 0.1.0
 * @category model
 */
export interface ShapedLayer<L extends Layer = Layer> {
  readonly layer: L
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

/**
 * A layer's kind; `undefined` for a value whose tag is no layer's.
 *
 * @since 0.1.0
 * @category model
 */
export type KindOf = (layer: Layer) => LayerKind | undefined

/**
 * What a shape rule may use besides its layer and input: the network's context, and inference
 * itself for the layers that hold layers.
 *
 * @since 0.1.0
 * @category model
 */
export interface InferenceTools extends InferenceContext {
  readonly inferLayer: (layer: Layer, input: Shape | undefined, path: string, context: InferenceContext) => LayerInference
  readonly inferChain: (
    layers: ReadonlyArray<Layer>,
    input: Shape | undefined,
    prefix: string,
    inputPath: string,
    context: InferenceContext,
  ) => ChainInference
  readonly kindOf: KindOf
}

/**
 * What a compile rule is given besides its shaped layer: its path inside its network
 * (`layers[3]`), the following activation to apply in its own op when it `takesActivation`,
 * whether inner chains fuse, and the compiler's kernels.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompileOptions {
  readonly local: string
  readonly activation?: FusedActivation
  readonly fuse: boolean
  readonly kit: CompileKit
}

/**
 * The weight matrix of a layer that has one, for reparametrisations such as `spectralNorm`: the
 * parameter's name and which of its axes indexes the output units.
 *
 * @since 0.1.0
 * @category model
 */
export interface KernelRole {
  readonly param: string
  readonly outputAxis: number
}

/**
 * One kind of layer: its tag, its shape rule, its compile rule and its roles.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerKind<L extends Layer = Layer> {
  readonly tag: L['_tag']
  /**
   * The output shape from the input shape and every problem, located by path; `input` is
   * `undefined` when an earlier layer failed (only the layer's own parameters are then checked).
   * A shape-preserving layer passes its input on even when a parameter is wrong, so the layers
   * after it are still checked.
   */
  readonly infer: (layer: L, input: Shape | undefined, path: string, tools: InferenceTools) => LayerInference
  /** Its parameters and forward function; called only on a layer that inferred without problems. */
  readonly compile: (shaped: ShapedLayer<L>, options: CompileOptions) => CompiledLayer
  /** Whether `compile` applies a following activation in its own op (fusion). */
  readonly takesActivation?: (layer: L, kindOf: KindOf) => boolean
  /** The activation this layer is, when a preceding layer may take it into its op. */
  readonly fusedActivation?: (layer: L) => FusedActivation
  /** Whether its input may be the network's label (label readers, and layers holding chains). */
  readonly acceptsLabel?: boolean
  /** Its weight matrix, when it has one. */
  readonly kernel?: KernelRole
}

/**
 * A compiled layer without parameters or state: its output is `f(x)`.
 *
 * @example
 * import { stateless } from './src/layers/kind.ts'
 * stateless((x) => x).params // []
 * @since 0.1.0
 * @category compiler
 */
export const stateless = (f: (x: Tensor) => Tensor): CompiledLayer => ({
  params: [],
  forward: (x) => ({ output: f(x), stateUpdates: [] }),
})
