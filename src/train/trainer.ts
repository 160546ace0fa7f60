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
import { GanException, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import type { Dataset } from '../data/dataset.ts'
import { checkTrainerInputs } from './batch-check.ts'
import { discriminate, generate, sample } from './sample.ts'
import { checkSnapshot } from './snapshot.ts'
import { disposeState, initTrainerState, snapshotState } from './state.ts'
import { trainerStep } from './step.ts'
import type { Trainer, TrainerOptions } from './trainer-types.ts'

export type { SampleOptions, StepReport, Trainer, TrainerOptions } from './trainer-types.ts'

/**
 * Starts a run: initialises both networks from `seed` and checks that `dataset` fits the GAN.
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
  const errors = [
    ...checkTrainerInputs(compiled, dataset, options),
    ...(options.resumeFrom === undefined ? [] : checkSnapshot(compiled, options.resumeFrom)),
  ]
  if (errors.length > 0) return E.left(errors)
  const state = initTrainerState(compiled, dataset, options)
  const step = () => trainerStep(state)
  return E.right({
    compiled,
    stepCount: () => state.steps,
    step,
    run: ({ steps: count, signal }) => ({
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < count && signal?.aborted !== true; i++) yield await step()
      },
    }),
    sample: (n, sampleOptions) => sample(state, n, sampleOptions),
    generate: (latents, labels) => generate(state, latents, labels),
    discriminate: (examples, labels) => discriminate(state, examples, labels),
    snapshot: () => snapshotState(state),
    params: () => ({ generator: state.gen.params, discriminator: state.disc.params, generatorAverage: state.generatorAverage }),
    dispose: () => disposeState(state),
  })
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
export const createTrainerOrThrow = (compiled: CompiledGan, dataset: Dataset, options: TrainerOptions): Trainer => {
  const result = createTrainer(compiled, dataset, options)
  if (E.isLeft(result)) throw new GanException(result.left)
  return result.right
}
