/**
 * What the layers holding chains of their own (`residual`, `concat`) share: their inner chains
 * shaped, described in messages, and compiled and run side by side.
 *
 * @since 0.1.0
 */
import { formatShape } from '../dsl/describe.ts'
import type { Shape } from '../dsl/shape.ts'
import type { CompiledLayer, ForwardMode, LayerContext } from '../compile/forward.ts'
import type { Params } from '../compile/params.ts'
import type { Tensor } from '../compile/tf.ts'
import type { BranchSource } from './concat.ts'
import type { ChainInference, CompileOptions, ShapedChain, ShapedLayer } from './kind.ts'

/**
 * The output of a chain as "where it comes from gives what", for messages about two paths.
 *
 * @example
 * import { describeOutput } from './src/layers/chains.ts'
 * describeOutput('block', { errors: [], layers: [], output: { shape: [8], path: 'g.layers[1].block[0]' } }) // 'g.layers[1].block[0] gives [8]'
 * @since 0.1.0
 * @category destructors
 */
export const describeOutput = (name: string, chain: ChainInference): string =>
  chain.output === undefined ? `${name} (unknown shape)` : `${chain.output.path} gives ${formatShape(chain.output.shape)}`

/**
 * An inner chain shaped, when it inferred without problems from a known input.
 *
 * @example
 * import { shapedChain } from './src/layers/chains.ts'
 * shapedChain('trunk', 'block', [8], { errors: [], layers: [], output: { shape: [8], path: 'p' } })?.outputShape // [8]
 * @since 0.1.0
 * @category inference
 */
export const shapedChain = (source: BranchSource, name: string, input: Shape | undefined, chain: ChainInference): ShapedChain | undefined =>
  input === undefined || chain.output === undefined || chain.errors.length > 0
    ? undefined
    : { source, name, layers: chain.layers, inputShape: input, outputShape: chain.output.shape }

/** Dropout seeds of a nested chain: far from its parent's and its siblings'. */
const nestedIndex = (parent: number, chain: number): number => parent * 1009 + (chain + 1) * 101

/**
 * A layer's inner chains compiled under its path (`layers[2].block`): their parameters, and a
 * run of all of them on one input (a label branch on the labels) giving each chain's output and
 * their state updates together.
 */
const compileInnerChains = (shaped: ShapedLayer, { local, fuse, kit }: CompileOptions) => {
  const chains = (shaped.chains ?? []).map((chain) => ({
    source: chain.source,
    compiled: kit.compileChain(chain.layers, `${local}.${chain.name}`, fuse),
  }))
  return {
    params: chains.flatMap((c) => c.compiled.params),
    run: (x: Tensor, p: Params, mode: ForwardMode, index: number, context: LayerContext) => {
      const stateUpdates: Array<readonly [string, Tensor]> = []
      const outputs = chains.map(({ source, compiled }, k) => {
        // A label branch starts from integers: nothing upstream of it wants a gradient.
        const input = source === 'label' ? context.labels! : x
        const branchMode = source === 'label' ? { ...mode, inputGradient: false } : mode
        const result = compiled.run(input, p, branchMode, context, { index: nestedIndex(index, k) })
        for (const entry of Object.entries(result.stateUpdates)) stateUpdates.push(entry)
        return result.output
      })
      return { outputs, stateUpdates }
    },
  }
}

/**
 * A layer holding chains compiled: its inner chains run on the input (or the label), and their
 * outputs joined by `join` (a residual adds them, a concat stacks them on the channels).
 *
 * @example
 * import { compileJoinedChains } from './src/layers/chains.ts'
 * // compileJoinedChains(shaped, options, (outputs) => options.kit.tf.concat(outputs, -1))
 * @since 0.1.0
 * @category compiler
 */
export const compileJoinedChains = (
  shaped: ShapedLayer,
  options: CompileOptions,
  join: (outputs: ReadonlyArray<Tensor>) => Tensor,
): CompiledLayer => {
  const chains = compileInnerChains(shaped, options)
  return {
    params: chains.params,
    forward: (x, p, mode, index, context) => {
      const { outputs, stateUpdates } = chains.run(x, p, mode, index, context)
      return { output: join(outputs), stateUpdates }
    },
  }
}
