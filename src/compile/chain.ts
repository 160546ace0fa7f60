/**
 * A chain of shaped layers compiled to one forward function: each layer by its kind's compile
 * rule (src/layers), a layer that takes activations followed by a fusable activation taking it
 * into its own op, and the bookkeeping of which input gradients are needed.
 *
 * @since 0.1.0
 */
import type { ShapedLayer } from '../layers/kind.ts'
import { kindOf } from '../layers/registry.ts'
import type { CompiledLayer, ForwardMode, LayerContext } from './forward.ts'
import { compileKernels, type CompileKit } from './kit.ts'
import type { ParamSpec, Params } from './params.ts'
import type { Tensor } from './tf.ts'

/**
 * A compiled chain: its parameters and a forward pass through its first `last + 1` layers (all
 * of them by default); `index` makes the dropout seeds of nested chains differ from the outer
 * chain's.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompiledChain {
  readonly params: ReadonlyArray<ParamSpec>
  readonly run: (
    x: Tensor,
    params: Params,
    mode: ForwardMode,
    context: LayerContext,
    options?: { readonly last?: number; readonly index?: number },
  ) => { readonly output: Tensor; readonly stateUpdates: Record<string, Tensor> }
}

const identity: CompiledLayer = { params: [], forward: (x) => ({ output: x, stateUpdates: [] }) }

/**
 * Each layer compiled; a layer whose kind takes activations, followed by a fusable activation,
 * takes that activation into its own op (the activation layer becomes identity, so indices and
 * parameter paths are those of the declared network).
 */
const compileLayers = (layers: ReadonlyArray<ShapedLayer>, prefix: string, fuse: boolean): ReadonlyArray<CompiledLayer> => {
  const kit: CompileKit = { ...compileKernels, compileChain, kindOf }
  const compiled: Array<CompiledLayer> = []
  for (let i = 0; i < layers.length; i++) {
    const shaped = layers[i]!
    const kind = kindOf(shaped.layer)!
    const local = `${prefix}[${i}]`
    const next = layers[i + 1]?.layer
    const activation = next === undefined ? undefined : kindOf(next)?.fusedActivation?.(next)
    if (fuse && activation !== undefined && kind.takesActivation?.(shaped.layer, kindOf) === true) {
      compiled.push(kind.compile(shaped, { local, activation, fuse, kit }), identity)
      i++
    } else compiled.push(kind.compile(shaped, { local, fuse, kit }))
  }
  return compiled
}

/**
 * Compiles a chain whose layers' parameters live under `prefix` (`layers`, `layers[2].block`).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { inferChain, compileChain, dense, relu } from 'ganfp'
 * const chain = inferChain([dense(4), relu], [2], 'd.layers', 'd.inputShape', {})
 * compileChain(chain.layers, 'layers', true).params.map((p) => p.path) // ['layers[0].kernel', 'layers[0].bias']
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileChain = (layers: ReadonlyArray<ShapedLayer>, prefix: string, fuse: boolean): CompiledChain => {
  const compiled = compileLayers(layers, prefix, fuse)
  return {
    params: compiled.flatMap((l) => l.params),
    run: (x, params, mode, context, options = {}) => {
      const stateUpdates: Record<string, Tensor> = {}
      const base = options.index ?? 0
      let output = x
      // A layer's input gradient is needed when the caller wants the chain's, or when an earlier
      // layer has parameters being differentiated.
      let inputGradient = mode.inputGradient ?? true
      const paramGradients = mode.paramGradients ?? true
      compiled.slice(0, (options.last ?? compiled.length - 1) + 1).forEach((layer, i) => {
        const result = layer.forward(output, params, { ...mode, inputGradient }, base + i, context)
        if (paramGradients && layer.params.some((p) => p.trainable)) inputGradient = true
        for (const [path, value] of result.stateUpdates) stateUpdates[path] = value
        output = result.output
      })
      return { output, stateUpdates }
    },
  }
}
