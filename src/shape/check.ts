/**
 * Whole-spec checking: every layer of both networks, the latent, the loss, the schedule and the
 * optimizers, and the contracts between them (latent → generator, generator → discriminator,
 * discriminator → one logit). Every problem is reported at once.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { Gan } from '../dsl/gan.ts'
import type { Latent } from '../dsl/latent.ts'
import type { GanLoss } from '../dsl/loss.ts'
import type { Network, Shape } from '../dsl/network.ts'
import type { LearningRateSchedule, Optimizer } from '../dsl/optimizer.ts'
import type { Penalty } from '../dsl/penalty.ts'
import type { Phase, Schedule } from '../dsl/schedule.ts'
import { needsPairs, type ContentLoss, type Perceptual } from '../dsl/content.ts'
import { describeValue, formatShape, isFiniteNumber, isPositiveInt, isShape } from '../dsl/describe.ts'
import { sameShape } from '../dsl/shape.ts'
import { inferChain, type ShapedLayer } from './infer.ts'
import { misplacedPacks } from '../layers/pack.ts'
import { checkAugmentation } from './augmentation.ts'
import { modeSeekingProblems } from './mode-seeking-check.ts'
import { topKProblems } from './top-k-check.ts'

export type { ShapedLayer } from './infer.ts'

/**
 * A network whose every layer has a known shape.
 *
 * @since 0.1.0
 * @category model
 */
export interface CheckedNetwork {
  readonly network: Network
  readonly path: string
  readonly layers: ReadonlyArray<ShapedLayer>
  readonly inputShape: Shape
  readonly outputShape: Shape
  /** The classes of the network's label input, when it has one. */
  readonly labelClasses?: number
}

/**
 * A GAN that passed every check.
 *
 * @since 0.1.0
 * @category model
 */
export interface CheckedGan {
  readonly gan: Gan
  readonly generator: CheckedNetwork
  readonly discriminator: CheckedNetwork
}

interface NetworkInference {
  readonly errors: ReadonlyArray<GanError>
  readonly checked: CheckedNetwork | undefined
  /** The output shape and the path it comes from, when it could be inferred. */
  readonly output: { readonly shape: Shape; readonly path: string } | undefined
}

/** `packFirstAllowed`: whether a first-layer `pack` may stand (a discriminator's, not a generator's). */
const inferNetwork = (network: Network, path: string, packFirstAllowed = true): NetworkInference => {
  // A network whose layers are not a list (hand-written JSON): name the layers, not the network.
  if (typeof network === 'object' && network !== null && network._tag === 'Network' && !Array.isArray(network.layers))
    return { errors: [invalidConfig(`${path}.layers`, 'a list of layers', describeValue(network.layers))], checked: undefined, output: undefined }
  if (typeof network !== 'object' || network === null || network._tag !== 'Network')
    return {
      errors: [invalidConfig(path, 'a network (input(shape) and layers)', describeValue(network))],
      checked: undefined,
      output: undefined,
    }
  const errors: Array<GanError> = []
  const inputOk = isShape(network.inputShape)
  if (!inputOk)
    errors.push(
      invalidConfig(`${path}.inputShape`, 'a non-empty list of positive integers', describeValue(network.inputShape)),
    )
  const label = network.labelInput
  if (label !== undefined && (typeof label !== 'object' || label === null || label._tag !== 'ClassLabel' || !isPositiveInt(label.numClasses) || label.numClasses < 2))
    errors.push(invalidConfig(`${path}.labelInput`, 'classLabel(numClasses) with numClasses ≥ 2', describeValue(label)))
  const labelClasses = label === undefined || errors.length > 0 ? undefined : label.numClasses
  const chain = inferChain(network.layers, inputOk ? network.inputShape : undefined, `${path}.layers`, `${path}.inputShape`, {
    ...(labelClasses === undefined ? {} : { labelClasses }),
  })
  errors.push(...chain.errors, ...misplacedPacks(network, path, packFirstAllowed))
  const layers = chain.layers
  const shape = chain.output?.shape
  const outputPath = chain.output?.path ?? `${path}.inputShape`
  const output = shape === undefined ? undefined : { shape, path: outputPath }
  const checked =
    errors.length === 0 && shape !== undefined
      ? { network, path, layers, inputShape: network.inputShape, outputShape: shape, ...(labelClasses === undefined ? {} : { labelClasses }) }
      : undefined
  return { errors, checked, output }
}

/**
 * Checks one network on its own.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkNetwork, sequential, dense, flatten } from 'ganfp'
 * const r = checkNetwork(sequential([28, 28, 1], [flatten, dense(10)]), 'classifier')
 * E.isRight(r) && r.right.outputShape // [10]
 *
 * @since 0.1.0
 * @category validation
 */
export const checkNetwork = (
  network: Network,
  path: string,
): E.Either<ReadonlyArray<GanError>, CheckedNetwork> => {
  const inference = inferNetwork(network, path)
  return inference.checked === undefined ? E.left(inference.errors) : E.right(inference.checked)
}

const checkLatent = (latent: Latent): ReadonlyArray<GanError> => {
  if (typeof latent !== 'object' || latent === null || !['Normal', 'Uniform', 'Paired'].includes(latent._tag))
    return [invalidConfig('latent', 'normalLatent(dim), uniformLatent(dim) or pairedInput()', describeValue(latent))]
  if (latent._tag === 'Paired') return []
  const errors: Array<GanError> = []
  if (!isPositiveInt(latent.dim)) errors.push(invalidConfig('latent.dim', 'a positive integer', describeValue(latent.dim)))
  if (latent._tag === 'Normal') {
    if (!isFiniteNumber(latent.mean)) errors.push(invalidConfig('latent.mean', 'a finite number', describeValue(latent.mean)))
    if (!isFiniteNumber(latent.std) || latent.std <= 0)
      errors.push(invalidConfig('latent.std', 'a number > 0', describeValue(latent.std)))
  } else if (!isFiniteNumber(latent.low) || !isFiniteNumber(latent.high) || latent.low >= latent.high)
    errors.push(invalidConfig('latent.high', `a finite number > latent.low (${describeValue(latent.low)})`, describeValue(latent.high)))
  return errors
}

const lossTags: ReadonlyArray<string> = ['Minimax', 'NonSaturating', 'LeastSquares', 'Wasserstein', 'Hinge']

const checkLoss = (loss: GanLoss): ReadonlyArray<GanError> => {
  if (typeof loss !== 'object' || loss === null || !lossTags.includes(loss._tag))
    return [invalidConfig('loss', 'minimax(), nonSaturating(), leastSquares(), wasserstein() or hinge()', describeValue(loss))]
  switch (loss._tag) {
    case 'Minimax':
    case 'NonSaturating':
      return isFiniteNumber(loss.labelSmoothing) && loss.labelSmoothing >= 0 && loss.labelSmoothing < 1
        ? []
        : [invalidConfig('loss.labelSmoothing', 'a number in [0, 1)', describeValue(loss.labelSmoothing))]
    case 'Wasserstein':
      return loss.weightClip === undefined || (isFiniteNumber(loss.weightClip) && loss.weightClip > 0)
        ? []
        : [invalidConfig('loss.weightClip', 'a number > 0, or none', describeValue(loss.weightClip))]
    default:
      return []
  }
}

const checkContentLoss = (loss: ContentLoss, path: string, gan: Gan): ReadonlyArray<GanError> => {
  const tags = ['Mse', 'L1', 'FeatureMatching', 'Perceptual', 'WeightedSum']
  if (typeof loss !== 'object' || loss === null || !tags.includes(loss._tag))
    return [invalidConfig(path, 'mse(), l1(), featureMatching({ layer }), perceptual({ ... }) or weightedSum([...])', describeValue(loss))]
  if (loss._tag === 'WeightedSum') {
    if (!Array.isArray(loss.terms) || loss.terms.length === 0)
      return [invalidConfig(`${path}.terms`, 'a non-empty list of [loss, weight]', describeValue(loss.terms))]
    return loss.terms.flatMap((term, i) => [
      ...checkContentLoss(term?.loss, `${path}.terms[${i}].loss`, gan),
      ...(isFiniteNumber(term?.weight) && term.weight >= 0 ? [] : [invalidConfig(`${path}.terms[${i}].weight`, 'a number ≥ 0', describeValue(term?.weight))]),
    ])
  }
  if (needsPairs(loss) && gan.latent?._tag !== 'Paired')
    return [
      invalidConfig(path, 'a loss this GAN has: featureMatching (mse, l1 and perceptual compare with paired targets)', `${loss._tag} with latent ${describeValue(gan.latent)}, not pairedInput()`),
    ]
  if (loss._tag === 'FeatureMatching') {
    const layers = Array.isArray(gan.discriminator?.layers) ? gan.discriminator.layers.length : 0
    if (!Number.isInteger(loss.layer) || loss.layer < 0 || loss.layer > layers - 2)
      return [invalidConfig(`${path}.layer`, `a discriminator layer index in [0, ${layers - 2}] (not the output layer)`, describeValue(loss.layer))]
  }
  if (loss._tag === 'Perceptual') return checkPerceptual(loss, path, gan)
  return []
}

/** A perceptual loss's network reads what the generator makes; its weights are checked when it is compiled. */
const checkPerceptual = (loss: Perceptual, path: string, gan: Gan): ReadonlyArray<GanError> => {
  const network = inferNetwork(loss.network, `${path}.network`)
  const errors: Array<GanError> = [...network.errors]
  const target = gan.discriminator?.inputShape
  if (isShape(target) && isShape(loss.network?.inputShape) && !sameShape(loss.network.inputShape, target))
    errors.push(shapeMismatch(`${path}.network.inputShape`, `${formatShape(target)} (what the generator makes)`, formatShape(loss.network.inputShape)))
  const layers = Array.isArray(loss.network?.layers) ? loss.network.layers.length : 0
  if (!Number.isInteger(loss.layer) || loss.layer < 0 || loss.layer >= layers)
    errors.push(invalidConfig(`${path}.layer`, `a layer index in [0, ${layers - 1}]`, describeValue(loss.layer)))
  for (const key of ['inputScale', 'inputShift'] as const)
    if (!isFiniteNumber(loss[key])) errors.push(invalidConfig(`${path}.${key}`, 'a finite number', describeValue(loss[key])))
  if (typeof loss.weights !== 'object' || loss.weights === null)
    errors.push(invalidConfig(`${path}.weights`, 'the network\'s weights by parameter path', describeValue(loss.weights)))
  return errors
}

const checkPhases = (phases: ReadonlyArray<Phase>, gan: Gan): ReadonlyArray<GanError> => {
  if (!Array.isArray(phases) || phases.length === 0)
    return [invalidConfig('schedule.phases', 'a non-empty list of phases (pretrain(...), adversarial(...))', describeValue(phases))]
  return phases.flatMap((phase, i): ReadonlyArray<GanError> => {
    const path = `schedule.phases[${i}]`
    if (typeof phase !== 'object' || phase === null || (phase._tag !== 'Pretrain' && phase._tag !== 'Adversarial'))
      return [invalidConfig(path, 'pretrain(...) or adversarial(...)', describeValue(phase))]
    const errors: Array<GanError> = []
    const last = i === phases.length - 1
    if (phase.steps === undefined ? !last || phase._tag === 'Pretrain' : !isPositiveInt(phase.steps))
      errors.push(invalidConfig(`${path}.steps`, last && phase._tag === 'Adversarial' ? 'a positive integer, or none (to the end)' : 'a positive integer', describeValue(phase.steps)))
    if (phase._tag === 'Pretrain') errors.push(...checkContentLoss(phase.loss, `${path}.loss`, gan))
    else {
      if (phase.content !== undefined) errors.push(...checkContentLoss(phase.content, `${path}.content`, gan))
      for (const key of ['contentWeight', 'adversarialWeight'] as const)
        if (!isFiniteNumber(phase[key]) || phase[key] < 0) errors.push(invalidConfig(`${path}.${key}`, 'a number ≥ 0', describeValue(phase[key])))
      // With both terms off the generator's loss is a constant: nothing to learn, no gradient.
      if (phase.adversarialWeight === 0 && (phase.content === undefined || phase.contentWeight === 0))
        errors.push(invalidConfig(`${path}.adversarialWeight`, 'a number > 0 when the phase has no weighted content loss', '0'))
    }
    return errors
  })
}

const checkSchedule = (schedule: Schedule, gan: Gan): ReadonlyArray<GanError> => {
  if (typeof schedule !== 'object' || schedule === null || schedule._tag !== 'Alternating')
    return [invalidConfig('schedule', 'alternating({ discriminatorStepsPerGeneratorStep })', describeValue(schedule))]
  const errors: Array<GanError> = [...checkPhases(schedule.phases, gan)]
  const noise = schedule.instanceNoise
  if (noise !== undefined) {
    if (typeof noise !== 'object' || noise === null) errors.push(invalidConfig('schedule.instanceNoise', '{ std, decaySteps }', describeValue(noise)))
    else {
      if (!isFiniteNumber(noise.std) || noise.std < 0) errors.push(invalidConfig('schedule.instanceNoise.std', 'a number ≥ 0', describeValue(noise.std)))
      if (!isPositiveInt(noise.decaySteps))
        errors.push(invalidConfig('schedule.instanceNoise.decaySteps', 'a positive integer', describeValue(noise.decaySteps)))
    }
  }
  if (!isPositiveInt(schedule.discriminatorStepsPerGeneratorStep))
    errors.push(
      invalidConfig(
        'schedule.discriminatorStepsPerGeneratorStep',
        'a positive integer',
        describeValue(schedule.discriminatorStepsPerGeneratorStep),
      ),
    )
  const decay = schedule.generatorAverageDecay
  if (decay !== undefined && !(isFiniteNumber(decay) && decay >= 0 && decay < 1))
    errors.push(invalidConfig('schedule.generatorAverageDecay', 'a number in [0, 1) or undefined', describeValue(decay)))
  return [...errors, ...modeSeekingProblems(schedule.modeSeeking, gan.latent), ...topKProblems(schedule.topK)]
}

const unitIntervalOpen = (value: unknown): boolean => isFiniteNumber(value) && value >= 0 && value < 1

const checkLearningRateSchedule = (schedule: LearningRateSchedule, path: string): ReadonlyArray<GanError> => {
  const tags = ['Constant', 'LinearDecay', 'Cosine', 'WarmUp']
  if (typeof schedule !== 'object' || schedule === null || !tags.includes(schedule._tag))
    return [invalidConfig(path, 'constantRate, linearDecay(...), cosineDecay(...) or warmUp(...)', describeValue(schedule))]
  if (schedule._tag === 'Constant') return []
  const errors: Array<GanError> = []
  if (!isPositiveInt(schedule.steps)) errors.push(invalidConfig(`${path}.steps`, 'a positive integer', describeValue(schedule.steps)))
  if (schedule._tag === 'WarmUp') return [...errors, ...checkLearningRateSchedule(schedule.then, `${path}.then`)]
  if (!isFiniteNumber(schedule.final) || schedule.final < 0 || schedule.final > 1)
    errors.push(invalidConfig(`${path}.final`, 'a number in [0, 1] (a fraction of the learning rate)', describeValue(schedule.final)))
  return errors
}

const checkOptimizer = (optimizer: Optimizer, path: string): ReadonlyArray<GanError> => {
  if (typeof optimizer !== 'object' || optimizer === null || !['Adam', 'Sgd', 'RmsProp'].includes(optimizer._tag))
    return [invalidConfig(path, 'adam(...), sgd(...) or rmsProp(...)', describeValue(optimizer))]
  const errors: Array<GanError> = []
  if (!isFiniteNumber(optimizer.learningRate) || optimizer.learningRate <= 0)
    errors.push(invalidConfig(`${path}.learningRate`, 'a number > 0', describeValue(optimizer.learningRate)))
  const inUnitInterval = (key: string, value: unknown) => {
    if (!unitIntervalOpen(value)) errors.push(invalidConfig(`${path}.${key}`, 'a number in [0, 1)', describeValue(value)))
  }
  const positive = (key: string, value: unknown) => {
    if (!isFiniteNumber(value) || value <= 0) errors.push(invalidConfig(`${path}.${key}`, 'a number > 0', describeValue(value)))
  }
  switch (optimizer._tag) {
    case 'Adam':
      inUnitInterval('beta1', optimizer.beta1)
      inUnitInterval('beta2', optimizer.beta2)
      positive('epsilon', optimizer.epsilon)
      break
    case 'Sgd':
      inUnitInterval('momentum', optimizer.momentum)
      if (typeof optimizer.nesterov !== 'boolean')
        errors.push(invalidConfig(`${path}.nesterov`, 'true or false', describeValue(optimizer.nesterov)))
      else if (optimizer.nesterov && optimizer.momentum === 0)
        errors.push(invalidConfig(`${path}.nesterov`, 'false when momentum is 0 (Nesterov needs momentum)', 'true'))
      break
    case 'RmsProp':
      inUnitInterval('decay', optimizer.decay)
      positive('epsilon', optimizer.epsilon)
      break
  }
  return [...errors, ...checkLearningRateSchedule(optimizer.schedule, `${path}.schedule`)]
}

const checkPenalties = (penalties: ReadonlyArray<Penalty>): ReadonlyArray<GanError> => {
  if (!Array.isArray(penalties)) return [invalidConfig('penalties', 'a list of penalties (gradientPenalty(), r1(), r2())', describeValue(penalties))]
  return penalties.flatMap((penalty, i): ReadonlyArray<GanError> => {
    const path = `penalties[${i}]`
    if (typeof penalty !== 'object' || penalty === null || !['GradientPenalty', 'R1', 'R2'].includes(penalty._tag))
      return [invalidConfig(path, 'gradientPenalty(...), r1(...) or r2(...)', describeValue(penalty))]
    const errors: Array<GanError> = []
    const positive = (key: string, value: unknown) => {
      if (!isFiniteNumber(value) || value <= 0) errors.push(invalidConfig(`${path}.${key}`, 'a number > 0', describeValue(value)))
    }
    if (penalty._tag === 'GradientPenalty') {
      positive('weight', penalty.weight)
      if (!isFiniteNumber(penalty.target) || penalty.target < 0)
        errors.push(invalidConfig(`${path}.target`, 'a number ≥ 0', describeValue(penalty.target)))
    } else positive('gamma', penalty.gamma)
    if (!isPositiveInt(penalty.every)) errors.push(invalidConfig(`${path}.every`, 'a positive integer (1: every update)', describeValue(penalty.every)))
    return errors
  })
}

/** The contracts between the parts: latent → generator → discriminator → one logit. */
const checkContracts = (gan: Gan, generator: NetworkInference, discriminator: NetworkInference): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  const latentDim = gan.latent !== null && typeof gan.latent === 'object' && 'dim' in gan.latent ? gan.latent.dim : undefined
  if (isPositiveInt(latentDim) && isShape(gan.generator?.inputShape) && !sameShape(gan.generator.inputShape, [latentDim]))
    errors.push(
      shapeMismatch('generator.inputShape', `[${latentDim}] (from latent.dim)`, formatShape(gan.generator.inputShape)),
    )
  if (generator.output !== undefined && isShape(gan.discriminator?.inputShape)) {
    if (!sameShape(generator.output.shape, gan.discriminator.inputShape))
      errors.push(
        shapeMismatch(
          'discriminator.inputShape',
          `${formatShape(generator.output.shape)} (the output of ${generator.output.path})`,
          formatShape(gan.discriminator.inputShape),
          'the discriminator must accept what the generator produces',
        ),
      )
  }
  if (discriminator.output !== undefined && !sameShape(discriminator.output.shape, [1]))
    errors.push(
      shapeMismatch(
        discriminator.output.path,
        '[1] (the discriminator ends in one logit)',
        formatShape(discriminator.output.shape),
      ),
    )
  const generatorClasses = gan.generator?.labelInput?.numClasses
  const discriminatorClasses = gan.discriminator?.labelInput?.numClasses
  if (isPositiveInt(generatorClasses) && isPositiveInt(discriminatorClasses) && generatorClasses !== discriminatorClasses)
    errors.push(
      invalidConfig(
        'discriminator.labelInput.numClasses',
        `${generatorClasses} (generator.labelInput.numClasses: both networks see the same labels)`,
        String(discriminatorClasses),
      ),
    )
  const layers = gan.discriminator?.layers
  const last = Array.isArray(layers) ? layers[layers.length - 1] : undefined
  if (last?._tag === 'Sigmoid')
    errors.push(
      invalidConfig(
        `discriminator.layers[${layers.length - 1}]`,
        'a logit (the loss applies the sigmoid, stably)',
        'Sigmoid',
      ),
    )
  return errors
}

/**
 * Checks a whole GAN before any tensor exists, collecting every problem.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkGan, gan, mlp, relu } from 'ganfp'
 * const bad = gan({ generator: mlp([8], [32], relu, 784), discriminator: mlp([785], [32], relu, 1) })
 * const r = checkGan(bad)
 * E.isLeft(r) && r.left[0].path // 'discriminator.inputShape'
 *
 * @since 0.1.0
 * @category validation
 */
export const checkGan = (gan: Gan): E.Either<ReadonlyArray<GanError>, CheckedGan> => {
  if (typeof gan !== 'object' || gan === null || gan._tag !== 'Gan')
    return E.left([invalidConfig('gan', 'a GAN value (made by gan({ generator, discriminator, ... }))', describeValue(gan))])
  const generator = inferNetwork(gan.generator, 'generator', false)
  const discriminator = inferNetwork(gan.discriminator, 'discriminator')
  const errors = [
    ...generator.errors,
    ...discriminator.errors,
    ...checkContracts(gan, generator, discriminator),
    ...checkLatent(gan.latent),
    ...checkLoss(gan.loss),
    ...checkSchedule(gan.schedule, gan),
    ...checkOptimizer(gan.optimizers?.generator, 'optimizers.generator'),
    ...checkOptimizer(gan.optimizers?.discriminator, 'optimizers.discriminator'),
    ...checkPenalties(gan.penalties),
    ...checkAugmentation(gan.augmentation, gan.discriminator?.inputShape),
  ]
  return errors.length === 0 && generator.checked !== undefined && discriminator.checked !== undefined
    ? E.right({ gan, generator: generator.checked, discriminator: discriminator.checked })
    : E.left(errors)
}
