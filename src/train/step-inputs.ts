/**
 * What both updates of a step feed the networks: the generator's inputs and classes for a batch,
 * instance noise, and D's outputs read as scores. Randomness comes from the trainer's latent and
 * noise streams, in JavaScript, so a run is the same on every backend that computes the same.
 *
 * @since 0.1.0
 */
import { sampleLatentOrThrow } from '../compile/gan.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import type { Batch } from '../data/dataset.ts'
import { outputIsLogit, type GanLoss } from '../dsl/loss.ts'
import type { TrainerState } from './state.ts'

/**
 * What a step reports of D's outputs: probabilities for the log losses, raw critic scores otherwise.
 *
 * @example
 * asScore(nonSaturating(), tf.tensor1d([0])) // [0.5]
 * @since 0.1.0
 * @category destructors
 */
export const asScore = (loss: GanLoss, outputs: Tensor): Tensor => (outputIsLogit(loss) ? tf.sigmoid(outputs) : outputs)

/**
 * Uniformly drawn classes for a batch, from the latent stream (conditional GANs only draw them).
 * With `pairedHalves`, example i + N/2 takes example i's class: the pairs of the mode-seeking
 * term share their class. The stream advances the same either way.
 *
 * @example
 * sampledLabels(state).shape // [state.batchSize]
 * @since 0.1.0
 * @category constructors
 */
export const sampledLabels = (state: TrainerState, pairedHalves = false): Tensor => {
  const labels = new Int32Array(state.batchSize)
  for (let i = 0; i < state.batchSize; i++) labels[i] = state.latentRng.int(state.classes!)
  if (pairedHalves) labels.copyWithin(state.batchSize / 2, 0, state.batchSize / 2)
  return tf.tensor1d(labels, 'int32')
}

/**
 * A conditional generator's classes for a batch: the data's for paired data, else drawn (halves
 * paired as `sampledLabels` pairs them, with `pairedHalves`).
 *
 * @example
 * generatorLabels(state, batch) // undefined for an unconditional generator
 * @since 0.1.0
 * @category constructors
 */
export const generatorLabels = (state: TrainerState, real: Batch | undefined, pairedHalves = false): Tensor | undefined =>
  state.compiled.generator.labelClasses === undefined
    ? undefined
    : state.paired
      ? tf.tensor1d(real!.labels!, 'int32')
      : sampledLabels(state, pairedHalves)

/**
 * The generator's inputs for a batch: its paired inputs, or fresh latents.
 *
 * @example
 * generatorInput(state, batch).shape // state.generatorInputShape
 * @since 0.1.0
 * @category constructors
 */
export const generatorInput = (state: TrainerState, real: Batch | undefined): Tensor =>
  // Sampling cannot fail here: the latent is not paired, and the batch size was checked.
  state.paired
    ? tf.tensor(real!.pairedInput!, [...state.generatorInputShape])
    : tf.tensor(sampleLatentOrThrow(state.compiled.spec.latent, state.batchSize, state.latentRng), [...state.generatorInputShape])

/**
 * x plus Gaussian noise of standard deviation `std` (drawn in JavaScript, for determinism); x
 * itself is consumed.
 *
 * @example
 * withInstanceNoise(state, x, 0) === x // true: no noise, no new tensor
 * @since 0.1.0
 * @category combinators
 */
export const withInstanceNoise = (state: TrainerState, x: Tensor, std: number): Tensor => {
  if (std === 0) return x
  const noise = tf.tensor(state.noiseRng.normals(x.size, 0, std), x.shape)
  const noisy = tf.add(x, noise)
  noise.dispose()
  x.dispose()
  return noisy
}
