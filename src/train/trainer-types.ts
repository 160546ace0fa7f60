/**
 * The trainer's public face: what `createTrainer` takes (`TrainerOptions`), what it returns
 * (`Trainer`), what a step reports (`StepReport`) and how to sample (`SampleOptions`).
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import type { Params } from '../compile/params.ts'
import type { TrainerSnapshot } from './snapshot.ts'

/**
 * What one training step reports.
 *
 * @since 0.1.0
 * @category model
 */
export interface StepReport {
  /** Generator updates done so far, this one included. */
  readonly step: number
  /** Index of the schedule phase this step belongs to. */
  readonly phase: number
  /** Discriminator updates in this step: the schedule's k in an adversarial phase, 0 in pretraining. */
  readonly discriminatorUpdates: number
  readonly discriminatorLoss: number
  readonly generatorLoss: number
  /**
   * Mean D(x) on the last real batch: a probability for the log losses, the critic's raw score
   * for least squares, Wasserstein and hinge.
   */
  readonly realScore: number
  /** Mean D(G(z)) on the last fake batch the discriminator saw, on the same scale as `realScore`. */
  readonly fakeScore: number
  /**
   * The penalties' part of `discriminatorLoss` in the last discriminator update (already scaled
   * for lazy regularisation; 0 when none applied).
   */
  readonly discriminatorPenalty: number
  /** L2 norm of the last discriminator update's gradient over all its trainable parameters. */
  readonly discriminatorGradientNorm: number
  /** L2 norm of the generator update's gradient. */
  readonly generatorGradientNorm: number
  /** The content loss's value in the generator update (before its weight; 0 without one). */
  readonly contentLoss: number
  /**
   * The mode-seeking ratio L_ms = mean|G(z₁) − G(z₂)| / mean|z₁ − z₂| in the generator update
   * (higher: more diverse); present only in steps that train with `modeSeeking` (since 0.3.0).
   */
  readonly modeSeeking?: number
}

/**
 * How `createTrainer` starts a run: the seed of all its randomness, the batch size and, to
 * continue one, a snapshot.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainerOptions {
  readonly seed: number
  readonly batchSize: number
  /**
   * Continue from a snapshot (see `Trainer.snapshot`) instead of starting fresh; it is checked
   * against the GAN first, and a mismatch is an error before any tensor is made.
   */
  readonly resumeFrom?: TrainerSnapshot
  /**
   * The most memory, in bytes, training may plan to use (`Infinity`: no limit). A GAN whose
   * estimate (`estimateMemory`) exceeds it is refused before anything is allocated. Default: the
   * environment variable `GANFP_MEMORY_BUDGET`, else half the machine's memory (see
   * `memoryBudget`).
   *
   * @since 0.2.0
   */
  readonly memoryBudget?: number
}

/**
 * How to sample: `seed` fixes the latents; for a conditional generator, `labels` are the classes
 * asked for, one per sample or one for all (default: 0, 1, …, k − 1, 0, 1, … in turn);
 * `truncation` ψ ∈ (0, 1] draws the latents nearer their centre (`truncateSampledLatents`;
 * default 1, none): more typical samples, less variety.
 *
 * @since 0.1.0
 * @category model
 */
export interface SampleOptions {
  readonly seed?: number
  readonly labels?: number | ArrayLike<number>
  /** @since 0.3.0 */
  readonly truncation?: number
}

/**
 * How many steps `Trainer.run` takes, and a signal that stops it early.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainerRunOptions {
  readonly steps: number
  readonly signal?: AbortSignal
  /**
   * Read the steps' reports every `readEvery` steps, in one transfer, instead of after each step
   * (default 1). On WebGPU each read stalls the device's queue of work: `readEvery: 50` keeps it
   * busy and yields the same reports, in bursts of 50.
   */
  readonly readEvery?: number
}

/**
 * A trainer's parameters: both networks' and the generator's moving average (when kept).
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainerParams {
  readonly generator: Params
  readonly discriminator: Params
  readonly generatorAverage: Params | undefined
}

/**
 * A training run in progress. Its fallible methods return their problems as values (bad data
 * from the dataset, bad lengths or labels, a disposed trainer); each has an `…OrThrow` twin that
 * throws them as one `GanException`. After a `Left` from `step` the run should stop: the step may
 * have applied some of its discriminator updates.
 *
 * @since 0.1.0
 * @category model
 */
export interface Trainer {
  readonly compiled: CompiledGan
  /** Generator steps done so far. */
  readonly stepCount: () => number
  /** One schedule step (k discriminator updates, then one generator update) and its report. */
  readonly step: () => Promise<E.Either<ReadonlyArray<GanError>, StepReport>>
  /** `step`'s report, or a thrown `GanException`. */
  readonly stepOrThrow: () => Promise<StepReport>
  /**
   * One schedule step whose report stays on the device, queued, until `readQueuedReports`: no
   * GPU→CPU transfer, so the device never waits for the page or the process. Resolves to the
   * step's number. Unread reports cost a few bytes of device memory each.
   */
  readonly queueStep: () => Promise<E.Either<ReadonlyArray<GanError>, number>>
  /** `queueStep`'s step number, or a thrown `GanException`. */
  readonly queueStepOrThrow: () => Promise<number>
  /**
   * The reports of every queued step, oldest first, read in one transfer; the queue is left
   * empty. A `Left` only once the trainer is disposed.
   */
  readonly readQueuedReports: () => Promise<E.Either<ReadonlyArray<GanError>, ReadonlyArray<StepReport>>>
  /** `readQueuedReports`' reports, or a thrown `GanException`. */
  readonly readQueuedReportsOrThrow: () => Promise<ReadonlyArray<StepReport>>
  /** How many steps' reports wait unread. */
  readonly queuedReports: () => number
  /**
   * Runs `steps` steps, yielding each one's result; ends after the first `Left`, and early,
   * cleanly, when `signal` aborts. With `readEvery` > 1 the reports are read and yielded in
   * bursts (reports already queued by `queueStep` come first).
   */
  readonly run: (options: TrainerRunOptions) => AsyncIterable<E.Either<ReadonlyArray<GanError>, StepReport>>
  /** `run`'s reports; the first failed step throws a `GanException`. */
  readonly runOrThrow: (options: TrainerRunOptions) => AsyncIterable<StepReport>
  /**
   * `n` generator samples in inference mode, flattened row-major; `seed` fixes the latents. They
   * come from the generator's moving average when the schedule keeps one. A `Left` for bad labels
   * or a generator whose inputs come from the data (`pairedInput()`).
   */
  readonly sample: (n: number, options?: SampleOptions) => Promise<E.Either<ReadonlyArray<GanError>, Float32Array>>
  /** `sample`'s values, or a thrown `GanException`. */
  readonly sampleOrThrow: (n: number, options?: SampleOptions) => Promise<Float32Array>
  /**
   * The generator's output for given inputs (`n × generator.inputShape`, row-major: latents, or
   * paired inputs); `labels` (n classes) for a generator with a label input. A `Left` for a length
   * that is not a multiple of the input size, or bad labels.
   */
  readonly generate: (latents: Float32Array, labels?: ArrayLike<number>) => Promise<E.Either<ReadonlyArray<GanError>, Float32Array>>
  /** `generate`'s values, or a thrown `GanException`. */
  readonly generateOrThrow: (latents: Float32Array, labels?: ArrayLike<number>) => Promise<Float32Array>
  /**
   * D(x) for examples `x` (row-major), in inference mode: probabilities for the log losses, raw
   * critic scores otherwise (the scale of `StepReport.realScore`). A `Left` as for `generate`.
   * A packed discriminator (`packed(k)`) gives one score a pack of k consecutive examples: n/k
   * scores, and a `Left` for a count n that k does not divide.
   */
  readonly discriminate: (examples: Float32Array, labels?: ArrayLike<number>) => Promise<E.Either<ReadonlyArray<GanError>, Float32Array>>
  /** `discriminate`'s values, or a thrown `GanException`. */
  readonly discriminateOrThrow: (examples: Float32Array, labels?: ArrayLike<number>) => Promise<Float32Array>
  /**
   * The whole state, read out as plain data: resuming from it (`resumeFrom`) continues this run
   * exactly, step for step, on the same backend. A `Left` only once the trainer is disposed.
   */
  readonly snapshot: () => Promise<E.Either<ReadonlyArray<GanError>, TrainerSnapshot>>
  /** `snapshot`'s value, or a thrown `GanException`. */
  readonly snapshotOrThrow: () => Promise<TrainerSnapshot>
  /**
   * The current parameters (owned by the trainer: do not dispose); `generatorAverage` is the
   * moving average that sampling uses when the schedule asks for one. A `Left` only once the
   * trainer is disposed.
   */
  readonly params: () => E.Either<ReadonlyArray<GanError>, TrainerParams>
  /** `params`' value, or a thrown `GanException`. */
  readonly paramsOrThrow: () => TrainerParams
  /** Frees every tensor the trainer holds. */
  readonly dispose: () => void
}
