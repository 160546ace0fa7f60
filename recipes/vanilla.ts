/**
 * The vanilla GAN: multilayer perceptrons on the 2-D Gaussian mixtures of protocol Q1 (a ring of
 * 8 modes, a grid of 25). At the end it writes `OUT/samples.csv` (2,500 generated points, header
 * `x,y`) and `OUT/samples.png` (the points over the true modes) and prints the Q1 figures.
 *
 * Run: `deno run -A recipes/vanilla.ts --dataset ring --out out/ring`, or the same with `bun run`.
 */
import * as E from 'fp-ts/lib/Either.js'
import { join } from 'node:path'
import {
  adam,
  backendChoices,
  compileOrThrow,
  createTrainerOrThrow,
  encodePng,
  flag,
  flagsHelp,
  gan,
  getOrThrow,
  gridMixture,
  intFlag,
  leakyRelu,
  mixtureDataset,
  mixtureReport,
  mixtureScatter,
  mlp,
  normalLatent,
  oneOfFlag,
  parseFlags,
  pointsToCsv,
  positiveIntFlag,
  positiveNumberFlag,
  relu,
  ringMixture,
  isMain,
  runMain,
  stringFlag,
  useBackend,
  writeFileAtomic,
  type Gan,
  type GanError,
  type MixtureReport,
} from '../src/index.ts'

/** The recipe's options; `--help` prints them. */
export const vanillaFlags = {
  dataset: flag(oneOfFlag(['ring', 'grid'] as const), 'ring', 'which Q1 mixture'),
  steps: flag(positiveIntFlag, 6000, 'generator steps'),
  batch: flag(positiveIntFlag, 128, 'examples per batch'),
  width: flag(positiveIntFlag, 64, 'units in each of the three hidden layers of G and D'),
  'latent-dim': flag(positiveIntFlag, 2, 'latent dimension'),
  'learning-rate': flag(positiveNumberFlag, 1e-3, 'Adam learning rate of both networks'),
  seed: flag(intFlag, 1, 'seed of the whole run'),
  backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
  out: flag(stringFlag, 'out/vanilla', 'output directory'),
  'log-every': flag(positiveIntFlag, 500, 'steps between progress lines'),
}

/** The MLP GAN: three hidden layers in each network; ReLU in G, leaky ReLU in D. */
export const vanillaGan = (options: {
  readonly width: number
  readonly latentDim: number
  readonly learningRate: number
}): Gan =>
  gan({
    generator: mlp([options.latentDim], [options.width, options.width, options.width], relu, 2),
    discriminator: mlp([2], [options.width, options.width, options.width], leakyRelu(0.2), 1),
    latent: normalLatent(options.latentDim),
    optimizers: {
      generator: adam({ learningRate: options.learningRate, beta1: 0.5 }),
      discriminator: adam({ learningRate: options.learningRate, beta1: 0.5 }),
    },
  })

/** The Q1 sample size. */
const evaluationSamples = 2500

const formatReport = (r: MixtureReport): string =>
  `modes captured ${r.modesCaptured}/${r.modes}, high quality ${(r.highQualityFraction * 100).toFixed(1)}%, reverse KL ${r.reverseKl.toFixed(3)}`

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(vanillaFlags, argv))
  if (help) return console.log(flagsHelp('vanilla', 'the MLP GAN on 2-D Gaussian mixtures (protocol Q1)', vanillaFlags))
  const backend = getOrThrow(E.mapLeft((e: GanError) => [e])(await useBackend(values.backend)))
  const mixture = values.dataset === 'ring' ? ringMixture : gridMixture
  const spec = vanillaGan({ width: values.width, latentDim: values['latent-dim'], learningRate: values['learning-rate'] })
  const trainer = createTrainerOrThrow(compileOrThrow(spec), mixtureDataset(mixture), {
    seed: values.seed,
    batchSize: values.batch,
  })
  console.log(`vanilla GAN on ${mixture.name}, backend ${backend}, ${values.steps} steps, seed ${values.seed}`)
  const started = performance.now()
  try {
    for await (const r of trainer.run({ steps: values.steps })) {
      if (r.step % values['log-every'] !== 0 && r.step !== values.steps) continue
      const seconds = (performance.now() - started) / 1000
      console.log(
        `step ${r.step}  D loss ${r.discriminatorLoss.toFixed(3)}  G loss ${r.generatorLoss.toFixed(3)}  ` +
          `D(x) ${r.realScore.toFixed(2)}  D(G(z)) ${r.fakeScore.toFixed(2)}  ${seconds.toFixed(0)} s`,
      )
    }
    const points = await trainer.sample(evaluationSamples, { seed: values.seed + 1 })
    const report = mixtureReport(mixture, points)
    writeFileAtomic(join(values.out, 'samples.csv'), pointsToCsv(points))
    writeFileAtomic(join(values.out, 'samples.png'), encodePng(mixtureScatter(mixture, points)))
    console.log(`Q1 ${mixture.name}: ${formatReport(report)}`)
    console.log(`wrote ${join(values.out, 'samples.csv')} and ${join(values.out, 'samples.png')}`)
  } finally {
    trainer.dispose()
  }
}

if (isMain(import.meta)) await runMain(main)
