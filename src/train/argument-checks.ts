/**
 * The trainer's arguments, checked where they come in: counts are whole numbers in range, seeds
 * are whole numbers, and nothing reaches tfjs or an array constructor that would throw its own
 * error (or silently do something else: `steps: 2.5` ran 3 steps, `sample(NaN)` gave nothing).
 *
 * @since 0.2.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import { shapeSize } from '../dsl/shape.ts'
import type { TrainerState } from './state.ts'
import type { SampleOptions, TrainerRunOptions } from './trainer-types.ts'

/** The most float32 values one call returns at once: 2 GiB (larger requests go in batches). */
export const maxValuesAtOnce = 2 ** 29

const wholeNumber = (path: string, value: unknown, least: number, expected: string): ReadonlyArray<GanError> =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= least ? [] : [invalidConfig(path, expected, describeValue(value))]

/**
 * What is wrong with `run`'s options: `steps` a whole number ≥ 0, `readEvery` a whole number ≥ 1.
 *
 * @example
 * runOptionProblems({ steps: -5 })[0]!.path // 'steps'
 * @since 0.2.0
 * @category validation
 */
export const runOptionProblems = (options: TrainerRunOptions): ReadonlyArray<GanError> =>
  typeof options !== 'object' || options === null
    ? [invalidConfig('options', 'run options { steps, readEvery? }', describeValue(options))]
    : runFieldProblems(options)

const runFieldProblems = (options: TrainerRunOptions): ReadonlyArray<GanError> => [
  ...wholeNumber('steps', options.steps, 0, 'a whole number of steps, 0 or more'),
  ...(options.readEvery === undefined ? [] : wholeNumber('readEvery', options.readEvery, 1, 'a whole number of steps, 1 or more')),
]

/**
 * What is wrong with a request for `n` samples: `n` a whole number ≥ 0 whose samples fit in
 * `maxValuesAtOnce` values, and a whole-number seed when one is given.
 *
 * @example
 * sampleProblems(state, 1.5, {})[0]!.path // 'n'
 * @since 0.2.0
 * @category validation
 */
export const sampleProblems = (state: Pick<TrainerState, 'compiled'>, n: number, options: SampleOptions): ReadonlyArray<GanError> => {
  const count = wholeNumber('n', n, 0, 'a whole number of samples, 0 or more')
  const perSample = shapeSize(state.compiled.generator.outputShape)
  const size =
    count.length === 0 && n * perSample > maxValuesAtOnce
      ? [invalidConfig('n', `at most ${Math.floor(maxValuesAtOnce / perSample)} samples at once (2 GiB of values; sample in batches)`, String(n))]
      : []
  if (typeof options !== 'object' || options === null)
    return [...count, ...size, invalidConfig('options', 'sample options { seed?, labels?, truncation? }', describeValue(options))]
  const seed = options.seed === undefined ? [] : wholeNumber('options.seed', options.seed, Number.MIN_SAFE_INTEGER, 'a whole number')
  const psi = options.truncation
  const truncation =
    psi === undefined || (typeof psi === 'number' && psi > 0 && psi <= 1)
      ? []
      : [invalidConfig('options.truncation', 'a number ψ with 0 < ψ ≤ 1 (1: no truncation)', describeValue(psi))]
  return [...count, ...size, ...seed, ...truncation]
}
