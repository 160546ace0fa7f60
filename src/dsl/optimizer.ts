/**
 * Optimizers as data; `src/train/optimizer.ts` gives them their update rules.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 * @category model
 */
export type Optimizer =
  | {
      readonly _tag: 'Adam'
      readonly learningRate: number
      readonly beta1: number
      readonly beta2: number
      readonly epsilon: number
    }
  | { readonly _tag: 'Sgd'; readonly learningRate: number }

/**
 * Adam; the defaults are the DCGAN paper's (learning rate 2e-4, β1 0.5).
 *
 * @example
 * import { adam } from 'ganfp'
 * adam({ learningRate: 1e-3 }).beta1 // 0.5
 * @since 0.1.0
 * @category constructors
 */
export const adam = (
  options: {
    readonly learningRate?: number
    readonly beta1?: number
    readonly beta2?: number
    readonly epsilon?: number
  } = {},
): Optimizer => ({
  _tag: 'Adam',
  learningRate: options.learningRate ?? 2e-4,
  beta1: options.beta1 ?? 0.5,
  beta2: options.beta2 ?? 0.999,
  epsilon: options.epsilon ?? 1e-8,
})

/**
 * Plain gradient descent.
 *
 * @example
 * import { sgd } from 'ganfp'
 * sgd({ learningRate: 0.01 }).learningRate // 0.01
 * @since 0.1.0
 * @category constructors
 */
export const sgd = (options: { readonly learningRate: number }): Optimizer => ({
  _tag: 'Sgd',
  learningRate: options.learningRate,
})
