/**
 * Inverted dropout, active only in training; its mask is seeded by the pass's seed and the
 * layer's place.
 *
 * @since 0.1.0
 */
import { numberAt } from './checks.ts'
import type { LayerKind } from './kind.ts'

/**
 * Inverted dropout: active only in training.
 * @since 0.1.0
 * @category model
 */
export interface Dropout {
  readonly _tag: 'Dropout'
  readonly rate: number
}

/**
 * @example
 * import { dropout } from 'ganfp'
 * dropout(0.3).rate // 0.3
 * @since 0.1.0
 * @category constructors
 */
export const dropout = (rate: number): Dropout => ({ _tag: 'Dropout', rate })

/**
 * The dropout kind: shape-preserving, even with a bad rate.
 *
 * @example
 * import { dropoutKind } from 'ganfp'
 * dropoutKind.tag // 'Dropout'
 * @since 0.1.0
 * @category instances
 */
export const dropoutKind: LayerKind<Dropout> = {
  tag: 'Dropout',
  infer: (layer, input, path) => ({ errors: numberAt(`${path}.rate`, layer.rate, (r) => r >= 0 && r < 1, 'a number in [0, 1)'), outputShape: input }),
  compile: ({ layer }, { kit: { dropout: drop } }) => ({
    params: [],
    forward: (x, _p, mode, index) => ({
      output: mode.training && layer.rate > 0 ? drop(x, layer.rate, (mode.seed ?? 0) + index) : x,
      stateUpdates: [],
    }),
  }),
}
