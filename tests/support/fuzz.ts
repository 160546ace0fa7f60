// What the property-based fuzz tests share: the seed (printed, so a failure reproduces), the values
// no field accepts, mutations of JSON-like values by path, and the checks of the property itself:
// a GanError or success, never another exception, nothing half-written left on disk.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { readdirSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import type { GanError } from '../../src/index.ts'

/** One seed for every property of a run: `GANFP_FUZZ_SEED=… ` replays a failure. */
export const fuzzSeed: number = (() => {
  const given = Number(process.env['GANFP_FUZZ_SEED'])
  return Number.isSafeInteger(given) ? given : Date.now() % 2 ** 31
})()

/** The cases every property has asked for in this process (the file's total is checked against it). */
export const casesRun = { count: 0 }

/** How far cases got (`reach('trained a step')`), printed after each property: a generator that stops reaching deep shows. */
const reached = new Map<string, number>()
export const reach = (label: string): void => void reached.set(label, (reached.get(label) ?? 0) + 1)

/** Checks `property` over `numRuns` generated cases with the run's seed, printed first. */
export const check = async <T>(name: string, arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => void | Promise<void>): Promise<void> => {
  console.log(`fuzz "${name}": ${numRuns} cases, seed ${fuzzSeed} (GANFP_FUZZ_SEED=${fuzzSeed} replays it)`)
  let ran = 0
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      ran++
      const started = Date.now()
      await predicate(value)
      // A slow case is not a failure, but it is worth knowing which (it may be a hang in the making).
      if (Date.now() - started > 5000) console.log(`fuzz "${name}": a case took ${Date.now() - started} ms: ${fc.stringify(value).slice(0, 2000)}`)
    }),
    { seed: fuzzSeed, numRuns },
  )
  casesRun.count += Math.min(ran, numRuns)
  console.log(`fuzz "${name}": ${[...reached].map(([label, n]) => `${n} ${label}`).join(', ') || 'all refused'}`)
  reached.clear()
}

/** Sizes and values no field accepts, or only some do: huge, zero, negative, fractional, non-finite, strings, null-ish. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1, 0.5, 2.5, -3.7, 1e9, 1e12, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE,
    'bogus', '64', '', ' ', null, undefined, true, {}, [], [Number.NaN], [0], [-1, 2], () => 1, Symbol('junk'), 10n,
  ),
  fc.integer({ min: -5, max: 70_000 }),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.jsonValue({ maxDepth: 2 }),
)

/** Every path into a value (object keys and array indices), the root included. */
export const paths = (value: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  if (typeof value !== 'object' || value === null) return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))]
}

/** A deep copy of `value` with the node at `path` replaced (nothing, when an ancestor is gone). */
export const replaceAt = (value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown => {
  if (path.length === 0) return replacement
  if (typeof value !== 'object' || value === null) return value
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v))
  const record = value as Record<string, unknown>
  return { ...record, [head!]: replaceAt(record[head!], rest, replacement) }
}

/** Values a field might well accept: the cases that get past the checks and go deeper. */
export const plausible: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: 1, max: 8 }),
  fc.double({ min: 0.01, max: 0.99, noNaN: true }),
  fc.boolean(),
  fc.constantFrom<unknown>(0, 'same', 'valid', 'none'),
)

/** One to three nodes of a value replaced, by junk or by a plausible value; the draws are indices into its paths (so shrinking works), mostly leaves. */
export const mutations = fc.array(fc.tuple(fc.nat(), fc.oneof(junk, plausible), fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) })), {
  minLength: 1,
  maxLength: 3,
})

const nodeAt = (value: unknown, path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value)

export const mutate = (
  base: unknown,
  drawn: ReadonlyArray<readonly [number, unknown, boolean]>,
  keep: (path: ReadonlyArray<string | number>) => boolean = () => true,
): unknown => {
  const all = paths(base).filter((p) => p.length > 0 && keep(p))
  const leaves = all.filter((p) => typeof nodeAt(base, p) !== 'object' || nodeAt(base, p) === null)
  return drawn.reduce((value, [at, replacement, leaf]) => {
    const candidates = leaf && leaves.length > 0 ? leaves : all
    return replaceAt(value, candidates[at % candidates.length]!, replacement)
  }, base)
}

/** A value for a failure message: JSON where it can be, cut short. */
export const show = (value: unknown): string => {
  try {
    return (JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? `${v}n` : v)) ?? String(value)).slice(0, 400)
  } catch {
    return String(value)
  }
}

export const isGanError = (e: unknown): e is GanError => {
  const error = e as Partial<GanError> | null
  return (
    typeof error === 'object' && error !== null && typeof error._tag === 'string' && typeof error.path === 'string' && typeof error.expected === 'string' && typeof error.actual === 'string'
  )
}

/** The property's check of an outcome: a Right, or a Left of at least one GanError. */
export const assertOutcome = <A>(outcome: E.Either<ReadonlyArray<GanError>, A>, what: string): E.Either<ReadonlyArray<GanError>, A> => {
  if (E.isLeft(outcome)) {
    if (!Array.isArray(outcome.left) || outcome.left.length === 0 || !outcome.left.every(isGanError))
      throw new Error(`${what}: a Left that is not a list of GanErrors: ${show(outcome.left)}`)
  } else if (!E.isRight(outcome)) throw new Error(`${what}: not an Either: ${show(outcome)}`)
  return outcome
}

/** The property's check of which errors an outcome may have. */
export const only = (outcome: E.Either<ReadonlyArray<GanError>, unknown>, allowed: ReadonlyArray<GanError['_tag']>, what: string): void => {
  if (E.isLeft(outcome) && !outcome.left.every((e) => allowed.includes(e._tag))) throw new Error(`${what}: errors other than ${allowed.join('/')}: ${show(outcome.left)}`)
}

/** JSON of a mutated value: what a file would hold (bigints have no JSON; symbols and functions drop out). */
export const toJson = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? 'null'

/**
 * Runs `f`, a function that returns its problems as values: any throw fails the property, naming
 * the input (a GanException too: only the `…OrThrow` twins throw, and none is called here).
 */
export const noThrow = async <A>(what: string, f: () => A | Promise<A>): Promise<A> => {
  try {
    return await f()
  } catch (error) {
    throw new Error(`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}, in ${what}`, { cause: error })
  }
}

/** Everything under `dir`, recursively, as paths relative to it (directories end in `/`). */
export const listTree = (dir: string, prefix = ''): Array<string> => {
  let entries: ReadonlyArray<Dirent>
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true, encoding: 'utf8' })
  } catch {
    return []
  }
  return entries.flatMap((entry) =>
    entry.isDirectory() ? [`${prefix}${entry.name}/`, ...listTree(dir, `${prefix}${entry.name}/`)] : [`${prefix}${entry.name}`],
  )
}

/** What a writer leaves when it dies mid-write: `.NAME.PID.….tmp` files and `.step-….tmp` folders. */
export const halfWritten = (dir: string): ReadonlyArray<string> => listTree(dir).filter((p) => /(^|\/)\.[^/]*\.tmp\/?$/.test(p) || /(^|\/)\.step-/.test(p))
