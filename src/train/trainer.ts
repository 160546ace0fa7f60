/**
 * The min-max loop. A `Trainer` owns the parameters and optimizer states of both networks and
 * interprets the schedule: each step runs k discriminator updates, each on a fresh real batch,
 * then one generator update. Every update runs inside one `tidy`, and what it replaces is
 * disposed, so the live tensor count stays flat however long a run is.
 *
 * This module assembles the trainer; its parts live beside it: checks (`batch-check.ts`), state
 * (`state.ts`), the step (`step.ts` and the two updates) and sampling (`sample.ts`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { attemptGan, getOrThrow, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import { estimateMemory } from '../compile/memory-estimate.ts'
import type { Dataset } from '../data/dataset.ts'
import { runOptionProblems } from './argument-checks.ts'
import { checkTrainerInputs } from './batch-check.ts'
import { memoryBudget, memoryBudgetErrors } from './memory-budget.ts'
import { discriminate, generate, sample } from './sample.ts'
import { checkSnapshot } from './snapshot.ts'
import { readReportQueue, enqueueReport } from './report-queue.ts'
import { assertLive, disposeState, initTrainerState, liveErrors, snapshotState, type TrainerState } from './state.ts'
import { runStep, trainerStep } from './step.ts'
import type { StepReport, Trainer, TrainerOptions, TrainerParams, TrainerRunOptions } from './trainer-types.ts'

export type { SampleOptions, StepReport, Trainer, TrainerOptions, TrainerParams, TrainerRunOptions } from './trainer-types.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

const orThrow =
  <P extends ReadonlyArray<unknown>, A>(f: (...args: P) => Promise<Result<A>>) =>
  async (...args: P): Promise<A> =>
    getOrThrow(await f(...args))

/**
 * Steps until `count`, a `Left` (yielded, then the end) or `signal`. With `readEvery` > 1 the
 * steps are queued and their reports read every `readEvery` steps and at the end.
 */
const runSteps = (
  { step, queueStep, readQueued }: { step: () => Promise<Result<StepReport>>; queueStep: () => Promise<Result<number>>; readQueued: () => Promise<Result<ReadonlyArray<StepReport>>> },
  options: TrainerRunOptions,
): AsyncIterable<Result<StepReport>> => ({
  async *[Symbol.asyncIterator]() {
    const problems = runOptionProblems(options)
    if (problems.length > 0) {
      yield E.left(problems)
      return
    }
    const { steps: count, signal, readEvery = 1 } = options
    if (readEvery <= 1) {
      for (let i = 0; i < count && signal?.aborted !== true; i++) {
        const result = await step()
        yield result
        if (E.isLeft(result)) return
      }
      return
    }
    const flush = async function* (): AsyncGenerator<Result<StepReport>, boolean> {
      const read = await readQueued()
      if (E.isLeft(read)) {
        yield read
        return false
      }
      for (const report of read.right) yield E.right(report)
      return true
    }
    for (let i = 0; i < count && signal?.aborted !== true; i++) {
      const queued = await queueStep()
      if (E.isLeft(queued)) {
        yield* flush()
        yield queued
        return
      }
      if ((i + 1) % readEvery === 0 && !(yield* flush())) return
    }
    yield* flush()
  },
})

const paramsOf = (state: TrainerState): Result<TrainerParams> => {
  const errors = liveErrors(state)
  return errors.length > 0
    ? E.left(errors)
    : E.right({ generator: state.gen.params, discriminator: state.disc.params, generatorAverage: state.generatorAverage })
}

/** The trainer's methods over `state`, each fallible one with its throwing twin. */
const trainerOver = (compiled: CompiledGan, state: TrainerState): Trainer => {
  // The method boundary: a GanException from inside becomes a Left; anything else is a bug.
  const step = () => attemptGan(() => trainerStep(state))
  const stepOrThrow = orThrow(step)
  const queueStep = () =>
    attemptGan(async () => {
      const { header, numbers } = await runStep(state)
      enqueueReport(state.reports, header, numbers)
      return header.step
    })
  const readQueued = () =>
    attemptGan(() => {
      assertLive(state)
      return readReportQueue(state.reports)
    })
  const sampleResult: Trainer['sample'] = (n, options) => attemptGan(() => sample(state, n, options))
  const generateResult: Trainer['generate'] = (latents, labels) => attemptGan(() => generate(state, latents, labels))
  const discriminateResult: Trainer['discriminate'] = (examples, labels) => attemptGan(() => discriminate(state, examples, labels))
  const snapshot = () => attemptGan(() => snapshotState(state))
  return {
    compiled,
    stepCount: () => state.steps,
    step,
    stepOrThrow,
    queueStep,
    queueStepOrThrow: orThrow(queueStep),
    readQueuedReports: readQueued,
    readQueuedReportsOrThrow: orThrow(readQueued),
    queuedReports: () => state.reports.headers.length,
    run: (options) => runSteps({ step, queueStep, readQueued }, options),
    runOrThrow: (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const result of runSteps({ step, queueStep, readQueued }, options)) yield getOrThrow(result)
      },
    }),
    sample: sampleResult,
    sampleOrThrow: orThrow(sampleResult),
    generate: generateResult,
    generateOrThrow: orThrow(generateResult),
    discriminate: discriminateResult,
    discriminateOrThrow: orThrow(discriminateResult),
    snapshot,
    snapshotOrThrow: orThrow(snapshot),
    params: () => paramsOf(state),
    paramsOrThrow: () => getOrThrow(paramsOf(state)),
    dispose: () => disposeState(state),
  }
}

/**
 * Starts a run: initialises both networks from `seed` and checks that `dataset` fits the GAN,
 * and that training it fits the memory budget (`TrainerOptions.memoryBudget`): a GAN whose
 * estimate exceeds it is refused before anything is allocated, the error naming the estimate,
 * the budget and the largest contributors by path.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { compileOrThrow, createTrainer, gan, mlp, relu, ring } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [16], relu, 2), discriminator: mlp([2], [16], relu, 1) }))
 * const trainer = createTrainer(compiled, ring(), { seed: 1, batchSize: 64 })
 * if (E.isRight(trainer)) { await trainer.right.step(); trainer.right.dispose() }
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTrainer = (
  compiled: CompiledGan,
  dataset: Dataset,
  options: TrainerOptions,
): E.Either<ReadonlyArray<GanError>, Trainer> => {
  const budget = memoryBudget(options.memoryBudget)
  const errors = [
    ...checkTrainerInputs(compiled, dataset, options),
    ...(options.resumeFrom === undefined ? [] : checkSnapshot(compiled, options.resumeFrom)),
    ...(E.isLeft(budget) ? budget.left : []),
  ]
  if (E.isLeft(budget) || errors.length > 0) return E.left(errors)
  // Estimated once the batch size is known good, and before the first tensor is made.
  const memoryErrors = memoryBudgetErrors(estimateMemory(compiled, options.batchSize), budget.right)
  if (memoryErrors.length > 0) return E.left(memoryErrors)
  return E.right(trainerOver(compiled, initTrainerState(compiled, dataset, options)))
}

/**
 * The throwing twin of `createTrainer`, for recipes and the CLI.
 *
 * @example
 * import { compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [16], relu, 2), discriminator: mlp([2], [16], relu, 1) }))
 * createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 64 }).dispose()
 *
 * @since 0.1.0
 * @category constructors
 */
export const createTrainerOrThrow = (compiled: CompiledGan, dataset: Dataset, options: TrainerOptions): Trainer =>
  getOrThrow(createTrainer(compiled, dataset, options))
