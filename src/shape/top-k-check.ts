/**
 * The checks of a schedule's top-k term, kept apart from the whole-spec checks.
 *
 * @since 0.3.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import type { TopK } from '../dsl/schedule.ts'
import { describeValue, isFiniteNumber, isPositiveInt } from '../dsl/describe.ts'

const isShare = (v: unknown): boolean => isFiniteNumber(v) && v > 0 && v <= 1

/**
 * Every problem with `schedule.topK`: a `topK(...)` value whose `keep` and `decay` are in (0, 1]
 * and whose `every` is a positive integer, each problem at its own path.
 *
 * @example
 * topKProblems({ _tag: 'TopK', keep: 0, decay: 0.99, every: 100 })[0]!.path // 'schedule.topK.keep'
 * @since 0.3.0
 * @category validation
 */
export const topKProblems = (term: TopK | undefined): ReadonlyArray<GanError> => {
  const path = 'schedule.topK'
  if (term === undefined) return []
  if (typeof term !== 'object' || term === null || term._tag !== 'TopK') return [invalidConfig(path, 'topK({ keep, decay, every })', describeValue(term))]
  return [
    ...(isShare(term.keep) ? [] : [invalidConfig(`${path}.keep`, 'a share in (0, 1]', describeValue(term.keep))]),
    ...(isShare(term.decay) ? [] : [invalidConfig(`${path}.decay`, 'a factor in (0, 1]', describeValue(term.decay))]),
    ...(isPositiveInt(term.every) ? [] : [invalidConfig(`${path}.every`, 'a positive integer (generator steps)', describeValue(term.every))]),
  ]
}
