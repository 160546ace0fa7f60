/**
 * io-ts decoding with ganfp's errors: each failure becomes a `GanError` whose path is the place in
 * the value (`trainer.rng.latent[2]`), so a bad manifest or config file says where it is bad.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { GanError, GanErrorTag } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'

const pathOf = (root: string, context: t.Context): string =>
  context.slice(1).reduce((path, entry) => (/^\d+$/.test(entry.key) ? `${path}[${entry.key}]` : `${path}.${entry.key}`), root)

/**
 * Decodes `value`, or every problem as a `GanError` of kind `tag` located under `root`.
 *
 * @example
 * import * as t from 'io-ts'
 * import { decodeWithPaths } from 'ganfp'
 * decodeWithPaths(t.type({ steps: t.number }), { steps: 'ten' }, 'config', 'InvalidConfig')
 * // { _tag: 'Left', left: [{ _tag: 'InvalidConfig', path: 'config.steps', expected: 'number', actual: '"ten"' }] }
 * @since 0.1.0
 * @category parsing
 */
export const decodeWithPaths = <A>(
  codec: t.Decoder<unknown, A>,
  value: unknown,
  root: string,
  tag: GanErrorTag,
): E.Either<ReadonlyArray<GanError>, A> =>
  E.mapLeft((errors: t.Errors) => {
    const seen = new Set<string>()
    const out: Array<GanError> = []
    for (const error of errors) {
      const path = pathOf(root, error.context)
      // A union reports each of its branches; one line per place is enough.
      if (seen.has(path)) continue
      seen.add(path)
      const expected = error.context[error.context.length - 1]?.type.name ?? codec.name
      out.push({ _tag: tag, path, expected, actual: describeValue(error.value) })
    }
    return out
  })(codec.decode(value))

/**
 * A non-negative safe integer.
 *
 * @example
 * import { NonNegativeInt } from 'ganfp'
 * [NonNegativeInt.is(0), NonNegativeInt.is(-1), NonNegativeInt.is(1.5)] // [true, false, false]
 * @since 0.1.0
 * @category codecs
 */
export const NonNegativeInt: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'an integer ≥ 0',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) => (typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 ? t.success(u) : t.failure(u, c)),
  (n) => n,
)

/**
 * An unsigned 32-bit integer (an RNG state word).
 *
 * @example
 * import { Uint32 } from 'ganfp'
 * [Uint32.is(0xffffffff), Uint32.is(2 ** 32)] // [true, false]
 * @since 0.1.0
 * @category codecs
 */
export const Uint32: t.Type<number, number, unknown> = new t.Type<number, number, unknown>(
  'an unsigned 32-bit integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= 0xffffffff ? t.success(u) : t.failure(u, c)),
  (n) => n,
)
