// What tests/browser-checkpoint.test.ts drives: a checkpoint of a `ganfp train` run, loaded in a
// page by ganfp's core (plain ESM from its single-file build), its GAN rebuilt from the run record
// with the core's zoo, and sampled. Each function returns plain data to page.evaluate.
import * as ganfp from './ganfp.js'

const {
  builtinGanOf,
  checkpointFromBytesOrThrow,
  checkpointFromFilesOrThrow,
  checkpointToBytes,
  compileOrThrow,
  getOrThrow,
  imageGrid,
  samplerFromSnapshotOrThrow,
  toUnitRange,
  useBackend,
} = ganfp

const fetchBytes = async (url) => {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

/** `n` samples of `checkpoint`'s generator, latents from `seed` (as `ganfp sample --seed`). */
const samplesOf = async (checkpoint, n, seed) => {
  // The built-in recipe's GAN from the run record (sampling reads the generator, its latent and its
  // moving average; what only training reads comes with it all the same).
  const sampler = samplerFromSnapshotOrThrow(compileOrThrow(getOrThrow(builtinGanOf(checkpoint.run))), checkpoint.snapshot)
  try {
    return await sampler.sampleOrThrow(n, { seed })
  } finally {
    sampler.dispose()
  }
}

window.checkpointPage = {
  /**
   * Loads the checkpoint three ways (its directory's two files, the one-file container, and bytes
   * the page makes of it again) and samples each on `backend`; also draws the first as a grid.
   */
  sample: async ({ backend, directory, container, n, seed }) => {
    const selected = await useBackend(backend)
    if (selected._tag === 'Left') throw new Error(ganfp.formatGanErrors(selected.left))
    const [manifest, tensors, bytes] = await Promise.all([fetchBytes(`${directory}/manifest.json`), fetchBytes(`${directory}/tensors.bin`), fetchBytes(container)])
    const fromFiles = checkpointFromFilesOrThrow({ manifest, tensors }, { source: directory })
    const fromContainer = checkpointFromBytesOrThrow(bytes, { source: container })
    const again = checkpointFromBytesOrThrow(checkpointToBytes(fromFiles.snapshot, { run: fromFiles.run }))
    const files = await samplesOf(fromFiles, n, seed)
    // Drawn as `ganfp sample` draws it: a square, or for the CGAN one class a column.
    const columns = fromFiles.run.recipe === 'cgan' && n >= 10 ? 10 : Math.ceil(Math.sqrt(n))
    const grid = imageGrid(toUnitRange(files), { count: n, height: 28, width: 28, channels: 1, columns })
    return {
      backend: selected.right,
      step: fromFiles.step,
      recipe: fromFiles.run.recipe,
      files: Array.from(files),
      container: Array.from(await samplesOf(fromContainer, n, seed)),
      again: Array.from(await samplesOf(again, n, seed)),
      grid: { width: grid.width, height: grid.height, rgba: Array.from(grid.rgba) },
    }
  },
}
document.getElementById('status').textContent = 'ready'
