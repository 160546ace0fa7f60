/**
 * Gradient penalties as tfjs ops: the discriminator's input gradient at the penalised points,
 * computed inside the discriminator's own gradient pass so that the penalty is differentiated
 * with respect to its parameters (a double backward pass). The discriminator runs in
 * twice-differentiable mode there (see `ForwardMode.twiceDifferentiable`).
 *
 * @since 0.1.0
 */
import type { Penalty } from '../dsl/penalty.ts'
import type { CompiledNetwork } from './network.ts'
import type { Params } from './params.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * Where the penalty looks: real examples, generated ones, and for WGAN-GP the per-sample
 * interpolation coefficients ε (shape [n], uniform in [0, 1]); `seed` seeds the dropout of the
 * penalty's own forward pass.
 *
 * @since 0.1.0
 * @category model
 */
export interface PenaltyInputs {
  readonly real: Tensor
  readonly fake: Tensor
  readonly epsilon: Tensor
  readonly seed: number
  /** A conditional discriminator's labels for the real and the generated examples. */
  readonly realLabels?: Tensor
  readonly fakeLabels?: Tensor
}

/**
 * Squared L2 norm of D's input gradient at `x`, one per output of D: per sample, or per pack for a
 * packed discriminator (`packed(k)`), whose input is the pack of k consecutive samples.
 */
const squaredGradientNorms = (discriminator: CompiledNetwork, params: Params, x: Tensor, seed: number, labels: Tensor | undefined): Tensor => {
  let outputs = x.shape[0]!
  const gradient = tf.grad((input: Tensor) => {
    const scores = discriminator.apply(params, input, { training: true, seed, twiceDifferentiable: true }, labels)
    outputs = scores.shape[0]!
    return tf.sum(scores)
  })(x)
  return tf.sum(tf.reshape(tf.square(gradient), [outputs, -1]), 1)
}

/**
 * The penalty's value (a scalar, before lazy scaling), differentiable with respect to `params`.
 *
 * @since 0.1.0
 * @category compiler
 */
export const penaltyValue = (penalty: Penalty, discriminator: CompiledNetwork, params: Params, inputs: PenaltyInputs): Tensor => {
  switch (penalty._tag) {
    case 'GradientPenalty': {
      // Conditional: the interpolates are judged with the real examples' labels.
      const n = inputs.real.shape[0]!
      const epsilon = tf.reshape(inputs.epsilon, [n, ...Array.from({ length: inputs.real.rank - 1 }, () => 1)])
      const interpolated = tf.add(tf.mul(epsilon, inputs.real), tf.mul(tf.sub(1, epsilon), inputs.fake))
      // √(s + 10⁻¹²): the norm's gradient is finite even where the input gradient vanishes.
      const norms = tf.sqrt(tf.add(squaredGradientNorms(discriminator, params, interpolated, inputs.seed, inputs.realLabels), 1e-12))
      return tf.mul(tf.mean(tf.square(tf.sub(norms, penalty.target))), penalty.weight)
    }
    case 'R1':
      return tf.mul(tf.mean(squaredGradientNorms(discriminator, params, inputs.real, inputs.seed, inputs.realLabels)), penalty.gamma / 2)
    case 'R2':
      return tf.mul(tf.mean(squaredGradientNorms(discriminator, params, inputs.fake, inputs.seed, inputs.fakeLabels)), penalty.gamma / 2)
  }
}
