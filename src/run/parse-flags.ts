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

/**
 * Decodes `argv` against the flags (read by commander, so `--lr -1` and `--lr=-1` both give `lr`
 * the text `-1` for its codec to judge); unknown flags, stray arguments and bad values are all
 * reported at once. `help` is true when `--help` was given.
 *
 * @example
 * import { flag, positiveIntFlag } from 'ganfp'
 * import { parseFlags } from 'ganfp/node'
 * parseFlags({ steps: flag(positiveIntFlag, 10, 'steps') }, ['--steps', '5'])
 * // { _tag: 'Right', right: { help: false, values: { steps: 5 } } }
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseFlags = <F extends Flags>(
  flags: F,
  argv: ReadonlyArray<string>,
): E.Either<ReadonlyArray<GanError>, { readonly help: boolean; readonly values: FlagValues<F> }> => {
  const command = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .option('--help')
  const attributes = Object.keys(flags).map((key) => {
    const option = new Option(`--${key} <value>`)
    command.addOption(option)
    return [key, option.attributeName()] as const
  })
  const known = `flags among ${Object.keys(flags).map((k) => `--${k}`).join(', ')}, --help`
  try {
    command.parse([...argv], { from: 'user' })
  } catch (error) {
    return E.left([invalidConfig('argv', known, error instanceof Error ? error.message.replace(/^error: /, '') : String(error))])
  }
  const errors: Array<GanError> = command.args.map((arg) =>
    arg.startsWith('-') ? invalidConfig('argv', known, `unknown flag ${JSON.stringify(arg)}`) : invalidConfig('argv', known, `stray argument ${JSON.stringify(arg)}`),
  )
  const parsed = command.opts<Record<string, string | boolean | undefined>>()
  const values: Record<string, unknown> = {}
  for (const [key, attribute] of attributes) {
    const f = flags[key]!
    const raw = parsed[attribute]
    if (raw === undefined) {
      values[key] = f.defaultValue
      continue
    }
    const decoded = f.codec.decode(String(raw))
    if (E.isRight(decoded)) values[key] = decoded.right
    else errors.push(invalidConfig(`--${key}`, (f.codec as t.Decoder<string, unknown>).name, JSON.stringify(raw)))
  }
  return errors.length > 0 ? E.left(errors) : E.right({ help: parsed['help'] === true, values: values as FlagValues<F> })
}
