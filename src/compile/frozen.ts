/**
 * The frozen networks of perceptual losses: compiled once with the GAN, their weights checked
 * against the network's parameters (every missing or misshapen one at once), and turned into
 * tensors by the trainer that uses them.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, invalidData, shapeMismatch, type GanError } from '../errors.ts'
import type { ContentLoss, Perceptual } from '../dsl/content.ts'
import type { Gan } from '../dsl/gan.ts'
import { checkNetwork } from '../shape/check.ts'
import { formatShape } from '../dsl/describe.ts'
import { sameShape, shapeSize } from '../dsl/shape.ts'
import { compileNetwork, type CompiledNetwork } from './network.ts'
import type { Params } from './params.ts'
import { tf } from './tf.ts'

/**
 * A perceptual loss with its network compiled.
 *
 * @since 0.1.0
 * @category model
 */
export interface FrozenNetwork {
  readonly loss: Perceptual
  readonly network: CompiledNetwork
}

/** Every perceptual loss of the schedule, with the path it is declared at. */
const perceptualLosses = (gan: Gan): ReadonlyArray<readonly [Perceptual, string]> => {
  const walk = (loss: ContentLoss | undefined, path: string): ReadonlyArray<readonly [Perceptual, string]> =>
    loss === undefined
      ? []
      : loss._tag === 'Perceptual'
        ? [[loss, path]]
        : loss._tag === 'WeightedSum'
          ? loss.terms.flatMap((term, i) => walk(term.loss, `${path}.terms[${i}].loss`))
          : []
  return gan.schedule.phases.flatMap((phase, i) =>
    phase._tag === 'Pretrain' ? walk(phase.loss, `schedule.phases[${i}].loss`) : walk(phase.content, `schedule.phases[${i}].content`),
  )
}

const checkWeights = (loss: Perceptual, network: CompiledNetwork, path: string): ReadonlyArray<GanError> =>
  network.paramSpecs.flatMap((spec): ReadonlyArray<GanError> => {
    const at = `${path}.weights["${spec.path}"]`
    const weight = loss.weights[spec.path]
    if (weight === undefined) return [invalidConfig(at, `a tensor of shape ${formatShape(spec.shape)}`, 'none')]
    if (!sameShape(weight.shape, spec.shape)) return [shapeMismatch(at, formatShape(spec.shape), formatShape(weight.shape))]
    const size = shapeSize(spec.shape)
    return weight.values?.length === size ? [] : [invalidData(`${at}.values.length`, String(size), String(weight.values?.length))]
  })

/**
 * Compiles the perceptual losses' networks of a checked GAN and checks their weights.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { compileFrozenNetworks, gan, mlp, relu } from 'ganfp'
 * const r = compileFrozenNetworks(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [4], relu, 1) }))
 * E.isRight(r) && r.right.length // 0
 * @since 0.1.0
 * @category compiler
 */
export const compileFrozenNetworks = (gan: Gan, options: { readonly fuse?: boolean } = {}): E.Either<ReadonlyArray<GanError>, ReadonlyArray<FrozenNetwork>> => {
  const errors: Array<GanError> = []
  const frozen = new Map<Perceptual, FrozenNetwork>()
  for (const [loss, path] of perceptualLosses(gan)) {
    if (frozen.has(loss)) continue
    const checked = checkNetwork(loss.network, `${path}.network`)
    if (E.isLeft(checked)) {
      errors.push(...checked.left)
      continue
    }
    const network = compileNetwork(checked.right, options)
    const problems = checkWeights(loss, network, path)
    errors.push(...problems)
    if (problems.length === 0) frozen.set(loss, { loss, network })
  }
  return errors.length > 0 ? E.left(errors) : E.right([...frozen.values()])
}

/**
 * A frozen network's parameters as tensors (the caller disposes them).
 *
 * @example
 * import { compileFrozenNetworks, frozenParams } from 'ganfp'
 * // for (const f of compiledGan.frozen) { const params = frozenParams(f); … ; disposeParams(params) }
 * @since 0.1.0
 * @category compiler
 */
export const frozenParams = (frozen: FrozenNetwork): Params =>
  Object.fromEntries(frozen.network.paramSpecs.map((spec) => [spec.path, tf.tensor(frozen.loss.weights[spec.path]!.values, [...spec.shape], 'float32')]))
