/**
 * One generator update: G learns to fool the discriminator, plus the phase's content loss, or the
 * content loss alone when pretraining; then its moving average, when the schedule keeps one,
 * moves towards it.
 *
 * @since 0.1.0
 */
import { augment } from '../compile/augmentation.ts'
import { contentLossValue } from '../compile/content.ts'
import { batchHalves, modeSeekingLoss, modeSeekingRatio } from '../compile/mode-seeking.ts'
import { disposeParams, mapParams } from '../compile/params.ts'
import { tf, type Tensor } from '../compile/tf.ts'
import { topKGeneratorLoss } from '../compile/top-k.ts'
import type { Batch } from '../data/dataset.ts'
import { topKShareAt, type Phase } from '../dsl/schedule.ts'
import { shapeSize } from '../dsl/shape.ts'
import type { TrainerState } from './state.ts'
import { generatorInput, generatorLabels, sampledLabels } from './step-inputs.ts'
import { disposeReplaced, gradientUpdate } from './update.ts'

/**
 * One generator update in `phase`; reports [loss, gradient norm, content loss, mode-seeking
 * ratio L_ms (0 without the term)]. `real` is the step's last real batch: the content loss's
 * targets (paired data) or real features. Replaces `state.gen`.
 *
 * @example
 * const report = generatorUpdate(state, phaseAt(spec.schedule, 1).phase, batch, 0) // a tensor of 4
 * @since 0.1.0
 * @category combinators
 */
export const generatorUpdate = (state: TrainerState, phase: Phase, real: Batch | undefined, noiseStd: number): Tensor => {
  const { spec, generator: G, discriminator: D } = state.compiled
  const { noiseRng, batchSize, batchShape } = state
  const z = generatorInput(state, real)
  // Mode seeking pairs example i with i + N/2, of the same class (adversarial phases only).
  const modeSeeking = phase._tag === 'Adversarial' ? spec.schedule.modeSeeking : undefined
  const fakeLabels = generatorLabels(state, real, modeSeeking !== undefined)
  const fakeLabelsForD = D.labelClasses === undefined ? undefined : (fakeLabels ?? sampledLabels(state))
  const realLabels = D.labelClasses === undefined || real === undefined ? undefined : tf.tensor1d(real.labels!, 'int32')
  const seeds = [noiseRng.nextUint32(), noiseRng.nextUint32()]
  const content = phase._tag === 'Pretrain' ? phase.loss : phase.content
  const contentWeight = phase._tag === 'Pretrain' ? 1 : phase.contentWeight
  const adversarialWeight = phase._tag === 'Pretrain' ? 0 : phase.adversarialWeight
  const noise = noiseStd === 0 ? undefined : tf.tensor(noiseRng.normals(batchSize * shapeSize(D.inputShape), 0, noiseStd), [...batchShape])
  const target = content === undefined ? undefined : tf.tensor(real!.values, [...batchShape])
  // Drawn only when augmentation is on, so runs without it keep their random streams.
  const augmentationSeed = spec.augmentation === undefined ? undefined : noiseRng.nextUint32()
  // Inside the gradient pass: G's gradient flows through the augmentation.
  const augmented = (x: Tensor): Tensor => (spec.augmentation === undefined ? x : augment(spec.augmentation, x, augmentationSeed!))
  // Top-k: the share of D's outputs (examples, or packs) the generator learns from this step.
  const keptShare = topKShareAt(spec.schedule, state.steps + 1)
  const { player, report } = gradientUpdate(state.gen, G.trainablePaths, spec.optimizers.generator, (params) => {
    const generated = G.forward(params, z, { training: true, seed: seeds[0]!, inputGradient: false }, fakeLabels)
    // The discriminator's own batch-norm statistics are updated in its own step only, and its
    // parameters are constants here: only input gradients flow through it.
    const adversarial =
      adversarialWeight === 0
        ? tf.scalar(0)
        : tf.mul(
            topKGeneratorLoss(
              spec.loss,
              D.apply(
                state.disc.params,
                augmented(noise === undefined ? generated.output : tf.add(generated.output, noise)),
                { training: true, seed: seeds[1]!, paramGradients: false },
                fakeLabelsForD,
              ),
              keptShare,
            ),
            adversarialWeight,
          )
    const contentValue =
      content === undefined
        ? tf.scalar(0)
        : contentLossValue(content, generated.output, target!, {
            discriminator: (x, layer, asConstant) =>
              D.features(state.disc.params, x, { training: true, seed: seeds[1]!, paramGradients: false, inputGradient: !asConstant }, layer, asConstant ? realLabels : fakeLabelsForD),
            frozen: (loss, x, asConstant) => {
              const { network, params } = state.frozen.get(loss)!
              const mapped = tf.add(tf.mul(x, loss.inputScale), loss.inputShift)
              return network.features(params, mapped, { training: false, paramGradients: false, inputGradient: !asConstant }, loss.layer)
            },
          })
    const gameAndContent = content === undefined ? adversarial : tf.add(adversarial, tf.mul(contentValue, contentWeight))
    const ratio = modeSeeking === undefined ? undefined : modeSeekingRatio(batchHalves(generated.output), batchHalves(z))
    return {
      loss: ratio === undefined ? gameAndContent : tf.add(gameAndContent, modeSeekingLoss(ratio, modeSeeking!.weight)),
      stateUpdates: generated.stateUpdates,
      metrics: tf.concat([tf.reshape(contentValue, [1]), tf.reshape(ratio ?? tf.scalar(0), [1])]),
    }
  })
  for (const t of [z, noise, target, fakeLabels, fakeLabelsForD, realLabels]) t?.dispose()
  disposeReplaced(state.gen, player)
  state.gen = player
  return report
}

/**
 * Moves the average towards the generator just trained. The decay ramps up as
 * min(decay, (1 + n) / (10 + n)), as TensorFlow's ExponentialMovingAverage does, so the average
 * is not dominated by the random initial weights early in a run.
 *
 * @example
 * updateGeneratorAverage(state) // does nothing unless the schedule keeps an average
 * @since 0.1.0
 * @category combinators
 */
export const updateGeneratorAverage = (state: TrainerState): void => {
  const averageDecay = state.compiled.spec.schedule.generatorAverageDecay
  if (state.generatorAverage === undefined || averageDecay === undefined) return
  const decay = Math.min(averageDecay, (1 + state.steps) / (10 + state.steps))
  const old = state.generatorAverage
  const gen = state.gen
  state.generatorAverage = tf.tidy(() => mapParams(old, (average, path) => tf.add(tf.mul(average, decay), tf.mul(gen.params[path]!, 1 - decay))))
  disposeParams(old)
}
