// A few DCGAN training steps on the wasm backend with the thread count given as the first
// argument; prints the threads used, the losses and a hash of the generator's parameters as JSON.
// tests/wasm-threads.test.ts runs it with 1 and 2 threads and compares.
import { createHash } from 'node:crypto'
import { compileOrThrow, createTrainerOrThrow, imageDataset, splitHeldOut, useBackendOrThrow } from '../../src/index.ts'
import { loadBundledImagesOrThrow } from '../../src/node.ts'
import { wasmThreads } from '../../src/compile/backend.ts'
import { dcganGan } from '../../recipes/dcgan.ts'

const threads = Number((globalThis as { Deno?: { args: Array<string> } }).Deno?.args[0] ?? process.argv[2])
await useBackendOrThrow('wasm', { wasmThreads: threads })
const { train } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
const trainer = createTrainerOrThrow(compileOrThrow(dcganGan({ width: 16, latentDim: 32 })), imageDataset(train), {
  seed: 7,
  batchSize: 32,
})
const losses: Array<number> = []
for (let i = 0; i < 3; i++) {
  const r = await trainer.stepOrThrow()
  losses.push(r.discriminatorLoss, r.generatorLoss)
}
const hash = createHash('sha256')
for (const t of Object.values(trainer.paramsOrThrow().generator)) hash.update(new Uint8Array((await t.data()).buffer))
console.log(JSON.stringify({ threads: wasmThreads(), losses, generator: hash.digest('hex') }))
trainer.dispose()
