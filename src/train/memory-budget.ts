/**
 * The memory budget `createTrainer` holds a GAN's estimate to (`estimateMemory`), so that a spec
 * too big for the machine is refused before anything is allocated, with the figures and the
 * paths that make it big, instead of failing deep inside tfjs or the runtime.
 *
 * The budget is, first found: the trainer's `memoryBudget` option (bytes); the environment
 * variable `GANFP_MEMORY_BUDGET` (bytes, or with a unit: `16GB`, `512MiB`; `off` for none); else
 * half the machine's memory (`os.totalmem()` on Node and Bun, `Deno.systemMemoryInfo()` on Deno,
 * `navigator.deviceMemory` in a browser, 4 GiB where none of these answers).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../errors.ts'
import { describeValue } from '../dsl/describe.ts'
import type { CompiledGan } from '../compile/gan.ts'
import { estimateMemory, formatBytes, summarizeMemoryEstimate, type MemoryEstimate } from '../compile/memory-estimate.ts'

/** The share of the machine's memory a run may plan to use when no budget is given. */
const defaultFraction = 0.5
/** What a runtime that says nothing of its memory is taken to have. */
const fallbackMachineMemory = 4 * 2 ** 30
/** How many of the largest contributors a refusal names. */
const namedContributors = 5

/**
 * A memory budget and where it came from (for messages).
 *
 * @since 0.2.0
 * @category model
 */
export interface MemoryBudget {
  readonly bytes: number
  readonly source: string
}

type Globals = {
  readonly process?: { readonly env?: Record<string, string | undefined>; readonly getBuiltinModule?: (id: string) => unknown }
  readonly Deno?: { readonly systemMemoryInfo?: () => { readonly total: number } }
  readonly navigator?: { readonly deviceMemory?: number }
}

/** `f()`, or `undefined` when it throws (a runtime without the permission or the API). */
const quietly = <A>(f: () => A): A | undefined => {
  try {
    return f()
  } catch {
    return undefined
  }
}

/** The machine's memory in bytes, and how it was learnt. Globals, not `node:os`: the core runs in pages too. */
const machineMemory = (): { readonly bytes: number; readonly from: string } => {
  const g = globalThis as Globals
  const os = quietly(() => g.process?.getBuiltinModule?.('node:os') as { totalmem?: () => number } | undefined)
  const total = quietly(() => os?.totalmem?.()) ?? quietly(() => g.Deno?.systemMemoryInfo?.().total)
  if (total !== undefined && total > 0) return { bytes: total, from: "the machine's memory" }
  const deviceGigabytes = g.navigator?.deviceMemory
  if (deviceGigabytes !== undefined && deviceGigabytes > 0) return { bytes: deviceGigabytes * 2 ** 30, from: 'navigator.deviceMemory' }
  return { bytes: fallbackMachineMemory, from: 'assumed: the runtime does not say' }
}

const unitBytes: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

/**
 * A size written as bytes or with a unit (`16GB`, `1.5 GiB`, `512MiB`); `off` is no limit
 * (`Infinity`); anything else `undefined`.
 *
 * @example
 * import { parseByteSize } from 'ganfp'
 * parseByteSize('16GB') // 16000000000
 * parseByteSize('off') // Infinity
 * @since 0.2.0
 * @category parsing
 */
export const parseByteSize = (text: string): number | undefined => {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === 'off') return Infinity
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(trimmed)
  const unit = match === null ? undefined : unitBytes[match[2] === '' ? 'b' : match[2]!]
  const bytes = match === null || unit === undefined ? undefined : Number(match[1]) * unit
  return bytes !== undefined && bytes > 0 ? bytes : undefined
}

/**
 * The budget in force: `option` (bytes; `Infinity` for none), else `GANFP_MEMORY_BUDGET`, else
 * half the machine's memory. A budget that is not a positive number of bytes is an
 * `InvalidConfig` error naming where it was set.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { memoryBudget } from 'ganfp'
 * const budget = memoryBudget(8e9)
 * E.isRight(budget) && budget.right.bytes // 8000000000
 * E.isLeft(memoryBudget(-1)) // true: InvalidConfig at memoryBudget
 * @since 0.2.0
 * @category constructors
 */
export const memoryBudget = (option?: number): E.Either<ReadonlyArray<GanError>, MemoryBudget> => {
  if (option !== undefined)
    return typeof option === 'number' && option > 0
      ? E.right({ bytes: option, source: 'the memoryBudget option' })
      : E.left([invalidConfig('memoryBudget', 'a positive number of bytes (Infinity for no limit)', describeValue(option))])
  const variable = quietly(() => (globalThis as Globals).process?.env?.['GANFP_MEMORY_BUDGET'])
  if (variable !== undefined && variable !== '') {
    const bytes = parseByteSize(variable)
    return bytes === undefined
      ? E.left([invalidConfig('GANFP_MEMORY_BUDGET', 'a size such as 16GB, 512MiB or 8000000000, or off', JSON.stringify(variable))])
      : E.right({ bytes, source: 'GANFP_MEMORY_BUDGET' })
  }
  const machine = machineMemory()
  return E.right({ bytes: defaultFraction * machine.bytes, source: `${defaultFraction * 100}% of ${formatBytes(machine.bytes)}, ${machine.from}` })
}

/**
 * Nothing when `estimate` fits `budget`; else one `InvalidConfig` error at the largest
 * contributor's path, giving the estimate, the budget and the largest contributors.
 *
 * @example
 * import { compileOrThrow, estimateMemory, gan, memoryBudgetErrors, mlp, relu } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [3], relu, 1) }))
 * memoryBudgetErrors(estimateMemory(compiled, 8), { bytes: 1000, source: 'a test' })[0]!.path // 'discriminator.layers[0]'
 * @since 0.2.0
 * @category validation
 */
export const memoryBudgetErrors = (estimate: MemoryEstimate, budget: MemoryBudget): ReadonlyArray<GanError> => {
  if (estimate.bytes.total <= budget.bytes) return []
  const largest = estimate.contributors.slice(0, namedContributors).map((c) => {
    const what = c.kind === 'parameter' ? `${c.elements.toLocaleString('en-US')} parameters` : 'activations'
    return `${c.path} ${formatBytes(c.bytes)} (${what})`
  })
  return [
    invalidConfig(
      estimate.contributors[0]?.path ?? 'memoryBudget',
      `training memory within the budget of ${formatBytes(budget.bytes)} (${budget.source}; set the memoryBudget option or GANFP_MEMORY_BUDGET to change it)`,
      `an estimate of ${summarizeMemoryEstimate(estimate).replace(/^.*training memory ≈ /, '')}`,
      `largest: ${largest.join(', ')}`,
    ),
  ]
}

/**
 * The line a run prints at its start: the parameter count and the estimate, beside the budget.
 *
 * @example
 * import { compileOrThrow, gan, memoryLine, mlp, relu } from 'ganfp'
 * memoryLine(compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [3], relu, 1) })), 8)
 * // '35 parameters (generator 22, discriminator 13); training memory ≈ 2.1 kB at batch 8 (…); budget …'
 * @since 0.2.0
 * @category destructors
 */
export const memoryLine = (compiled: CompiledGan, batchSize: number): string => {
  const budget = memoryBudget()
  const limit = E.isLeft(budget) ? '' : budget.right.bytes === Infinity ? '; no memory budget' : `; budget ${formatBytes(budget.right.bytes)} (${budget.right.source})`
  return `${summarizeMemoryEstimate(estimateMemory(compiled, batchSize))}${limit}`
}
