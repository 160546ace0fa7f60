/**
 * Optimizers as data; `src/train/optimizer.ts` gives them their update rules.
 *
 * @since 0.1.0
 */
import { optionsOf } from './describe.ts'

/**
 * A learning rate's multiplier as a function of the update count t (1-based), as data.
 * `Constant`: 1. `LinearDecay`: from 1 to `final` over `steps` updates, then `final`. `Cosine`: a
 * half cosine from 1 to `final` over `steps`, then `final`. `WarmUp`: t / `steps` for the first
 * `steps` updates, then `then` (counted from the end of the warm-up).
 *
 * @since 0.1.0
 * @category model
 */
export type LearningRateSchedule =
  | { readonly _tag: 'Constant' }
  | { readonly _tag: 'LinearDecay'; readonly steps: number; readonly final: number }
  | { readonly _tag: 'Cosine'; readonly steps: number; readonly final: number }
  | { readonly _tag: 'WarmUp'; readonly steps: number; readonly then: LearningRateSchedule }

/**
 * How a network's parameters are updated: Adam, SGD (with optional momentum) or RMSProp, each with
 * a learning rate and a schedule of it.
 *
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
      readonly schedule: LearningRateSchedule
    }
  | {
      readonly _tag: 'Sgd'
      readonly learningRate: number
      readonly momentum: number
      readonly nesterov: boolean
      readonly schedule: LearningRateSchedule
    }
  | {
      readonly _tag: 'RmsProp'
      readonly learningRate: number
      readonly decay: number
      readonly epsilon: number
      readonly schedule: LearningRateSchedule
    }

/**
 * @example
 * import { constantRate } from 'ganfp'
 * constantRate._tag // 'Constant'
 * @since 0.1.0
 * @category constructors
 */
export const constantRate: LearningRateSchedule = { _tag: 'Constant' }

/**
 * @example
 * import { linearDecay } from 'ganfp'
 * linearDecay({ steps: 10000 }).final // 0
 * @since 0.1.0
 * @category constructors
 */
export const linearDecay = (options: { readonly steps: number; readonly final?: number }): LearningRateSchedule => ({
  _tag: 'LinearDecay',
  steps: optionsOf(options).steps,
  final: optionsOf(options).final ?? 0,
})

/**
 * @example
 * import { cosineDecay } from 'ganfp'
 * cosineDecay({ steps: 10000, final: 0.1 }).final // 0.1
 * @since 0.1.0
 * @category constructors
 */
export const cosineDecay = (options: { readonly steps: number; readonly final?: number }): LearningRateSchedule => ({
  _tag: 'Cosine',
  steps: optionsOf(options).steps,
  final: optionsOf(options).final ?? 0,
})

/**
 * @example
 * import { cosineDecay, warmUp } from 'ganfp'
 * warmUp({ steps: 500, then: cosineDecay({ steps: 10000 }) }).then._tag // 'Cosine'
 * @since 0.1.0
 * @category constructors
 */
export const warmUp = (options: { readonly steps: number; readonly then?: LearningRateSchedule }): LearningRateSchedule => ({
  _tag: 'WarmUp',
  steps: optionsOf(options).steps,
  then: optionsOf(options).then ?? constantRate,
})

/**
 * The multiplier `schedule` gives update t (1-based).
 *
 * @example
 * import { learningRateFactor, linearDecay } from 'ganfp'
 * learningRateFactor(linearDecay({ steps: 4 }), 2) // 0.5
 * @since 0.1.0
 * @category destructors
 */
export const learningRateFactor = (schedule: LearningRateSchedule, t: number): number => {
  switch (schedule._tag) {
    case 'Constant':
      return 1
    case 'LinearDecay':
      return 1 - (1 - schedule.final) * (Math.min(t, schedule.steps) / schedule.steps)
    case 'Cosine':
      return schedule.final + (1 - schedule.final) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, schedule.steps)) / schedule.steps))
    case 'WarmUp':
      return t <= schedule.steps ? t / schedule.steps : learningRateFactor(schedule.then, t - schedule.steps)
  }
}

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
    readonly schedule?: LearningRateSchedule
  } = {},
): Optimizer => ({
  _tag: 'Adam',
  learningRate: optionsOf(options).learningRate ?? 2e-4,
  beta1: optionsOf(options).beta1 ?? 0.5,
  beta2: optionsOf(options).beta2 ?? 0.999,
  epsilon: optionsOf(options).epsilon ?? 1e-8,
  schedule: optionsOf(options).schedule ?? constantRate,
})

/**
 * Gradient descent, with PyTorch's momentum (b ← μ·b + g; step b, or g + μ·b with Nesterov).
 *
 * @example
 * import { sgd } from 'ganfp'
 * sgd({ learningRate: 0.01 }).momentum // 0
 * @since 0.1.0
 * @category constructors
 */
export const sgd = (options: {
  readonly learningRate: number
  readonly momentum?: number
  readonly nesterov?: boolean
  readonly schedule?: LearningRateSchedule
}): Optimizer => ({
  _tag: 'Sgd',
  learningRate: optionsOf(options).learningRate,
  momentum: optionsOf(options).momentum ?? 0,
  nesterov: optionsOf(options).nesterov ?? false,
  schedule: optionsOf(options).schedule ?? constantRate,
})

/**
 * RMSProp as PyTorch has it: v ← α·v + (1 − α)·g², p ← p − lr·g / (√v + ε). WGAN's original
 * optimizer (learning rate 5e-5).
 *
 * @example
 * import { rmsProp } from 'ganfp'
 * rmsProp({ learningRate: 5e-5 }).decay // 0.99
 * @since 0.1.0
 * @category constructors
 */
export const rmsProp = (
  options: {
    readonly learningRate?: number
    readonly decay?: number
    readonly epsilon?: number
    readonly schedule?: LearningRateSchedule
  } = {},
): Optimizer => ({
  _tag: 'RmsProp',
  learningRate: optionsOf(options).learningRate ?? 1e-3,
  decay: optionsOf(options).decay ?? 0.99,
  epsilon: optionsOf(options).epsilon ?? 1e-8,
  schedule: optionsOf(options).schedule ?? constantRate,
})
