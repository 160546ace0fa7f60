// Writes checkpoints in a loop until killed (for the kill -9 test): step s holds tensors filled
// with s, about 4 MB, so a reader can tell a whole checkpoint from a torn one. It continues the
// numbering from the newest checkpoint already in the directory.
import { listCheckpointsOrThrow, writeCheckpointOrThrow } from '../../src/node/checkpoint.ts'
import type { TrainerSnapshot } from '../../src/train/snapshot.ts'

const directory = process.argv[2]!
const tensor = (value: number, size: number) => ({ shape: [size], values: new Float32Array(size).fill(value) })
const snapshot = (step: number): TrainerSnapshot => ({
  step,
  batchesSeen: step,
  rng: { latent: [1, 2, 3, step], noise: [4, 5, 6, step], data: [7, 8, 9, step] },
  dataCursor: { epochSeed: step, batchesIntoEpoch: step % 7 },
  generator: { params: { 'layers[0].kernel': tensor(step, 400_000) }, optimizerUpdates: step, optimizerSlots: { m: tensor(step, 400_000) } },
  discriminator: { params: { 'layers[0].kernel': tensor(step, 200_000) }, optimizerUpdates: step, optimizerSlots: {} },
  generatorAverage: { 'layers[0].kernel': tensor(step, 400_000) },
})

let step = (listCheckpointsOrThrow(directory).at(-1)?.step ?? 0) + 1
writeCheckpointOrThrow(directory, snapshot(step), { keep: 2, run: { step } })
console.log('ready')
for (;;) {
  step++
  writeCheckpointOrThrow(directory, snapshot(step), { keep: 2, run: { step } })
}
