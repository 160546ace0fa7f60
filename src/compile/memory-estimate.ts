/**
 * What training a compiled GAN will hold in memory, from its shapes alone: parameter counts, and
 * bytes of parameters, optimizer state, gradients and activations at a batch size, with the
 * largest contributors by path. Pure: it allocates nothing, so a spec too big for the machine can
 * be refused before the first tensor (see `createTrainer`'s memory budget).
 *
 * The model, stated so that a figure can be checked by hand (float32: 4 bytes an element):
 * - parameters: every parameter of both networks, the generator's moving average when the
 *   schedule keeps one, and the perceptual losses' frozen networks;
 * - optimizer state: per trainable parameter, 2 slots for Adam, 1 for RMSProp and for SGD with
 *   momentum, none for plain SGD;
 * - gradients: one per trainable parameter of both networks;
 * - activations: batch × every layer's output size (inner chains included) × `backwardFactor`
 *   (the value kept for the backward pass and its gradient), counting the discriminator twice
 *   (it sees a real and a generated batch) and each frozen network twice (generated and target);
 *   a packed discriminator's layers (`packed(k)`) see batch / k packs.
 *
 * tfjs's own overhead and a backend's scratch space are not counted: the figure is a floor of
 * what training needs, close to it for networks whose parameters dominate.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Optimizer } from '../dsl/optimizer.ts'
import { shapeSize } from '../dsl/shape.ts'
import type { ShapedLayer } from '../layers/kind.ts'
import { packSizeOf } from '../layers/pack.ts'
import { checkNetwork } from '../shape/check.ts'
import type { CompiledGan } from './gan.ts'
import type { CompiledNetwork } from './network.ts'

/** Bytes of one float32 element. */
const bytesPerElement = 4
/** Each activation is held for the backward pass, and so is its gradient. */
const backwardFactor = 2

/**
 * One part of the estimate, by path: a parameter (`generator.layers[2].kernel`: its value, moving
 * average, gradient and optimizer slots) or a layer's activations (`discriminator.layers[0]`).
 *
 * @since 0.2.0
 * @category model
 */
export interface MemoryContributor {
  readonly path: string
  readonly kind: 'parameter' | 'activations'
  /** Parameter elements, or activation elements for the whole batch (one pass). */
  readonly elements: number
  readonly bytes: number
}

/**
 * The estimate `estimateMemory` gives: parameter counts and bytes by kind, `total` their sum,
 * and every contributor, largest first.
 *
 * @since 0.2.0
 * @category model
 */
export interface MemoryEstimate {
  readonly batchSize: number
  readonly parameters: {
    readonly generator: number
    readonly discriminator: number
    /** Both networks' (the moving average and frozen networks are not counted again). */
    readonly total: number
  }
  readonly bytes: {
    readonly parameters: number
    readonly optimizerState: number
    readonly gradients: number
    readonly activations: number
    readonly total: number
  }
  readonly contributors: ReadonlyArray<MemoryContributor>
}

/** Slots an optimizer keeps per trainable parameter (as `initOptimizerSlotNames` makes them). */
const slotsPerParameter = (optimizer: Optimizer): number =>
  optimizer._tag === 'Adam' ? 2 : optimizer._tag === 'RmsProp' ? 1 : optimizer.momentum > 0 ? 1 : 0

/** Every shaped layer of a chain, inner chains (residual blocks, concat branches) included. */
const allLayers = (layers: ReadonlyArray<ShapedLayer>): ReadonlyArray<ShapedLayer> =>
  layers.flatMap((layer) => [layer, ...allLayers((layer.chains ?? []).flatMap((chain) => chain.layers))])

interface Parts {
  readonly parameters: number
  readonly optimizerState: number
  readonly gradients: number
  readonly activations: number
  readonly contributors: ReadonlyArray<MemoryContributor>
}

const noParts: Parts = { parameters: 0, optimizerState: 0, gradients: 0, activations: 0, contributors: [] }

const addParts = (a: Parts, b: Parts): Parts => ({
  parameters: a.parameters + b.parameters,
  optimizerState: a.optimizerState + b.optimizerState,
  gradients: a.gradients + b.gradients,
  activations: a.activations + b.activations,
  contributors: [...a.contributors, ...b.contributors],
})

/** One network's parameters: copies of each value (2 with a moving average), and for trainable ones a gradient and the optimizer's slots. */
const parameterParts = (network: CompiledNetwork, prefix: string, training: { readonly slots: number; readonly copies: number } | undefined): Parts =>
  network.paramSpecs.reduce((parts, spec) => {
    const elements = shapeSize(spec.shape)
    const copies = training?.copies ?? 1
    const trained = training !== undefined && spec.trainable
    const slots = trained ? training.slots : 0
    const gradients = trained ? 1 : 0
    const bytes = (copies + slots + gradients) * elements * bytesPerElement
    return addParts(parts, {
      parameters: copies * elements * bytesPerElement,
      optimizerState: slots * elements * bytesPerElement,
      gradients: gradients * elements * bytesPerElement,
      activations: 0,
      contributors: [{ path: `${prefix}.${spec.path}`, kind: 'parameter', elements, bytes }],
    })
  }, noParts)

/** A network's activations at `batchSize`, for `passes` forward passes a step. */
const activationParts = (layers: ReadonlyArray<ShapedLayer>, batchSize: number, passes: number): Parts =>
  allLayers(layers).reduce((parts, layer) => {
    const elements = batchSize * shapeSize(layer.outputShape)
    const bytes = passes * backwardFactor * elements * bytesPerElement
    return addParts(parts, { ...noParts, activations: bytes, contributors: [{ path: layer.path, kind: 'activations', elements, bytes }] })
  }, noParts)

const parameterCount = (network: CompiledNetwork): number => network.paramSpecs.reduce((n, spec) => n + shapeSize(spec.shape), 0)

/**
 * The memory training `compiled` at `batchSize` needs, by kind and by path (see the module's
 * comment for the model). Pure: no tensor is made, so it answers for specs far too big to train.
 *
 * @example
 * import { compileOrThrow, estimateMemory, gan, mlp, relu } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [3], relu, 1) }))
 * const estimate = estimateMemory(compiled, 8)
 * estimate.parameters // { generator: 22, discriminator: 13, total: 35 }
 * estimate.bytes.total // 2096: 140 parameters + 280 Adam slots + 140 gradients + 1536 activations
 * estimate.contributors[0]!.path // 'discriminator.layers[0]': its activations, on real and generated batches
 *
 * @since 0.2.0
 * @category compiler
 */
export const estimateMemory = (compiled: CompiledGan, batchSize: number): MemoryEstimate => {
  const { spec, checked, generator, discriminator } = compiled
  const averaged = spec.schedule.generatorAverageDecay !== undefined
  const frozen = compiled.frozen.map((f, i) => {
    const path = `frozen[${i}]`
    const layers = checkNetwork(f.loss.network, path)
    return addParts(parameterParts(f.network, path, undefined), E.isRight(layers) ? activationParts(layers.right.layers, batchSize, 2) : noParts)
  })
  const parts = [
    parameterParts(generator, 'generator', { slots: slotsPerParameter(spec.optimizers.generator), copies: averaged ? 2 : 1 }),
    parameterParts(discriminator, 'discriminator', { slots: slotsPerParameter(spec.optimizers.discriminator), copies: 1 }),
    activationParts(checked.generator.layers, batchSize, 1),
    activationParts(checked.discriminator.layers, Math.ceil(batchSize / packSizeOf(spec.discriminator)), 2),
    ...frozen,
  ].reduce(addParts, noParts)
  const generatorParameters = parameterCount(generator)
  const discriminatorParameters = parameterCount(discriminator)
  return {
    batchSize,
    parameters: { generator: generatorParameters, discriminator: discriminatorParameters, total: generatorParameters + discriminatorParameters },
    bytes: {
      parameters: parts.parameters,
      optimizerState: parts.optimizerState,
      gradients: parts.gradients,
      activations: parts.activations,
      total: parts.parameters + parts.optimizerState + parts.gradients + parts.activations,
    },
    contributors: [...parts.contributors].sort((a, b) => b.bytes - a.bytes),
  }
}

/**
 * Bytes in decimal units, one decimal (`57.6 GB`), as the memory messages print them.
 *
 * @example
 * import { formatBytes } from 'ganfp'
 * formatBytes(57_600_000_000) // '57.6 GB'
 * formatBytes(2096) // '2.1 kB'
 * @since 0.2.0
 * @category destructors
 */
export const formatBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes)) return String(bytes)
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`
}

/**
 * The estimate in one line: parameter counts, then the total and its parts.
 *
 * @example
 * import { compileOrThrow, estimateMemory, gan, mlp, relu, summarizeMemoryEstimate } from 'ganfp'
 * const compiled = compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [3], relu, 1) }))
 * summarizeMemoryEstimate(estimateMemory(compiled, 8))
 * // '35 parameters (generator 22, discriminator 13); training memory ≈ 2.1 kB at batch 8 (parameters 140 bytes, optimizer state 280 bytes, gradients 140 bytes, activations 1.5 kB)'
 * @since 0.2.0
 * @category destructors
 */
export const summarizeMemoryEstimate = (estimate: MemoryEstimate): string => {
  const count = (n: number): string => n.toLocaleString('en-US')
  const { parameters: p, bytes: b } = estimate
  return (
    `${count(p.total)} parameters (generator ${count(p.generator)}, discriminator ${count(p.discriminator)}); ` +
    `training memory ≈ ${formatBytes(b.total)} at batch ${estimate.batchSize} (parameters ${formatBytes(b.parameters)}, ` +
    `optimizer state ${formatBytes(b.optimizerState)}, gradients ${formatBytes(b.gradients)}, activations ${formatBytes(b.activations)})`
  )
}
