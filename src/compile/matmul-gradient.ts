/**
 * The gradient of tfjs's BatchMatMul with its transposes made explicit on wasm.
 *
 * tfjs's own gradient multiplies by a transposed operand (`matMul(dy, b, false, true)`,
 * `matMul(a, dy, true, false)`), and tfjs-backend-wasm's BatchMatMul takes a path ≈ 10× slower
 * when asked to transpose (see `productTransposed` in fusion.ts). The fused dense layer's own
 * gradient avoids it, but a gradient penalty differentiates that gradient again, and the second
 * pass goes through tfjs's: an R1 pass of the grid GAN's discriminator cost ≈ 20 ms, a whole
 * training step's worth. On wasm this gradient transposes first and then multiplies plainly; the
 * values are the same products, and every other backend keeps tfjs's gradient as it is.
 *
 * @since 0.3.0
 */
import { tf, type Tensor } from './tf.ts'

/** `a`·`b` with either operand transposed (its last two axes), as tfjs's `matMul` has it. */
const product = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): Tensor => {
  if (tf.getBackend() !== 'wasm' || (!transposeA && !transposeB)) return tf.matMul(a, b, transposeA, transposeB)
  const swapLastAxes = (x: Tensor) => tf.transpose(x, [...Array.from({ length: x.rank - 2 }, (_, i) => i), x.rank - 1, x.rank - 2])
  return tf.matMul(transposeA ? swapLastAxes(a) : a, transposeB ? swapLastAxes(b) : b)
}

let registered = false

/**
 * Registers the BatchMatMul gradient above in place of tfjs's (once per process).
 *
 * @example
 * import { registerMatMulGradient } from './src/compile/matmul-gradient.ts'
 * registerMatMulGradient()
 * @since 0.3.0
 * @category compiler
 */
export const registerMatMulGradient = (): void => {
  const tfjsGradient = tf.getGradient('BatchMatMul')
  if (registered || tfjsGradient === undefined) return
  registered = true
  tf.registerGradient({
    ...tfjsGradient,
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [Tensor, Tensor]
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean }
      const dyTensor = dy as Tensor
      // tfjs's four cases (BatchMatMul_grad.ts), each product through `product`.
      if (!transposeA && !transposeB) return { a: () => product(dyTensor, b, false, true), b: () => product(a, dyTensor, true, false) }
      if (!transposeA && transposeB) return { a: () => product(dyTensor, b, false, false), b: () => product(dyTensor, a, true, false) }
      if (transposeA && !transposeB) return { a: () => product(b, dyTensor, false, true), b: () => product(a, dyTensor, false, false) }
      return { a: () => product(b, dyTensor, true, true), b: () => product(dyTensor, a, true, true) }
    },
  })
}
