/**
 * The training loop of a run, shared by new and resumed runs: steps, metrics, sample grids, the
 * loss plot, checkpoints and the health alarms, until the step count, the time budget, a signal or
 * non-finite values end it; then the recipe's final outputs.
 *
 * @since 0.1.0
 */
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { useBackend, type BackendChoice, type BackendSelection } from '../compile/backend.ts'
import { deviceFence } from '../compile/device-work.ts'
import { attemptGan, getOrThrow, type GanError } from '../errors.ts'
import { outputIsLogit } from '../dsl/loss.ts'
import { phaseAt } from '../dsl/schedule.ts'
import { listCheckpointsOrThrow, writeCheckpointOrThrow } from '../node/checkpoint.ts'
import { writeFileAtomicOrThrow } from '../node/files.ts'
import type { MetricsRow, RunDirectory } from '../node/run-directory.ts'
import {
  defaultHealthThresholds,
  observeSpread,
  observeStep,
  sampleSpread,
  type Alarm,
  type HealthState,
} from '../train/health.ts'
import { classSpread, observeClassSpread } from '../train/class-collapse.ts'
import { requestedLabels } from '../train/labels.ts'
import { memoryLine } from '../train/memory-budget.ts'
import { snapshotTensorGroups, type TrainerSnapshot } from '../train/snapshot.ts'
import type { StepReport, Trainer } from '../train/trainer.ts'
import type { RunConfig } from './options.ts'
import { generatorInputsOrThrow, gridSampleCount, type RecipeSetup } from './prepare.ts'
import { resumableConfig, type RunRecord } from './record.ts'

/** How varied the data's classes are inside (see `classSpread`), from a grid-sized batch drawn with `seed`. */
const realClassSpreadRatio = async (setup: RecipeSetup, seed: number): Promise<number> => {
  const first = await setup.dataset.batches({ batchSize: gridSampleCount, seed })[Symbol.asyncIterator]().next()
  return first.done === true || first.value.labels === undefined ? 0 : classSpread(first.value.values, first.value.labels).ratio
}

/**
 * What a run tells whoever watches it (the CLI draws a progress bar from these).
 *
 * @since 0.1.0
 * @category model
 */
export interface RunEvents {
  readonly started?: (info: {
    readonly directory: string
    readonly backend: BackendSelection
    readonly firstStep: number
    readonly totalSteps: number
    readonly resumed: boolean
  }) => void
  readonly step?: (report: StepReport, info: { readonly stepsPerSecond: number; readonly activeAlarms: ReadonlyArray<string> }) => void
  readonly alarm?: (alarm: Alarm) => void
  readonly message?: (line: string) => void
}

/**
 * How a run ended.
 *
 * @since 0.1.0
 * @category model
 */
export interface RunSummary {
  readonly directory: string
  readonly ended: 'completed' | 'interrupted' | 'out of time' | 'non-finite'
  readonly step: number
  /** The newest checkpoint written (or kept), if any. */
  readonly checkpoint: string | undefined
  readonly alarms: ReadonlyArray<Alarm>
}

/** The backend `run` asks for, set up (with its wasm threads). */
export const selectBackend = (run: RunConfig): Promise<E.Either<ReadonlyArray<GanError>, BackendSelection>> =>
  useBackend(run.backend as BackendChoice, run.threads > 0 ? { wasmThreads: run.threads } : {})

/** Paths of non-finite parameter values, for the NonFinite alarm's message. */
const nonFiniteTensors = (snapshot: TrainerSnapshot): ReadonlyArray<string> =>
  snapshotTensorGroups(snapshot).flatMap(([group, tensors]) =>
    Object.entries(tensors).flatMap(([path, t]) => (t.values.every(Number.isFinite) ? [] : [`${group}.${path}`])),
  )

/**
 * Trains, filling `directory`, from the trainer's current step to `run.steps`. Shared by new and
 * resumed runs. A file that cannot be written, a failed step or a recipe function's error ends the
 * run with a `Left` (the loop calls the `…OrThrow` twins; `attemptGan` turns what they throw back).
 */
export const execute = (context: ExecuteContext): Promise<E.Either<ReadonlyArray<GanError>, RunSummary>> => attemptGan(() => train(context))

/** What `execute` trains with. */
interface ExecuteContext {
  readonly directory: RunDirectory
  readonly trainer: Trainer
  readonly setup: RecipeSetup
  readonly run: RunConfig
  readonly backend: BackendSelection
  readonly health: HealthState
  readonly rows: ReadonlyArray<MetricsRow>
  readonly resumed: boolean
  readonly events: RunEvents
  readonly signal: AbortSignal | undefined
}

const train = async (context: ExecuteContext): Promise<RunSummary> => {
  const { directory, trainer, setup, run, events } = context
  const log = (line: string): void => events.message?.(line)
  const spec = trainer.compiled.spec
  const scoreLabel = outputIsLogit(spec.loss) ? 'D(x), D(G(z))' : 'critic scores on real and generated'
  const fixedLatents = await generatorInputsOrThrow(setup, gridSampleCount, run.seed + 1)
  const rows = [...context.rows]
  let health = context.health
  const alarms: Array<Alarm> = []
  let lastCheckpoint: string | undefined
  const started = performance.now()
  const firstStep = trainer.stepCount()
  let lastPlot = 0

  const checkpoint = async (): Promise<'written' | 'non-finite'> => {
    const snapshot = await trainer.snapshotOrThrow()
    const bad = nonFiniteTensors(snapshot)
    if (bad.length > 0) {
      raise({ kind: 'NonFinite', step: snapshot.step, fatal: true, message: `non-finite values in ${bad.join(', ')} at step ${snapshot.step}` })
      return 'non-finite'
    }
    const record: RunRecord = {
      recipe: directory.manifest.recipe.name,
      config: resumableConfig(directory.manifest.config),
      phase: phaseAt(spec.schedule, Math.max(snapshot.step, 1)).index,
      health,
    }
    lastCheckpoint = writeCheckpointOrThrow(directory.checkpoints, snapshot, { run: record, keep: run.keep })
    return 'written'
  }
  const raise = (alarm: Alarm): void => {
    alarms.push(alarm)
    events.alarm?.(alarm)
  }
  const classes = trainer.compiled.generator.labelClasses
  const realClassRatio = classes === undefined ? undefined : await realClassSpreadRatio(setup, run.seed)
  const writeGrid = async (step: number): Promise<ReadonlyArray<Alarm>> => {
    const samples = await trainer.generateOrThrow(fixedLatents)
    if (setup.render !== undefined) getOrThrow(directory.writeGrid(step, setup.render(samples, 64)))
    const observed = observeSpread(health, sampleSpread(samples, 64), step, defaultHealthThresholds)
    health = observed.state
    if (classes === undefined) return observed.alarms
    // The grid draws the classes in turn (no labels given): 0, 1, …, k − 1, 0, …
    const byClass = observeClassSpread(health, classSpread(samples, requestedLabels(undefined, gridSampleCount, classes)), realClassRatio!, step)
    health = byClass.state
    return [...observed.alarms, ...byClass.alarms]
  }
  const plot = (force: boolean): void => {
    // The plot is rewritten at most every 2 s: cheap next to a step, not next to a thousand.
    if (!force && performance.now() - lastPlot < 2000) return
    getOrThrow(directory.writeLossPlot(rows, scoreLabel))
    lastPlot = performance.now()
  }

  events.started?.({ directory: directory.path, backend: context.backend, firstStep, totalSteps: run.steps, resumed: context.resumed })
  log(memoryLine(trainer.compiled, setup.batchSize))
  await setup.recipe.started?.({ config: setup.config as never, seed: run.seed, trainer, out: directory.path, log })
  for (const note of setup.dataset.notes ?? []) log(note)
  if (firstStep === 0) for (const a of await writeGrid(0)) raise(a)

  /** A step's report, as the loop sees it: health, sample grid, metrics row, phase end, checkpoint. */
  const handle = async (report: StepReport): Promise<RunSummary['ended'] | undefined> => {
    const observed = observeStep(health, report, spec.loss, defaultHealthThresholds)
    health = observed.state
    const stepAlarms = [...observed.alarms]
    if (report.step % run['sample-every'] === 0 || report.step === run.steps) stepAlarms.push(...(await writeGrid(report.step)))
    const fatal = stepAlarms.find((a) => a.fatal)
    if (fatal !== undefined) {
      // Say where the non-finite values are: read the state once, on this fatal path only.
      const bad = nonFiniteTensors(await trainer.snapshotOrThrow())
      stepAlarms[stepAlarms.indexOf(fatal)] = bad.length === 0 ? fatal : { ...fatal, message: `${fatal.message}; non-finite values in ${bad.join(', ')}` }
    }
    for (const a of stepAlarms) raise(a)
    const seconds = (performance.now() - started) / 1000
    const stepsPerSecond = (report.step - firstStep) / Math.max(seconds, 1e-9)
    if (report.step % run['log-every'] === 0 || report.step === run.steps || stepAlarms.length > 0 || report.step === 1) {
      const row: MetricsRow = { ...report, seconds, stepsPerSecond, alarms: stepAlarms.map(({ kind, message }) => ({ kind, message })) }
      rows.push(row)
      getOrThrow(directory.appendMetrics(row))
      plot(false)
    }
    events.step?.(report, { stepsPerSecond, activeAlarms: health.active })
    if (fatal === undefined && setup.recipe.phaseEnded !== undefined && phaseAt(spec.schedule, report.step + 1).index !== report.phase)
      await setup.recipe.phaseEnded?.({ config: setup.config as never, seed: run.seed, trainer, phase: report.phase, out: directory.path, log })
    if (fatal !== undefined) return 'non-finite'
    if (report.step % run['checkpoint-every'] === 0 && (await checkpoint()) === 'non-finite') return 'non-finite'
    return undefined
  }
  // Where the loop must read the queued reports: every step on cpu and wasm (their numbers are
  // already in memory), every log-every steps on WebGPU (a read stalls the device), and wherever
  // a report is due: the first and last steps, sample grids, phase ends and checkpoints. Health
  // alarms on WebGPU see a step's numbers up to log-every − 1 steps late.
  const readEvery = context.backend.name === 'webgpu' ? run['log-every'] : 1
  const mustRead = (step: number): boolean =>
    step % readEvery === 0 ||
    step === 1 ||
    step === run.steps ||
    step % run['sample-every'] === 0 ||
    step % run['checkpoint-every'] === 0 ||
    phaseAt(spec.schedule, step + 1).index !== phaseAt(spec.schedule, step).index
  const handleQueued = async (): Promise<RunSummary['ended'] | undefined> => {
    for (const report of await trainer.readQueuedReportsOrThrow()) {
      const end = await handle(report)
      if (end !== undefined) return end
    }
    return undefined
  }

  // A step's awaits can all resolve as microtasks (the cpu backend reads synchronously): yield to
  // the event loop once a step so a signal handler (Ctrl-C) runs. setImmediate suffices on Node
  // and Bun; Deno sees signals only when its loop waits, so a timer wait at least every 50 ms.
  let lastWait = performance.now()
  const yieldToSignals = async (): Promise<void> => {
    if (performance.now() - lastWait < 50) return new Promise<void>((resolve) => setImmediate(resolve))
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    lastWait = performance.now()
  }
  const inFlight: Array<Promise<void>> = []
  let ended: RunSummary['ended'] = 'completed'
  while (trainer.stepCount() < run.steps) {
    await yieldToSignals()
    if (context.signal?.aborted === true) {
      ended = 'interrupted'
      break
    }
    if (run.minutes > 0 && performance.now() - started > run.minutes * 60_000) {
      ended = 'out of time'
      break
    }
    const step = await trainer.queueStepOrThrow()
    // On WebGPU the queue would otherwise run up to log-every steps ahead of the device, and a
    // Ctrl-C would wait for all of them: wait for the step before last (cpu, wasm: done already).
    inFlight.push(deviceFence().catch(() => undefined)) // a lost device fails the next read, with its message
    if (inFlight.length > 2) await inFlight.shift()
    if (!mustRead(step)) continue
    const end = await handleQueued()
    if (end !== undefined) {
      ended = end
      break
    }
  }
  // An interrupted run still logs the steps it ran since the last read.
  if (ended === 'interrupted' || ended === 'out of time') ended = (await handleQueued()) ?? ended
  plot(true)
  if (ended !== 'non-finite' && (await checkpoint()) === 'non-finite') ended = 'non-finite'
  // A spent time budget is a planned end too: the recipe's final outputs are written (the run can
  // still be resumed for more steps).
  if ((ended === 'completed' || ended === 'out of time') && setup.recipe.evaluate !== undefined) {
    const scores = await setup.recipe.evaluate({ config: setup.config as never, seed: run.seed, trainer, out: directory.path, log })
    if (scores !== undefined) {
      const file = join(directory.path, 'evaluation.json')
      writeFileAtomicOrThrow(file, new TextEncoder().encode(`${JSON.stringify({ step: trainer.stepCount(), scores }, null, 2)}\n`))
      log(`wrote ${file}`)
    }
  }
  return {
    directory: directory.path,
    ended,
    step: trainer.stepCount(),
    checkpoint: lastCheckpoint ?? listCheckpointsOrThrow(directory.checkpoints).at(-1)?.path,
    alarms,
  }
}
