/**
 * A trainer's whole state as plain data: what a checkpoint stores and what `createTrainer`
 * resumes from. It holds numbers and `Float32Array`s, no tensors, so it can be written, read and
 * checked without a backend; a run resumed from a snapshot continues bit for bit on the backend
 * that made it.
 *
 * @since 0.1.0
 */
import { checkpointCorrupt, checkpointMismatch, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import { initOptimizerSlotNames } from './optimizer.ts'
import type { RngState } from '../random.ts'
import { sameShape, shapeSize } from '../dsl/shape.ts'
import { describeValue, formatShape } from '../dsl/describe.ts'

/**
 * One tensor's values and shape.
 *
 * @since 0.1.0
 * @category model
 */
export interface TensorData {
  readonly shape: ReadonlyArray<number>
  readonly values: Float32Array
}

/**
 * One network's parameters (every one, batch-norm statistics included) and its optimizer's state.
 *
 * @since 0.1.0
 * @category model
 */
export interface PlayerSnapshot {
  readonly params: Readonly<Record<string, TensorData>>
  readonly optimizerUpdates: number
  readonly optimizerSlots: Readonly<Record<string, TensorData>>
}

/**
 * Where the trainer is in its data: the seed of the epoch being read and how many batches of it
 * were used. `undefined` before the first batch or right after an epoch ended.
 *
 * @since 0.1.0
 * @category model
 */
export interface DataCursor {
  readonly epochSeed: number
  readonly batchesIntoEpoch: number
}

/**
 * Everything a trainer needs to continue exactly: the step, the random streams, the data cursor,
 * both players' parameters and optimizer slots and the generator's moving average, as plain
 * data (see `Trainer.snapshot`, `writeCheckpoint`).
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainerSnapshot {
  /** Generator steps done. */
  readonly step: number
  /** Real batches used so far (they index data errors). */
  readonly batchesSeen: number
  readonly rng: { readonly latent: RngState; readonly noise: RngState; readonly data: RngState }
  readonly dataCursor: DataCursor | undefined
  readonly generator: PlayerSnapshot
  readonly discriminator: PlayerSnapshot
  readonly generatorAverage: Readonly<Record<string, TensorData>> | undefined
}

const checkTensors = (
  path: string,
  expected: ReadonlyArray<{ readonly path: string; readonly shape: ReadonlyArray<number> }>,
  found: Readonly<Record<string, TensorData>>,
): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  const expectedPaths = new Set(expected.map((e) => e.path))
  for (const { path: name, shape } of expected) {
    const tensor = found[name]
    if (tensor === undefined) errors.push(checkpointMismatch(`${path}.${name}`, `a tensor of shape ${formatShape(shape)}`, 'nothing'))
    else if (!sameShape(tensor.shape, shape))
      errors.push(checkpointMismatch(`${path}.${name}`, `shape ${formatShape(shape)}`, `shape ${formatShape(tensor.shape)}`))
  }
  for (const name of Object.keys(found))
    if (!expectedPaths.has(name)) errors.push(checkpointMismatch(`${path}.${name}`, 'no such tensor in this architecture', 'a tensor'))
  return errors
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isUint32 = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32

const tensorsErrors = (path: string, group: unknown): ReadonlyArray<GanError> =>
  !isRecord(group)
    ? [checkpointCorrupt(path, 'a record of tensors { shape, values }', describeValue(group))]
    : Object.entries(group).flatMap(([name, tensor]) => {
        const { shape, values } = (isRecord(tensor) ? tensor : {}) as { readonly shape?: unknown; readonly values?: unknown }
        return Array.isArray(shape) && shape.every(isCount) && values instanceof Float32Array && values.length === shapeSize(shape)
          ? []
          : [checkpointCorrupt(`${path}.${name}`, 'a tensor { shape, values }: a Float32Array of as many values as the shape holds', describeValue(tensor))]
      })

/**
 * What is wrong with a snapshot's structure, before its tensors are compared: one made in code (not
 * read from a checkpoint, whose schema is checked) may be anything, and must not reach tfjs.
 */
const structureErrors = (snapshot: unknown): ReadonlyArray<GanError> => {
  if (!isRecord(snapshot)) return [checkpointCorrupt('snapshot', 'a trainer snapshot (from Trainer.snapshot or a checkpoint)', describeValue(snapshot))]
  const { rng, dataCursor } = snapshot
  const player = (name: 'generator' | 'discriminator'): ReadonlyArray<GanError> => {
    const p = snapshot[name]
    if (!isRecord(p)) return [checkpointCorrupt(name, 'a player { params, optimizerUpdates, optimizerSlots }', describeValue(p))]
    return [
      ...tensorsErrors(`${name}.params`, p['params']),
      ...tensorsErrors(`${name}.optimizer`, p['optimizerSlots']),
      ...(isCount(p['optimizerUpdates']) ? [] : [checkpointCorrupt(`${name}.optimizerUpdates`, 'a whole number ≥ 0', describeValue(p['optimizerUpdates']))]),
    ]
  }
  return [
    ...(['step', 'batchesSeen'] as const).filter((key) => !isCount(snapshot[key])).map((key) => checkpointCorrupt(key, 'a whole number ≥ 0', describeValue(snapshot[key]))),
    ...(isRecord(rng) && ['latent', 'noise', 'data'].every((k) => Array.isArray(rng[k]) && (rng[k] as ReadonlyArray<unknown>).length === 4 && (rng[k] as ReadonlyArray<unknown>).every(isUint32))
      ? []
      : [checkpointCorrupt('rng', 'random states { latent, noise, data }, each four unsigned 32-bit integers', describeValue(rng))]),
    ...(dataCursor === undefined || dataCursor === null || (isRecord(dataCursor) && isUint32(dataCursor['epochSeed']) && isCount(dataCursor['batchesIntoEpoch']))
      ? []
      : [checkpointCorrupt('dataCursor', 'undefined or { epochSeed, batchesIntoEpoch }', describeValue(dataCursor))]),
    ...player('generator'),
    ...player('discriminator'),
    ...(snapshot['generatorAverage'] === undefined ? [] : tensorsErrors('generatorAverage', snapshot['generatorAverage'])),
  ]
}

/**
 * Whether `snapshot` belongs to `compiled`: every parameter, optimizer slot and average tensor
 * present with its shape, and nothing else. Every difference is reported, before anything loads.
 *
 * @example
 * import { checkSnapshot, compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
 * await trainer.stepOrThrow()
 * const snapshot = await trainer.snapshotOrThrow()
 * checkSnapshot(compiled, snapshot) // []
 * const wider = compileOrThrow(gan({ generator: mlp([2], [16], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * checkSnapshot(wider, snapshot)[0]!.path // 'generator.params.layers[0].kernel'
 * @since 0.1.0
 * @category validation
 */
export const checkSnapshot = (compiled: CompiledGan, snapshot: TrainerSnapshot): ReadonlyArray<GanError> => {
  const structure = structureErrors(snapshot)
  if (structure.length > 0) return structure
  const { spec } = compiled
  const player = (name: 'generator' | 'discriminator'): ReadonlyArray<GanError> => {
    const network = compiled[name]
    const trainableSize = network.paramSpecs.filter((p) => p.trainable).reduce((n, p) => n + shapeSize(p.shape), 0)
    const slots = initOptimizerSlotNames(spec.optimizers[name], network.trainablePaths.length).map((slot) => ({
      path: slot,
      shape: [trainableSize],
    }))
    return [
      ...checkTensors(`${name}.params`, network.paramSpecs, snapshot[name].params),
      ...checkTensors(`${name}.optimizer`, slots, snapshot[name].optimizerSlots),
    ]
  }
  const average =
    spec.schedule.generatorAverageDecay === undefined
      ? snapshot.generatorAverage === undefined
        ? []
        : [checkpointMismatch('generatorAverage', 'none (the schedule keeps no moving average)', 'a moving average')]
      : snapshot.generatorAverage === undefined
        ? [checkpointMismatch('generatorAverage', 'a moving average (the schedule keeps one)', 'none')]
        : checkTensors('generatorAverage', compiled.generator.paramSpecs, snapshot.generatorAverage)
  return [...player('generator'), ...player('discriminator'), ...average]
}

/**
 * A snapshot's tensors in named groups, in a fixed order: both networks' parameters and optimizer
 * slots, then the generator's moving average when there is one (checkpoints store them so).
 *
 * @example
 * import { compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring, snapshotTensorGroups } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
 * await trainer.stepOrThrow()
 * snapshotTensorGroups(await trainer.snapshotOrThrow()).map(([group]) => group)
 * // ['generator.params', 'generator.optimizer', 'discriminator.params', 'discriminator.optimizer']
 * @since 0.1.0
 * @category destructors
 */
export const snapshotTensorGroups = (
  snapshot: TrainerSnapshot,
): ReadonlyArray<readonly [TensorGroup, Readonly<Record<string, TensorData>>]> => [
  ['generator.params', snapshot.generator.params],
  ['generator.optimizer', snapshot.generator.optimizerSlots],
  ['discriminator.params', snapshot.discriminator.params],
  ['discriminator.optimizer', snapshot.discriminator.optimizerSlots],
  ...(snapshot.generatorAverage === undefined ? [] : [['generatorAverage', snapshot.generatorAverage] as const]),
]

/**
 * The groups of tensors in a snapshot, named as checkpoints name them.
 *
 * @since 0.1.0
 * @category model
 */
export type TensorGroup = 'generator.params' | 'generator.optimizer' | 'discriminator.params' | 'discriminator.optimizer' | 'generatorAverage'
