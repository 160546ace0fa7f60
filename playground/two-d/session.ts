/**
 * One training run of the 2-D mode: its trainer, the history of its step reports, and what the
 * views need read from its networks. Steps are queued with their reports left on the device and
 * read in one transfer per call of `advance`, so that WebGPU is not stalled by a read every step.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  compile,
  createTrainer,
  mixtureReport,
  normalLatent,
  Rng,
  sampleLatentOrThrow,
  type GanError,
  type MixtureReport,
  type Trainer,
} from '../../src/index.ts'
import { heatmapGrid } from '../plot/heatmap.ts'
import { advanceRun, emptyHistory, type History } from '../history.ts'
import type { DataSource } from './data.ts'
import { ganOf, latentDim } from './model.ts'
import type { Settings } from './settings.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** A run: settings, data, trainer and history. */
export interface Session {
  readonly settings: Settings
  readonly source: DataSource
  readonly trainer: Trainer
  readonly history: History
  /** The generator's inputs at every readout: `sampleCount` fixed latents, then the latent grid. */
  readonly latents: Float32Array
  /** D's inputs at every readout: the heat map's grid over the view. */
  readonly heatmapPoints: Float32Array
}

/** What the views show, read from the networks at one moment. */
export interface Readout {
  readonly step: number
  /** Samples (x, y interleaved) from fixed latents: the same latents at every read. */
  readonly generated: Float32Array
  /** The generator's image of the latent grid: `manifoldLines` polylines of `manifoldPoints` points each. */
  readonly manifold: Float32Array
  /** D on the heat map's grid (`heatmapColumns` squared points over the view). */
  readonly scores: Float32Array
  /** Q1's figures for the generated samples; undefined for drawn data. */
  readonly quality: MixtureReport | undefined
}

/** Samples read for the points and for Q1 (Q1 scores 2,500). */
export const sampleCount = 2500
/** Cells along each side of the decision-surface heat map. */
export const heatmapColumns = 64
/** Lines of constant z₁, and as many of constant z₂, in the latent grid; points along each. */
export const manifoldLines = 17
export const manifoldPoints = 41
/** The latent grid spans [−latentReach, latentReach]² (±2σ of the normal latent). */
export const latentReach = 2

/** The latent grid's polylines, constant-z₁ lines first, x and y interleaved. */
const latentGrid = (): Float32Array => {
  const out = new Float32Array(2 * manifoldLines * manifoldPoints * 2)
  const at = (i: number, count: number) => -latentReach + (2 * latentReach * i) / (count - 1)
  let o = 0
  for (const constantFirst of [true, false])
    for (let line = 0; line < manifoldLines; line++)
      for (let p = 0; p < manifoldPoints; p++) {
        const [fixed, moving] = [at(line, manifoldLines), at(p, manifoldPoints)]
        out[o++] = constantFirst ? fixed : moving
        out[o++] = constantFirst ? moving : fixed
      }
  return out
}

const manifoldLatents = latentGrid()

/**
 * The readout's latents: what `trainer.sample(sampleCount, { seed })` draws (so Q1 scores the
 * samples it would), followed by the latent grid, for one generator pass.
 */
const readoutLatents = (seed: number): Float32Array => {
  const samples = sampleLatentOrThrow(normalLatent(latentDim), sampleCount, Rng.fromSeed(seed))
  const out = new Float32Array(samples.length + manifoldLatents.length)
  out.set(samples)
  out.set(manifoldLatents, samples.length)
  return out
}

/** Compiles the settings' GAN and starts a trainer on the source's data. */
export const startSession = (settings: Settings, source: DataSource): Result<Session> =>
  E.map((trainer: Trainer) => ({
    settings,
    source,
    trainer,
    history: emptyHistory(),
    latents: readoutLatents(settings.seed + 1),
    heatmapPoints: heatmapGrid(source.view, source.view, heatmapColumns, heatmapColumns),
  }))(
    E.flatMap(compile(ganOf(settings)), (compiled) =>
      createTrainer(compiled, source.dataset, { seed: settings.seed, batchSize: settings.batchSize }),
    ),
  )

/** Runs `steps` training steps and records their reports (read in one transfer); resolves to the new step count. */
export const advance = (session: Session, steps: number): Promise<Result<number>> => advanceRun(session.trainer, session.history, steps)

/**
 * Reads what the views show: samples and their Q1 figures, the warped latent grid, and D's
 * surface; two forward passes, one per network.
 */
export const readout = async (session: Session): Promise<Result<Readout>> => {
  const { trainer, source } = session
  const outputs = await trainer.generate(session.latents)
  if (E.isLeft(outputs)) return outputs
  const scores = await trainer.discriminate(session.heatmapPoints)
  if (E.isLeft(scores)) return scores
  const generated = outputs.right.subarray(0, 2 * sampleCount)
  return E.right({
    step: trainer.stepCount(),
    generated,
    manifold: outputs.right.subarray(2 * sampleCount),
    scores: scores.right,
    quality: source.mixture === undefined ? undefined : mixtureReport(source.mixture, generated),
  })
}

/** Frees the run's tensors. */
export const endSession = (session: Session): void => session.trainer.dispose()
