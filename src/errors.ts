/**
 * The one error type of ganfp. Every fallible public function returns these as values
 * (`Either<ReadonlyArray<GanError>, A>`); a throwing twin exists only at the CLI and recipe edges.
 *
 * Each error says where (a path such as `generator.layers[3].units`), what was expected and
 * what was found, so a user can fix a spec without reading a stack trace.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'

/**
 * The kinds of problem ganfp reports.
 *
 * @since 0.1.0
 * @category model
 */
export type GanErrorTag =
  | 'ShapeMismatch'
  | 'InvalidConfig'
  | 'UnknownLayer'
  | 'BackendUnavailable'
  | 'InvalidData'
  | 'CheckpointCorrupt'
  | 'CheckpointMismatch'

/**
 * One problem, located by `path`.
 *
 * @example
 * import { shapeMismatch, formatGanError } from 'ganfp'
 * const e = shapeMismatch('discriminator.input', '[784]', '[785]')
 * formatGanError(e) // 'ShapeMismatch at discriminator.input: expected [784], found [785]'
 *
 * @since 0.1.0
 * @category model
 */
export interface GanError {
  readonly _tag: GanErrorTag
  readonly path: string
  readonly expected: string
  readonly actual: string
  /** Extra context, e.g. which other path the expectation came from. */
  readonly note?: string
}

/**
 * What the constructors below share: the error's path, what was expected, what was found and an
 * optional note.
 *
 * @since 0.1.0
 * @category model
 */
export type GanErrorConstructor = (path: string, expected: string, actual: string, note?: string) => GanError

const make =
  (tag: GanErrorTag): GanErrorConstructor =>
  (path, expected, actual, note) =>
    note === undefined
      ? { _tag: tag, path, expected, actual }
      : { _tag: tag, path, expected, actual, note }

/**
 * @example
 * import { shapeMismatch } from 'ganfp'
 * shapeMismatch('generator.layers[2]', 'rank 1', 'rank 3')._tag // 'ShapeMismatch'
 * @since 0.1.0
 * @category constructors
 */
export const shapeMismatch: GanErrorConstructor = make('ShapeMismatch')
/**
 * @example
 * import { invalidConfig } from 'ganfp'
 * invalidConfig('--steps', 'a positive integer', '"ten"')._tag // 'InvalidConfig'
 * @since 0.1.0
 * @category constructors
 */
export const invalidConfig: GanErrorConstructor = make('InvalidConfig')
/**
 * @example
 * import { unknownLayer } from 'ganfp'
 * unknownLayer('generator.layers[0]', 'a layer value', '"Dense2"')._tag // 'UnknownLayer'
 * @since 0.1.0
 * @category constructors
 */
export const unknownLayer: GanErrorConstructor = make('UnknownLayer')
/**
 * @example
 * import { backendUnavailable } from 'ganfp'
 * backendUnavailable('backend', 'webgpu', 'navigator.gpu is undefined')._tag // 'BackendUnavailable'
 * @since 0.1.0
 * @category constructors
 */
export const backendUnavailable: GanErrorConstructor = make('BackendUnavailable')
/**
 * @example
 * import { invalidData } from 'ganfp'
 * invalidData('batch[3]', 'a finite number', 'NaN')._tag // 'InvalidData'
 * @since 0.1.0
 * @category constructors
 */
export const invalidData: GanErrorConstructor = make('InvalidData')

/**
 * A checkpoint that cannot be read: truncated, corrupted, or not a checkpoint.
 *
 * @example
 * import { checkpointCorrupt } from 'ganfp'
 * checkpointCorrupt('checkpoint(runs/a/checkpoints/step-000100).tensors.bin', '4096 bytes', '1000 bytes')._tag // 'CheckpointCorrupt'
 * @since 0.1.0
 * @category constructors
 */
export const checkpointCorrupt: GanErrorConstructor = make('CheckpointCorrupt')
/**
 * A readable checkpoint that belongs to something else: another architecture, optimizer or
 * library version.
 *
 * @example
 * import { checkpointMismatch } from 'ganfp'
 * checkpointMismatch('generator.params.layers[0].kernel', 'shape [64, 128]', 'shape [64, 256]')._tag // 'CheckpointMismatch'
 * @since 0.1.0
 * @category constructors
 */
export const checkpointMismatch: GanErrorConstructor = make('CheckpointMismatch')

/**
 * One line per error: tag, path, expectation, finding.
 *
 * @example
 * import { invalidConfig, formatGanError } from 'ganfp'
 * formatGanError(invalidConfig('--steps', 'a positive integer', '0'))
 * // 'InvalidConfig at --steps: expected a positive integer, found 0'
 *
 * @since 0.1.0
 * @category destructors
 */
export const formatGanError = (e: GanError): string =>
  `${e._tag} at ${e.path}: expected ${e.expected}, found ${e.actual}` +
  (e.note === undefined ? '' : ` (${e.note})`)

/**
 * All errors, numbered, one per line.
 *
 * @example
 * import { invalidConfig, formatGanErrors } from 'ganfp'
 * formatGanErrors([invalidConfig('a', 'x', 'y')]) // '1 problem:\n  1. InvalidConfig at a: expected x, found y'
 *
 * @since 0.1.0
 * @category destructors
 */
export const formatGanErrors = (errors: ReadonlyArray<GanError>): string =>
  `${errors.length} problem${errors.length === 1 ? '' : 's'}:\n` +
  errors.map((e, i) => `  ${i + 1}. ${formatGanError(e)}`).join('\n')

/**
 * The exception thrown by the `...OrThrow` twins; carries the errors as values.
 *
 * @example
 * import { GanException, invalidConfig } from 'ganfp'
 * new GanException([invalidConfig('a', 'x', 'y')]).errors.length // 1
 *
 * @since 0.1.0
 * @category model
 */
export class GanException extends Error {
  constructor(readonly errors: ReadonlyArray<GanError>) {
    super(formatGanErrors(errors))
    this.name = 'GanException'
  }
}

/**
 * The throwing edge: the right value, or a `GanException` with every error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { getOrThrow } from 'ganfp'
 * getOrThrow(E.right(3)) // 3
 *
 * @since 0.1.0
 * @category destructors
 */
export const getOrThrow = <A>(result: E.Either<ReadonlyArray<GanError>, A>): A => {
  if (E.isLeft(result)) throw new GanException(result.left)
  return result.right
}
