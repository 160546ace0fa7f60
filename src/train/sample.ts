/**
 * The trainer's networks in inference mode: samples from the generator (its moving average when
 * the schedule keeps one), its output for given inputs, and D's scores for given examples. Bad
 * lengths or labels throw a `GanException`, which the trainer's methods return as a `Left`.
 *
 * @since 0.1.0
 */
import { GanException, invalidData } from '../errors.ts'
import { drawLatentsOrThrow } from '../compile/gan.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { shapeSize } from '../dsl/shape.ts'
import { Rng } from '../random.ts'
import { describeValue, formatShape } from '../dsl/describe.ts'
import { requestedLabels } from './labels.ts'
import { assertLive, type TrainerState } from './state.ts'
import { sampleProblems } from './argument-checks.ts'
import { asScore } from './step-inputs.ts'
import type { SampleOptions } from './trainer-types.ts'
import { packSizeOf } from '../layers/pack.ts'

/**
 * Runs `f` on a flat batch of examples of `exampleShape` in inference mode and reads the result;
 * `packSize` must divide the count (a packed discriminator's).
 */
const infer = async (
  state: TrainerState,
  flat: Float32Array,
  exampleShape: ReadonlyArray<number>,
  what: string,
  f: (batch: Tensor, labels: Tensor | undefined) => Tensor,
  labelClassCount?: number,
  labels?: ArrayLike<number>,
  packSize = 1,
): Promise<Float32Array> => {
  assertLive(state)
  if (!(flat instanceof Float32Array)) throw new GanException([invalidData(what, 'a Float32Array', describeValue(flat))])
  const exampleSize = shapeSize(exampleShape)
  const n = flat.length / exampleSize
  if (!Number.isInteger(n))
    throw new GanException([invalidData(`${what}.length`, `a multiple of ${formatShape(exampleShape)} (${exampleSize})`, String(flat.length))])
  if (n % packSize !== 0)
    throw new GanException([invalidData(`${what}.length`, `a multiple of ${packSize} examples (the discriminator judges packs of ${packSize})`, `${flat.length}: ${n} examples`)])
  // Labels are checked before any tensor exists; a network without a label input ignores them.
  const classes = labelClassCount === undefined ? undefined : requestedLabels(labels, n, labelClassCount)
  const output = tf.tidy(() => f(tf.tensor(flat, [n, ...exampleShape]), classes === undefined ? undefined : tf.tensor1d(classes, 'int32')))
  const values = (await output.data()) as Float32Array
  output.dispose()
  return values
}

/**
 * The generator's output for given inputs (see `Trainer.generate`).
 *
 * @example
 * await generate(state, new Float32Array(2 * 2)) // two samples of a generator with 2 inputs
 * @since 0.1.0
 * @category sampling
 */
export const generate = (state: TrainerState, latents: Float32Array, labels?: ArrayLike<number>): Promise<Float32Array> => {
  const G = state.compiled.generator
  return infer(state, latents, G.inputShape, 'latents', (z, y) => G.apply(state.generatorAverage ?? state.gen.params, z, { training: false }, y), G.labelClasses, labels)
}

/**
 * D(x) for given examples (see `Trainer.discriminate`): one score an example, or a pack of k
 * consecutive examples for a packed discriminator (`packed(k)`).
 *
 * @example
 * await discriminate(state, new Float32Array(2 * 2)) // two scores for 2-D examples
 * @since 0.1.0
 * @category sampling
 */
export const discriminate = (state: TrainerState, examples: Float32Array, labels?: ArrayLike<number>): Promise<Float32Array> => {
  const D = state.compiled.discriminator
  const { loss } = state.compiled.spec
  const packSize = packSizeOf(state.compiled.spec.discriminator)
  return infer(state, examples, D.inputShape, 'examples', (x, y) => asScore(loss, D.apply(state.disc.params, x, { training: false }, y)), D.labelClasses, labels, packSize)
}

/**
 * `n` generator samples (see `Trainer.sample`): latents from `options.seed`, or from the
 * trainer's latent stream without one.
 *
 * @example
 * await sample(state, 8, { seed: 1 })
 * @since 0.1.0
 * @category sampling
 */
export const sample = async (state: TrainerState, n: number, options: SampleOptions = {}): Promise<Float32Array> => {
  assertLive(state)
  const problems = sampleProblems(state, n, options)
  if (problems.length > 0) throw new GanException(problems)
  const G = state.compiled.generator
  const labels = G.labelClasses === undefined ? undefined : requestedLabels(options.labels, n, G.labelClasses)
  const rng = options.seed === undefined ? state.latentRng : Rng.fromSeed(options.seed)
  return generate(state, drawLatentsOrThrow(state.compiled.spec.latent, n, rng, options.truncation ?? 1), labels)
}
