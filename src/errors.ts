/**
 * The one error type of ganfp, and the one convention for reporting it.
 *
 * - Every fallible public function returns its problems as values:
 *   `Either<ReadonlyArray<GanError>, A>`, or a promise of one when it is async (a stream yields
 *   `Either`s and ends after the first `Left`). Validation reports every problem it finds, not the
 *   first.
 * - The functions scripts call have an `…OrThrow` twin (`compileOrThrow`, `createTrainerOrThrow`,
 *   `trainer.stepOrThrow`, `startRunOrThrow`, …) that returns the value or throws one
 *   `GanException` carrying the same errors: `getOrThrow` applied to the `Either`.
 * - No public function throws without `OrThrow` in its name. A failure of the operating system
 *   (a file that cannot be written, a folder that cannot be read) is a `FileSystem` error naming
 *   the path, not a Node exception.
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
  | 'FileSystem'

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
 * The operating system refused: a file or folder that cannot be created, written or read (no
 * permission, no space, a file where a folder should be). `actual` is the system's own message.
 *
 * @example
 * import { fileSystemError } from 'ganfp'
 * fileSystemError('runs/a/manifest.json', 'a writable file', "EACCES: permission denied")._tag // 'FileSystem'
 * @since 0.1.0
 * @category constructors
 */
export const fileSystemError: GanErrorConstructor = make('FileSystem')

/**
 * A `FileSystem` error from what a `node:fs` call threw (its code and message), at `path`.
 *
 * @example
 * import { fileSystemErrorFrom } from 'ganfp'
 * fileSystemErrorFrom('out/x.png', 'a writable file', Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' })).actual
 * // 'EACCES: permission denied, open'
 * @since 0.1.0
 * @category constructors
 */
export const fileSystemErrorFrom = (path: string, expected: string, error: unknown): GanError =>
  fileSystemError(path, expected, error instanceof Error ? error.message : String(error))

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

/**
 * Runs `f` and gives its value, or the errors of the `GanException` it threw, as an `Either`: the
 * boundary where code that throws inside (the `…OrThrow` twins, a recipe's functions) becomes a
 * function that returns its problems. Any other exception is a bug, and is thrown on.
 *
 * @example
 * import { attemptGan, GanException, invalidConfig } from 'ganfp'
 * const result = await attemptGan(async () => { throw new GanException([invalidConfig('a', 'x', 'y')]) })
 * result._tag // 'Left'
 * @since 0.1.0
 * @category destructors
 */
export const attemptGan = async <A>(f: () => Promise<A>): Promise<E.Either<ReadonlyArray<GanError>, A>> => {
  try {
    return E.right(await f())
  } catch (error) {
    if (error instanceof GanException) return E.left(error.errors)
    throw error
  }
}
