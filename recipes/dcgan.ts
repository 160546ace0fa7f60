/**
 * DCGAN (Radford et al.) for 28×28 images: dense → reshape 7×7 → transposed convolutions with batch
 * norm and leaky ReLU → tanh, as in TensorFlow's DCGAN tutorial; a strided-convolution discriminator
 * with leaky ReLU and dropout. Trains on the bundled MNIST or Fashion-MNIST training split (protocol Q2) for `--steps` or `--minutes`,
 * whichever ends first, and samples from a moving average of the generator.
 *
 * While training it writes `OUT/progress/step-NNNNNN.png`, a grid of 64 samples from one fixed
 * latent batch, every `--sample-every` steps; at the end `OUT/samples.png` (the same grid) and
 * `OUT/samples.npy` (2,000 samples, float32 N×28×28 in [0, 1]) for evaluation.
 *
 * `--width` scales every layer's channels: the classic size (TensorFlow's tutorial: 256/128/64
 * channels, 5×5 kernels) is `--width 64`; the default is sized for a CPU budget.
 *
 * Run: `deno run -A recipes/dcgan.ts --dataset mnist --minutes 20 --out out/dcgan` (or `bun run`).
 */
import { join } from 'node:path'
import {
  adam,
  alternating,
  backendChoices,
  batchNorm,
  compileOrThrow,
  conv2d,
  conv2dTranspose,
  createTrainerOrThrow,
  dense,
  dropout,
  encodeNpy,
  encodePng,
  flag,
  flagsHelp,
  flatten,
  gan,
  getOrThrow,
  imageDataset,
  imageGrid,
  intFlag,
  nonNegativeIntFlag,
  isMain,
  leakyRelu,
  loadBundledImages,
  normalLatent,
  oneOfFlag,
  parseFlags,
  positiveIntFlag,
  positiveNumberFlag,
  reshape,
  runMain,
  sampleLatent,
  sequential,
  splitHeldOut,
  stringFlag,
  tanh,
  useBackendOrThrow,
  writeFileAtomic,
  Rng,
  GanException,
  type FlagValues,
  type Gan,
} from '../src/index.ts'

/** The recipe's options; `--help` prints them. */
export const dcganFlags = {
  dataset: flag(oneOfFlag(['mnist', 'fashion'] as const), 'mnist', 'bundled image set'),
  steps: flag(positiveIntFlag, 1_000_000, 'generator steps at most'),
  minutes: flag(positiveNumberFlag, 20, 'wall-clock budget for training'),
  batch: flag(positiveIntFlag, 64, 'examples per batch'),
  width: flag(positiveIntFlag, 16, 'channels of the last generator block (64: the classic DCGAN size)'),
  'latent-dim': flag(positiveIntFlag, 64, 'latent dimension'),
  seed: flag(intFlag, 1, 'seed of the whole run'),
  backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
  threads: flag(nonNegativeIntFlag, 0, 'wasm threads (0: every core; the convolutions split across them)'),
  out: flag(stringFlag, 'out/dcgan', 'output directory'),
  'sample-every': flag(positiveIntFlag, 200, 'steps between progress grids'),
  'log-every': flag(positiveIntFlag, 50, 'steps between progress lines'),
}

/** The recipe's configuration: its flags' values. */
export type DcganConfig = FlagValues<typeof dcganFlags>

/** The DCGAN for 28×28×1 images; `width` is the channel count of the last generator block. */
export const dcganGan = (options: { readonly width: number; readonly latentDim: number }): Gan => {
  const w = options.width
  return gan({
    generator: sequential(
      [options.latentDim],
      [
        dense(7 * 7 * 4 * w, { useBias: false }),
        batchNorm(),
        leakyRelu(0.2),
        reshape([7, 7, 4 * w]),
        conv2dTranspose(2 * w, 5, { useBias: false }),
        batchNorm(),
        leakyRelu(0.2),
        conv2dTranspose(w, 5, { stride: 2, useBias: false }),
        batchNorm(),
        leakyRelu(0.2),
        conv2dTranspose(1, 5, { stride: 2 }),
        tanh,
      ],
    ),
    discriminator: sequential(
      [28, 28, 1],
      [
        conv2d(w, 5, { stride: 2 }),
        leakyRelu(0.2),
        dropout(0.3),
        conv2d(2 * w, 5, { stride: 2 }),
        leakyRelu(0.2),
        dropout(0.3),
        flatten,
        dense(1),
      ],
    ),
    latent: normalLatent(options.latentDim),
    schedule: alternating({ generatorAverageDecay: 0.999 }),
    optimizers: {
      generator: adam({ learningRate: 2e-4, beta1: 0.5 }),
      discriminator: adam({ learningRate: 2e-4, beta1: 0.5 }),
    },
  })
}

const toUnit = (values: Float32Array): Float32Array => values.map((v) => (v + 1) / 2)

const grid = (values: Float32Array): Uint8Array =>
  encodePng(imageGrid(toUnit(values), { count: values.length / 784, height: 28, width: 28, channels: 1, columns: 8 }))

/** Trains and writes the outputs; returns the steps run. */
export const trainDcgan = async (config: DcganConfig, log: (line: string) => void = console.log): Promise<number> => {
  const images = loadBundledImages(config.dataset)
  if (images._tag === 'Left') throw new GanException([images.left])
  const { train } = splitHeldOut(images.right)
  const spec = dcganGan({ width: config.width, latentDim: config['latent-dim'] })
  const trainer = createTrainerOrThrow(compileOrThrow(spec), imageDataset(train), { seed: config.seed, batchSize: config.batch })
  const fixedLatents = sampleLatent(spec.latent, 64, Rng.fromSeed(config.seed + 1))
  const started = performance.now()
  const budget = new AbortController()
  let steps = 0
  try {
    for await (const r of trainer.run({ steps: config.steps, signal: budget.signal })) {
      steps = r.step
      const seconds = (performance.now() - started) / 1000
      if (seconds > config.minutes * 60) budget.abort()
      if (r.step % config['log-every'] === 0 || r.step === 1)
        log(
          `step ${r.step}  D loss ${r.discriminatorLoss.toFixed(3)}  G loss ${r.generatorLoss.toFixed(3)}  ` +
            `D(x) ${r.realScore.toFixed(2)}  D(G(z)) ${r.fakeScore.toFixed(2)}  ${seconds.toFixed(0)} s`,
        )
      if (r.step % config['sample-every'] === 0)
        writeFileAtomic(join(config.out, 'progress', `step-${String(r.step).padStart(6, '0')}.png`), grid(await trainer.generate(fixedLatents)))
    }
    writeFileAtomic(join(config.out, 'samples.png'), grid(await trainer.generate(fixedLatents)))
    const samples = new Float32Array(2000 * 784)
    for (let i = 0; i < 2000; i += 250)
      samples.set(toUnit(await trainer.sample(250, { seed: config.seed + 2 + i })), i * 784)
    writeFileAtomic(join(config.out, 'samples.npy'), encodeNpy(samples, [2000, 28, 28]))
    return steps
  } finally {
    trainer.dispose()
  }
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(dcganFlags, argv))
  if (help) return console.log(flagsHelp('dcgan', 'DCGAN on bundled MNIST / Fashion-MNIST', dcganFlags))
  const backend = await useBackendOrThrow(values.backend, values.threads > 0 ? { wasmThreads: values.threads } : {})
  console.log(`DCGAN on ${values.dataset}, backend ${backend.name} (${backend.reason}), width ${values.width}, budget ${values.minutes} min`)
  const steps = await trainDcgan(values)
  console.log(`trained ${steps} steps; wrote ${join(values.out, 'samples.png')} and ${join(values.out, 'samples.npy')}`)
}

if (isMain(import.meta)) await runMain(main)
