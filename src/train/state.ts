/**
 * A trainer's state: both players (parameters and optimizer state), the generator's moving
 * average, the step count, the random streams and the real-data stream, made fresh from a seed
 * or restored from a snapshot, and read out again as one. The step and sampling modules update
 * it in place; only the trainer holds it.
 *
 * @since 0.1.0
 */
import { GanException, invalidConfig, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import { frozenParams } from '../compile/frozen.ts'
import type { CompiledNetwork } from '../compile/network.ts'
import { disposeParams, mapParams, type Params } from '../compile/params.ts'
import { tf } from '../compile/tf.ts'
import type { Dataset } from '../data/dataset.ts'
import type { Perceptual } from '../dsl/content.ts'
import type { Optimizer } from '../dsl/optimizer.ts'
import { Rng } from '../random.ts'
import { dataLabelClasses } from './batch-check.ts'
import { labelClasses } from './labels.ts'
import { initOptimizerState } from './optimizer.ts'
import { realBatches, type RealBatches } from './real-batches.ts'
import { disposeReportQueue, emptyReportQueue, type ReportQueue } from './report-queue.ts'
import type { TrainerSnapshot } from './snapshot.ts'
import { restorePlayer, restoreTensors, snapshotPlayer, snapshotTensors } from './snapshot-tensors.ts'
import type { TrainerOptions } from './trainer-types.ts'
import type { Player } from './update.ts'

/**
 * Everything a trainer holds. The players, the average, the step count and `disposed` change as
 * it runs; the rest is fixed when it starts.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainerState {
  readonly compiled: CompiledGan
  readonly batchSize: number
  /** `[batchSize, ...exampleShape]`: a real batch, and the noise added to fakes. */
  readonly batchShape: ReadonlyArray<number>
  /** `[batchSize, ...generator.inputShape]`: a batch of latents or paired inputs. */
  readonly generatorInputShape: ReadonlyArray<number>
  /** The generator's inputs come from the data (`pairedInput()` latent). */
  readonly paired: boolean
  /** The class count of a conditional GAN: the range of the labels drawn for fakes. */
  readonly classes: number | undefined
  readonly latentRng: Rng
  readonly noiseRng: Rng
  readonly dataRng: Rng
  readonly realBatches: RealBatches
  /** Perceptual losses' networks and their weights: constants for the trainer's life. */
  readonly frozen: ReadonlyMap<Perceptual, { readonly network: CompiledNetwork; readonly params: Params }>
  gen: Player
  disc: Player
  generatorAverage: Params | undefined
  /** Generator steps done. */
  steps: number
  /** Steps run by `queueStep` whose reports wait on the device. */
  readonly reports: ReportQueue
  disposed: boolean
}

const freshPlayer = (network: CompiledNetwork, seed: number, optimizer: Optimizer): Player => {
  const params = network.init(seed)
  return { params, optimizer: initOptimizerState(optimizer, params, network.trainablePaths) }
}

/**
 * A trainer's starting state: both networks initialised from `options.seed`, or everything as
 * `options.resumeFrom` left it (already checked against `compiled`).
 *
 * @example
 * const state = initTrainerState(compiled, ring(), { seed: 1, batchSize: 64 })
 * state.steps // 0
 * @since 0.1.0
 * @category constructors
 */
export const initTrainerState = (compiled: CompiledGan, dataset: Dataset, options: TrainerOptions): TrainerState => {
  const { spec, generator: G, discriminator: D } = compiled
  const { batchSize } = options
  // The init seeds come first: the streams forked after them depend on this order.
  const root = Rng.fromSeed(options.seed)
  const gInitSeed = root.nextUint32()
  const dInitSeed = root.nextUint32()
  const resumed = options.resumeFrom
  const latentRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.latent)
  const noiseRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.noise)
  const dataRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.data)
  const gen = resumed === undefined ? freshPlayer(G, gInitSeed, spec.optimizers.generator) : restorePlayer(resumed.generator)
  const disc = resumed === undefined ? freshPlayer(D, dInitSeed, spec.optimizers.discriminator) : restorePlayer(resumed.discriminator)
  const batchShape = [batchSize, ...dataset.exampleShape]
  const paired = spec.latent._tag === 'Paired'
  const generatorInputShape = [batchSize, ...G.inputShape]
  const generatorAverage =
    spec.schedule.generatorAverageDecay === undefined
      ? undefined
      : resumed?.generatorAverage !== undefined
        ? restoreTensors(resumed.generatorAverage)
        : tf.tidy(() => mapParams(gen.params, (t) => tf.clone(t)))
  const frozen = new Map(compiled.frozen.map((f) => [f.loss, { network: f.network, params: frozenParams(f) }] as const))
  const expected = { batchShape, pairedShape: paired ? generatorInputShape : undefined, classes: dataLabelClasses(compiled) }
  return {
    compiled,
    batchSize,
    batchShape,
    generatorInputShape,
    paired,
    classes: labelClasses(compiled),
    latentRng,
    noiseRng,
    dataRng,
    realBatches: realBatches(dataset, batchSize, dataRng, expected, { batchesSeen: resumed?.batchesSeen ?? 0, cursor: resumed?.dataCursor }),
    frozen,
    gen,
    disc,
    generatorAverage,
    steps: resumed?.step ?? 0,
    reports: emptyReportQueue(),
    disposed: false,
  }
}

/**
 * Nothing while the trainer is live; the error at path `trainer` once it is disposed.
 *
 * @example
 * liveErrors(state) // [] until disposeState(state)
 * @since 0.1.0
 * @category validation
 */
export const liveErrors = (state: TrainerState): ReadonlyArray<GanError> =>
  state.disposed ? [invalidConfig('trainer', 'a live trainer', 'a disposed trainer')] : []

/**
 * Throws `liveErrors` as a `GanException`; the trainer's methods turn it back into a `Left`.
 *
 * @example
 * assertLive(state) // throws a GanException at path 'trainer' once disposed
 * @since 0.1.0
 * @category validation
 */
export const assertLive = (state: TrainerState): void => {
  const errors = liveErrors(state)
  if (errors.length > 0) throw new GanException(errors)
}

/**
 * The whole state as plain data (see `Trainer.snapshot`).
 *
 * @example
 * (await snapshotState(state)).step // state.steps
 * @since 0.1.0
 * @category destructors
 */
export const snapshotState = async (state: TrainerState): Promise<TrainerSnapshot> => {
  assertLive(state)
  return {
    step: state.steps,
    batchesSeen: state.realBatches.batchesSeen(),
    rng: { latent: state.latentRng.state(), noise: state.noiseRng.state(), data: state.dataRng.state() },
    dataCursor: state.realBatches.cursor(),
    generator: await snapshotPlayer(state.gen),
    discriminator: await snapshotPlayer(state.disc),
    generatorAverage: state.generatorAverage === undefined ? undefined : await snapshotTensors(state.generatorAverage),
  }
}

/**
 * Frees every tensor the state holds, once; later calls do nothing.
 *
 * @example
 * disposeState(state)
 * state.disposed // true
 * @since 0.1.0
 * @category destructors
 */
export const disposeState = (state: TrainerState): void => {
  if (state.disposed) return
  state.disposed = true
  for (const player of [state.gen, state.disc])
    for (const t of [...Object.values(player.params), ...Object.values(player.optimizer.slots)]) t.dispose()
  if (state.generatorAverage !== undefined) disposeParams(state.generatorAverage)
  for (const { params } of state.frozen.values()) disposeParams(params)
  disposeReportQueue(state.reports)
}
