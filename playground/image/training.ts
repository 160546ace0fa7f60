/**
 * The page's own run: a small DCGAN (the core's `dcganGan`, latent 64) trained on the shipped
 * 2,000 MNIST digits. Steps are queued with their reports left on the device and read in one
 * transfer per `advance`, as in the 2-D mode, so that WebGPU is not stalled by a read every step.
 */
import * as E from 'fp-ts/lib/Either.js'
import { checkpointToBytes, compile, createTrainer, dcganGan, imageDataset, type GanError, type LabelledImages, type Trainer } from '../../src/index.ts'
import { advanceRun, emptyHistory, type History } from '../history.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** The widths the page offers: channels of the DCGAN's last generator block. */
export const trainingWidths = [8, 16] as const

/** The page run's settings. */
export interface TrainingSettings {
  readonly width: (typeof trainingWidths)[number]
  readonly batchSize: number
  readonly seed: number
}

/** The defaults: the smallest network, batches of 32. */
export const defaultTrainingSettings: TrainingSettings = { width: 8, batchSize: 32, seed: 1 }

/** The latent size of the page's DCGAN. */
export const trainingLatentDim = 64

/** A run in the page: its settings, its trainer, and the history of its reports. */
export interface TrainingSession {
  readonly settings: TrainingSettings
  readonly trainer: Trainer
  readonly history: History
}

/** Compiles the DCGAN and starts a trainer on `images` (step 0). */
export const startTraining = (settings: TrainingSettings, images: LabelledImages): Result<TrainingSession> =>
  E.map((trainer: Trainer) => ({ settings, trainer, history: emptyHistory() }))(
    E.flatMap(compile(dcganGan({ width: settings.width, latentDim: trainingLatentDim })), (compiled) =>
      createTrainer(compiled, imageDataset(images), { seed: settings.seed, batchSize: settings.batchSize }),
    ),
  )

/** Runs `steps` steps and records their reports (read in one transfer); resolves to the new step count. */
export const advance = (session: TrainingSession, steps: number): Promise<Result<number>> => advanceRun(session.trainer, session.history, steps)

/**
 * The run as a checkpoint in one byte string (the format on disk, wrapped by `checkpointToBytes`),
 * with the run record of `ganfp train dcgan`, so that this page and `builtinGanOf` load it again.
 */
export const checkpointOf = async (session: TrainingSession): Promise<Result<Uint8Array>> =>
  E.map((snapshot: Parameters<typeof checkpointToBytes>[0]) =>
    checkpointToBytes(snapshot, { run: { recipe: 'dcgan', config: { width: session.settings.width, 'latent-dim': trainingLatentDim }, trainedIn: 'the ganfp playground' } }),
  )(await session.trainer.snapshot())

/** Frees the run's tensors. */
export const endTraining = (session: TrainingSession): void => session.trainer.dispose()
