/**
 * Command-line flags for recipes and the CLI: each flag is an io-ts codec from its string form, a default and a
 * description, so parsing, validation and `--help` all come from one declaration.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'

/**
 * One flag: how to decode its text, its default and what it means.
 *
 * @since 0.1.0
 * @category model
 */
export interface Flag<A> {
  readonly codec: t.Decoder<string, A>
  readonly defaultValue: A
  readonly description: string
  /**
   * For an option a recipe gained later: the value that runs made before it existed behaved as,
   * which `ganfp resume` gives them instead of today's default.
   */
  readonly before?: A
  /** The text a flag written alone stands for (`--flip` for `--flip yes`); a value may still follow it. */
  readonly alone?: string
}

/**
 * @example
 * import { flag, positiveIntFlag } from 'ganfp'
 * flag(positiveIntFlag, 100, 'steps').defaultValue // 100
 * flag(positiveIntFlag, 2, 'pack size', { before: 1 }).before // 1: what older runs resume with
 * flag(oneOfFlag(['no', 'yes'] as const), 'no', 'mirror images', { alone: 'yes' }).alone // 'yes': `--flip` is `--flip yes`
 * @since 0.1.0
 * @category constructors
 */
export const flag = <A>(
  codec: t.Decoder<string, A>,
  defaultValue: A,
  description: string,
  options: { readonly before?: A; readonly alone?: string } = {},
): Flag<A> => ({
  codec,
  defaultValue,
  description,
  ...(options.before === undefined ? {} : { before: options.before }),
  ...(options.alone === undefined ? {} : { alone: options.alone }),
})

const fromString = <A>(name: string, parse: (s: string) => A | undefined): t.Type<A, string, string> =>
  new t.Type<A, string, string>(
    name,
    (u): u is A => parse(String(u)) !== undefined,
    (s, context) => {
      const value = parse(s)
      return value === undefined ? t.failure(s, context, name) : t.success(value)
    },
    String,
  )

/** Digits as a number, if it is the number they say: past 2^53 a number is rounded (a seed, a step count), so refused. */
const exactInteger = (s: string): number | undefined => (Number.isSafeInteger(Number(s)) ? Number(s) : undefined)

/** A finite number written out (not blank), if it passes `accept`. */
const numberWhere =
  (accept: (n: number) => boolean) =>
  (s: string): number | undefined => {
    const n = Number(s)
    return s.trim() !== '' && Number.isFinite(n) && accept(n) ? n : undefined
  }

const positiveNumber = numberWhere((n) => n > 0)
const nonNegativeNumber = numberWhere((n) => n >= 0)
const inUnitInterval = numberWhere((n) => n >= 0 && n < 1)
const inTruncationRange = numberWhere((n) => n > 0 && n <= 1)

/** `auto`, or what `parse` reads. */
const orAuto =
  <A>(parse: (s: string) => A | undefined) =>
  (s: string): A | 'auto' | undefined =>
    s === 'auto' ? 'auto' : parse(s)

/**
 * @example
 * import { positiveIntFlag } from 'ganfp'
 * positiveIntFlag.decode('12') // { _tag: 'Right', right: 12 }
 * @since 0.1.0
 * @category codecs
 */
export const positiveIntFlag: t.Type<number, string, string> = fromString('a positive integer', (s) =>
  /^\d+$/.test(s) && Number(s) > 0 ? exactInteger(s) : undefined,
)

/**
 * @example
 * import { nonNegativeIntFlag } from 'ganfp'
 * nonNegativeIntFlag.decode('0') // { _tag: 'Right', right: 0 }
 * @since 0.1.0
 * @category codecs
 */
export const nonNegativeIntFlag: t.Type<number, string, string> = fromString('an integer ≥ 0', (s) => (/^\d+$/.test(s) ? exactInteger(s) : undefined))

/**
 * @example
 * import { intFlag } from 'ganfp'
 * intFlag.decode('-3') // { _tag: 'Right', right: -3 }
 * @since 0.1.0
 * @category codecs
 */
export const intFlag: t.Type<number, string, string> = fromString('an integer', (s) => (/^-?\d+$/.test(s) ? exactInteger(s) : undefined))

/**
 * @example
 * import { positiveNumberFlag } from 'ganfp'
 * positiveNumberFlag.decode('1e-3') // { _tag: 'Right', right: 0.001 }
 * @since 0.1.0
 * @category codecs
 */
export const positiveNumberFlag: t.Type<number, string, string> = fromString('a number > 0', positiveNumber)

/**
 * @example
 * import { nonNegativeNumberFlag } from 'ganfp'
 * nonNegativeNumberFlag.decode('0') // { _tag: 'Right', right: 0 }
 * @since 0.1.0
 * @category codecs
 */
export const nonNegativeNumberFlag: t.Type<number, string, string> = fromString('a number ≥ 0', nonNegativeNumber)

/**
 * @example
 * import { unitIntervalFlag } from 'ganfp'
 * unitIntervalFlag.decode('0.999') // { _tag: 'Right', right: 0.999 }
 * @since 0.1.0
 * @category codecs
 */
export const unitIntervalFlag: t.Type<number, string, string> = fromString('a number in [0, 1)', inUnitInterval)

/**
 * A truncation ψ (`SampleOptions.truncation`): a number in (0, 1], 1 for none.
 *
 * @example
 * import { truncationFlag } from 'ganfp'
 * truncationFlag.decode('0.8') // { _tag: 'Right', right: 0.8 }
 * @since 0.3.0
 * @category codecs
 */
export const truncationFlag: t.Type<number, string, string> = fromString('a number in (0, 1]', inTruncationRange)

/**
 * A truncation ψ in (0, 1], or `auto` for the one the recipe picks from its other options.
 *
 * @example
 * import { truncationOrAutoFlag } from 'ganfp'
 * truncationOrAutoFlag.decode('auto') // { _tag: 'Right', right: 'auto' }
 * truncationOrAutoFlag.decode('1.5')._tag // 'Left'
 * @since 0.3.0
 * @category codecs
 */
export const truncationOrAutoFlag: t.Type<number | 'auto', string, string> = fromString('a number in (0, 1] or auto', orAuto(inTruncationRange))

/**
 * A share of a batch in (0, 1], or `auto` for the one the recipe picks from its other options (the
 * vanilla recipe's top-k floor by mixture).
 *
 * @example
 * import { shareOrAutoFlag } from 'ganfp'
 * shareOrAutoFlag.decode('0.5') // { _tag: 'Right', right: 0.5 }
 * shareOrAutoFlag.decode('0')._tag // 'Left'
 * @since 0.3.0
 * @category codecs
 */
export const shareOrAutoFlag: t.Type<number | 'auto', string, string> = fromString('a share in (0, 1] or auto', orAuto(inTruncationRange))

/**
 * @example
 * import { stringFlag } from 'ganfp'
 * stringFlag.decode('out/ring') // { _tag: 'Right', right: 'out/ring' }
 * @since 0.1.0
 * @category codecs
 */
export const stringFlag: t.Type<string, string, string> = fromString('a non-empty string', (s) => (s === '' ? undefined : s))

/**
 * A positive integer, or `auto` for a value the recipe picks from its other options (the vanilla
 * recipe's width by mixture).
 *
 * @example
 * import { positiveIntOrAutoFlag } from 'ganfp'
 * positiveIntOrAutoFlag.decode('auto') // { _tag: 'Right', right: 'auto' }
 * positiveIntOrAutoFlag.decode('128') // { _tag: 'Right', right: 128 }
 * @since 0.3.0
 * @category codecs
 */
export const positiveIntOrAutoFlag: t.Type<number | 'auto', string, string> = fromString<number | 'auto'>('a positive integer or auto', (s) =>
  s === 'auto' ? 'auto' : /^\d+$/.test(s) && Number(s) > 0 ? exactInteger(s) : undefined,
)

/**
 * A number > 0, or `auto` for a value the recipe picks from its other options (the vanilla
 * recipe's learning rate by mixture).
 *
 * @example
 * import { positiveNumberOrAutoFlag } from 'ganfp'
 * positiveNumberOrAutoFlag.decode('5e-4') // { _tag: 'Right', right: 0.0005 }
 * @since 0.3.0
 * @category codecs
 */
export const positiveNumberOrAutoFlag: t.Type<number | 'auto', string, string> = fromString('a number > 0 or auto', orAuto(positiveNumber))

/**
 * A number ≥ 0, or `auto` for a value the recipe picks from its other options (the vanilla
 * recipe's R1 weight by mixture).
 *
 * @example
 * import { nonNegativeNumberOrAutoFlag } from 'ganfp'
 * nonNegativeNumberOrAutoFlag.decode('0') // { _tag: 'Right', right: 0 }
 * nonNegativeNumberOrAutoFlag.decode('auto') // { _tag: 'Right', right: 'auto' }
 * @since 0.3.0
 * @category codecs
 */
export const nonNegativeNumberOrAutoFlag: t.Type<number | 'auto', string, string> = fromString('a number ≥ 0 or auto', orAuto(nonNegativeNumber))

/**
 * A number in [0, 1), or `auto` for a value the recipe picks from its other options (the vanilla
 * recipe's moving-average decay by mixture).
 *
 * @example
 * import { unitIntervalOrAutoFlag } from 'ganfp'
 * unitIntervalOrAutoFlag.decode('auto') // { _tag: 'Right', right: 'auto' }
 * @since 0.3.0
 * @category codecs
 */
export const unitIntervalOrAutoFlag: t.Type<number | 'auto', string, string> = fromString('a number in [0, 1) or auto', orAuto(inUnitInterval))

/**
 * A list of seeds (non-negative integers) as ranges and single values: `1-10`, `1,2,5`, `1-3,7`;
 * in the order written, no seed twice, at most 10,000.
 *
 * @example
 * import { seedListFlag } from 'ganfp'
 * seedListFlag.decode('1-3,7') // { _tag: 'Right', right: [1, 2, 3, 7] }
 * @since 0.3.0
 * @category codecs
 */
export const seedListFlag: t.Type<ReadonlyArray<number>, string, string> = new t.Type<ReadonlyArray<number>, string, string>(
  'seeds such as 1-10 or 1,2,5',
  (u): u is ReadonlyArray<number> => Array.isArray(u) && u.every((n) => Number.isSafeInteger(n) && n >= 0),
  (s, context) => {
    const seeds: Array<number> = []
    for (const part of s.split(',')) {
      const range = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
      const from = range === null ? undefined : exactInteger(range[1]!)
      const to = range === null ? undefined : range[2] === undefined ? from : exactInteger(range[2])
      if (from === undefined || to === undefined || to < from || seeds.length + (to - from + 1) > 10000) return t.failure(s, context, 'seeds such as 1-10 or 1,2,5')
      for (let seed = from; seed <= to; seed++) seeds.push(seed)
    }
    return new Set(seeds).size === seeds.length ? t.success(seeds) : t.failure(s, context, 'seeds such as 1-10 or 1,2,5, none twice')
  },
  (seeds) => seeds.join(','),
)

/**
 * @example
 * import { oneOfFlag } from 'ganfp'
 * oneOfFlag(['ring', 'grid'] as const).decode('grid') // { _tag: 'Right', right: 'grid' }
 * @since 0.1.0
 * @category codecs
 */
export const oneOfFlag = <const A extends string>(choices: ReadonlyArray<A>): t.Type<A, string, string> =>
  fromString<A>(`one of ${choices.join(', ')}`, (s) => (choices.includes(s as A) ? (s as A) : undefined))

/**
 * A set of flags, by name.
 * @since 0.1.0
 * @category model
 */
export type Flags = Readonly<Record<string, Flag<unknown>>>

/**
 * The values a set of flags decodes to.
 * @since 0.1.0
 * @category model
 */
export type FlagValues<F extends Flags> = { readonly [K in keyof F]: F[K] extends Flag<infer A> ? A : never }

/**
 * `--help` text for a set of flags.
 *
 * @example
 * import { flagsHelp, flag, positiveIntFlag } from 'ganfp'
 * flagsHelp('demo', 'a demo', { steps: flag(positiveIntFlag, 10, 'steps to run') }).includes('--steps') // true
 * @since 0.1.0
 * @category destructors
 */
export const flagsHelp = (name: string, description: string, flags: Flags, heading = 'Options:'): string => {
  const width = Math.max(12, ...Object.keys(flags).map((key) => key.length)) + 1
  return [
    `${name}: ${description}`,
    '',
    heading,
    ...Object.entries(flags).map(
      ([key, f]) =>
        // An empty default (an optional path) reads as none.
        `  --${key.padEnd(width)} ${f.description} (${(f.codec as t.Decoder<string, unknown>).name}; default ${String(f.defaultValue) || 'none'}${f.alone === undefined ? '' : `; --${key} alone: ${f.alone}`})`,
    ),
    `  --${'help'.padEnd(width)} print this help`,
  ].join('\n')
}
