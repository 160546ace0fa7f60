/**
 * Protocol B3's measurement, shared by the in-process run (`bench/b3.ts` on Deno's WebGPU and on
 * wasm) and the page (`bench/b3-page.ts` in headless Chromium): train a recipe's GAN with its
 * steps queued and their reports read every `readEvery` steps, as `ganfp train` does on WebGPU,
 * and count what each step asks of the device (`watchDeviceWork`). Core only, so it bundles for
 * a page.
 */
import {
  compileOrThrow,
  createTrainerOrThrow,
  dcganGan,
  fromSampler,
  mixtureDataset,
  ringMixture,
  vanillaGan,
  watchDeviceWork,
  type Dataset,
  type Gan,
} from '../src/index.ts'

/** The two GANs B3 measures, each with its recipe's default configuration and batch. */
export const b3Recipes = {
  // `ganfp train vanilla`'s defaults: three hidden layers of 64, batch 256.
  vanilla: { gan: () => vanillaGan({ width: 64, latentDim: 2, learningRate: 1e-3, generatorAverageDecay: 0.999 }), data: (): Dataset => mixtureDataset(ringMixture), batch: 256 },
  // `ganfp train dcgan`'s defaults (width 16, 64-d latent, batch 64) on uniform noise images: the
  // pixels do not change the work.
  dcgan: {
    gan: () => dcganGan({ width: 16, latentDim: 64 }),
    data: (): Dataset => fromSampler('uniform images', [28, 28, 1], (n, rng) => rng.uniforms(n * 784, -1, 1)),
    batch: 64,
  },
} as const satisfies Record<string, { gan: () => Gan; data: () => Dataset; batch: number }>

export type B3Recipe = keyof typeof b3Recipes

/** One row of B3: per-step figures after warm-up. */
export interface B3Row {
  readonly where: string
  readonly backend: string
  readonly recipe: B3Recipe
  readonly fused: boolean
  readonly steps: number
  readonly readEvery: number
  readonly stepsPerSecond: number
  /** Readbacks between logged steps, per step (target 0). */
  readonly readbacksBetweenLogs: number
  /** Readbacks at each logged step (one transfer of the queued reports). */
  readonly readbacksPerLog: number
  /** Pipelines compiled after warm-up (target 0); `null` off WebGPU. */
  readonly pipelinesAfterWarmup: number | null
  readonly dispatchesPerStep: number | null
  readonly uniformBytesPerStep: number | null
  readonly uploadsPerStep: number
  readonly uploadBytesPerStep: number
  /** One batch of real data plus one of latents per update: the floor for uploads. */
  readonly batchBytesPerStep: number
}

/** Trains `recipe` for `warmup` then `steps` steps on the active backend and counts the device's work. */
export const measureB3 = async (options: {
  readonly where: string
  readonly recipe: B3Recipe
  readonly steps: number
  readonly warmup: number
  readonly readEvery: number
  readonly fuse: boolean
  readonly seed?: number
}): Promise<B3Row> => {
  const { gan, data, batch } = b3Recipes[options.recipe]
  const compiled = compileOrThrow(gan(), { fuse: options.fuse })
  const trainer = createTrainerOrThrow(compiled, data(), { seed: options.seed ?? 1, batchSize: batch })
  try {
    // Warm-up: every kernel the step uses compiles its pipeline, and a read settles the queue.
    for (let i = 0; i < options.warmup; i++) await trainer.queueStepOrThrow()
    await trainer.readQueuedReportsOrThrow()
    const watch = watchDeviceWork()
    let reads = 0
    let readbacksBetween = 0
    const started = performance.now()
    for (let i = 1; i <= options.steps; i++) {
      await trainer.queueStepOrThrow()
      if (i % options.readEvery === 0 || i === options.steps) {
        readbacksBetween += watch.counts().readbacks - reads
        const before = watch.counts().readbacks
        const reports = await trainer.readQueuedReportsOrThrow()
        if (!reports.every((r) => Number.isFinite(r.discriminatorLoss) && Number.isFinite(r.generatorLoss)))
          throw new Error(`B3 ${options.recipe}: non-finite losses`)
        reads += watch.counts().readbacks - before
      }
    }
    const seconds = (performance.now() - started) / 1000
    const counts = watch.counts()
    watch.stop()
    const logs = Math.ceil(options.steps / options.readEvery)
    const perStep = (n: number | undefined): number | null => (n === undefined ? null : n / options.steps)
    const updates = compiled.spec.schedule.discriminatorStepsPerGeneratorStep + 1
    const exampleFloats = compiled.discriminator.inputShape.reduce((a, b) => a * b, 1)
    const latentFloats = compiled.generator.inputShape.reduce((a, b) => a * b, 1)
    return {
      where: options.where,
      backend: counts.backend,
      recipe: options.recipe,
      fused: options.fuse,
      steps: options.steps,
      readEvery: options.readEvery,
      stepsPerSecond: options.steps / seconds,
      readbacksBetweenLogs: readbacksBetween / options.steps,
      readbacksPerLog: reads / logs,
      pipelinesAfterWarmup: counts.pipelines ?? null,
      dispatchesPerStep: perStep(counts.dispatches),
      uniformBytesPerStep: perStep(counts.uniformBytes),
      uploadsPerStep: counts.uploads / options.steps,
      uploadBytesPerStep: counts.uploadBytes / options.steps,
      batchBytesPerStep: 4 * batch * ((updates - 1) * exampleFloats + updates * latentFloats),
    }
  } finally {
    trainer.dispose()
  }
}

/** The rows as a fixed-width table. */
export const b3Table = (rows: ReadonlyArray<B3Row>): string => {
  const head = ['where', 'backend', 'recipe', 'fused', 'steps/s', 'reads between logs /step', 'reads /log', 'pipelines after warm-up', 'dispatches /step', 'uploads /step', 'upload KB /step', 'batch KB /step', 'uniform KB /step']
  const fixed = (n: number | null, digits: number): string => (n === null ? '–' : n.toFixed(digits))
  const body = rows.map((r) => [
    r.where,
    r.backend,
    r.recipe,
    r.fused ? 'yes' : 'no',
    fixed(r.stepsPerSecond, 2),
    fixed(r.readbacksBetweenLogs, 2),
    fixed(r.readbacksPerLog, 2),
    fixed(r.pipelinesAfterWarmup, 0),
    fixed(r.dispatchesPerStep, 0),
    fixed(r.uploadsPerStep, 0),
    fixed(r.uploadBytesPerStep / 1024, 2),
    fixed(r.batchBytesPerStep / 1024, 2),
    fixed(r.uniformBytesPerStep === null ? null : r.uniformBytesPerStep / 1024, 2),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)))
  const line = (cells: ReadonlyArray<string>): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}
