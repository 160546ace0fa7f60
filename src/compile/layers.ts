/**
 * What each layer means in tfjs-core: the parameters it owns and its forward computation.
 *
 * @since 0.1.0
 */
import type { ShapedLayer } from '../shape/check.ts'
import { compileConvLayer } from './conv.ts'
import { compileGraphLeaf } from './graph-layers.ts'
import { GanException, invalidConfig } from '../errors.ts'
import { batchNormTraining, batchNormTrainingComposed } from './batch-norm.ts'
import { activate, activateTwiceDifferentiable, fusedDense, tanhTwiceDifferentiable, type FusedActivation } from './fusion.ts'
import type { ParamSpec, Params } from './params.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * ProGAN's minibatch standard deviation: groups of `groupSize` examples (strided: example i is in
 * group i mod (N / G)), each feature's deviation across its group, averaged to one value per
 * group, appended as a last channel. A batch the group size does not divide is one group.
 */
const minibatchStddevForward = (x: Tensor, groupSize: number): Tensor => {
  const n = x.shape[0]!
  const g = n % groupSize === 0 ? Math.min(groupSize, n) : n
  const m = n / g
  const rest = x.shape.slice(1)
  const size = rest.reduce((a, b) => a * b, 1)
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
 * How a forward pass runs: training switches batch statistics and dropout on.
 *
 * @since 0.1.0
 * @category model
 */
export interface ForwardMode {
  readonly training: boolean
  /** Seeds dropout masks; ignored in inference. */
  readonly seed?: number
  /**
   * Whether a gradient with respect to the input will be asked for (default true). The trainer
   * says false for data and latents, so the first layers skip their input gradients.
   */
  readonly inputGradient?: boolean
  /**
   * Whether gradients with respect to the parameters will be asked for (default true). The trainer
   * says false for the discriminator inside the generator's step, where only input gradients flow.
   */
  readonly paramGradients?: boolean
  /**
   * Whether the gradient of this pass will itself be differentiated (default false): a gradient
   * penalty differentiates ‖∇ₓD(x)‖ with respect to D's parameters. The fused kernels' gradients
   * read the activation's derivative off their output, which tfjs's tape cannot differentiate
   * (it records the saved output before the op that makes it); in this mode every activation's
   * gradient is computed from its input instead, and convolutions' gradients use only kernels
   * every backend has.
   */
  readonly twiceDifferentiable?: boolean
}

/**
 * Which gradients a layer's backward pass must produce; the others are left as zeros (the
 * custom gradients of fused and lowered ops are computed eagerly, unlike tfjs's registered ones).
 *
 * @since 0.1.0
 * @category model
 */
export interface NeededGradients {
  readonly input: boolean
  readonly params: boolean
  /** The gradient will be differentiated again (see `ForwardMode.twiceDifferentiable`). */
  readonly twice?: boolean
}

/**
 * @since 0.1.0
 * @category compiler
 */
export const neededGradients = (mode: ForwardMode): NeededGradients => ({
  input: mode.inputGradient ?? true,
  params: mode.paramGradients ?? true,
  twice: mode.twiceDifferentiable ?? false,
})

/**
 * What a layer may read besides its input: the network's labels (int32 `[n]`), when it has a
 * label input.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerContext {
  readonly labels?: Tensor
}

/** One layer's forward result: its output and the new values of any state it keeps. */
export interface LayerOutput {
  readonly output: Tensor
  readonly stateUpdates: ReadonlyArray<readonly [string, Tensor]>
}

/** A layer compiled: its parameters and its forward function. */
export interface CompiledLayer {
  readonly params: ReadonlyArray<ParamSpec>
  readonly forward: (x: Tensor, params: Params, mode: ForwardMode, index: number, context: LayerContext) => LayerOutput
}

const linear: FusedActivation = { name: 'linear' }

const stateless = (f: (x: Tensor) => Tensor): CompiledLayer => ({
  params: [],
  forward: (x) => ({ output: f(x), stateUpdates: [] }),
})

/**
 * Compiles one shaped layer; `local` is its path inside its network (`layers[3]`). A dense or
 * convolution layer given `activation` applies it too, in one fused kernel (see fusion.ts): the
 * network compiler passes the following activation layer's, and compiles that layer as identity.
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileLayer = (shaped: ShapedLayer, local: string, activation?: FusedActivation): CompiledLayer => {
  const { layer, inputShape, outputShape } = shaped
  switch (layer._tag) {
    case 'Dense': {
      const kernel = `${local}.kernel`
      const bias = `${local}.bias`
      const fanIn = inputShape[0]!
      return {
        params: [
          { path: kernel, shape: [fanIn, layer.units], trainable: true, init: { _tag: 'GlorotUniform', fanIn, fanOut: layer.units } },
          ...(layer.useBias
            ? [{ path: bias, shape: [layer.units], trainable: true, init: { _tag: 'Constant', value: 0 } } as const]
            : []),
        ],
        forward: (x, p, mode) => ({
          output: mode.twiceDifferentiable
            ? activateTwiceDifferentiable(fusedDense(x, p[kernel]!, layer.useBias ? p[bias] : undefined, linear, neededGradients(mode)), activation ?? linear)
            : fusedDense(x, p[kernel]!, layer.useBias ? p[bias] : undefined, activation ?? linear, neededGradients(mode)),
          stateUpdates: [],
        }),
      }
    }
    case 'Relu':
      return stateless((x) => tf.relu(x))
    case 'LeakyRelu':
      return stateless((x) => tf.leakyRelu(x, layer.alpha))
    case 'Tanh':
      return { params: [], forward: (x, _p, mode) => ({ output: mode.twiceDifferentiable ? tanhTwiceDifferentiable(x) : tf.tanh(x), stateUpdates: [] }) }
    case 'Sigmoid':
      return {
        params: [],
        forward: (x, _p, mode) => ({
          output: mode.twiceDifferentiable ? activateTwiceDifferentiable(x, { name: 'sigmoid' }) : tf.sigmoid(x),
          stateUpdates: [],
        }),
      }
    case 'Flatten':
    case 'Reshape':
      return stateless((x) => tf.reshape(x, [-1, ...outputShape]))
    case 'MinibatchStddev':
      return stateless((x) => minibatchStddevForward(x, layer.groupSize))
    case 'Dropout':
      return {
        params: [],
        forward: (x, _p, mode, index) => ({
          output: mode.training && layer.rate > 0 ? tf.dropout(x, layer.rate, undefined, (mode.seed ?? 0) + index) : x,
          stateUpdates: [],
        }),
      }
    case 'BatchNorm': {
      const channels = inputShape[inputShape.length - 1]!
      const gamma = `${local}.gamma`
      const beta = `${local}.beta`
      const movingMean = `${local}.movingMean`
      const movingVariance = `${local}.movingVariance`
      const constant = (path: string, value: number, trainable: boolean): ParamSpec => ({
        path,
        shape: [channels],
        trainable,
        init: { _tag: 'Constant', value },
      })
      return {
        params: [
          constant(gamma, 1, true),
          constant(beta, 0, true),
          constant(movingMean, 0, false),
          constant(movingVariance, 1, false),
        ],
        forward: (x, p, mode) => {
          const fused = activation ?? { name: 'linear' }
          if (!mode.training) {
            // Inference: the moving statistics folded into one scale and one shift per channel.
            const scale = tf.mul(tf.rsqrt(tf.add(p[movingVariance]!, layer.epsilon)), p[gamma]!)
            const shift = tf.sub(p[beta]!, tf.mul(p[movingMean]!, scale))
            return { output: activate(tf.add(tf.mul(x, scale), shift), fused), stateUpdates: [] }
          }
          const { output, mean, variance } = mode.twiceDifferentiable
            ? batchNormTrainingComposed(x, p[gamma]!, p[beta]!, layer.epsilon, fused)
            : batchNormTraining(x, p[gamma]!, p[beta]!, layer.epsilon, fused, neededGradients(mode))
          const blend = (old: Tensor, batch: Tensor): Tensor =>
            tf.add(tf.mul(old, layer.momentum), tf.mul(batch, 1 - layer.momentum))
          const stateUpdates: Array<readonly [string, Tensor]> = [
            [movingMean, blend(p[movingMean]!, mean)],
            [movingVariance, blend(p[movingVariance]!, variance)],
          ]
          mean.dispose()
          variance.dispose()
          return { output, stateUpdates }
        },
      }
    }
    case 'Conv2d':
    case 'Conv2dTranspose':
    case 'Upsample':
    case 'AvgPool':
      return compileConvLayer({ ...shaped, layer }, local, activation)
    case 'PixelShuffle':
    case 'Prelu':
    case 'Embedding':
    case 'OneHot':
    case 'Projection':
    case 'TileSpatial':
      return compileGraphLeaf({ ...shaped, layer }, local)
    case 'Residual':
    case 'Concat':
      // They hold chains: compileChain (chain.ts) compiles them.
      throw new GanException([invalidConfig(shaped.path, 'a single layer (compileChain compiles residual and concat)', layer._tag)])
  }
}
