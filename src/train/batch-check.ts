/**
 * What the trainer checks at its boundary: its options and the dataset's shapes, pairs and labels
 * before any tensor exists (every problem at once), then each real batch as it arrives, so bad
 * data never fails deep inside tfjs.
 *
 * @since 0.1.0
 */
import { GanException, invalidConfig, invalidData, shapeMismatch, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'
import type { Batch, Dataset } from '../data/dataset.ts'
import { sameShape, shapeSize } from '../dsl/shape.ts'
import { describeValue, formatShape, isPositiveInt } from '../dsl/describe.ts'
import type { TrainerOptions } from './trainer-types.ts'
import { packSizeOf } from '../layers/pack.ts'

const checkOptions = (options: TrainerOptions): ReadonlyArray<GanError> => [
  ...(isPositiveInt(options.batchSize) ? [] : [invalidConfig('batchSize', 'a positive integer', describeValue(options.batchSize))]),
  ...(Number.isInteger(options.seed) ? [] : [invalidConfig('seed', 'an integer', describeValue(options.seed))]),
]

/** The mode-seeking term pairs example i with example i + N/2: N must be even. */
const checkModeSeekingBatch = (compiled: CompiledGan, options: TrainerOptions): ReadonlyArray<GanError> =>
  compiled.spec.schedule.modeSeeking === undefined || !isPositiveInt(options.batchSize) || options.batchSize % 2 === 0
    ? []
    : [invalidConfig('batchSize', 'an even number (schedule.modeSeeking pairs example i with example i + batchSize/2)', String(options.batchSize))]

/** A packed discriminator (`packed(k)`) judges the batch k examples at a time: k must divide it. */
const checkPackedBatch = (compiled: CompiledGan, options: TrainerOptions): ReadonlyArray<GanError> => {
  const packSize = packSizeOf(compiled.spec.discriminator)
  return !isPositiveInt(options.batchSize) || options.batchSize % packSize === 0
    ? []
    : [invalidConfig('batchSize', `a multiple of ${packSize} (the discriminator judges packs of ${packSize}: discriminator.layers[0] is pack(${packSize}))`, String(options.batchSize))]
}

const checkDatasetShape = (compiled: CompiledGan, dataset: Dataset): ReadonlyArray<GanError> => {
  const expected = compiled.discriminator.inputShape
  const actual = dataset.exampleShape
  return sameShape(expected, actual)
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
 *
 * @example
 * dataLabelClasses(compiled) // undefined for an unconditional GAN
 * @since 0.1.0
 * @category destructors
 */
export const dataLabelClasses = (compiled: CompiledGan): number | undefined =>
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
 * Every problem with the options and with how `dataset` fits `compiled`: batch size and seed,
 * an even batch for mode seeking, a batch a packed discriminator's packs divide, example shape,
 * pairs and labels, in that order.
 *
 * @example
 * checkTrainerInputs(compiled, ring(), { seed: 1, batchSize: 0 })[0]!.path // 'batchSize'
 * @since 0.1.0
 * @category validation
 */
export const checkTrainerInputs = (compiled: CompiledGan, dataset: Dataset, options: TrainerOptions): ReadonlyArray<GanError> => [
  ...checkOptions(options),
  ...checkModeSeekingBatch(compiled, options),
  ...checkPackedBatch(compiled, options),
  ...checkDatasetShape(compiled, dataset),
  ...checkPairs(compiled, dataset),
  ...checkLabels(compiled, dataset),
]

const checkValues = (values: Float32Array | undefined, size: number, path: string): void => {
  if (values === undefined || values.length !== size)
    throw new GanException([invalidData(`${path}.length`, String(size), values === undefined ? 'none' : String(values.length))])
  for (let i = 0; i < size; i++)
    if (!Number.isFinite(values[i]!)) throw new GanException([invalidData(`${path}[${i}]`, 'a finite number', String(values[i]))])
}

/**
 * Checks one real batch (the `index`-th of the run) against the shapes and class count the
 * trainer expects; throws a `GanException` at the first problem, its path naming the batch.
 *
 * @example
 * checkBatch({ shape: [8, 2], values: new Float32Array(16) }, [8, 2], undefined, undefined, 'ring', 0) // passes
 * @since 0.1.0
 * @category validation
 */
export const checkBatch = (
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
  checkValues(batch.values, shapeSize(expectedShape), `${path}.values`)
  if (pairedShape !== undefined) checkValues(batch.pairedInput, shapeSize(pairedShape), `${path}.pairedInput`)
  if (classes !== undefined) {
    const n = expectedShape[0]!
    if (batch.labels === undefined || batch.labels.length !== n)
      throw new GanException([invalidData(`${path}.labels.length`, String(n), batch.labels === undefined ? 'none' : String(batch.labels.length))])
    batch.labels.forEach((label, i) => {
      if (!(label >= 0 && label < classes)) throw new GanException([invalidData(`${path}.labels[${i}]`, `a class in [0, ${classes})`, String(label))])
    })
  }
}
