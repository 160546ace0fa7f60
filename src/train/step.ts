/**
 * One schedule step: the phase and instance noise for the step, k discriminator updates (none
 * while pretraining), each on a fresh real batch, then one generator update and the moving
 * average. Its numbers stay on the device as one tensor (`runStep`) until someone reads them:
 * at once (`trainerStep`) or later, many steps in one transfer (`./report-queue.ts`).
 *
 * @since 0.1.0
 */
import { tf, type Tensor } from '../compile/tf.ts'
import type { Batch } from '../data/dataset.ts'
import { instanceNoiseStd, modeSeekingAt, phaseAt } from '../dsl/schedule.ts'
import { discriminatorUpdate } from './discriminator-update.ts'
import { generatorUpdate, updateGeneratorAverage } from './generator-update.ts'
import { assertLive, type TrainerState } from './state.ts'
import { reportFrom, type StepHeader } from './step-report.ts'
import type { StepReport } from './trainer-types.ts'

/**
 * Runs the next step of the schedule on `state`; its numbers stay on the device as a tensor of
 * `reportWidth` (the caller owns it). Bad data from the dataset, or a disposed trainer, throws a
 * `GanException`.
 *
 * @example
 * const { header, numbers } = await runStep(state) // header.step: state.steps
 * numbers.dispose()
 * @since 0.2.0
 * @category combinators
 */
export const runStep = async (state: TrainerState): Promise<{ readonly header: StepHeader; readonly numbers: Tensor }> => {
  assertLive(state)
  const { schedule } = state.compiled.spec
  const { phase, index } = phaseAt(schedule, state.steps + 1)
  const noiseStd = instanceNoiseStd(schedule, state.steps + 1)
  const discriminatorUpdates = phase._tag === 'Adversarial' ? schedule.discriminatorStepsPerGeneratorStep : 0
  let discriminatorStats: Tensor | undefined
  let real: Batch | undefined
  const content = phase._tag === 'Pretrain' ? phase.loss : phase.content
  try {
    for (let i = 0; i < discriminatorUpdates; i++) {
      real = await state.realBatches.next()
      discriminatorStats?.dispose()
      discriminatorStats = discriminatorUpdate(state, real, noiseStd)
    }
    // The generator needs a batch of its own when it learns from data and no discriminator
    // update drew one, or when its inputs come from the data.
    if (real === undefined && (content !== undefined || state.paired)) real = await state.realBatches.next()
  } catch (error) {
    // A bad batch fails the step: free the last update's numbers so nothing leaks.
    discriminatorStats?.dispose()
    throw error
  }
  const modeSeeking = modeSeekingAt(schedule, state.steps + 1) !== undefined
  const gLoss = generatorUpdate(state, phase, real, noiseStd)
  updateGeneratorAverage(state)
  // Pretraining runs no discriminator update: its part of the report is zeros.
  discriminatorStats ??= tf.zeros([5])
  const numbers = tf.concat([discriminatorStats, gLoss])
  discriminatorStats.dispose()
  gLoss.dispose()
  state.steps++
  return { header: { step: state.steps, phase: index, discriminatorUpdates, ...(modeSeeking ? { modeSeeking } : {}) }, numbers }
}

/**
 * Runs the next step of the schedule on `state` and reports it, read back at once in one
 * transfer; failures as `runStep`'s (the trainer's `step` returns them as a `Left`).
 *
 * @example
 * (await trainerStep(state)).step // state.steps, one more than before
 * @since 0.1.0
 * @category combinators
 */
export const trainerStep = async (state: TrainerState): Promise<StepReport> => {
  const { header, numbers } = await runStep(state)
  try {
    return reportFrom(header, await numbers.data(), 0)
  } finally {
    numbers.dispose()
  }
}
