/**
 * The vanilla GAN: multilayer perceptrons on the 2-D Gaussian mixtures of protocol Q1 (a ring of
 * 8 modes, a grid of 25). At the end it writes `OUT/samples.csv` (2,500 generated points, header
 * `x,y`) and `OUT/samples.png` (the points over the true modes) and prints the Q1 figures.
 *
 * Run: `deno run -A recipes/vanilla.ts --dataset ring --out out/ring`, the same with `bun run`, or
 * `ganfp train vanilla --dataset grid`. `--loss` swaps the adversarial loss (minimax, least-squares,
 * hinge, wasserstein-gp); the figures below are the default's, non-saturating.
 *
 * Why these defaults (issue 19; `bun run bench/q1.ts --dataset ring --seeds 1-10`, one wasm
 * thread): Q1's ring asks for ≥ 97.5% of samples within 3σ = 0.03 of a mode, while real ring
 * samples themselves land there 98.9% of the time, so the generator must be nearly exact. A
 * continuous generator maps its connected latent space onto separate modes, and the points it
 * leaves between modes keep the figure down; they shrink as training goes on, so the recipe
 * trains 20,000 steps (grid seed 2: 94.6% at 12,000 steps, 96.7% at 20,000), of batches of 256 on
 * the ring and 192 on the grid, whose step of 256 (17.8 ms on two threads) would take the run past
 * Q1's 5 minutes (192: 13.0 ms, ≈ 4.3 min; `vanillaRunDefaults`).
 * Sampling from the moving average steadies the figure (0.9995 dropped it to 78–86%). On the
 * ring, half the learning rate (5e-4) and a 0.998 average lift the worst seeds (seed 1: 91.7% →
 * 98.7%; seed 5: 97.1% → 98.2%); `vanillaSettingsFor` in the library holds these choices.
 * The grid's 25 modes need sharper transitions than the ring's 8: 128 hidden units there (at 64 a
 * run keeps 16–18 of 25; PacGAN4 at 64 units kept 21 on seed 2). The ring's discriminator judges
 * pairs (PacGAN2): at 12,000 steps without it seed 7 lost a mode. On the grid, seed 5 kept 20 of
 * 25 modes; a latent uniform on [−1, 1]² (`--latent uniform`) kept all 25 there but only 17–18 on
 * seeds 1, 2 and 9, and PacGAN2, PacGAN4, a latent of 8 and half the learning rate kept 20, 7, 21
 * and 14. What keeps seed 5's modes without losing others' is a light R1 penalty on the
 * discriminator (`--r1`, γ 0.1 every 4th update: 25 of 25 on seed 5); γ 1 kept 9. And the grid's
 * Adam runs without momentum (`--beta1 0 --beta2 0.99`): with β1 0.5 its generator swung between
 * checkpoints (seed 2's raw generator went from 25 to 11 modes between 16,000 and 20,000 steps;
 * the moving average hid most of it) and seed 2 ended at 88.8% near a mode, without momentum at
 * 95.0%. Without R1 as well, seed 1 kept 22 of 25.
 * On the grid the learning rate starts at 2e-3 and falls along a cosine to a tenth over 20,000
 * updates (`--learning-rate-schedule`): seed 1 went 93.6%, 96.1%, 96.5% at 12,000, 16,000, 20,000
 * steps, against 92.6% at the end with a constant 1e-3 (a cosine from 1e-3 to a fifth was still
 * climbing: 82.6%, 89.0%, 92.5%).
 * With momentum (β1 0.5) a decay from 1e-3 had been dropped (ring seed 7: 4 of 8 modes; grid seed
 * 2: 91.4%).
 *
 * @since 0.1.0
 */
import { join } from 'node:path'
import {
  compileOrThrow,
  createTrainerOrThrow,
  decodeConfig,
  defineRecipe,
  getOrThrow,
  gridMixture,
  mixtureDataset,
  mixtureReport,
  mixtureScatter,
  ringMixture,
  vanillaConfig,
  vanillaRecipeGan,
  vanillaRunDefaults,
  type Mixture2d,
  type MixtureReport,
  type StepReport,
  type VanillaConfig,
} from 'ganfp'
import { pointsToCsv, encodePng, runIfMain, writeFileAtomicOrThrow } from 'ganfp/node'

/**
 * The recipe's options, its configuration and the GAN a configuration gives live in the library
 * (`vanillaFlags`, `vanillaConfig`, `vanillaRecipeGan`), where `builtinGanOf` rebuilds a run's
 * GAN from them too; re-exported here where scripts have found them.
 */
export { vanillaConfig, vanillaFlags, vanillaGan, vanillaLatent, vanillaPacking, vanillaRunDefaults, vanillaWidth, type VanillaConfig } from 'ganfp'

/** The defaults, as `--help` shows them. */
export const vanillaDefaults: VanillaConfig = getOrThrow(decodeConfig(vanillaConfig, {}))

const mixtureOf = (config: VanillaConfig): Mixture2d => (config.dataset === 'ring' ? ringMixture : gridMixture)

/** The Q1 sample size. */
const evaluationSamples = 2500

/**
 * Trains on the configured mixture (on the active backend) outside a run directory and scores
 * 2,500 samples by Q1: what the benchmarks and tests call.
 */
export const trainVanilla = async (
  config: VanillaConfig & { readonly steps: number; readonly batch: number; readonly seed: number },
  onReport: (r: StepReport) => void = () => {},
): Promise<{ readonly points: Float32Array; readonly report: MixtureReport; readonly mixture: Mixture2d }> => {
  const mixture = mixtureOf(config)
  const trainer = createTrainerOrThrow(compileOrThrow(vanillaRecipeGan(config)), mixtureDataset(mixture), { seed: config.seed, batchSize: config.batch })
  try {
    for await (const r of trainer.runOrThrow({ steps: config.steps })) onReport(r)
    const points = await trainer.sampleOrThrow(evaluationSamples, { seed: config.seed + 1 })
    return { points, report: mixtureReport(mixture, points), mixture }
  } finally {
    trainer.dispose()
  }
}

/** One line of Q1 figures, each count's rule beside it (a captured mode is not merely a visited one). */
export const formatMixtureReport = (r: MixtureReport): string =>
  `modes captured ${r.modesCaptured}/${r.modes} (a mode counts with ≥ ${r.minPerMode} high-quality samples), ` +
  `high quality ${(r.highQualityFraction * 100).toFixed(1)}% (within 3σ of a mode), reverse KL ${r.reverseKl.toFixed(3)}`

/**
 * The recipe: `ganfp train vanilla [options]`, or `deno run -A recipes/vanilla.ts [options]`. A
 * completed run writes `OUT/samples.csv` (2,500 points, header `x,y`) and `OUT/samples.png` (the
 * points over the true modes) and reports protocol Q1's figures.
 */
const recipe = defineRecipe({
  name: 'vanilla',
  description: 'the MLP GAN on 2-D Gaussian mixtures (a ring of 8, a grid of 25), scored by modes captured',
  config: vanillaConfig,
  settings: [
    '--width auto: 64 units on the ring, 128 on the grid (at 64 the grid keeps 16–18 of its 25 modes, at 128 all 25)',
    '--pack auto: the ring’s discriminator judges pairs (PacGAN2), which kept every mode on seed 7 where one was lost',
    '--steps 20000, --batch 256 on the ring, 192 on the grid: the share of samples near a mode keeps rising with training (grid seed 2: 94.6% at 12,000, 96.7% at 20,000); a grid step of 192 takes 13.0 ms, one of 256 17.8, so the grid’s run fits Q1’s 5 minutes',
    '--latent auto: normal; uniform on [−1, 1]² kept all 25 grid modes on seed 5 (normal: 20) but 17–18 on seeds 1, 2 and 9',
    '--learning-rate auto, --average-decay auto: 5e-4 and a 0.998 average on the ring (seed 1: 91.7% → 98.7% near a mode), 2e-3 and 0.999 on the grid',
    '--learning-rate-schedule auto, --learning-rate-decay-steps auto: on the grid a cosine from 2e-3 to a tenth over the run (seed 1 at batch 256: 96.5% near a mode, against 92.6% with a constant 1e-3); constant on the ring',
    '--beta1 auto, --beta2 auto: Adam without momentum on the grid (β1 0, β2 0.99: over seeds 1–10 95.3% near a mode on average and 7 seeds ≥ 95%, against 94.5% and 4 with β1 0.5, whose generator swings between checkpoints); 0.5 and 0.999 on the ring',
    '--r1 auto: on the grid an R1 penalty of γ 0.1 keeps all 25 modes (seed 5: 20 without it, 9 with γ 1; without momentum and without R1 seed 1 kept 22); none on the ring, which keeps its 8 without',
    '--top-k auto: off; G learning only from the half of its batch D rates best (ν 0.5) gave the grid 87.5–95.6% near a mode on seeds 1, 2, 4, 10, no better than without',
  ],
  // Two wasm threads: the grid's 128-unit layers split well (batch 192: 15.5 → 13.0 ms a step on
  // 2026-12-04's 2-core machine), the ring's 64 neither gain nor lose (5.5 ms), and the bits are the same.
  // --help shows the default mixture's (the ring's) run length and batch; runDefaultsFor gives each its own.
  runDefaults: { ...vanillaRunDefaults(vanillaDefaults), threads: 2, sampleEvery: 1000, checkpointEvery: 2000, logEvery: 100 },
  runDefaultsFor: vanillaRunDefaults,
  build: vanillaRecipeGan,
  data: (config) => mixtureDataset(mixtureOf(config)),
  render: (samples, _request, config) => encodePng(mixtureScatter(mixtureOf(config), samples)),
  evaluate: async ({ config, trainer, out, log }) => {
    const mixture = mixtureOf(config)
    const points = await trainer.sampleOrThrow(evaluationSamples, { seed: 2 })
    const report = mixtureReport(mixture, points)
    writeFileAtomicOrThrow(join(out, 'samples.csv'), pointsToCsv(points))
    writeFileAtomicOrThrow(join(out, 'samples.png'), encodePng(mixtureScatter(mixture, points)))
    log(`wrote ${join(out, 'samples.csv')} and ${join(out, 'samples.png')}`)
    log(`Q1 ${mixture.name}: ${formatMixtureReport(report)}`)
    return { mixture: mixture.name, ...report }
  },
})
export default recipe

runIfMain(import.meta, recipe)
