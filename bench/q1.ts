/**
 * Protocol Q1 for the vanilla recipe over several seeds: modes captured, % high quality, reverse
 * KL and wall-clock time per seed, beside the PacGAN anchors. Prints a table; not a test.
 *
 * Run: `bun run bench/q1.ts --dataset ring --seeds 1-3` (any vanilla flag is accepted too; one
 * wasm thread, the fastest for layers this small, so two processes fill two cores).
 */
import { backendChoices, flag, flagsHelp, getOrThrow, nonNegativeIntFlag, oneOfFlag, positiveIntFlag, seedListFlag, useBackendOrThrow, vanillaRunDefaults } from '../src/index.ts'
import { parseFlags, runMain } from '../src/node.ts'
import { trainVanilla, vanillaFlags } from '../recipes/vanilla.ts'

const benchFlags = {
  ...vanillaFlags,
  steps: flag(nonNegativeIntFlag, 0, 'generator steps (0: the recipe’s default for the mixture, 20,000)'),
  batch: flag(nonNegativeIntFlag, 0, 'examples per batch (0: the recipe’s default for the mixture, 256 on the ring, 192 on the grid)'),
  backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
  seeds: flag(seedListFlag, [1, 2, 3], 'seeds, e.g. 1-10 or 1,4'),
  threads: flag(positiveIntFlag, 1, 'wasm threads (one is fastest for layers this small)'),
}

const anchors = {
  ring: 'PacGAN table 1, plain GAN: 6.3/8 modes, 98.2% HQ; target: 8/8, ≥ 98% HQ, 3 seeds of 3',
  grid: 'PacGAN table 1, plain GAN: 17.3/25 modes, 94.8% HQ; PacGAN4 24.8/25, 93.6%, KL 0.04; target: 25/25, ≥ 95%, KL ≤ 0.05',
}

await runMain(async (argv) => {
  const { help, values } = getOrThrow(parseFlags(benchFlags, argv))
  if (help) return console.log(flagsHelp('q1', 'protocol Q1: the vanilla recipe over seeds', benchFlags))
  const backend = await useBackendOrThrow(values.backend, { wasmThreads: values.threads })
  const byMixture = vanillaRunDefaults(values)
  const steps = values.steps === 0 ? byMixture.steps : values.steps
  const batch = values.batch === 0 ? byMixture.batch : values.batch
  console.log(`Q1 ${values.dataset}, vanilla recipe, ${steps} steps of ${batch}, backend ${backend.name}, runtime ${'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'}`)
  console.log('| seed | modes | high quality | reverse KL | seconds |')
  console.log('|---|---|---|---|---|')
  for (const seed of values.seeds) {
    const started = performance.now()
    const { report } = await trainVanilla({ ...values, steps, batch, seed })
    const seconds = (performance.now() - started) / 1000
    console.log(
      `| ${seed} | ${report.modesCaptured}/${report.modes} | ${(report.highQualityFraction * 100).toFixed(1)}% | ${report.reverseKl.toFixed(3)} | ${seconds.toFixed(0)} |`,
    )
  }
  console.log('modes: modes captured, each with ≥ 20 high-quality samples (within 3σ of its centre); high quality: share of samples within 3σ of a mode')
  console.log(`anchor: ${anchors[values.dataset]}`)
})
