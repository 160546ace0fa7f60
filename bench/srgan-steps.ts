/**
 * The SRGAN recipe's networks by image size: parameter counts and the time of one pretraining
 * (MSE) step and one adversarial step, at the recipe's defaults (32 filters, 4 residual blocks,
 * batch 32, ×4), on random images (speed does not depend on the data). The figures the recipe's
 * `--help` quotes come from here.
 *
 * Run: `bun run bench/srgan-steps.ts` (wasm, every core); `--sizes 32x3,64x3 --iterations 10`
 * narrows it. Not a test: it prints a table, each time the median of `--iterations` steps after
 * `--warmup`; run it on a quiet machine.
 */
import {
  compileOrThrow,
  createTrainerOrThrow,
  estimateMemory,
  flag,
  flagsHelp,
  getOrThrow,
  mse,
  nonNegativeIntFlag,
  positiveIntFlag,
  srganGan,
  stringFlag,
  superResolutionDatasetOrThrow,
  useBackendOrThrow,
} from '../src/index.ts'
import { parseFlags, runMain } from '../src/node.ts'
import { Rng } from '../src/random.ts'
import { wasmThreads } from '../src/compile/backend.ts'
import { median } from './median.ts'

const stepsFlags = {
  sizes: flag(stringFlag, '28x1,32x1,32x3,64x3', 'high-resolution sizes SxC (28x1: the bundled sets)'),
  filters: flag(positiveIntFlag, 32, 'channels of the residual trunk (the recipe default)'),
  blocks: flag(positiveIntFlag, 4, 'residual blocks (the recipe default)'),
  batch: flag(positiveIntFlag, 32, 'examples per batch (the recipe default)'),
  iterations: flag(positiveIntFlag, 10, 'timed steps per phase'),
  warmup: flag(nonNegativeIntFlag, 3, 'untimed steps per phase first'),
  threads: flag(nonNegativeIntFlag, 0, 'wasm threads (0: every core)'),
}



/** Random images of one size, enough for every timed batch. */
const randomImages = (size: number, channels: number, count: number) => {
  const rng = Rng.fromSeed(1)
  const pixels = Uint8Array.from(rng.uniforms(count * size * size * channels, 0, 256), Math.floor)
  return { name: `random ${size}×${size}×${channels}`, count, height: size, width: size, channels, pixels, labels: new Uint8Array(count), classNames: ['random'] }
}

await runMain(async (argv) => {
  const parsed = getOrThrow(parseFlags(stepsFlags, argv))
  if (parsed.help) return console.log(flagsHelp('srgan-steps', 'SRGAN step times and parameter counts by image size', stepsFlags))
  const config = parsed.values
  const backend = await useBackendOrThrow('wasm', config.threads > 0 ? { wasmThreads: config.threads } : {})
  const perPhase = config.warmup + config.iterations
  console.log(`SRGAN ×4, ${config.filters} filters, ${config.blocks} blocks, batch ${config.batch}, ${backend.name} (${wasmThreads()} threads); median of ${config.iterations} steps`)
  console.log('| high resolution | generator parameters | discriminator parameters | pretraining step | adversarial step |')
  console.log('|---|---|---|---|---|')
  for (const entry of config.sizes.split(',')) {
    const [size, channels] = entry.split('x').map(Number) as [number, number]
    const spec = srganGan({
      highShape: [size, size, channels],
      filters: config.filters,
      blocks: config.blocks,
      pretrainSteps: perPhase,
      content: mse(),
      adversarialWeight: 1e-3,
      learningRate: 1e-3,
    })
    const compiled = compileOrThrow(spec)
    const data = superResolutionDatasetOrThrow(randomImages(size, channels, config.batch * 2 * perPhase), 4)
    const trainer = createTrainerOrThrow(compiled, data, { seed: 1, batchSize: config.batch })
    try {
      const phases: Array<Array<number>> = [[], []]
      for (let i = 0; i < 2 * perPhase; i++) {
        const started = performance.now()
        await trainer.stepOrThrow() // reads the losses back, so the backend's work is done
        if (i % perPhase >= config.warmup) phases[i < perPhase ? 0 : 1]!.push(performance.now() - started)
      }
      const [pretraining, adversarial] = phases.map(median) as [number, number]
      // Counted as the memory estimate counts them (every parameter, batch-norm statistics too).
      const parameters = estimateMemory(compiled, config.batch).parameters
      console.log(
        `| ${size}×${size}×${channels} | ${parameters.generator.toLocaleString('en-US')} | ${parameters.discriminator.toLocaleString('en-US')} | ${pretraining.toFixed(0)} ms | ${adversarial.toFixed(0)} ms |`,
      )
    } finally {
      trainer.dispose()
    }
  }
})
