/**
 * The seed toy, "slanted land" (protocol Q5): 2×2 grayscale faces with dark top-left and
 * bottom-right pixels. A one-layer generator (dense + sigmoid) and a one-layer discriminator
 * (dense to one logit; the log loss applies the sigmoid), trained by plain gradient descent.
 * It prints the learned weights and a few generated faces.
 *
 * Why 300 steps: at the game's equilibrium a linear discriminator outputs ½ everywhere, so Q5's
 * second measure (D tells faces from uniform noise) holds only in the stretch where G already
 * draws faces and D still points along the face direction. 300 steps at rate 0.05 sits in that
 * stretch (measured: faces 100%, D accuracy 95.5–99.2% for seeds 1–5; by 600 steps D has drifted
 * towards ½ and its accuracy falls to 65–69%).
 *
 * Run: `deno run -A recipes/slanted-land.ts`, `bun run recipes/slanted-land.ts` or
 * `ganfp train slanted-land` (`--help` for options).
 *
 * @since 0.1.0
 */
import { pipe } from 'fp-ts/lib/function.js'
import {
  andThen,
  compileOrThrow,
  configCodec,
  createTrainerOrThrow,
  defineRecipe,
  dense,
  flag,
  gan,
  imageGrid,
  input,
  isFace,
  minimax,
  nonSaturating,
  oneOfFlag,
  positiveNumberFlag,
  readParams,
  Rng,
  sgd,
  sigmoid,
  slantedLandFaces,
  uniformLatent,
  type Gan,
  type Trainer,
} from 'ganfp'
import { encodePng, runIfMain } from 'ganfp/node'

/** The recipe's own options; the run options (`--steps`, `--batch`, `--seed`, …) come on top. */
export const slantedLandFlags = {
  'learning-rate': flag(positiveNumberFlag, 0.05, 'generator gradient-descent step size'),
  loss: flag(oneOfFlag(['minimax', 'non-saturating'] as const), 'non-saturating', 'generator loss'),
  'd-learning-rate': flag(positiveNumberFlag, 0.05, 'discriminator step size'),
}

/** The seed's GAN: z ~ U[0, 1) → dense(4) → sigmoid; image → dense(1) logit. */
export const slantedLandGan = (
  learningRate: number,
  loss: 'minimax' | 'non-saturating' = 'non-saturating',
  discriminatorLearningRate = learningRate,
): Gan =>
  gan({
    loss: loss === 'minimax' ? minimax() : nonSaturating(),
    generator: pipe(input([1]), andThen(dense(4)), andThen(sigmoid)),
    discriminator: pipe(input([4]), andThen(dense(1))),
    latent: uniformLatent(1, { low: 0, high: 1 }),
    optimizers: { generator: sgd({ learningRate }), discriminator: sgd({ learningRate: discriminatorLearningRate }) },
  })

/** What a run achieved, by protocol Q5's measures. */
export interface SlantedLandResult {
  readonly faceFraction: number
  readonly discriminatorAccuracy: number
  readonly samples: Float32Array
  readonly weights: Record<string, Float32Array>
}

/** Protocol Q5's measures of a trained trainer: faces among 1,000 samples, D on faces vs noise. */
export const measureSlantedLand = async (trainer: Trainer, seed: number): Promise<SlantedLandResult> => {
  const samples = await trainer.sampleOrThrow(1000, { seed: seed + 1 })
  let faces = 0
  for (let i = 0; i < 1000; i++) if (isFace(samples.subarray(4 * i, 4 * i + 4))) faces++
  // The judge: real faces should score above 1/2, uniform noise below.
  const rng = Rng.fromSeed(seed + 2)
  const first = await slantedLandFaces().batches({ batchSize: 1000, seed: seed + 3 })[Symbol.asyncIterator]().next()
  const realFaces = first.value!.values
  const noise = rng.uniforms(4000)
  const onFaces = await trainer.discriminateOrThrow(realFaces)
  const onNoise = await trainer.discriminateOrThrow(noise)
  const correct = onFaces.filter((p) => p > 0.5).length + onNoise.filter((p) => p <= 0.5).length
  const params = trainer.paramsOrThrow()
  const weights = {
    ...(await readParams(params.generator)),
    ...Object.fromEntries(Object.entries(await readParams(params.discriminator)).map(([k, v]) => [`d.${k}`, v])),
  }
  return { faceFraction: faces / 1000, discriminatorAccuracy: correct / 2000, samples, weights }
}

/** Trains and measures outside a run directory (what the tests call); the caller picks the backend first. */
export const trainSlantedLand = async (options: {
  readonly steps: number
  readonly batch: number
  readonly learningRate: number
  readonly seed: number
  readonly loss?: 'minimax' | 'non-saturating'
  readonly discriminatorLearningRate?: number
}): Promise<SlantedLandResult> => {
  const compiled = compileOrThrow(slantedLandGan(options.learningRate, options.loss, options.discriminatorLearningRate))
  const trainer = createTrainerOrThrow(compiled, slantedLandFaces(), { seed: options.seed, batchSize: options.batch })
  try {
    for await (const _ of trainer.runOrThrow({ steps: options.steps }));
    return await measureSlantedLand(trainer, options.seed)
  } finally {
    trainer.dispose()
  }
}

const shade = (v: number): string => ' .:-=+*#%@'[Math.max(0, Math.min(9, Math.round(v * 9)))]!

const formatRow = (values: Float32Array): string =>
  Array.from(values, (v) => v.toFixed(2).padStart(6)).join(' ')

/** Faces drawn 16× larger than their 2×2 pixels, so a grid of them can be seen. */
const renderFaces = (samples: Float32Array, count: number, columns: number): Uint8Array => {
  const scale = 16
  const big = new Float32Array(count * 4 * scale * scale)
  for (let n = 0; n < count; n++)
    for (let y = 0; y < 2 * scale; y++)
      for (let x = 0; x < 2 * scale; x++)
        // Darker is larger, as in the seed's pictures.
        big[(n * 2 * scale + y) * 2 * scale + x] = 1 - samples[4 * n + 2 * Math.floor(y / scale) + Math.floor(x / scale)]!
  return encodePng(imageGrid(big, { count, height: 2 * scale, width: 2 * scale, channels: 1, columns }))
}

/**
 * The recipe: `ganfp train slanted-land`, or `deno run -A recipes/slanted-land.ts`. At the end it
 * prints the learned weights, a few faces, and protocol Q5's measures.
 */
const recipe = defineRecipe({
  name: 'slanted-land',
  description: 'the seed toy GAN on 2×2 faces',
  config: configCodec(slantedLandFlags),
  // One wasm thread suits a model this small.
  runDefaults: { steps: 300, batch: 32, threads: 1, sampleEvery: 100, checkpointEvery: 100, logEvery: 10 },
  build: (config) => slantedLandGan(config['learning-rate'], config.loss, config['d-learning-rate']),
  data: () => slantedLandFaces(),
  render: (samples, { count, columns }) => renderFaces(samples, count, columns),
  evaluate: async ({ trainer, seed, log }) => {
    const result = await measureSlantedLand(trainer, seed)
    const w = result.weights
    log(`generator weights (z → TL TR BL BR): ${formatRow(w['layers[0].kernel']!)}`)
    log(`generator biases:                    ${formatRow(w['layers[0].bias']!)}`)
    log(`discriminator weights (TL TR BL BR): ${formatRow(w['d.layers[0].kernel']!)}`)
    log(`discriminator bias:                  ${formatRow(w['d.layers[0].bias']!)}`)
    log('a few generated faces (darker = larger):')
    for (let i = 0; i < 4; i++) {
      const px = result.samples.subarray(4 * i, 4 * i + 4)
      log(`  |${shade(px[0]!)}${shade(px[1]!)}|   ${formatRow(px.subarray(0, 2))}`)
      log(`  |${shade(px[2]!)}${shade(px[3]!)}|   ${formatRow(px.subarray(2, 4))}\n`)
    }
    log(`faces among 1000 samples: ${(result.faceFraction * 100).toFixed(1)}% (Q5 target ≥ 95%)`)
    log(`discriminator accuracy, faces vs noise: ${(result.discriminatorAccuracy * 100).toFixed(1)}% (Q5 target ≥ 95%)`)
    return { faceFraction: result.faceFraction, discriminatorAccuracy: result.discriminatorAccuracy }
  },
})
export default recipe

runIfMain(import.meta, recipe)
