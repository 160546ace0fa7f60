/**
 * `compile(gan)`: check the spec, then compile both networks. Pure and synchronous: it allocates
 * no tensor, so it can run before a backend is chosen.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, type GanError } from '../errors.ts'
import type { Gan } from '../dsl/gan.ts'
import type { Latent } from '../dsl/latent.ts'
import type { Rng } from '../random.ts'
import { checkGan, checkNetwork, type CheckedGan } from '../shape/check.ts'
import { compileNetwork, type CompiledNetwork } from './network.ts'
import { compileFrozenNetworks, type FrozenNetwork } from './frozen.ts'

/**
 * A GAN ready to train: the spec, its checked shapes, and both compiled networks.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompiledGan {
  readonly spec: Gan
  readonly checked: CheckedGan
  readonly generator: CompiledNetwork
  readonly discriminator: CompiledNetwork
  /** The frozen networks of the schedule's perceptual losses. */
  readonly frozen: ReadonlyArray<FrozenNetwork>
}

/**
 * How to compile: `fuse` (default true) runs dense, conv2d and batch-norm layers together with a
 * following ReLU, leaky ReLU or sigmoid as one op; switch it off to compare or to debug.
 *
 * @since 0.1.0
 * @category model
 */
export interface CompileOptions {
  readonly fuse?: boolean
}

/**
 * Checks and compiles a GAN; every problem comes back at once, as values.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { compile, gan, mlp, relu } from 'ganfp'
 * const r = compile(gan({ generator: mlp([4], [16], relu, 2), discriminator: mlp([2], [16], relu, 1) }))
 * E.isRight(r) // true
 *
 * @since 0.1.0
 * @category compiler
 */
export const compile = (gan: Gan, options: CompileOptions = {}): E.Either<ReadonlyArray<GanError>, CompiledGan> => {
  const checked = checkGan(gan)
  // Still named with the spec's other problems: a player that checks on its own but has nothing to train.
  if (E.isLeft(checked)) return E.left([...checked.left, ...untrainablePlayers(gan, options)])
  const generator = compileNetwork(checked.right.generator, options)
  const discriminator = compileNetwork(checked.right.discriminator, options)
  const frozen = compileFrozenNetworks(gan, options)
  const errors = [...untrainable(generator, 'generator'), ...untrainable(discriminator, 'discriminator'), ...(E.isLeft(frozen) ? frozen.left : [])]
  return errors.length > 0 || E.isLeft(frozen) ? E.left(errors) : E.right({ spec: gan, checked: checked.right, generator, discriminator, frozen: frozen.right })
}

/** A player with nothing to train (a generator of no layers, say) has no gradient step to take. */
const untrainable = (network: CompiledNetwork, path: string): ReadonlyArray<GanError> =>
  network.trainablePaths.length > 0
    ? []
    : [invalidConfig(path, 'a network with at least one trainable parameter (a dense or conv2d layer, say)', 'none: its layers have no trainable parameters')]

/** `untrainable` for each player of a spec that failed its checks, where the player checks on its own. */
const untrainablePlayers = (gan: Gan, options: CompileOptions): ReadonlyArray<GanError> =>
  typeof gan !== 'object' || gan === null
    ? []
    : (['generator', 'discriminator'] as const).flatMap((player) => {
        const network = checkNetwork(gan[player], player)
        return E.isRight(network) ? untrainable(compileNetwork(network.right, options), player) : []
      })

/**
 * The throwing twin of `compile`, for recipes and the CLI.
 *
 * @example
 * import { compileOrThrow, gan, mlp, relu } from 'ganfp'
 * compileOrThrow(gan({ generator: mlp([4], [16], relu, 2), discriminator: mlp([2], [16], relu, 1) })).generator.outputShape // [2]
 *
 * @since 0.1.0
 * @category compiler
 */
export const compileOrThrow = (gan: Gan, options: CompileOptions = {}): CompiledGan => getOrThrow(compile(gan, options))

/**
 * `n` latent vectors, flattened row-major (`n × latent.dim`). A `pairedInput()` latent has no
 * distribution to draw from (its inputs come from the data), and `n` must be a whole number:
 * either is an `InvalidConfig` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { sampleLatent, normalLatent, pairedInput, Rng } from 'ganfp'
 * const z = sampleLatent(normalLatent(3), 2, Rng.fromSeed(1))
 * E.isRight(z) && z.right.length // 6
 * E.isLeft(sampleLatent(pairedInput(), 2, Rng.fromSeed(1))) // true
 *
 * @since 0.1.0
 * @category sampling
 */
export const sampleLatent = (latent: Latent, n: number, rng: Rng): E.Either<ReadonlyArray<GanError>, Float32Array> => {
  if (!(Number.isInteger(n) && n >= 0)) return E.left([invalidConfig('n', 'a whole number of samples', String(n))])
  switch (latent._tag) {
    case 'Normal':
      return E.right(rng.normals(n * latent.dim, latent.mean, latent.std))
    case 'Uniform':
      return E.right(rng.uniforms(n * latent.dim, latent.low, latent.high))
    case 'Paired':
      return E.left([invalidConfig('latent', 'a distribution to sample from', "pairedInput() (the generator's inputs come from the data)")])
  }
}

/**
 * The throwing twin of `sampleLatent`.
 *
 * @example
 * import { sampleLatentOrThrow, uniformLatent, Rng } from 'ganfp'
 * sampleLatentOrThrow(uniformLatent(2), 3, Rng.fromSeed(1)).length // 6
 *
 * @since 0.1.0
 * @category sampling
 */
export const sampleLatentOrThrow = (latent: Latent, n: number, rng: Rng): Float32Array => getOrThrow(sampleLatent(latent, n, rng))

/**
 * The truncation trick (Brock et al., BigGAN; Karras et al.'s ψ): sampled latents moved toward
 * the distribution's centre, `centre + ψ·(z − centre)` with ψ ∈ (0, 1] (the normal's mean, the
 * middle of a uniform's range). Samples get more typical and less varied: precision up, recall
 * down. ψ = 1 leaves the latents as they are. A paired input has no centre and is left alone.
 *
 * @example
 * import { normalLatent, truncateSampledLatents } from 'ganfp'
 * Array.from(truncateSampledLatents(normalLatent(2), new Float32Array([2, -4]), 0.5)) // [1, -2]
 *
 * @since 0.3.0
 * @category sampling
 */
export const truncateSampledLatents = (latent: Latent, latents: Float32Array, psi: number): Float32Array => {
  if (psi === 1) return latents
  switch (latent._tag) {
    case 'Normal':
      return latents.map((v) => latent.mean + psi * (v - latent.mean))
    case 'Uniform': {
      const centre = (latent.low + latent.high) / 2
      return latents.map((v) => centre + psi * (v - centre))
    }
    case 'Paired':
      return latents
  }
}

/**
 * `n` latents for sampling: from `rng`, drawn ψ = `truncation` of the way from the centre
 * (`truncateSampledLatents`; 1: as sampled). What `Trainer.sample` and a snapshot's sampler draw.
 *
 * @example
 * import { drawLatentsOrThrow, normalLatent, Rng } from 'ganfp'
 * drawLatentsOrThrow(normalLatent(2), 3, Rng.fromSeed(1), 0.5).length // 6
 *
 * @since 0.3.0
 * @category sampling
 */
export const drawLatentsOrThrow = (latent: Latent, n: number, rng: Rng, truncation: number): Float32Array =>
  truncateSampledLatents(latent, sampleLatentOrThrow(latent, n, rng), truncation)
