/**
 * A chain of shaped layers compiled to one forward function: fused activations, the layers that
 * hold chains of their own (`residual`: block + shortcut; `concat`: branches from the trunk or the
 * label), and the bookkeeping of which input gradients are needed.
 *
 * @since 0.1.0
 */
import type { ShapedChain, ShapedLayer } from '../shape/graph.ts'
import { fusableActivation } from './fusion.ts'
import { compileLayer, type CompiledLayer, type ForwardMode, type LayerContext, type LayerOutput } from './layers.ts'
import type { ParamSpec, Params } from './params.ts'
import { tf, type Tensor } from './tf.ts'

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

/** Dropout seeds of a nested chain: far from its parent's and its siblings'. */
const nestedIndex = (parent: number, chain: number): number => parent * 1009 + (chain + 1) * 101

const collect = (into: Array<readonly [string, Tensor]>, from: Record<string, Tensor>): void => {
  for (const entry of Object.entries(from)) into.push(entry)
}

/** A residual or concat layer: its inner chains compiled, run and joined. */
const compileStructural = (shaped: ShapedLayer, local: string, fuse: boolean): CompiledLayer => {
  const chains = (shaped.chains ?? []).map((chain: ShapedChain) => ({
    source: chain.source,
    compiled: compileChain(chain.layers, `${local}.${chain.name}`, fuse),
  }))
  const params = chains.flatMap((c) => c.compiled.params)
  const runAll = (x: Tensor, p: Params, mode: ForwardMode, index: number, context: LayerContext) => {
    const stateUpdates: Array<readonly [string, Tensor]> = []
    const outputs = chains.map(({ source, compiled }, k) => {
      // A label branch starts from integers: nothing upstream of it wants a gradient.
      const input = source === 'label' ? context.labels! : x
      const branchMode = source === 'label' ? { ...mode, inputGradient: false } : mode
      const result = compiled.run(input, p, branchMode, context, { index: nestedIndex(index, k) })
      collect(stateUpdates, result.stateUpdates)
      return result.output
    })
    return { outputs, stateUpdates }
  }
  return {
    params,
    forward: (x, p, mode, index, context): LayerOutput => {
      const { outputs, stateUpdates } = runAll(x, p, mode, index, context)
      const output = shaped.layer._tag === 'Residual' ? tf.add(outputs[0]!, outputs[1]!) : tf.concat(outputs, -1)
      return { output, stateUpdates }
    },
  }
}

/**
 * Each layer compiled, a dense, conv2d or batch-norm layer followed by a fusable activation taking
 * that activation into its own op (the activation layer becomes identity, so indices and
 * parameter paths are those of the declared network).
 */
const compileLayers = (layers: ReadonlyArray<ShapedLayer>, prefix: string, fuse: boolean): ReadonlyArray<CompiledLayer> => {
  const compiled: Array<CompiledLayer> = []
  for (let i = 0; i < layers.length; i++) {
    const shaped = layers[i]!
    const local = `${prefix}[${i}]`
    if (shaped.chains !== undefined) {
      compiled.push(compileStructural(shaped, local, fuse))
      continue
    }
    const next = layers[i + 1]?.layer
    const activation = next === undefined ? undefined : fusableActivation(next)
    if (fuse && activation !== undefined && (shaped.layer._tag === 'Dense' || shaped.layer._tag === 'Conv2d' || shaped.layer._tag === 'BatchNorm')) {
      compiled.push(compileLayer(shaped, local, activation), identity)
      i++
    } else compiled.push(compileLayer(shaped, local))
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
