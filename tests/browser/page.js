// What the browser tests drive: ganfp's core, imported as plain ESM from its single-file build.
// Each function returns plain data to page.evaluate.
import * as ganfp from './ganfp.js'

const { compileOrThrow, createTrainerOrThrow, mixtureDataset, mixtureReport, ringMixture, useBackend, vanillaGan } = ganfp

/** The vanilla recipe's GAN (protocol Q1): three hidden layers of 64 in each network. */
const ringGan = ({ learningRate = 1e-3, averageDecay = 0.999 } = {}) =>
  vanillaGan({ width: 64, latentDim: 2, learningRate, generatorAverageDecay: averageDecay })

const backend = async (name) => {
  const selected = await useBackend(name)
  if (selected._tag === 'Left') throw new Error(ganfp.formatGanErrors(selected.left))
  return selected.right
}

window.ganfpPage = {
  /** What the page runs on: WebGPU adapter facts and the names the core exports. */
  facts: async () => {
    const adapter = navigator.gpu === undefined ? null : await navigator.gpu.requestAdapter()
    return {
      gpu: navigator.gpu !== undefined,
      adapter: adapter === null ? null : { vendor: adapter.info?.vendor ?? '', architecture: adapter.info?.architecture ?? '', description: adapter.info?.description ?? '' },
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      exports: Object.keys(ganfp).length,
    }
  },
  /**
   * Trains the ring GAN for `steps` on `name` (reports read every 50 steps, as `ganfp train` reads
   * them on WebGPU) and scores 2,500 samples by Q1.
   */
  trainRing: async (name, steps, seed = 1, options = {}) => {
    const selection = await backend(name)
    const trainer = createTrainerOrThrow(compileOrThrow(ringGan(options)), mixtureDataset(ringMixture), { seed, batchSize: 128 })
    const started = performance.now()
    try {
      for await (const r of trainer.runOrThrow({ steps, readEvery: 50 })) if (r.step % 500 === 0) console.log(`${name} step ${r.step}: D ${r.discriminatorLoss.toFixed(3)} G ${r.generatorLoss.toFixed(3)}`)
      const seconds = (performance.now() - started) / 1000
      const report = mixtureReport(ringMixture, await trainer.sampleOrThrow(2500, { seed: seed + 1 }))
      return { backend: selection, seconds, stepsPerSecond: steps / seconds, report }
    } finally {
      trainer.dispose()
    }
  },
  /** The first `steps` step reports of the ring GAN on `name` (losses and scores). */
  firstSteps: async (name, steps, seed = 3) => {
    const selection = await backend(name)
    const trainer = createTrainerOrThrow(compileOrThrow(ringGan()), mixtureDataset(ringMixture), { seed, batchSize: 64 })
    const started = performance.now()
    try {
      const reports = []
      for await (const r of trainer.runOrThrow({ steps }))
        reports.push({ step: r.step, discriminatorLoss: r.discriminatorLoss, generatorLoss: r.generatorLoss, realScore: r.realScore, fakeScore: r.fakeScore })
      return { backend: selection, stepsPerSecond: steps / ((performance.now() - started) / 1000), reports }
    } finally {
      trainer.dispose()
    }
  },
  /** The freshly initialised generator's and discriminator's outputs for fixed inputs, on `name`. */
  forward: async (name) => {
    await backend(name)
    const trainer = createTrainerOrThrow(compileOrThrow(ringGan()), mixtureDataset(ringMixture), { seed: 5, batchSize: 16 })
    try {
      const latents = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i * 0.7) * 1.5)
      const points = await trainer.generateOrThrow(latents)
      const scores = await trainer.discriminateOrThrow(points)
      return { points: Array.from(points), scores: Array.from(scores) }
    } finally {
      trainer.dispose()
    }
  },
}
document.getElementById('status').textContent = 'ready'
