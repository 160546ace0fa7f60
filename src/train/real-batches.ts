/**
 * The trainer's stream of real batches: epochs in an order drawn from the data stream, each batch
 * checked as it arrives, and a cursor (epoch seed, batches used) that lets a resumed run reopen
 * its epoch where the snapshot left it.
 *
 * @since 0.1.0
 */
import { GanException, invalidData } from '../errors.ts'
import type { Batch, Dataset } from '../data/dataset.ts'
import type { Rng } from '../random.ts'
import { checkBatch } from './batch-check.ts'
import type { DataCursor } from './snapshot.ts'

/**
 * Real batches on demand, and where the stream stands.
 *
 * @since 0.1.0
 * @category model
 */
export interface RealBatches {
  /** The next batch, checked; opens the next epoch when one ends. */
  readonly next: () => Promise<Batch>
  /** Real batches used so far (they index data errors). */
  readonly batchesSeen: () => number
  readonly cursor: () => DataCursor | undefined
}

/**
 * What every batch must be: its shape, its paired inputs' shape (paired data) and its class
 * count (when the trainer reads labels).
 *
 * @since 0.1.0
 * @category model
 */
export interface BatchExpectations {
  readonly batchShape: ReadonlyArray<number>
  readonly pairedShape: ReadonlyArray<number> | undefined
  readonly classes: number | undefined
}

/**
 * A stream over `dataset` whose epoch seeds come from `dataRng`, starting where `from` says (a
 * resumed run) or at the beginning.
 *
 * @example
 * const batches = realBatches(ring(), 8, Rng.fromSeed(1), { batchShape: [8, 2], pairedShape: undefined, classes: undefined }, { batchesSeen: 0, cursor: undefined })
 * (await batches.next()).shape // [8, 2]
 * @since 0.1.0
 * @category constructors
 */
export const realBatches = (
  dataset: Dataset,
  batchSize: number,
  dataRng: Rng,
  expected: BatchExpectations,
  from: { readonly batchesSeen: number; readonly cursor: DataCursor | undefined },
): RealBatches => {
  let batchesSeen = from.batchesSeen
  let cursor = from.cursor
  let iterator: AsyncIterator<Batch> | undefined

  const openEpoch = (seed: number, skipBatches = 0): AsyncIterator<Batch> =>
    dataset.batches(skipBatches === 0 ? { batchSize, seed } : { batchSize, seed, skipBatches })[Symbol.asyncIterator]()

  const next = async (): Promise<Batch> => {
    // A resumed run reopens its epoch and skips the batches already used, on its first batch. A
    // dataset that can skip jumps to the last of them, which is still read: an epoch too short
    // for the cursor is an error either way.
    if (iterator === undefined && cursor !== undefined) {
      const jumped = dataset.canSkipBatches === true ? Math.max(0, cursor.batchesIntoEpoch - 1) : 0
      iterator = openEpoch(cursor.epochSeed, jumped)
      for (let skipped = jumped; skipped < cursor.batchesIntoEpoch; skipped++)
        if ((await iterator.next()).done)
          throw new GanException([
            invalidData(`data(${dataset.name})`, `at least ${cursor.batchesIntoEpoch} batches in the resumed epoch`, 'fewer'),
          ])
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      if (iterator === undefined || cursor === undefined) {
        const epochSeed = dataRng.nextUint32()
        iterator = openEpoch(epochSeed)
        cursor = { epochSeed, batchesIntoEpoch: 0 }
      }
      const batch = await iterator.next()
      if (!batch.done) {
        checkBatch(batch.value, expected.batchShape, expected.pairedShape, expected.classes, dataset.name, batchesSeen)
        batchesSeen++
        cursor = { epochSeed: cursor.epochSeed, batchesIntoEpoch: cursor.batchesIntoEpoch + 1 }
        return batch.value
      }
      iterator = undefined // an epoch ended: start the next one with a new order
      cursor = undefined
    }
    throw new GanException([invalidData(`data(${dataset.name})`, 'at least one batch per epoch', 'an empty epoch')])
  }

  return { next, batchesSeen: () => batchesSeen, cursor: () => cursor }
}
