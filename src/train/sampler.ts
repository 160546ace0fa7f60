/**
 * A generator restored from a snapshot for sampling only: no dataset, no discriminator tensors,
 * no optimizer state. What a page needs to show a checkpoint's samples; its numbers are the ones
 * a trainer resumed from the same snapshot gives (`Trainer.sample`, `Trainer.generate`).
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { attemptGan, getOrThrow, GanException, invalidConfig, invalidData, type GanError } from '../errors.ts'
import { drawLatentsOrThrow, type CompiledGan } from '../compile/gan.ts'
import { disposeParams, type Params } from '../compile/params.ts'
import { tf } from '../compile/tf.ts'
import { describeValue, formatShape } from '../dsl/describe.ts'
import { shapeSize } from '../dsl/shape.ts'
import { Rng } from '../random.ts'
import { sampleProblems } from './argument-checks.ts'
import { requestedLabels } from './labels.ts'
import { checkSnapshot, type TrainerSnapshot } from './snapshot.ts'
import { restoreTensors } from './snapshot-tensors.ts'
import type { SampleOptions } from './trainer-types.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/**
 * A snapshot's generator, live on the current backend, in inference mode: its moving average
 * when the snapshot keeps one, as a trainer samples. Its methods return problems as values, each
 * with an `…OrThrow` twin; `dispose` frees its tensors.
 *
 * @since 0.2.0
 * @category model
 */
export interface Sampler {
  readonly compiled: CompiledGan
  /** The step of the snapshot it was made from. */
  readonly step: number
  /**
   * `n` samples, flattened row-major; `seed` fixes the latents. Without a seed they come from the
   * snapshot's latent stream, as from a trainer resumed from it.
   */
  readonly sample: (n: number, options?: SampleOptions) => Promise<Result<Float32Array>>
  readonly sampleOrThrow: (n: number, options?: SampleOptions) => Promise<Float32Array>
  /** The generator's output for given inputs (`n × generator.inputShape`), as `Trainer.generate`. */
  readonly generate: (inputs: Float32Array, labels?: ArrayLike<number>) => Promise<Result<Float32Array>>
  readonly generateOrThrow: (inputs: Float32Array, labels?: ArrayLike<number>) => Promise<Float32Array>
  readonly dispose: () => void
}

/** Only the generator's part of the snapshot matters here; the rest may be anything. */
const generatorProblems = (compiled: CompiledGan, snapshot: TrainerSnapshot): ReadonlyArray<GanError> =>
  checkSnapshot(compiled, snapshot).filter((e) => e.path.startsWith('generator.params') || e.path.startsWith('generatorAverage'))

/**
 * A sampler over `snapshot`'s generator (from a checkpoint: `readCheckpoint`, `checkpointFromBytes`),
 * for the GAN `compiled` rebuilt as it was trained. Every parameter of the generator and of its
 * moving average is checked first, every difference reported, before any tensor is made.
 *
 * @example
 * import { checkpointFromBytesOrThrow, checkpointToBytes, compileOrThrow, createTrainerOrThrow, gan, mlp, relu, ring, samplerFromSnapshot } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
 * const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
 * await trainer.stepOrThrow()
 * const { snapshot } = checkpointFromBytesOrThrow(checkpointToBytes(await trainer.snapshotOrThrow()))
 * const sampler = samplerFromSnapshot(compiled, snapshot)
 * if (sampler._tag === 'Right') {
 *   await sampler.right.sampleOrThrow(4, { seed: 7 }) // the values of trainer.sampleOrThrow(4, { seed: 7 })
 *   sampler.right.dispose()
 * }
 * trainer.dispose()
 * @since 0.2.0
 * @category constructors
 */
export const samplerFromSnapshot = (compiled: CompiledGan, snapshot: TrainerSnapshot): Result<Sampler> => {
  const errors = generatorProblems(compiled, snapshot)
  if (errors.length > 0) return E.left(errors)
  const G = compiled.generator
  const params: Params = restoreTensors(
    compiled.spec.schedule.generatorAverageDecay !== undefined && snapshot.generatorAverage !== undefined ? snapshot.generatorAverage : snapshot.generator.params,
  )
  const latentRng = Rng.fromState(snapshot.rng.latent)
  let disposed = false
  const generate = async (inputs: Float32Array, labels?: ArrayLike<number>): Promise<Float32Array> => {
    if (disposed) throw new GanException([invalidConfig('sampler', 'a live sampler', 'a disposed sampler')])
    if (!(inputs instanceof Float32Array)) throw new GanException([invalidData('latents', 'a Float32Array', describeValue(inputs))])
    const exampleSize = shapeSize(G.inputShape)
    const n = inputs.length / exampleSize
    if (!Number.isInteger(n))
      throw new GanException([invalidData('latents.length', `a multiple of ${formatShape(G.inputShape)} (${exampleSize})`, String(inputs.length))])
    const classes = G.labelClasses === undefined ? undefined : requestedLabels(labels, n, G.labelClasses)
    // The very ops `Trainer.generate` runs, so the numbers agree bit for bit on one backend.
    const output = tf.tidy(() =>
      G.apply(params, tf.tensor(inputs, [n, ...G.inputShape]), { training: false }, classes === undefined ? undefined : tf.tensor1d(classes, 'int32')),
    )
    const values = (await output.data()) as Float32Array
    output.dispose()
    return values
  }
  const sample = async (n: number, options: SampleOptions = {}): Promise<Float32Array> => {
    // The trainer's checks: a whole count whose samples fit in memory, a whole-number seed.
    const problems = sampleProblems({ compiled }, n, options)
    if (problems.length > 0) throw new GanException(problems)
    const labels = G.labelClasses === undefined ? undefined : requestedLabels(options.labels, n, G.labelClasses)
    const rng = options.seed === undefined ? latentRng : Rng.fromSeed(options.seed)
    return generate(drawLatentsOrThrow(compiled.spec.latent, n, rng, options.truncation ?? 1), labels)
  }
  const sampleResult: Sampler['sample'] = (n, options) => attemptGan(() => sample(n, options))
  const generateResult: Sampler['generate'] = (inputs, labels) => attemptGan(() => generate(inputs, labels))
  return E.right({
    compiled,
    step: snapshot.step,
    sample: sampleResult,
    sampleOrThrow: async (n, options) => getOrThrow(await sampleResult(n, options)),
    generate: generateResult,
    generateOrThrow: async (inputs, labels) => getOrThrow(await generateResult(inputs, labels)),
    dispose: () => {
      if (disposed) return
      disposed = true
      disposeParams(params)
    },
  })
}

/**
 * The throwing twin of `samplerFromSnapshot`, for scripts and pages.
 *
 * @example
 * import { samplerFromSnapshotOrThrow } from 'ganfp'
 * // with `compiled` and `snapshot` as in `samplerFromSnapshot`'s example:
 * const sampler = samplerFromSnapshotOrThrow(compiled, snapshot)
 * ;(await sampler.sampleOrThrow(4, { seed: 7 })).length // 8: four 2-D points
 * sampler.dispose()
 * @since 0.2.0
 * @category constructors
 */
export const samplerFromSnapshotOrThrow = (compiled: CompiledGan, snapshot: TrainerSnapshot): Sampler =>
  getOrThrow(samplerFromSnapshot(compiled, snapshot))
