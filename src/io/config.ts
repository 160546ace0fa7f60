/**
 * A recipe's configuration as one io-ts codec: its options (each a flag: a codec from text, a
 * default and a description) and an optional check across options. The same declaration gives
 * the command line, `--help`, the defaults and the validation of values passed in code.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { formatGanError, invalidConfig, type GanError } from '../errors.ts'
import type { FlagValues, Flags } from './flags.ts'

/**
 * A configuration codec: decodes an object of option values (text as on the command line, or
 * numbers and booleans as in code; a missing option takes its default) to the typed
 * configuration, and encodes one back to text. `options` and `check` are what `--help` and the
 * command-line parser read.
 *
 * @since 0.1.0
 * @category model
 */
export interface ConfigCodec<F extends Flags> extends t.Type<FlagValues<F>, Readonly<Record<string, string>>, unknown> {
  readonly options: F
  /** Problems across options (one option's value ruling out another's), with paths `--option`. */
  check(values: FlagValues<F>): ReadonlyArray<GanError>
}

/** An option's text for its codec: command-line text as is, numbers and booleans as written. */
const optionText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined

const codecName = (codec: t.Decoder<string, unknown>): string => codec.name

/** A value as an error shows it: its JSON (strings quoted), or its name where it has none (a symbol, a function, a bigint). */
const shown = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The options' values decoded from `input` (an object; missing options take their defaults),
 * every problem at once with the option as its path (`--width`); then `check` across options.
 */
const decodeOptions = <F extends Flags>(
  options: F,
  check: (values: FlagValues<F>) => ReadonlyArray<GanError>,
  input: unknown,
): E.Either<ReadonlyArray<GanError>, FlagValues<F>> => {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input)))
    return E.left([invalidConfig('config', 'an object of option values', Array.isArray(input) ? 'an array' : String(input))])
  const given = (input ?? {}) as Readonly<Record<string, unknown>>
  const errors: Array<GanError> = Object.keys(given)
    .filter((key) => !(key in options))
    .map((key) => invalidConfig(`--${key}`, `an option among ${Object.keys(options).map((k) => `--${k}`).join(', ') || '(none)'}`, 'an unknown option'))
  const values: Record<string, unknown> = {}
  for (const [key, option] of Object.entries(options)) {
    const raw = given[key]
    // Defaults go through the codec too, so a default the codec rejects is found, not trained on.
    const text = optionText(raw === undefined ? option.defaultValue : raw)
    const decoded = text === undefined ? undefined : option.codec.decode(text)
    if (decoded !== undefined && E.isRight(decoded)) values[key] = decoded.right
    else
      errors.push(
        invalidConfig(
          raw === undefined ? `--${key} (its default)` : `--${key}`,
          codecName(option.codec),
          shown(raw === undefined ? option.defaultValue : raw),
        ),
      )
  }
  if (errors.length > 0) return E.left(errors)
  const problems = check(values as FlagValues<F>)
  return problems.length > 0 ? E.left(problems) : E.right(values as FlagValues<F>)
}

/**
 * A configuration codec from options made with `flag`, and an optional check across them.
 *
 * @example
 * import { configCodec, flag, invalidConfig, oneOfFlag, positiveIntFlag } from 'ganfp'
 * const config = configCodec(
 *   { width: flag(positiveIntFlag, 32, 'hidden units'), data: flag(oneOfFlag(['ring', 'grid'] as const), 'ring', 'mixture') },
 *   (c) => (c.data === 'grid' && c.width < 16 ? [invalidConfig('--width', 'at least 16 for the grid', String(c.width))] : []),
 * )
 * config.decode({}) // { _tag: 'Right', right: { width: 32, data: 'ring' } }
 * config.decode({ width: '64' }) // { _tag: 'Right', right: { width: 64, data: 'ring' } }
 * config.encode({ width: 64, data: 'grid' }) // { width: '64', data: 'grid' }
 * @since 0.1.0
 * @category constructors
 */
export const configCodec = <F extends Flags>(
  options: F,
  check: (values: FlagValues<F>) => ReadonlyArray<GanError> = () => [],
): ConfigCodec<F> => {
  const codec: t.Type<FlagValues<F>, Readonly<Record<string, string>>, unknown> = new t.Type(
    `config { ${Object.keys(options).join(', ')} }`,
    (u): u is FlagValues<F> => E.isRight(decodeOptions(options, check, u)),
    (u, context) => {
      const decoded = decodeOptions(options, check, u)
      return E.isRight(decoded) ? t.success(decoded.right) : t.failures(decoded.left.map((e) => ({ value: u, context, message: formatGanError(e) })))
    },
    (values) => Object.fromEntries(Object.keys(options).map((key) => [key, String(values[key as keyof FlagValues<F>])])),
  )
  return Object.assign(codec, { options, check })
}

/**
 * A configuration decoded with `GanError`s (paths `--option`), every problem at once.
 *
 * @example
 * import { configCodec, decodeConfig, flag, positiveIntFlag } from 'ganfp'
 * const config = configCodec({ width: flag(positiveIntFlag, 32, 'hidden units') })
 * decodeConfig(config, { width: 0 }) // Left: InvalidConfig at --width: expected a positive integer, found 0
 * @since 0.1.0
 * @category parsing
 */
export const decodeConfig = <F extends Flags>(config: ConfigCodec<F>, input: unknown): E.Either<ReadonlyArray<GanError>, FlagValues<F>> =>
  decodeOptions(config.options, config.check, input)
