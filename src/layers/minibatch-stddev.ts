/**
 * Minibatch standard deviation (Karras et al., ProGAN): one more channel holding how varied the
 * example's group is.
 *
 * @since 0.1.0
 */
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape } from '../dsl/describe.ts'
import { shapeSize } from '../dsl/shape.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { Tensor } from '../compile/tf.ts'
import { positiveIntAt } from './checks.ts'
import { stateless, type LayerKind } from './kind.ts'

/**
 * Minibatch standard deviation (Karras et al., ProGAN): the batch is split into groups of
 * `groupSize` (the whole batch when it does not divide), each feature's standard deviation across
 * a group is averaged into one number per group, and that number is appended to every example of
 * the group as one more channel (rank 3) or feature (rank 1). A critic that sees it can tell a
 * batch of near-identical samples from a varied real one: a push against mode collapse.
 * @since 0.1.0
 * @category model
 */
export interface MinibatchStddev {
  readonly _tag: 'MinibatchStddev'
  readonly groupSize: number
}

/**
 * A minibatch-standard-deviation layer (see `MinibatchStddev`), usually just before a critic's
 * `flatten`; groups of 4 as in ProGAN by default.
 *
 * @example
 * import { conv2d, dense, flatten, leakyRelu, minibatchStddev, sequential } from 'ganfp'
 * const critic = sequential([28, 28, 1], [conv2d(16, 5, { stride: 2 }), leakyRelu(0.2), minibatchStddev(), flatten, dense(1)])
 * minibatchStddev(8).groupSize // 8
 * @since 0.1.0
 * @category constructors
 */
export const minibatchStddev = (groupSize = 4): MinibatchStddev => ({ _tag: 'MinibatchStddev', groupSize })

/**
 * Groups of `groupSize` examples (strided: example i is in group i mod (N / G)), each feature's
 * deviation across its group, averaged to one value per group, appended as a last channel. A
 * batch the group size does not divide is one group.
 */
const forward = ({ tf }: CompileKit, x: Tensor, groupSize: number): Tensor => {
  const n = x.shape[0]!
  const g = n % groupSize === 0 ? Math.min(groupSize, n) : n
  const m = n / g
  const rest = x.shape.slice(1)
  const size = shapeSize(rest)
  const positions = size / rest.at(-1)!
  // Kept at rank ≤ 3: reductions over a leading axis of rank-5 tensors cost wasm a transpose each
  // (a DCGAN critic's step took 45% longer).
  const grouped = tf.reshape(x, [g, m * size])
  const centred = tf.sub(grouped, tf.mean(grouped, 0))
  const deviation = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8))
  const perGroup = tf.reshape(tf.mean(tf.reshape(deviation, [m, size]), 1), [1, m, 1])
  // Spread back over the group and the positions by a broadcasting add: its gradient is one sum,
  // where tile's (and broadcastTo's, a tile) is a slice per repetition.
  const spread = tf.add(perGroup, tf.zeros([g, m, positions]))
  return tf.concat([x, tf.reshape(spread, [n, ...rest.slice(0, -1), 1])], rest.length)
}

/**
 * The minibatch-stddev kind: rank 1 or 3, one more channel.
 *
 * @example
 * import { minibatchStddevKind } from 'ganfp'
 * minibatchStddevKind.tag // 'MinibatchStddev'
 * @since 0.1.0
 * @category instances
 */
export const minibatchStddevKind: LayerKind<MinibatchStddev> = {
  tag: 'MinibatchStddev',
  infer: (layer, input, path) => {
    const errors: Array<GanError> = [...positiveIntAt(`${path}.groupSize`, layer.groupSize)]
    const rankFits = input === undefined || input.length === 1 || input.length === 3
    if (!rankFits) errors.push(shapeMismatch(path, 'a rank-1 or rank-3 input (features, or height × width × channels)', `input ${formatShape(input!)}`))
    // One more channel (the last axis) holding the group's deviation; known even with a bad
    // group size, so the layers after it are still checked.
    return { errors, outputShape: rankFits && input !== undefined ? [...input.slice(0, -1), input.at(-1)! + 1] : undefined }
  },
  compile: ({ layer }, { kit }) => stateless((x) => forward(kit, x, layer.groupSize)),
}
