/**
 * PacGAN packing (Lin et al. 2018, "PacGAN: the power of two samples in GANs"): the discriminator
 * judges `packSize` samples at once, concatenated, so that it can see a lack of variety that no
 * single sample shows. A layer kind (`pack`), the combinator that puts it in front of a
 * discriminator (`packed`), and the rules that keep it there.
 *
 * @since 0.3.0
 */
import { GanException, invalidConfig, invalidData, shapeMismatch, type GanError } from '../errors.ts'
import { describeValue, formatShape, isPositiveInt } from '../dsl/describe.ts'
import type { Network } from '../dsl/network.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { Tensor } from '../compile/tf.ts'
import { positiveIntAt } from './checks.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Packing: a batch of N examples becomes N / `packSize` packs, each the concatenation of
 * `packSize` consecutive examples: features side by side (rank 1, `[d]` → `[packSize·d]`) or
 * channels side by side (rank 3, `[h, w, c]` → `[h, w, packSize·c]`). Only as a discriminator's
 * first layer, and not in a network with a label input.
 * @since 0.3.0
 * @category model
 */
export interface Pack {
  readonly _tag: 'Pack'
  readonly packSize: number
}

/**
 * A packing layer of `packSize` examples a pack (see `Pack`); `packed` puts one in front of a
 * discriminator. `pack(1)` is the identity.
 *
 * @example
 * import { dense, leakyRelu, pack, sequential } from 'ganfp'
 * const d = sequential([2], [pack(4), dense(64), leakyRelu(0.2), dense(1)]) // judges 4 points at once
 * pack(4).packSize // 4
 * @since 0.3.0
 * @category constructors
 */
export const pack = (packSize: number): Pack => ({ _tag: 'Pack', packSize })

/**
 * The same discriminator judging `packSize` samples at once (PacGAN`packSize`): `pack(packSize)`
 * in front of its layers, its input shape unchanged. Data-last, for `pipe`. The training batch
 * size must be a multiple of `packSize`, and `Trainer.discriminate` gives one score a pack. Its
 * layers (and their parameter paths) move up by one: `layers[0].kernel` becomes
 * `layers[1].kernel`.
 *
 * @example
 * import { pipe } from 'fp-ts/lib/function.js'
 * import { leakyRelu, mlp, packed } from 'ganfp'
 * const d = pipe(mlp([2], [64, 64, 64], leakyRelu(0.2), 1), packed(4)) // PacGAN4 on 2-D points
 * d.layers[0] // { _tag: 'Pack', packSize: 4 }
 * d.inputShape // [2]
 * @since 0.3.0
 * @category combinators
 */
export const packed =
  (packSize: number) =>
  (network: Network): Network => ({ ...network, layers: [pack(packSize), ...network.layers] })

/**
 * How many examples a network judges at once: the `packSize` of its first layer when that is a
 * `pack`, else 1.
 *
 * @example
 * import { leakyRelu, mlp, packed, packSizeOf } from 'ganfp'
 * packSizeOf(packed(4)(mlp([2], [64], leakyRelu(0.2), 1))) // 4
 * packSizeOf(mlp([2], [64], leakyRelu(0.2), 1)) // 1
 * @since 0.3.0
 * @category destructors
 */
export const packSizeOf = (network: Network): number => {
  const first: unknown = Array.isArray(network?.layers) ? network.layers[0] : undefined
  return isPack(first) && isPositiveInt(first.packSize) ? first.packSize : 1
}

const isPack = (value: unknown): value is Pack => typeof value === 'object' && value !== null && (value as { _tag?: unknown })._tag === 'Pack'

const isPlainContainer = (value: unknown): value is Readonly<Record<string, unknown>> =>
  Array.isArray(value) || (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value)))

/** Packs anywhere inside `value` (residual blocks, concat branches, wrapped layers), by path. */
const innerPacks = (value: unknown, at: string, ancestors: ReadonlySet<unknown> = new Set()): ReadonlyArray<string> => {
  // Hand-built values may hold themselves: a value already on the way down is not walked again.
  if (!isPlainContainer(value) || ancestors.has(value)) return []
  const below = new Set([...ancestors, value])
  return Object.entries(value).flatMap(([key, child]) => {
    if (key === '_tag') return []
    const path = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`
    return [...(isPack(child) ? [path] : []), ...innerPacks(child, path, below)]
  })
}

/**
 * The packs `network` holds where they cannot be: anywhere but its first layer (a pack changes the
 * batch axis, which every layer after it takes as given), and anywhere at all when
 * `firstAllowed` is false (a generator's). Each is an `InvalidConfig` at the pack's path.
 *
 * @example
 * import { dense, pack, sequential } from 'ganfp'
 * import { misplacedPacks } from './src/layers/pack.ts'
 * misplacedPacks(sequential([2], [dense(4), pack(2), dense(1)]), 'discriminator', true)[0]!.path // 'discriminator.layers[1]'
 * @since 0.3.0
 * @category validation
 */
export const misplacedPacks = (network: Network, path: string, firstAllowed: boolean): ReadonlyArray<GanError> => {
  if (typeof network !== 'object' || network === null || !Array.isArray(network.layers)) return []
  const expected = firstAllowed
    ? 'pack(k) only as the first layer of the network (it turns N examples into N/k packs)'
    : 'no pack(k) in a generator (packing is how a discriminator judges k samples at once)'
  return network.layers.flatMap((layer, i) => {
    const at = `${path}.layers[${i}]`
    const here = isPack(layer) && (i > 0 || !firstAllowed) ? [at] : []
    return [...here, ...innerPacks(layer, at)].map((where) => invalidConfig(where, expected, where === at ? `pack at layer ${i}` : 'pack inside a layer'))
  })
}

/** Consecutive examples i·k … i·k + k − 1 side by side: along the features, or along the channels. */
const forward = ({ tf }: CompileKit, x: Tensor, packSize: number, path: string): Tensor => {
  const n = x.shape[0]!
  if (n % packSize !== 0)
    throw new GanException([invalidData(`${path} (batch)`, `a multiple of ${packSize} examples (pack(${packSize}) judges them ${packSize} at a time)`, `${n} examples`)])
  const packs = n / packSize
  if (x.rank === 2) return tf.reshape(x, [packs, packSize * x.shape[1]!])
  const [height, width, channels] = [x.shape[1]!, x.shape[2]!, x.shape[3]!]
  // Rank 4 at most: wasm pays a slow path for rank-5 transposes.
  const sideBySide = tf.transpose(tf.reshape(x, [packs, packSize, height * width, channels]), [0, 2, 1, 3])
  return tf.reshape(sideBySide, [packs, height, width, packSize * channels])
}

/**
 * The pack kind: rank 1 or 3, the last axis `packSize` times as long; refused in a network with a
 * label input (a pack of k examples has no one label).
 *
 * @example
 * import { packKind } from './src/layers/pack.ts'
 * packKind.tag // 'Pack'
 * @since 0.3.0
 * @category instances
 */
export const packKind: LayerKind<Pack> = {
  tag: 'Pack',
  infer: (layer, input, path, tools) => {
    const errors: Array<GanError> = [...positiveIntAt(`${path}.packSize`, layer.packSize)]
    if (tools.labelClasses !== undefined)
      errors.push(
        invalidConfig(
          path,
          'no pack(k) in a network with a label input (the labels of a pack of k examples do not line up with one score)',
          `pack(${describeValue(layer.packSize)}) in a network labelled with ${tools.labelClasses} classes`,
        ),
      )
    const rankFits = input === undefined || input.length === 1 || input.length === 3
    if (!rankFits) errors.push(shapeMismatch(path, 'a rank-1 or rank-3 input (features, or height × width × channels)', `input ${formatShape(input!)}`))
    const known = rankFits && input !== undefined && isPositiveInt(layer.packSize)
    return { errors, outputShape: known ? [...input.slice(0, -1), input.at(-1)! * layer.packSize] : undefined }
  },
  compile: ({ layer, path }, { kit }) => stateless((x) => forward(kit, x, layer.packSize, path)),
}
