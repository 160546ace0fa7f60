/**
 * Command-line arguments decoded against a recipe's flags, by commander (the standard parser).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { Command, Option } from 'commander'
import { invalidConfig, type GanError } from '../errors.ts'
import type { FlagValues, Flags } from '../io/flags.ts'

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  return d[a.length]![b.length]!
}

/** The flag a mistyped name most likely meant: within 2 edits (1 for names of 4 letters or fewer), if one is. */
const closestFlag = (name: string, names: ReadonlyArray<string>): string | undefined => {
  const ranked = names.map((n) => [n, distance(name, n)] as const).sort((a, b) => a[1] - b[1])
  const best = ranked[0]
  return best !== undefined && best[1] <= (name.length <= 4 ? 1 : 2) ? best[0] : undefined
}

/**
 * Decodes `argv` against the flags (read by commander, so `--lr -1` and `--lr=-1` both give `lr`
 * the text `-1` for its codec to judge); unknown flags (with the nearest known one, and the value
 * after one taken as its own), stray arguments and bad values are all reported at once. `help` is
 * true when `--help` was given; `given` names the flags the command line set (the others hold
 * their defaults).
 *
 * @example
 * import { flag, positiveIntFlag } from 'ganfp'
 * import { parseFlags } from 'ganfp/node'
 * parseFlags({ steps: flag(positiveIntFlag, 10, 'steps') }, ['--steps', '5'])
 * // { _tag: 'Right', right: { help: false, values: { steps: 5 }, given: ['steps'] } }
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseFlags = <F extends Flags>(
  flags: F,
  argv: ReadonlyArray<string>,
): E.Either<ReadonlyArray<GanError>, { readonly help: boolean; readonly values: FlagValues<F>; readonly given: ReadonlyArray<string> }> => {
  const command = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .option('--help')
  const attributes = Object.keys(flags).map((key) => {
    // A flag that stands for a value when alone (`--flip`) takes its value optionally.
    const option = new Option(flags[key]!.alone === undefined ? `--${key} <value>` : `--${key} [value]`)
    command.addOption(option)
    return [key, option.attributeName()] as const
  })
  const known = `flags among ${Object.keys(flags).map((k) => `--${k}`).join(', ')}, --help`
  try {
    command.parse([...argv], { from: 'user' })
  } catch (error) {
    return E.left([invalidConfig('argv', known, error instanceof Error ? error.message.replace(/^error: /, '') : String(error))])
  }
  const errors: Array<GanError> = []
  const rest = command.args
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    if (!arg.startsWith('-')) {
      errors.push(invalidConfig('argv', known, `stray argument ${JSON.stringify(arg)}`))
      continue
    }
    const near = closestFlag(arg.replace(/^-+/, '').split('=')[0]!, Object.keys(flags))
    errors.push(invalidConfig('argv', known, `unknown flag ${JSON.stringify(arg)}${near === undefined ? '' : ` (did you mean --${near}?)`}`))
    // `--widht 32`: the 32 is the mistyped flag's value, not a second mistake.
    if (!arg.includes('=') && i + 1 < rest.length && !rest[i + 1]!.startsWith('-')) i++
  }
  const parsed = command.opts<Record<string, string | boolean | undefined>>()
  const values: Record<string, unknown> = {}
  const given: Array<string> = []
  for (const [key, attribute] of attributes) {
    const f = flags[key]!
    const raw = parsed[attribute]
    if (raw === undefined) {
      values[key] = f.defaultValue
      continue
    }
    given.push(key)
    const text = raw === true && f.alone !== undefined ? f.alone : String(raw)
    const decoded = f.codec.decode(text)
    if (E.isRight(decoded)) values[key] = decoded.right
    else errors.push(invalidConfig(`--${key}`, (f.codec as t.Decoder<string, unknown>).name, JSON.stringify(raw)))
  }
  return errors.length > 0 ? E.left(errors) : E.right({ help: parsed['help'] === true, values: values as FlagValues<F>, given })
}
