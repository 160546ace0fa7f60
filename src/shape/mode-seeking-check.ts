/**
 * The checks of a schedule's mode-seeking term, kept apart from the whole-spec checks.
 *
 * @since 0.3.0
 */
import { invalidConfig, type GanError } from '../errors.ts'
import type { Latent } from '../dsl/latent.ts'
import type { ModeSeeking } from '../dsl/schedule.ts'
import { describeValue, isFiniteNumber } from '../dsl/describe.ts'

/**
 * Every problem with `schedule.modeSeeking`: a `modeSeeking(...)` value with a weight ≥ 0, and a
 * latent to vary (paired inputs are data: pairing two of them says nothing about modes).
 *
 * @example
 * modeSeekingProblems({ _tag: 'ModeSeeking', weight: -1 }, normalLatent(2))[0]!.path // 'schedule.modeSeeking.weight'
 * @since 0.3.0
 * @category validation
 */
export const modeSeekingProblems = (term: ModeSeeking | undefined, latent: Latent | undefined): ReadonlyArray<GanError> => {
  const path = 'schedule.modeSeeking'
  if (term === undefined) return []
  if (typeof term !== 'object' || term === null || term._tag !== 'ModeSeeking')
    return [invalidConfig(path, 'modeSeeking({ weight })', describeValue(term))]
  const errors: Array<GanError> = []
  if (!isFiniteNumber(term.weight) || term.weight < 0) errors.push(invalidConfig(`${path}.weight`, 'a number ≥ 0', describeValue(term.weight)))
  if (typeof latent === 'object' && latent !== null && latent._tag === 'Paired')
    errors.push(invalidConfig(path, 'none when the latent is pairedInput() (the generator has no latent to vary)', describeValue(term)))
  return errors
}
