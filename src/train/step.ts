/**
 * One schedule step: the phase and instance noise for the step, k discriminator updates (none
 * while pretraining), each on a fresh real batch, then one generator update and the moving
 * average; their numbers read back in one transfer as a `StepReport`.
 *
 * @since 0.1.0
 */
import { tf, type Tensor } from '../compile/tf.ts'
import type { Batch } from '../data/dataset.ts'
import { instanceNoiseStd, phaseAt } from '../dsl/schedule.ts'
import { discriminatorUpdate } from './discriminator-update.ts'
import { generatorUpdate, updateGeneratorAverage } from './generator-update.ts'
import { assertLive, type TrainerState } from './state.ts'
import type { StepReport } from './trainer-types.ts'

/**
 * Runs the next step of the schedule on `state` and reports it; bad data from the dataset, or a
 * disposed trainer, throws a `GanException` (the trainer's `step` returns it as a `Left`).
 *
 * @example
 * (await trainerStep(state)).step // state.steps, one more than before
 * @since 0.1.0
 * @category combinators
 */
export const trainerStep = async (state: TrainerState): Promise<StepReport> => {
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
  const gLoss = generatorUpdate(state, phase, real, noiseStd)
  updateGeneratorAverage(state)
  // Pretraining runs no discriminator update: its part of the report is zeros.
  discriminatorStats ??= tf.zeros([5])
  const all = tf.concat([discriminatorStats, gLoss])
  discriminatorStats.dispose()
  gLoss.dispose()
  const [dLoss, dNorm, realScore, fakeScore, dPenalty, generatorLossValue, gNorm, contentValue] = await all.data()
  all.dispose()
  state.steps++
  return {
    step: state.steps,
    phase: index,
    discriminatorUpdates,
    contentLoss: contentValue!,
    discriminatorLoss: dLoss!,
    generatorLoss: generatorLossValue!,
    realScore: realScore!,
    fakeScore: fakeScore!,
    discriminatorPenalty: dPenalty!,
    discriminatorGradientNorm: dNorm!,
    generatorGradientNorm: gNorm!,
  }
}
