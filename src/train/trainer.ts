/**
 * The min-max loop. A `Trainer` owns the parameters and optimizer states of both networks and
 * interprets the schedule: each step runs k discriminator updates, each on a fresh real batch,
 * then one generator update. Every update runs inside one `tidy`, and what it replaces is
 * disposed, so the live tensor count stays flat however long a run is.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { GanException, invalidConfig, invalidData, shapeMismatch, type GanError } from '../errors.ts'
import { sampleLatent, type CompiledGan } from '../compile/gan.ts'
import { discriminatorLoss, generatorLoss } from '../compile/loss.ts'
import { penaltyValue } from '../compile/penalty.ts'
import { contentLossValue } from '../compile/content.ts'
import { frozenParams } from '../compile/frozen.ts'
import { instanceNoiseStd, phaseAt, type Phase } from '../dsl/schedule.ts'
import { outputIsLogit } from '../dsl/loss.ts'
import { disposeParams, mapParams, type Params } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import type { Batch, Dataset } from '../data/dataset.ts'
import type { Gan } from '../dsl/gan.ts'
import { Rng } from '../random.ts'
import { formatShape, isPositiveInt } from '../shape/describe.ts'
import { initOptimizerState, type OptimizerState } from './optimizer.ts'
import { checkSnapshot, type DataCursor, type PlayerSnapshot, type TensorData, type TrainerSnapshot } from './snapshot.ts'
import { disposeReplaced, gradientUpdate, type Player } from './update.ts'

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
}

/**
 * How to sample: `seed` fixes the latents; for a conditional generator, `labels` are the classes
 * asked for, one per sample or one for all (default: 0, 1, …, k − 1, 0, 1, … in turn).
 *
 * @since 0.1.0
 * @category model
 */
export interface SampleOptions {
  readonly seed?: number
  readonly labels?: number | ArrayLike<number>
}

/**
 * A training run in progress.
 *
 * @since 0.1.0
 * @category model
 */
export interface Trainer {
  readonly compiled: CompiledGan
  /** Generator steps done so far. */
  readonly stepCount: () => number
  /** One schedule step: k discriminator updates, then one generator update. */
  readonly step: () => Promise<StepReport>
  /** Runs `steps` steps, yielding each report; stops early, cleanly, when `signal` aborts. */
  readonly run: (options: { readonly steps: number; readonly signal?: AbortSignal }) => AsyncIterable<StepReport>
  /**
   * `n` generator samples in inference mode, flattened row-major; `seed` fixes the latents. They
   * come from the generator's moving average when the schedule keeps one.
   */
  readonly sample: (n: number, options?: SampleOptions) => Promise<Float32Array>
  /**
   * The generator's output for given inputs (`n × generator.inputShape`, row-major: latents, or
   * paired inputs); `labels` (n classes) for a generator with a label input.
   */
  readonly generate: (latents: Float32Array, labels?: ArrayLike<number>) => Promise<Float32Array>
  /**
   * D(x) for examples `x` (row-major), in inference mode: probabilities for the log losses, raw
   * critic scores otherwise (the scale of `StepReport.realScore`).
   */
  readonly discriminate: (examples: Float32Array, labels?: ArrayLike<number>) => Promise<Float32Array>
  /**
   * The current parameters (owned by the trainer: do not dispose); `generatorAverage` is the
   * moving average that sampling uses when the schedule asks for one.
   */
  /**
   * The whole state, read out as plain data: resuming from it (`resumeFrom`) continues this run
   * exactly, step for step, on the same backend.
   */
  readonly snapshot: () => Promise<TrainerSnapshot>
  readonly params: () => {
    readonly generator: Params
    readonly discriminator: Params
    readonly generatorAverage: Params | undefined
  }
  /** Frees every tensor the trainer holds. */
  readonly dispose: () => void
}

const checkOptions = (options: TrainerOptions): ReadonlyArray<GanError> => [
  ...(isPositiveInt(options.batchSize) ? [] : [invalidConfig('batchSize', 'a positive integer', String(options.batchSize))]),
  ...(Number.isInteger(options.seed) ? [] : [invalidConfig('seed', 'an integer', String(options.seed))]),
]

const checkDatasetShape = (compiled: CompiledGan, dataset: Dataset): ReadonlyArray<GanError> => {
  const expected = compiled.discriminator.inputShape
  const actual = dataset.exampleShape
  return expected.length === actual.length && expected.every((d, i) => d === actual[i])
    ? []
    : [
        shapeMismatch(
          `data(${dataset.name}).exampleShape`,
          `${formatShape(expected)} (discriminator.inputShape)`,
          formatShape(actual),
        ),
      ]
}

/** Paired data (`pairedInput()` latent) and a dataset with pairs of the generator's input shape go together. */
const checkPairs = (compiled: CompiledGan, dataset: Dataset): ReadonlyArray<GanError> => {
  const path = `data(${dataset.name}).pairedInputShape`
  const expected = compiled.generator.inputShape
  if (compiled.spec.latent._tag !== 'Paired') return []
  if (dataset.pairedInputShape === undefined)
    return [invalidData(path, `${formatShape(expected)} (the latent is pairedInput())`, 'none: the data has no pairs')]
  return sameShape(dataset.pairedInputShape, expected)
    ? []
    : [shapeMismatch(path, `${formatShape(expected)} (generator.inputShape)`, formatShape(dataset.pairedInputShape))]
}

/**
 * The classes the data's labels must carry, when the trainer reads them: for a conditional
 * discriminator, or for a conditional generator whose inputs come from the data (paired).
 */
const dataLabelClasses = (compiled: CompiledGan): number | undefined =>
  compiled.discriminator.labelClasses ?? (compiled.spec.latent._tag === 'Paired' ? compiled.generator.labelClasses : undefined)

/** A conditional GAN that reads labels from its data needs data labelled with as many classes. */
const checkLabels = (compiled: CompiledGan, dataset: Dataset): ReadonlyArray<GanError> => {
  const classes = dataLabelClasses(compiled)
  if (classes === undefined) return []
  return dataset.numClasses === classes
    ? []
    : [
        invalidData(
          `data(${dataset.name}).numClasses`,
          `${classes} (the networks' label classes)`,
          dataset.numClasses === undefined ? 'none: the data has no labels' : String(dataset.numClasses),
        ),
      ]
}

/**
 * The class count of a conditional GAN (either network has a label input), else `undefined`.
 *
 * @example
 * import { compileOrThrow, gan, mlp, relu, labelClasses } from 'ganfp'
 * labelClasses(compileOrThrow(gan({ generator: mlp([4], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))) // undefined
 * @since 0.1.0
 * @category model
 */
export const labelClasses = (compiled: CompiledGan): number | undefined =>
  compiled.generator.labelClasses ?? compiled.discriminator.labelClasses

/**
 * Labels for `n` samples from what a caller asked (one class for all, or one per sample), every
 * one checked against the class count; `undefined` asks for 0, 1, …, k − 1 in turn.
 *
 * @example
 * import { requestedLabels } from 'ganfp'
 * Array.from(requestedLabels(undefined, 5, 3)) // [0, 1, 2, 0, 1]
 * @since 0.1.0
 * @category sampling
 */
export const requestedLabels = (labels: number | ArrayLike<number> | undefined, n: number, classes: number): Int32Array => {
  const out =
    labels === undefined
      ? Int32Array.from({ length: n }, (_, i) => i % classes)
      : typeof labels === 'number'
        ? new Int32Array(n).fill(labels)
        : Int32Array.from(labels)
  const problems: Array<GanError> = []
  if (out.length !== n) problems.push(invalidData('labels.length', String(n), String(out.length)))
  out.forEach((label, i) => {
    const asked = typeof labels === 'object' ? labels[i] : labels
    if (problems.length < 10 && (!Number.isInteger(asked ?? label) || label < 0 || label >= classes))
      problems.push(invalidData(typeof labels === 'object' ? `labels[${i}]` : 'label', `a class in [0, ${classes})`, String(asked)))
  })
  if (problems.length > 0) throw new GanException(problems)
  return out
}

const sameShape = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => a.length === b.length && a.every((d, i) => d === b[i])

const checkValues = (values: Float32Array | undefined, size: number, path: string): void => {
  if (values === undefined || values.length !== size)
    throw new GanException([invalidData(`${path}.length`, String(size), values === undefined ? 'none' : String(values.length))])
  for (let i = 0; i < size; i++)
    if (!Number.isFinite(values[i]!)) throw new GanException([invalidData(`${path}[${i}]`, 'a finite number', String(values[i]))])
}

/** Each real batch is checked at the boundary, so bad data never fails deep inside tfjs. */
const checkBatch = (
  batch: Batch,
  expectedShape: ReadonlyArray<number>,
  pairedShape: ReadonlyArray<number> | undefined,
  classes: number | undefined,
  dataset: string,
  index: number,
): void => {
  const path = `data(${dataset}).batch[${index}]`
  if (!sameShape(batch.shape, expectedShape))
    throw new GanException([invalidData(`${path}.shape`, formatShape(expectedShape), formatShape(batch.shape))])
  checkValues(batch.values, expectedShape.reduce((a, b) => a * b, 1), `${path}.values`)
  if (pairedShape !== undefined) checkValues(batch.pairedInput, pairedShape.reduce((a, b) => a * b, 1), `${path}.pairedInput`)
  if (classes !== undefined) {
    const n = expectedShape[0]!
    if (batch.labels === undefined || batch.labels.length !== n)
      throw new GanException([invalidData(`${path}.labels.length`, String(n), batch.labels === undefined ? 'none' : String(batch.labels.length))])
    batch.labels.forEach((label, i) => {
      if (!(label >= 0 && label < classes)) throw new GanException([invalidData(`${path}.labels[${i}]`, `a class in [0, ${classes})`, String(label))])
    })
  }
}

const snapshotTensors = async (params: Params): Promise<Record<string, TensorData>> => {
  const out: Record<string, TensorData> = {}
  for (const [path, t] of Object.entries(params)) out[path] = { shape: [...t.shape], values: (await t.data()) as Float32Array }
  return out
}

const snapshotPlayer = async (player: Player): Promise<PlayerSnapshot> => ({
  params: await snapshotTensors(player.params),
  optimizerUpdates: player.optimizer.updates,
  optimizerSlots: await snapshotTensors(player.optimizer.slots),
})

const restoreTensors = (tensors: Readonly<Record<string, TensorData>>): Params =>
  Object.fromEntries(Object.entries(tensors).map(([path, t]) => [path, tf.tensor(t.values, [...t.shape], 'float32')]))

const restorePlayer = (snapshot: PlayerSnapshot): Player => {
  const optimizer: OptimizerState = { updates: snapshot.optimizerUpdates, slots: restoreTensors(snapshot.optimizerSlots) }
  return { params: restoreTensors(snapshot.params), optimizer }
}

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
    ...checkOptions(options),
    ...checkDatasetShape(compiled, dataset),
    ...checkPairs(compiled, dataset),
    ...checkLabels(compiled, dataset),
    ...(options.resumeFrom === undefined ? [] : checkSnapshot(compiled, options.resumeFrom)),
  ]
  if (errors.length > 0) return E.left(errors)

  const { spec, generator: G, discriminator: D } = compiled
  const { batchSize } = options
  const root = Rng.fromSeed(options.seed)
  const gInitSeed = root.nextUint32()
  const dInitSeed = root.nextUint32()
  const resumed = options.resumeFrom
  const latentRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.latent)
  const noiseRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.noise)
  const dataRng = resumed === undefined ? root.fork() : Rng.fromState(resumed.rng.data)
  const freshPlayer = (network: CompiledGan['generator'], seed: number, optimizer: Gan['optimizers']['generator']): Player => {
    const params = network.init(seed)
    return { params, optimizer: initOptimizerState(optimizer, params, network.trainablePaths) }
  }
  let gen: Player =
    resumed === undefined ? freshPlayer(G, gInitSeed, spec.optimizers.generator) : restorePlayer(resumed.generator)
  let disc: Player =
    resumed === undefined ? freshPlayer(D, dInitSeed, spec.optimizers.discriminator) : restorePlayer(resumed.discriminator)
  const batchShape = [batchSize, ...dataset.exampleShape]
  const paired = spec.latent._tag === 'Paired'
  const generatorInputShape = [batchSize, ...G.inputShape]
  const pairedShape = paired ? generatorInputShape : undefined
  const classes = labelClasses(compiled)
  const dataClasses = dataLabelClasses(compiled)
  const averageDecay = spec.schedule.generatorAverageDecay
  let generatorAverage: Params | undefined =
    averageDecay === undefined
      ? undefined
      : resumed?.generatorAverage !== undefined
        ? restoreTensors(resumed.generatorAverage)
        : tf.tidy(() => mapParams(gen.params, (t) => tf.clone(t)))
  // Perceptual losses' networks: constants for the trainer's life.
  const frozen = new Map(compiled.frozen.map((f) => [f.loss, { network: f.network, params: frozenParams(f) }] as const))
  let steps = resumed?.step ?? 0
  let batchesSeen = resumed?.batchesSeen ?? 0
  let disposed = false
  let realBatches: AsyncIterator<Batch> | undefined
  let cursor: DataCursor | undefined = resumed?.dataCursor

  const openEpoch = (seed: number): AsyncIterator<Batch> => dataset.batches({ batchSize, seed })[Symbol.asyncIterator]()

  const nextRealBatch = async (): Promise<Batch> => {
    // A resumed run reopens its epoch and skips the batches already used, on its first batch.
    if (realBatches === undefined && cursor !== undefined) {
      realBatches = openEpoch(cursor.epochSeed)
      for (let skipped = 0; skipped < cursor.batchesIntoEpoch; skipped++)
        if ((await realBatches.next()).done)
          throw new GanException([
            invalidData(`data(${dataset.name})`, `at least ${cursor.batchesIntoEpoch} batches in the resumed epoch`, 'fewer'),
          ])
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (realBatches === undefined || cursor === undefined) {
        const epochSeed = dataRng.nextUint32()
        realBatches = openEpoch(epochSeed)
        cursor = { epochSeed, batchesIntoEpoch: 0 }
      }
      const next = await realBatches.next()
      if (!next.done) {
        checkBatch(next.value, batchShape, pairedShape, dataClasses, dataset.name, batchesSeen)
        batchesSeen++
        cursor = { epochSeed: cursor.epochSeed, batchesIntoEpoch: cursor.batchesIntoEpoch + 1 }
        return next.value
      }
      realBatches = undefined // an epoch ended: start the next one with a new order
      cursor = undefined
    }
    throw new GanException([invalidData(`data(${dataset.name})`, 'at least one batch per epoch', 'an empty epoch')])
  }

  /** What a step reports of D's outputs: probabilities for the log losses, raw critic scores otherwise. */
  const asScore = (outputs: Tensor): Tensor => (outputIsLogit(spec.loss) ? tf.sigmoid(outputs) : outputs)

  /**
   * One discriminator update on a real batch; reports [loss, gradient norm, mean D(x),
   * mean D(G(z)), penalty]. The penalties due on this update (lazy ones every n-th, scaled by n)
   * are part of the loss.
   */
  const discriminatorUpdate = (real: Batch, noiseStd: number): Tensor => {
    const z = generatorInput(real)
    const fakeLabels = generatorLabels(real)
    const realLabels = D.labelClasses === undefined ? undefined : tf.tensor1d(real.labels!, 'int32')
    // An unconditional generator's fakes are shown to a conditional discriminator as random classes.
    const fakeLabelsForD = D.labelClasses === undefined ? undefined : (fakeLabels ?? sampledLabels())
    const seeds = [noiseRng.nextUint32(), noiseRng.nextUint32(), noiseRng.nextUint32()]
    const update = disc.optimizer.updates + 1
    const due = spec.penalties.filter((penalty) => update % penalty.every === 0)
    // Drawn only when a penalty is due, so runs without penalties keep their random streams.
    const penaltySeed = due.length > 0 ? noiseRng.nextUint32() : 0
    const epsilon = due.some((penalty) => penalty._tag === 'GradientPenalty') ? tf.tensor1d(noiseRng.uniforms(batchSize)) : tf.zeros([0])
    const realBatch = withInstanceNoise(tf.tensor(real.values, [...real.shape]), noiseStd)
    const fake = withInstanceNoise(tf.tidy(() => G.apply(gen.params, z, { training: true, seed: seeds[0]! }, fakeLabels)), noiseStd)
    z.dispose()
    const { player, report } = gradientUpdate(disc, D.trainablePaths, spec.optimizers.discriminator, (params) => {
      // Neither the data nor the (constant) fakes need an input gradient.
      const onReal = D.forward(params, realBatch, { training: true, seed: seeds[1]!, inputGradient: false }, realLabels)
      const onFake = D.forward({ ...params, ...onReal.stateUpdates }, fake, { training: true, seed: seeds[2]!, inputGradient: false }, fakeLabelsForD)
      const adversarial = discriminatorLoss(spec.loss, onReal.output, onFake.output)
      const penalty =
        due.length === 0
          ? tf.scalar(0)
          : tf.addN(
              due.map((p) => tf.mul(penaltyValue(p, D, params, { real: realBatch, fake, epsilon, seed: penaltySeed, realLabels, fakeLabels: fakeLabelsForD }), p.every)),
            )
      return {
        loss: due.length === 0 ? adversarial : tf.add(adversarial, penalty),
        stateUpdates: { ...onReal.stateUpdates, ...onFake.stateUpdates },
        metrics: tf.stack([tf.mean(asScore(onReal.output)), tf.mean(asScore(onFake.output)), penalty]),
      }
    })
    for (const t of [realBatch, fake, epsilon, realLabels, fakeLabels, fakeLabelsForD]) t?.dispose()
    const clipped = clipWeights(player)
    disposeReplaced(disc, clipped)
    disc = clipped
    return report
  }

  /** WGAN's weight clipping, after every critic update: trainable parameters into [−c, c]. */
  const clipWeights = (player: Player): Player => {
    const clip = spec.loss._tag === 'Wasserstein' ? spec.loss.weightClip : undefined
    if (clip === undefined) return player
    const clippedParams = tf.tidy(() =>
      Object.fromEntries(D.trainablePaths.map((path) => [path, tf.clipByValue(player.params[path]!, -clip, clip)])),
    )
    for (const path of D.trainablePaths) player.params[path]!.dispose()
    return { ...player, params: { ...player.params, ...clippedParams } }
  }

  /** Uniformly drawn classes for a batch, from the latent stream (conditional GANs only draw them). */
  const sampledLabels = (): Tensor => {
    const labels = new Int32Array(batchSize)
    for (let i = 0; i < batchSize; i++) labels[i] = latentRng.int(classes!)
    return tf.tensor1d(labels, 'int32')
  }

  /** A conditional generator's classes for a batch: the data's for paired data, else drawn. */
  const generatorLabels = (real: Batch | undefined): Tensor | undefined =>
    G.labelClasses === undefined ? undefined : paired ? tf.tensor1d(real!.labels!, 'int32') : sampledLabels()

  /** The generator's inputs for a batch: its paired inputs, or fresh latents. */
  const generatorInput = (real: Batch | undefined): Tensor =>
    paired
      ? tf.tensor(real!.pairedInput!, generatorInputShape)
      : tf.tensor(sampleLatent(spec.latent, batchSize, latentRng), generatorInputShape)

  /** x plus Gaussian noise of standard deviation `std` (drawn in JavaScript, for determinism); x itself is consumed. */
  const withInstanceNoise = (x: Tensor, std: number): Tensor => {
    if (std === 0) return x
    const noisy = tf.add(x, tf.tensor(noiseRng.normals(x.size, 0, std), x.shape))
    x.dispose()
    return noisy
  }

  /**
   * One generator update in `phase`; reports [loss, gradient norm, content loss]. `real` is the
   * step's last real batch: the content loss's targets (paired data) or real features.
   */
  const generatorUpdate = (phase: Phase, real: Batch | undefined, noiseStd: number): Tensor => {
    const z = generatorInput(real)
    const fakeLabels = generatorLabels(real)
    const fakeLabelsForD = D.labelClasses === undefined ? undefined : (fakeLabels ?? sampledLabels())
    const realLabels = D.labelClasses === undefined || real === undefined ? undefined : tf.tensor1d(real.labels!, 'int32')
    const seeds = [noiseRng.nextUint32(), noiseRng.nextUint32()]
    const content = phase._tag === 'Pretrain' ? phase.loss : phase.content
    const contentWeight = phase._tag === 'Pretrain' ? 1 : phase.contentWeight
    const adversarialWeight = phase._tag === 'Pretrain' ? 0 : phase.adversarialWeight
    const noise = noiseStd === 0 ? undefined : tf.tensor(noiseRng.normals(batchSize * D.inputShape.reduce((a, b) => a * b, 1), 0, noiseStd), batchShape)
    const target = content === undefined ? undefined : tf.tensor(real!.values, batchShape)
    const { player, report } = gradientUpdate(gen, G.trainablePaths, spec.optimizers.generator, (params) => {
      const generated = G.forward(params, z, { training: true, seed: seeds[0]!, inputGradient: false }, fakeLabels)
      // The discriminator's own batch-norm statistics are updated in its own step only, and its
      // parameters are constants here: only input gradients flow through it.
      const adversarial =
        adversarialWeight === 0
          ? tf.scalar(0)
          : tf.mul(
              generatorLoss(
                spec.loss,
                D.apply(
                  disc.params,
                  noise === undefined ? generated.output : tf.add(generated.output, noise),
                  { training: true, seed: seeds[1]!, paramGradients: false },
                  fakeLabelsForD,
                ),
              ),
              adversarialWeight,
            )
      const contentValue =
        content === undefined
          ? tf.scalar(0)
          : contentLossValue(content, generated.output, target!, {
              discriminator: (x, layer, asConstant) =>
                D.features(disc.params, x, { training: true, seed: seeds[1]!, paramGradients: false, inputGradient: !asConstant }, layer, asConstant ? realLabels : fakeLabelsForD),
              frozen: (loss, x, asConstant) => {
                const { network, params } = frozen.get(loss)!
                const mapped = tf.add(tf.mul(x, loss.inputScale), loss.inputShift)
                return network.features(params, mapped, { training: false, paramGradients: false, inputGradient: !asConstant }, loss.layer)
              },
            })
      return {
        loss: content === undefined ? adversarial : tf.add(adversarial, tf.mul(contentValue, contentWeight)),
        stateUpdates: generated.stateUpdates,
        metrics: tf.reshape(contentValue, [1]),
      }
    })
    for (const t of [z, noise, target, fakeLabels, fakeLabelsForD, realLabels]) t?.dispose()
    disposeReplaced(gen, player)
    gen = player
    return report
  }

  /**
   * Moves the average towards the generator just trained. The decay ramps up as
   * min(decay, (1 + n) / (10 + n)), as TensorFlow's ExponentialMovingAverage does, so the average
   * is not dominated by the random initial weights early in a run.
   */
  const updateGeneratorAverage = (): void => {
    if (generatorAverage === undefined || averageDecay === undefined) return
    const decay = Math.min(averageDecay, (1 + steps) / (10 + steps))
    const old = generatorAverage
    generatorAverage = tf.tidy(() =>
      mapParams(old, (average, path) => tf.add(tf.mul(average, decay), tf.mul(gen.params[path]!, 1 - decay))),
    )
    disposeParams(old)
  }

  const assertLive = (): void => {
    if (disposed) throw new GanException([invalidConfig('trainer', 'a live trainer', 'a disposed trainer')])
  }

  const step = async (): Promise<StepReport> => {
    assertLive()
    const { phase, index } = phaseAt(spec.schedule, steps + 1)
    const noiseStd = instanceNoiseStd(spec.schedule, steps + 1)
    const discriminatorUpdates = phase._tag === 'Adversarial' ? spec.schedule.discriminatorStepsPerGeneratorStep : 0
    let discriminatorStats: Tensor | undefined
    let real: Batch | undefined
    for (let i = 0; i < discriminatorUpdates; i++) {
      real = await nextRealBatch()
      discriminatorStats?.dispose()
      discriminatorStats = discriminatorUpdate(real, noiseStd)
    }
    const content = phase._tag === 'Pretrain' ? phase.loss : phase.content
    // The generator needs a batch of its own when it learns from data and no discriminator
    // update drew one, or when its inputs come from the data.
    if (real === undefined && (content !== undefined || paired)) real = await nextRealBatch()
    const gLoss = generatorUpdate(phase, real, noiseStd)
    updateGeneratorAverage()
    // Pretraining runs no discriminator update: its part of the report is zeros.
    discriminatorStats ??= tf.zeros([5])
    const all = tf.concat([discriminatorStats, gLoss])
    discriminatorStats.dispose()
    gLoss.dispose()
    const [dLoss, dNorm, realScore, fakeScore, dPenalty, generatorLossValue, gNorm, contentValue] = await all.data()
    all.dispose()
    steps++
    return {
      step: steps,
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

  /** Runs `f` on a flat batch of examples of `exampleShape` in inference mode and reads the result. */
  const infer = async (
    flat: Float32Array,
    exampleShape: ReadonlyArray<number>,
    what: string,
    f: (batch: Tensor, labels: Tensor | undefined) => Tensor,
    labelClassCount?: number,
    labels?: ArrayLike<number>,
  ): Promise<Float32Array> => {
    assertLive()
    const exampleSize = exampleShape.reduce((a, b) => a * b, 1)
    const n = flat.length / exampleSize
    if (!Number.isInteger(n))
      throw new GanException([
        invalidData(`${what}.length`, `a multiple of ${formatShape(exampleShape)} (${exampleSize})`, String(flat.length)),
      ])
    // Labels are checked before any tensor exists; a network without a label input ignores them.
    const classes = labelClassCount === undefined ? undefined : requestedLabels(labels, n, labelClassCount)
    const output = tf.tidy(() => f(tf.tensor(flat, [n, ...exampleShape]), classes === undefined ? undefined : tf.tensor1d(classes, 'int32')))
    const values = (await output.data()) as Float32Array
    output.dispose()
    return values
  }

  const generate = (latents: Float32Array, labels?: ArrayLike<number>): Promise<Float32Array> =>
    infer(latents, G.inputShape, 'latents', (z, y) => G.apply(generatorAverage ?? gen.params, z, { training: false }, y), G.labelClasses, labels)

  const discriminate = (examples: Float32Array, labels?: ArrayLike<number>): Promise<Float32Array> =>
    infer(examples, D.inputShape, 'examples', (x, y) => asScore(D.apply(disc.params, x, { training: false }, y)), D.labelClasses, labels)

  return E.right({
    compiled,
    stepCount: () => steps,
    step,
    run: ({ steps: count, signal }) => ({
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < count && signal?.aborted !== true; i++) yield await step()
      },
    }),
    sample: async (n, sampleOptions = {}) => {
      const labels = G.labelClasses === undefined ? undefined : requestedLabels(sampleOptions.labels, n, G.labelClasses)
      return generate(sampleLatent(spec.latent, n, sampleOptions.seed === undefined ? latentRng : Rng.fromSeed(sampleOptions.seed)), labels)
    },
    generate,
    discriminate,
    snapshot: async () => {
      assertLive()
      return {
        step: steps,
        batchesSeen,
        rng: { latent: latentRng.state(), noise: noiseRng.state(), data: dataRng.state() },
        dataCursor: cursor,
        generator: await snapshotPlayer(gen),
        discriminator: await snapshotPlayer(disc),
        generatorAverage: generatorAverage === undefined ? undefined : await snapshotTensors(generatorAverage),
      }
    },
    params: () => ({ generator: gen.params, discriminator: disc.params, generatorAverage }),
    dispose: () => {
      if (disposed) return
      disposed = true
      for (const player of [gen, disc])
        for (const t of [...Object.values(player.params), ...Object.values(player.optimizer.slots)]) t.dispose()
      if (generatorAverage !== undefined) disposeParams(generatorAverage)
      for (const { params } of frozen.values()) disposeParams(params)
    },
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
