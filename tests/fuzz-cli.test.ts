// The `ganfp` command fuzzed as users meet it (fast-check): generated command lines of every
// subcommand, with junk values, unknown flags and file-system faults for their paths, run as Bun
// subprocesses. The property: exit 0, or exit 2 with GanErrors on stderr; never exit 1, never a
// stack trace, nothing half-written, and a refused `train` leaves no run directory. The seed is
// printed (GANFP_FUZZ_SEED replays it). Spawned from the Node suite only; Deno and Bun skip it.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../src/index.ts'
import { startRun } from '../src/node.ts'
import vanilla from '../recipes/vanilla.ts'
import slantedLand from '../recipes/slanted-land.ts'
import { check, halfWritten, reach, show } from './support/fuzz.ts'
import { argvFor, faultKinds, flagValue, makeFault, npyBytes, pngBytes, type FaultKind } from './support/fuzz-inputs.ts'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const ganfp = (args: ReadonlyArray<string>) =>
  spawnSync(join(root, 'node_modules', '.bin', 'bun'), ['run', 'src/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, env })

/** A stack trace or an uncaught error as the runtimes print them. */
const stackTrace = /^\s*at\s+\S|^error: |Uncaught|^\s*\d+ \| /m

let scratch = ''
let run = ''
let caseNumber = 0

/** What a command writes to: a fresh path (usually) or a fault. `sample` renames over its target, so never a device. */
const outPath = (kinds: ReadonlyArray<FaultKind>) => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...kinds) })
// A command line cannot carry a NUL byte.
const argvFaults = faultKinds.filter((k) => k !== 'nul-byte')
const safeFaults = argvFaults.filter((k) => k !== 'dev-null')
/** Recipes fast enough to finish a 2-step run (the others get a certain mistake, and stop before training). */
const fast = ['vanilla', 'slanted-land'] as const
const slowOrBroken = ['dcgan', 'cgan', 'srgan', 'nope', 'tests/support/broken-recipe.ts', 'tests/support/not-a-recipe.ts', '/proc/ganfp.ts', ''] as const
const mistakes = [['--steps', '0'], ['--batch', '-1'], ['--seed', '1.5'], ['--no-such-flag', '1'], ['stray'], ['--backend', 'tpu']] as const
const runFlags = ['seed', 'checkpoint-every', 'keep', 'sample-every', 'log-every', 'minutes', 'threads']
const flagsOf = (recipe: string): ReadonlyArray<string> => [...Object.keys((recipe === 'slanted-land' ? slantedLand : vanilla).config.options), ...runFlags]

type Target = { readonly npy?: Uint8Array; readonly png?: Uint8Array; readonly fault?: FaultKind }
type Line = { readonly command: string; readonly args: ReadonlyArray<string | { readonly out: FaultKind | undefined }>; readonly fresh?: boolean; readonly target?: Target }

/** Mostly values a flag takes (small counts), so that some lines run; else anything. */
const value = fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 9 }).map(String) }, { weight: 1, arbitrary: flagValue })

const line: fc.Arbitrary<Line> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(...fast)
      .chain((recipe) => fc.tuple(fc.constant(recipe), fc.oneof(fc.constant([]), argvFor(flagsOf(recipe), value)), outPath(argvFaults)))
      .map(([recipe, argv, out]): Line => ({ command: 'train', args: [recipe, ...argv, '--steps', '2', '--batch', '8', ...(recipe === 'vanilla' ? ['--width', '2'] : []), '--backend', 'cpu', '--out', { out }], fresh: out === undefined })),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...slowOrBroken), argvFor(flagsOf('vanilla')), fc.constantFrom(...mistakes), outPath(argvFaults)).map(([recipe, argv, bad, out]): Line => ({ command: 'train', args: [recipe, ...argv, ...bad, '--out', { out }], fresh: out === undefined })) },
  { weight: 3, arbitrary: fc.tuple(value, value, fc.option(value, { nil: undefined, freq: 4 }), outPath(safeFaults)).map(([n, seed, label, out]): Line => ({ command: 'sample', args: ['RUN', '--n', n, '--seed', seed, ...(label === undefined ? [] : ['--label', label]), '--out', { out }] })) },
  { weight: 1, arbitrary: fc.constantFrom('-1', '0', '1.5', 'abc', '', 'NaN', '1e400', '99999999999999999999999', '2', '3', '4').map((steps): Line => ({ command: 'resume', args: ['RUN-COPY', '--steps', steps] })) },
  { weight: 1, arbitrary: fc.tuple(value, value, value, outPath(safeFaults)).map(([from, to, steps, out]): Line => ({ command: 'interpolate', args: ['RUN', '--from', from, '--to', to, '--steps', steps, '--out', { out }] })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('truncation', 'nearest', 'attribute'), flagValue).map(([command, value]): Line => ({ command, args: ['RUN', ...(command === 'truncation' ? ['--psi', value] : command === 'nearest' ? ['--n', value] : ['--from-class', value, '--to-class', '1'])] })) },
  { weight: 1, arbitrary: fc.oneof(npyBytes.map((npy): Target => ({ npy })), pngBytes.map((png): Target => ({ png })), fc.constantFrom(...safeFaults).map((fault): Target => ({ fault }))).map((target): Line => ({ command: 'eval', args: ['TARGET', '--backend', 'cpu'], target })) },
  { weight: 1, arbitrary: fc.constantFrom<ReadonlyArray<string>>([], ['nosuch'], ['--help'], ['train'], ['resume'], ['sample', '/proc/ganfp'], ['train', 'vanilla', '--widht', '2']).map((args): Line => ({ command: '', args })) },
)

describe.skipIf(runtime !== 'node')('fuzzing the ganfp command (Bun subprocesses)', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-fuzz-cli-'))
    run = join(scratch, 'run')
    const made = await startRun(vanilla, 'builtin:vanilla', ['--steps', '2', '--width', '2', '--batch', '8', '--backend', 'cpu', '--out', run])
    if (E.isLeft(made)) throw new Error(show(made.left))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('every command line ends in exit 0, or exit 2 with GanErrors: no stack trace, nothing half-written, no run directory from a refused train', async () => {
    await check('ganfp command lines', line, 40, async (l) => {
      const dir = join(scratch, `case-${caseNumber++}`)
      mkdirSync(dir)
      let fresh = ''
      const args = l.args.map((a) => {
        if (typeof a !== 'string') return a.out === undefined ? (fresh = join(dir, 'out')) : makeFault(a.out, join(dir, 'fault'))
        if (a === 'RUN') return run
        if (a === 'RUN-COPY') return (cpSync(run, join(dir, 'run'), { recursive: true }), join(dir, 'run'))
        return a
      })
      const target = l.target
      if (target !== undefined) {
        const path = target.fault !== undefined ? makeFault(target.fault, join(dir, 'fault')) : join(dir, target.npy !== undefined ? 'x.npy' : 'pngs')
        if (target.npy !== undefined) writeFileSync(path, target.npy)
        if (target.png !== undefined) (mkdirSync(path), writeFileSync(join(path, 'a.png'), target.png))
        args[0] = path
      }
      const argv = l.command === '' ? args : [l.command, ...args]
      const r = ganfp(argv)
      const what = `ganfp ${argv.map((a) => JSON.stringify(a)).join(' ')}: exit ${r.status}${r.signal === null ? '' : ` (${r.signal})`}\n${r.stderr}`
      if (r.status !== 0 && r.status !== 2) throw new Error(what)
      if (stackTrace.test(r.stderr) || stackTrace.test(r.stdout)) throw new Error(`a stack trace from ${what}\n${r.stdout.slice(-2000)}`)
      if (r.status === 2 && !/InvalidConfig|InvalidData|FileSystem|Checkpoint|UnknownLayer|ShapeMismatch|BackendUnavailable/.test(r.stderr)) throw new Error(`exit 2 without GanErrors: ${what}`)
      expect(halfWritten(scratch)).toEqual([])
      if (l.command === 'train' && l.fresh === true && r.status === 2) expect(existsSync(fresh)).toBe(false)
      reach(`${l.command || 'other'} exit ${r.status}`)
    })
  }, 600_000)
})
