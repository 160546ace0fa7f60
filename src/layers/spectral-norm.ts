/**
 * Spectral normalisation (Miyato et al. 2018): a layer with a kernel W runs with W / σ(W), σ the
 * largest singular value of W as a matrix `[fanIn, out]`, estimated by power iteration. It keeps
 * a discriminator 1-Lipschitz per layer without a gradient penalty.
 *
 * Parameters: the inner layer's keep their plain paths (`layers[2].kernel`, `layers[2].bias`);
 * the power iteration's vector `u` (length `out`) is state, not trained, at `layers[2].u`, like
 * batch norm's moving statistics. It starts as a random unit vector drawn from the init seed.
 *
 * @since 0.1.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue, optionsOf } from '../dsl/describe.ts'
import type { CompileKit } from '../compile/kit.ts'
import type { Tensor } from '../compile/tf.ts'
import { positiveIntAt } from './checks.ts'
import type { LayerKind } from './kind.ts'
import type { Layer } from './registry.ts'

/**
 * A layer with a kernel (dense, conv2d, conv2dTranspose) whose kernel is divided by its spectral
 * norm, estimated with `powerIterations` steps of power iteration per training pass.
 * @since 0.1.0
 * @category model
 */
export interface SpectralNorm {
  readonly _tag: 'SpectralNorm'
  readonly layer: Layer
  readonly powerIterations: number
}

/**
 * Spectral normalisation of `layer`'s kernel; one power iteration per training pass by default,
 * as in the paper (the estimate improves across steps, since `u` is kept).
 *
 * @example
 * import { spectralNorm, dense, leakyRelu, sequential } from 'ganfp'
 * const critic = sequential([2], [spectralNorm(dense(64)), leakyRelu(0.2), spectralNorm(dense(1))])
 * spectralNorm(dense(64)).powerIterations // 1
 * @since 0.1.0
 * @category constructors
 */
export const spectralNorm = (layer: Layer, options: { readonly powerIterations?: number } = {}): SpectralNorm => ({
  _tag: 'SpectralNorm',
  layer,
  powerIterations: optionsOf(options).powerIterations ?? 1,
})

/**
 * The kernel as the matrix `[fanIn, out]`: its output axis moved last. For conv2d (`[kh, kw, in,
 * out]`) that is a reshape to `[kh·kw·in, out]`. For conv2dTranspose (`[kh, kw, out, in]`) the
 * output axis is 2, so the matrix is `[kh·kw·in, out]` too: `u` then has one entry per output
 * channel, as for the other kinds, and σ is torch's for ConvTranspose2d (which normalises along
 * its out-channel axis, dim 1 of `[in, out, kh, kw]`).
 */
const asMatrix = ({ tf }: CompileKit, w: Tensor, outputAxis: number): Tensor => {
  const axes = w.shape.map((_, i) => i)
  const moved = outputAxis === w.rank - 1 ? w : tf.transpose(w, [...axes.filter((a) => a !== outputAxis), outputAxis])
  return tf.reshape(moved, [-1, w.shape[outputAxis]!])
}

/** v / max(‖v‖, 1e-12), torch's `normalize`. */
const normalize = ({ tf }: CompileKit, v: Tensor): Tensor => tf.div(v, tf.maximum(tf.norm(v), 1e-12))

/**
 * `f()`'s value, held constant for the gradient: ops inside a custom gradient's forward function
 * are not taped, and its gradient is zero (torch computes u and v under `no_grad`). `anchor` is
 * its one input, a tensor not being differentiated.
 */
const constant = (kit: CompileKit, anchor: Tensor, f: () => Tensor): Tensor =>
  kit.tf.customGrad((...args: Array<unknown>) => ({ value: f(), gradFunc: () => kit.tf.zerosLike(args[0] as Tensor) }))(anchor)

/**
 * σ = vᵀ W u by `iterations` steps of v = normalize(W u), u = normalize(Wᵀ v) from the stored u
 * (row vectors here: W u is u·Wᵀ), and the new u; with 0 iterations (inference), v = normalize(W u)
 * from the stored u, which is kept. u and v are constants for the gradient, so dσ/dW = v uᵀ: with
 * u fixed, exactly the derivative of ‖W u‖.
 */
const estimate = (kit: CompileKit, wm: Tensor, stored: Tensor, iterations: number): { readonly sigma: Tensor; readonly u: Tensor | undefined } => {
  const { tf } = kit
  const u0 = tf.reshape(stored, [1, -1])
  const left = (u: Tensor): Tensor => normalize(kit, tf.matMul(u, wm, false, true))
  const right = (v: Tensor): Tensor => normalize(kit, tf.matMul(v, wm))
  const v = constant(kit, stored, () => {
    let u = u0
    for (let i = 1; i < iterations; i++) u = right(left(u))
    return left(u)
  })
  const u = iterations === 0 ? u0 : constant(kit, stored, () => right(v))
  const sigma = tf.sum(tf.mul(tf.matMul(v, wm), u))
  return { sigma, u: iterations === 0 ? undefined : tf.reshape(u, [-1]) }
}

/**
 * The spectral-norm kind: the inner layer's shape, parameters and fusion, its kernel divided by σ;
 * `u` updated in training passes only.
 *
 * @example
 * import { spectralNormKind, spectralNorm, dense, kindOf } from 'ganfp'
 * spectralNormKind.takesActivation?.(spectralNorm(dense(4)), kindOf) // true, as dense's
 * @since 0.1.0
 * @category instances
 */
export const spectralNormKind: LayerKind<SpectralNorm> = {
  tag: 'SpectralNorm',
  infer: (layer, input, path, tools) => {
    const errors: Array<GanError> = []
    const kind = tools.kindOf(layer.layer)
    // An unknown inner layer is reported by its own inference, below.
    if (kind !== undefined && kind.kernel === undefined)
      errors.push(invalidConfig(`${path}.layer`, 'a layer with a kernel (dense, conv2d or conv2dTranspose)', describeValue(layer.layer)))
    const inner = tools.inferLayer(layer.layer, input, `${path}.layer`, tools)
    errors.push(...inner.errors, ...positiveIntAt(`${path}.powerIterations`, layer.powerIterations))
    // The inner layer's shape, even with problems here, so that the layers after it are checked.
    return { errors, outputShape: inner.outputShape }
  },
  compile: (shaped, options) => {
    const { local, kit } = options
    const { layer, powerIterations } = shaped.layer
    const kind = kit.kindOf(layer)!
    const { param, outputAxis } = kind.kernel!
    const inner = kind.compile({ ...shaped, layer, path: `${shaped.path}.layer` }, options)
    const kernel = `${local}.${param}`
    const u = `${local}.u`
    const out = inner.params.find((p) => p.path === kernel)!.shape[outputAxis]!
    return {
      params: [...inner.params, { path: u, shape: [out], trainable: false, init: { _tag: 'UnitVector' } }],
      forward: (x, p, mode, index, context) => {
        const w = p[kernel]!
        const { sigma, u: updated } = estimate(kit, asMatrix(kit, w, outputAxis), p[u]!, mode.training ? powerIterations : 0)
        const result = inner.forward(x, { ...p, [kernel]: kit.tf.div(w, sigma) }, mode, index, context)
        return { output: result.output, stateUpdates: updated === undefined ? result.stateUpdates : [...result.stateUpdates, [u, updated]] }
      },
    }
  },
  takesActivation: (layer, kindOf) => kindOf(layer.layer)?.takesActivation?.(layer.layer, kindOf) ?? false,
}
