/**
 * The state a fresh ganfp run starts from, as plain data: what the torch package loads first, so
 * that its modules start from exactly the values ganfp's trainer would have for the same seed.
 *
 * @since 0.3.0
 */
import type { CompiledGan } from '../../compile/gan.ts'
import type { CompiledNetwork } from '../../compile/network.ts'
import { Rng } from '../../random.ts'
import type { Optimizer } from '../../dsl/optimizer.ts'
import { shapeSize } from '../../dsl/shape.ts'
import { initOptimizerSlotNames } from '../../train/optimizer.ts'
import type { PlayerSnapshot, TensorData, TrainerSnapshot } from '../../train/snapshot.ts'

/** A network's initial parameters read out (the tensors `init` made are freed), and zeroed optimizer slots. */
const freshPlayer = (network: CompiledNetwork, seed: number, optimizer: Optimizer): PlayerSnapshot => {
  const tensors = network.init(seed)
  const params: Record<string, TensorData> = {}
  for (const [path, t] of Object.entries(tensors)) params[path] = { shape: [...t.shape], values: Float32Array.from(t.dataSync() as Float32Array) }
  network.dispose(tensors)
  const size = network.trainablePaths.reduce((total, path) => total + shapeSize(params[path]!.shape), 0)
  const slots = Object.fromEntries(initOptimizerSlotNames(optimizer, network.trainablePaths.length).map((name) => [name, { shape: [size], values: new Float32Array(size) }]))
  return { params, optimizerUpdates: 0, optimizerSlots: slots }
}

/**
 * The snapshot `createTrainer(compiled, data, { seed })` starts from, without a dataset or a
 * trainer: both networks initialised from the seed's first two draws, the optimizers' slots
 * zeroed, the generator's moving average equal to it when the schedule keeps one, and the three
 * random streams forked as the trainer forks them (`trainer.snapshot()` before its first step
 * gives the same). Runs `init` on the current tfjs backend and frees what it made.
 *
 * @example
 * import { compileOrThrow, dcganGan, initialTrainerSnapshot } from 'ganfp'
 * const snapshot = initialTrainerSnapshot(compileOrThrow(dcganGan({ width: 4, latentDim: 8 })), 1)
 * snapshot.step // 0
 * Object.keys(snapshot.generator.optimizerSlots) // ['m', 'v']
 * @since 0.3.0
 * @category export
 */
export const initialTrainerSnapshot = (compiled: CompiledGan, seed: number): TrainerSnapshot => {
  const { spec, generator, discriminator } = compiled
  // The order of initTrainerState (src/train/state.ts): the init seeds first, then the streams.
  const root = Rng.fromSeed(seed)
  const generatorSeed = root.nextUint32()
  const discriminatorSeed = root.nextUint32()
  const latent = root.fork()
  const noise = root.fork()
  const data = root.fork()
  const gen = freshPlayer(generator, generatorSeed, spec.optimizers.generator)
  const disc = freshPlayer(discriminator, discriminatorSeed, spec.optimizers.discriminator)
  const copy = (tensors: Readonly<Record<string, TensorData>>): Record<string, TensorData> =>
    Object.fromEntries(Object.entries(tensors).map(([path, t]) => [path, { shape: [...t.shape], values: Float32Array.from(t.values) }]))
  return {
    step: 0,
    batchesSeen: 0,
    rng: { latent: latent.state(), noise: noise.state(), data: data.state() },
    dataCursor: undefined,
    generator: gen,
    discriminator: disc,
    generatorAverage: spec.schedule.generatorAverageDecay === undefined ? undefined : copy(gen.params),
  }
}
