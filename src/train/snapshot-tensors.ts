/**
 * Between live tensors and snapshot data: reading a player's parameters and optimizer slots out
 * as `TensorData`, and making tensors of them again on resume. Kept apart from `snapshot.ts`,
 * which checks snapshots without a backend.
 *
 * @since 0.1.0
 */
import type { Params } from '../compile/params.ts'
import { tf } from '../compile/tf.ts'
import type { OptimizerState } from './optimizer.ts'
import type { PlayerSnapshot, TensorData } from './snapshot.ts'
import type { Player } from './update.ts'

/**
 * Every tensor's shape and values, read from the backend, by path.
 *
 * @example
 * await snapshotTensors({ bias: tf.zeros([2]) }) // { bias: { shape: [2], values: Float32Array [0, 0] } }
 * @since 0.1.0
 * @category destructors
 */
export const snapshotTensors = async (params: Params): Promise<Record<string, TensorData>> => {
  const out: Record<string, TensorData> = {}
  for (const [path, t] of Object.entries(params)) out[path] = { shape: [...t.shape], values: (await t.data()) as Float32Array }
  return out
}

/**
 * A player's parameters, optimizer update count and slots, as plain data.
 *
 * @example
 * const data = await snapshotPlayer(player) // { params, optimizerUpdates, optimizerSlots }
 * @since 0.1.0
 * @category destructors
 */
export const snapshotPlayer = async (player: Player): Promise<PlayerSnapshot> => ({
  params: await snapshotTensors(player.params),
  optimizerUpdates: player.optimizer.updates,
  optimizerSlots: await snapshotTensors(player.optimizer.slots),
})

/**
 * Float32 tensors made from snapshot data; the caller owns them.
 *
 * @example
 * restoreTensors({ bias: { shape: [2], values: new Float32Array(2) } }).bias.shape // [2]
 * @since 0.1.0
 * @category constructors
 */
export const restoreTensors = (tensors: Readonly<Record<string, TensorData>>): Params =>
  Object.fromEntries(Object.entries(tensors).map(([path, t]) => [path, tf.tensor(t.values, [...t.shape], 'float32')]))

/**
 * A player made live again from its snapshot.
 *
 * @example
 * restorePlayer(await snapshotPlayer(player)).optimizer.updates === player.optimizer.updates // true
 * @since 0.1.0
 * @category constructors
 */
export const restorePlayer = (snapshot: PlayerSnapshot): Player => {
  const optimizer: OptimizerState = { updates: snapshot.optimizerUpdates, slots: restoreTensors(snapshot.optimizerSlots) }
  return { params: restoreTensors(snapshot.params), optimizer }
}
