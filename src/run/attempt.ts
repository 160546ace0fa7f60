/**
 * The boundary where a run's thrown `GanException`s become values: the run loop calls the
 * `…OrThrow` twins and recipe functions (which may throw one), and `startRun` and `resumeRun`
 * return what they throw as a `Left`. Internal.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { GanException, type GanError } from '../errors.ts'

/** `f`'s value, or the errors of the `GanException` it threw; any other exception is a bug and is thrown on. */
export const attempt = async <A>(f: () => Promise<A>): Promise<E.Either<ReadonlyArray<GanError>, A>> => {
  try {
    return E.right(await f())
  } catch (error) {
    if (error instanceof GanException) return E.left(error.errors)
    throw error
  }
}
