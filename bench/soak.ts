// The long-run check of issue 18: a DCGAN run of 20,000 steps, checkpointing every 500, once
// straight through and once stopped by a real SIGINT every 2,000 steps and resumed, in one
// process. It prints live tensors and resident memory over time for both (they must stay flat:
// no leak across steps, checkpoints or resumes) and compares every logged step of the two runs
// (they must be equal: resume is exact).
//
//   XDG_RUNTIME_DIR=/tmp deno run -A bench/soak.ts [--steps 20000] [--width 2] [--batch 8]
//     [--backend cpu] [--every 2000] [--json soak.json]
//
// Not part of the unit suite: at README's size it runs for tens of minutes.
import * as E from 'fp-ts/lib/Either.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import dcgan from '../recipes/dcgan.ts'
import { tf } from '../src/compile/tf.ts'
import { withInterrupts } from '../src/cli/interrupt.ts'
import { formatGanErrors } from '../src/errors.ts'
import { resumeRun, startRun, type RunEvents, type RunSummary } from '../src/node.ts'

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '20000' },
    width: { type: 'string', default: '2' },
    batch: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'cpu' },
    every: { type: 'string', default: '2000' },
    json: { type: 'string' },
  },
})
const steps = Number(flags.steps)
const interruptEvery = Number(flags.every)
const checkpointEvery = 500

interface Sample {
  readonly step: number
  readonly tensors: number
  readonly rssMiB: number
  readonly heapMiB: number
}

const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10
const sampleAt = (step: number): Sample => ({
  step,
  tensors: tf.memory().numTensors,
  rssMiB: mib(process.memoryUsage().rss),
  heapMiB: mib(process.memoryUsage().heapUsed),
})

/** Events that record a sample every checkpoint interval, and at `interruptAt` steps send SIGINT. */
const recording = (samples: Array<Sample>, interruptAt?: (step: number) => boolean): RunEvents => ({
  step: (report) => {
    if (report.step % checkpointEvery === 0) samples.push(sampleAt(report.step))
    if (interruptAt?.(report.step) === true) process.kill(process.pid, 'SIGINT')
  },
  message: (line) => console.log(line),
  alarm: (alarm) => console.log(`alarm ${alarm.kind} at step ${alarm.step}: ${alarm.message}`),
})

const argv = (out: string): ReadonlyArray<string> => [
  '--dataset', 'fashion',
  '--width', String(flags.width),
  '--batch', String(flags.batch),
  '--steps', String(steps),
  '--backend', String(flags.backend),
  '--checkpoint-every', String(checkpointEvery),
  '--sample-every', String(steps),
  '--log-every', '10',
  '--out', out,
]

const orExit = <A>(result: E.Either<ReadonlyArray<import('../src/errors.ts').GanError>, A>): A => {
  if (E.isRight(result)) return result.right
  console.error(formatGanErrors(result.left))
  process.exit(2)
}

type Row = Record<string, number>
const losses = (dir: string): ReadonlyArray<Row> =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row)
    .map(({ step, discriminatorLoss, generatorLoss, realScore, fakeScore, discriminatorGradientNorm, generatorGradientNorm }) => ({
      step: step!,
      discriminatorLoss: discriminatorLoss!,
      generatorLoss: generatorLoss!,
      realScore: realScore!,
      fakeScore: fakeScore!,
      discriminatorGradientNorm: discriminatorGradientNorm!,
      generatorGradientNorm: generatorGradientNorm!,
    }))

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-soak-'))
const started = performance.now()
const elapsed = (): string => `${((performance.now() - started) / 60_000).toFixed(1)} min`

// 1. Straight through.
const whole = join(scratch, 'whole')
const wholeSamples: Array<Sample> = [sampleAt(0)]
const wholeSummary = orExit(await startRun(dcgan, 'builtin:dcgan', argv(whole), recording(wholeSamples)))
if (wholeSummary === 'help' || wholeSummary.ended !== 'completed') throw new Error(`the uninterrupted run ended: ${JSON.stringify(wholeSummary)}`)
console.log(`uninterrupted: ${steps} steps (${elapsed()})`)

// 2. Interrupted by SIGINT every `interruptEvery` steps, resumed each time, in this same process.
const cut = join(scratch, 'cut')
const cutSamples: Array<Sample> = [sampleAt(0)]
const stops: Array<number> = []
const interruptAt = (step: number): boolean => step % interruptEvery === 0 && step < steps
let summary: RunSummary | 'help' = await withInterrupts(console.log, async (signal) =>
  orExit(await startRun(dcgan, 'builtin:dcgan', argv(cut), recording(cutSamples, interruptAt), signal)),
)
while (summary !== 'help' && summary.ended === 'interrupted') {
  stops.push(summary.step)
  cutSamples.push({ ...sampleAt(summary.step), step: -summary.step }) // between runs: the trainer is gone
  summary = await withInterrupts(console.log, async (signal) =>
    orExit(await resumeRun(cut, async () => dcgan, { events: recording(cutSamples, interruptAt), signal })),
  )
}
if (summary === 'help' || summary.ended !== 'completed') throw new Error(`the interrupted run ended: ${JSON.stringify(summary)}`)
console.log(`interrupted at ${stops.join(', ')} and resumed each time (${elapsed()})`)

// 3. The verdicts.
const [a, b] = [losses(whole), losses(cut)]
const firstDifference = a.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(b[i]))
const equal = a.length === b.length && firstDifference === -1
const during = (samples: ReadonlyArray<Sample>) => samples.filter((s) => s.step > 0)
const spread = (samples: ReadonlyArray<Sample>, key: 'tensors' | 'rssMiB') => {
  const values = during(samples).map((s) => s[key])
  return { first: values[0]!, last: values.at(-1)!, min: Math.min(...values), max: Math.max(...values) }
}
const rows = during(wholeSamples).map((s) => {
  const c = cutSamples.find((x) => x.step === s.step)
  return `| ${s.step} | ${s.tensors} | ${s.rssMiB} | ${c?.tensors ?? '-'} | ${c?.rssMiB ?? '-'} |`
})
console.log(`\nDCGAN width ${flags.width}, batch ${flags.batch}, ${flags.backend} backend, ${steps} steps, checkpoint every ${checkpointEvery}`)
console.log('| step | tensors (straight) | RSS MiB (straight) | tensors (interrupted) | RSS MiB (interrupted) |')
console.log('| --- | --- | --- | --- | --- |')
for (const row of rows) console.log(row)
const report = {
  runtime: typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? 'deno' : typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? 'bun' : 'node',
  steps,
  width: Number(flags.width),
  batch: Number(flags.batch),
  backend: flags.backend,
  interruptedAt: stops,
  tensors: { straight: spread(wholeSamples, 'tensors'), interrupted: spread(cutSamples, 'tensors') },
  rssMiB: { straight: spread(wholeSamples, 'rssMiB'), interrupted: spread(cutSamples, 'rssMiB') },
  metrics: { rows: a.length, equal, firstDifference: firstDifference === -1 ? null : a[firstDifference] },
  minutes: Number(((performance.now() - started) / 60_000).toFixed(1)),
}
console.log(JSON.stringify(report, null, 2))
if (flags.json !== undefined) writeFileSync(flags.json, `${JSON.stringify({ ...report, samples: { straight: wholeSamples, interrupted: cutSamples } }, null, 2)}\n`)
rmSync(scratch, { recursive: true, force: true })
const flat = report.tensors.straight.min === report.tensors.straight.max && report.tensors.interrupted.min === report.tensors.interrupted.max
console.log(`tensors flat: ${flat}; metrics of ${a.length} logged steps equal: ${equal}`)
process.exit(flat && equal ? 0 : 1)
