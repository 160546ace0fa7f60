/**
 * One discriminator update: D learns to tell a real batch from the generator's fakes, with the
 * penalties due on this update in its loss, and, for WGAN, its weights clipped afterwards.
 *
 * @since 0.1.0
 */
import { augment } from '../compile/augmentation.ts'
import { discriminatorLoss } from '../compile/loss.ts'
import { penaltyValue } from '../compile/penalty.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import type { Batch } from '../data/dataset.ts'
import type { DiffAugment } from '../dsl/augmentation.ts'
import type { TrainerState } from './state.ts'
import { asScore, generatorInput, generatorLabels, sampledLabels, withInstanceNoise } from './step-inputs.ts'
import { disposeReplaced, gradientUpdate, type Player } from './update.ts'

/**
 * One discriminator update on a real batch; reports [loss, gradient norm, mean D(x),
 * mean D(G(z)), penalty]. The penalties due on this update (lazy ones every n-th, scaled by n)
 * are part of the loss. Replaces `state.disc`.
 *
 * @example
 * const report = discriminatorUpdate(state, await state.realBatches.next(), 0) // a tensor of 5
 * @since 0.1.0
 * @category combinators
 */
export const discriminatorUpdate = (state: TrainerState, real: Batch, noiseStd: number): Tensor => {
  const { spec, generator: G, discriminator: D } = state.compiled
  const { noiseRng, batchSize } = state
  const z = generatorInput(state, real)
  const fakeLabels = generatorLabels(state, real)
  const realLabels = D.labelClasses === undefined ? undefined : tf.tensor1d(real.labels!, 'int32')
  // An unconditional generator's fakes are shown to a conditional discriminator as random classes.
  const fakeLabelsForD = D.labelClasses === undefined ? undefined : (fakeLabels ?? sampledLabels(state))
  const seeds = [noiseRng.nextUint32(), noiseRng.nextUint32(), noiseRng.nextUint32()]
  const update = state.disc.optimizer.updates + 1
  const due = spec.penalties.filter((penalty) => update % penalty.every === 0)
  // Drawn only when a penalty is due, so runs without penalties keep their random streams.
  const penaltySeed = due.length > 0 ? noiseRng.nextUint32() : 0
  const epsilon = due.some((penalty) => penalty._tag === 'GradientPenalty') ? tf.tensor1d(noiseRng.uniforms(batchSize)) : tf.zeros([0])
  // Drawn only when augmentation is on, so runs without it keep their random streams.
  const augmentationSeeds = spec.augmentation === undefined ? [] : [noiseRng.nextUint32(), noiseRng.nextUint32()]
  // Penalties are taken at the augmented examples, D's own inputs (not through the augmentation to the raw data).
  const realBatch = augmented(spec.augmentation, withInstanceNoise(state, tf.tensor(real.values, [...real.shape]), noiseStd), augmentationSeeds[0])
  const fake = augmented(
    spec.augmentation,
    withInstanceNoise(state, tf.tidy(() => G.apply(state.gen.params, z, { training: true, seed: seeds[0]! }, fakeLabels)), noiseStd),
    augmentationSeeds[1],
  )
  z.dispose()
  const { player, report } = gradientUpdate(state.disc, D.trainablePaths, spec.optimizers.discriminator, (params) => {
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
      metrics: tf.stack([tf.mean(asScore(spec.loss, onReal.output)), tf.mean(asScore(spec.loss, onFake.output)), penalty]),
    }
  })
  for (const t of [realBatch, fake, epsilon, realLabels, fakeLabels, fakeLabelsForD]) t?.dispose()
  const clipped = clipWeights(state, player)
  disposeReplaced(state.disc, clipped)
  state.disc = clipped
  return report
}

/** x augmented with draws from `seed` (x itself without augmentation); x is consumed. */
const augmented = (augmentation: DiffAugment | undefined, x: Tensor, seed: number | undefined): Tensor => {
  if (augmentation === undefined) return x
  const out = tf.tidy(() => augment(augmentation, x, seed!))
  if (out !== x) x.dispose()
  return out
}

/** WGAN's weight clipping, after every critic update: trainable parameters into [−c, c]. */
const clipWeights = (state: TrainerState, player: Player): Player => {
  const { spec, discriminator: D } = state.compiled
  const clip = spec.loss._tag === 'Wasserstein' ? spec.loss.weightClip : undefined
  if (clip === undefined) return player
  const clippedParams = tf.tidy(() => Object.fromEntries(D.trainablePaths.map((path) => [path, tf.clipByValue(player.params[path]!, -clip, clip)])))
  for (const path of D.trainablePaths) player.params[path]!.dispose()
  return { ...player, params: { ...player.params, ...clippedParams } }
}
