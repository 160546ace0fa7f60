/**
 * What both modes keep of a run's step reports, and how they advance a run: steps queued with
 * their reports left on the device, then read in one transfer, so that WebGPU is not stalled by a
 * read every step.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError, StepReport, Trainer } from '../src/index.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** The reports' numbers, one entry per step, oldest first. */
export interface History {
  readonly steps: Array<number>
  readonly discriminatorLoss: Array<number>
  readonly generatorLoss: Array<number>
  readonly realScore: Array<number>
  readonly fakeScore: Array<number>
  /** Discriminator updates over all the steps (k per adversarial step). */
  discriminatorUpdates: number
}

/** A history with no steps. */
export const emptyHistory = (): History => ({ steps: [], discriminatorLoss: [], generatorLoss: [], realScore: [], fakeScore: [], discriminatorUpdates: 0 })

const record = (history: History, reports: ReadonlyArray<StepReport>): void => {
  for (const r of reports) {
    history.steps.push(r.step)
    history.discriminatorLoss.push(r.discriminatorLoss)
    history.generatorLoss.push(r.generatorLoss)
    history.realScore.push(r.realScore)
    history.fakeScore.push(r.fakeScore)
    history.discriminatorUpdates += r.discriminatorUpdates
  }
}

/** Runs `steps` steps, then reads their reports in one transfer into `history`; resolves to the new step count. */
export const advanceRun = async (trainer: Trainer, history: History, steps: number): Promise<Result<number>> => {
  for (let i = 0; i < steps; i++) {
    const queued = await trainer.queueStep()
    if (E.isLeft(queued)) return queued
  }
  const reports = await trainer.readQueuedReports()
  if (E.isLeft(reports)) return reports
  record(history, reports.right)
  return E.right(trainer.stepCount())
}
