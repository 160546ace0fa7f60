/**
 * What the compiler hands a layer kind's compile rule (src/layers): tfjs itself and the
 * compiler's kernels, so that no layer module imports tfjs or src/compile at run time.
 *
 * @since 0.1.0
 */
import type { KindOf } from '../layers/kind.ts'
import { batchNormTraining, batchNormTrainingComposed } from './batch-norm.ts'
import { concatChannels } from './channel-concat.ts'
import type { compileChain } from './chain.ts'
import { convolve, convolveTransposed } from './conv.ts'
import { depthToSpace } from './depth-to-space.ts'
import { dropout } from './dropout-mask.ts'
import { neededGradients } from './forward.ts'
import { activate, activateTwiceDifferentiable, fusedDense, tanhTwiceDifferentiable } from './fusion.ts'
import { tf } from './tf.ts'

/**
 * tfjs and the kernels: fused dense and convolutions with hand-written gradients, batch-norm
 * training, activations (also in twice-differentiable forms), depth to space, joining channels.
 *
 * @example
 * import { compileKernels } from './src/compile/kit.ts'
 * compileKernels.tf.getBackend() // 'cpu'
 * @since 0.1.0
 * @category compiler
 */
export const compileKernels = {
  tf,
  neededGradients,
  activate,
  activateTwiceDifferentiable,
  tanhTwiceDifferentiable,
  fusedDense,
  convolve,
  convolveTransposed,
  batchNormTraining,
  batchNormTrainingComposed,
  depthToSpace,
  concatChannels,
  dropout,
} as const

/**
 * The kernels, and what layers holding layers need: `compileChain` for inner chains, `kindOf`
 * for a wrapped layer's kind.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompileKit extends Readonly<typeof compileKernels> {
  readonly compileChain: typeof compileChain
  readonly kindOf: KindOf
}
