/**
 * A network is a declared input shape and a chain of layers, built by data-last combinators
 * that read well in `pipe`.
 *
 * @since 0.1.0
 */
import type { Layer } from '../layers/registry.ts'
import type { Shape } from './shape.ts'
import { copyList } from './describe.ts'

export type { Shape } from './shape.ts'

/**
 * A network's second input: one class label per example.
 * @since 0.1.0
 * @category model
 */
export interface LabelInput {
  readonly _tag: 'ClassLabel'
  readonly numClasses: number
}

/**
 * A label input of `numClasses` classes.
 *
 * @example
 * import { classLabel } from 'ganfp'
 * classLabel(10) // { _tag: 'ClassLabel', numClasses: 10 }
 * @since 0.1.0
 * @category constructors
 */
export const classLabel = (numClasses: number): LabelInput => ({ _tag: 'ClassLabel', numClasses })

/**
 * A network as data: an input shape (batch dimension excluded), its layers in order and, for
 * conditional GANs, a label input. Made by `input`, `sequential` or `mlp`.
 *
 * @since 0.1.0
 * @category model
 */
export interface Network {
  readonly _tag: 'Network'
  readonly inputShape: Shape
  readonly layers: ReadonlyArray<Layer>
  /** A second input, one class label per example (conditional GANs); see `withLabelInput`. */
  readonly labelInput?: LabelInput
}

/**
 * A network with no layers yet.
 *
 * @example
 * import { input } from 'ganfp'
 * input([2]).layers.length // 0
 *
 * @since 0.1.0
 * @category constructors
 */
export const input = (shape: Shape): Network => ({ _tag: 'Network', inputShape: copyList(shape), layers: [] })

/**
 * A network from its input shape and layers.
 *
 * @example
 * import { sequential, dense, relu } from 'ganfp'
 * sequential([2], [dense(16), relu, dense(1)]).layers.length // 3
 *
 * @since 0.1.0
 * @category constructors
 */
export const sequential = (shape: Shape, layers: ReadonlyArray<Layer>): Network => ({
  _tag: 'Network',
  inputShape: copyList(shape),
  layers: copyList(layers),
})

/**
 * Appends a layer (data-last, for `pipe`).
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { input, andThen, dense, leakyRelu } from 'ganfp'
 * const d = pipe(input([784]), andThen(dense(256)), andThen(leakyRelu(0.2)), andThen(dense(1)))
 * d.layers.length // 3
 *
 * @since 0.1.0
 * @category combinators
 */
export const andThen =
  (layer: Layer) =>
  (network: Network): Network => ({ ...network, layers: [...network.layers, layer] })

/**
 * Appends several layers at once.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { input, andThenAll, dense, relu } from 'ganfp'
 * pipe(input([2]), andThenAll([dense(8), relu])).layers.length // 2
 *
 * @since 0.1.0
 * @category combinators
 */
export const andThenAll =
  (layers: ReadonlyArray<Layer>) =>
  (network: Network): Network => ({ ...network, layers: [...network.layers, ...layers] })

/**
 * Gives the network a second input, one class label of `numClasses` per example; `fromLabel`
 * branches, `embedding`, `oneHot` and `projection` read it.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { input, withLabelInput, andThen, concat, fromLabel, embedding, dense } from 'ganfp'
 * const g = pipe(input([100]), withLabelInput(10), andThen(concat([[], fromLabel([embedding(10, 10)])])), andThen(dense(784)))
 * g.labelInput // { _tag: 'ClassLabel', numClasses: 10 }
 *
 * @since 0.1.0
 * @category combinators
 */
export const withLabelInput =
  (numClasses: number) =>
  (network: Network): Network => ({ ...network, labelInput: classLabel(numClasses) })

/**
 * A multilayer perceptron: `hidden` dense layers each followed by `activation`, then a linear
 * dense layer of `outputUnits`.
 *
 * @example
 * import { mlp, relu } from 'ganfp'
 * mlp([2], [64, 64], relu, 1).layers.length // 5
 *
 * @since 0.1.0
 * @category constructors
 */
export const mlp = (
  inputShape: Shape,
  hidden: ReadonlyArray<number>,
  activation: Layer,
  outputUnits: number,
): Network =>
  sequential(
    inputShape,
    // Hidden sizes that are not a list stay where the layers go, for the checks to name.
    Array.isArray(hidden)
      ? [...hidden.flatMap((units): ReadonlyArray<Layer> => [{ _tag: 'Dense', units, useBias: true }, activation]), { _tag: 'Dense', units: outputUnits, useBias: true }]
      : (hidden as unknown as ReadonlyArray<Layer>),
  )

