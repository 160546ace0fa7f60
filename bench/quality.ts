/**
 * The quality report over seeds: protocols Q1–Q5 end to end on the recipes with their defaults,
 * each seed scored against the targets of `shared/PROTOCOLS.md`, then per protocol the mean ± sd,
 * the worst seed and how many seeds meet the target, beside the published anchors.
 *
 * - `q1-ring`, `q1-grid` (`q1`: both): the vanilla recipe with its defaults per mixture, `--seeds`.
 * - `q2-mnist`, `q2-fashion` (`q2`: both): the DCGAN recipe for `--q2-minutes`, `--image-seeds`,
 *   scored by the shipped judge beside the real-vs-real floor.
 * - `q3`: the CGAN recipe on MNIST for `--q3-minutes`, `--image-seeds`: judge accuracy on the
 *   requested labels of 10,000 samples, and the Q2 scores of 2,000 of them.
 * - `q4`: the SRGAN recipe on MNIST (its default steps); `q5`: the slanted-land toy.
 *
 * Run: `bun run bench/quality.ts --protocols q1-ring --seeds 1-10` (each protocol can run in its
 * own process: Q1 uses one wasm thread, so two Q1 processes fill two cores); `--json FILE` keeps
 * every seed's figures; `--keep DIR` keeps the Q2/Q3 run directories (their final checkpoints) for
 * `ganfp truncation`, `ganfp eval` and the other run tools. All protocols with their default seeds
 * take about 5 hours on 2 cores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  decodeNpyOrThrow,
  nonNegativeIntFlag,
  flag,
  flagsHelp,
  getOrThrow,
  positiveIntFlag,
  positiveNumberFlag,
  seedListFlag,
  stringFlag,
  useBackendOrThrow,
  type ImageEvaluation,
  type Recipe,
} from '../src/index.ts'
import { evaluateImages, isMain, parseFlags, runMain, startRunOrThrow, writeFileAtomicOrThrow } from '../src/node.ts'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import srgan from '../recipes/srgan.ts'
import vanilla from '../recipes/vanilla.ts'
import { trainSlantedLand } from '../recipes/slanted-land.ts'

const qualityFlags = {
  protocols: flag(stringFlag, 'q1,q2,q3,q4,q5', 'which protocols, comma-separated (q1 = q1-ring,q1-grid; q2 = q2-mnist,q2-fashion)'),
  seeds: flag(seedListFlag, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'seeds of the Q1 mixtures, e.g. 1-10 or 1,4'),
  'image-seeds': flag(seedListFlag, [1, 2, 3], 'seeds of the Q2 and Q3 image runs'),
  'q1-steps': flag(nonNegativeIntFlag, 0, 'Q1 steps (0: the recipe’s default; fewer for a quick look, not for the table)'),
  'q2-minutes': flag(positiveNumberFlag, 20, 'DCGAN training budget for Q2'),
  'q3-minutes': flag(positiveNumberFlag, 20, 'CGAN training budget for Q3'),
  threads: flag(positiveIntFlag, 2, 'wasm threads for every protocol (the same bits whatever the count)'),
  json: flag(stringFlag, 'none', 'write every seed’s figures to this JSON file'),
  keep: flag(stringFlag, 'none', 'keep the Q2/Q3 run directories under this folder (KEEP/q3-seed1, …) for ganfp truncation, eval, nearest'),
}

/** One seed's outcome: its figures (for mean and sd), a line for the log, and whether it meets the target. */
interface SeedResult {
  readonly seed: number
  readonly figures: Readonly<Record<string, number>>
  readonly line: string
  readonly meets: boolean
}

/** A protocol's outcome over its seeds. */
interface ProtocolResult {
  readonly protocol: string
  readonly command: string
  readonly target: string
  readonly anchor: string
  /** The figure that decides the worst seed, and whether larger is better. */
  readonly worstBy: { readonly figure: string; readonly larger: boolean }
  readonly seeds: ReadonlyArray<SeedResult>
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length
const sd = (xs: ReadonlyArray<number>): number => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)))

/**
 * Trains `recipe` into a temporary run directory and hands it to `read` before removing it; with
 * `kept`, into that directory instead, left in place.
 */
const runRecipe = async <A>(
  recipe: Recipe,
  argv: ReadonlyArray<string>,
  read: (out: string, steps: number, backend: string) => Promise<A>,
  kept?: string,
): Promise<A> => {
  const out = kept ?? join(mkdtempSync(join(tmpdir(), 'ganfp-quality-')), recipe.name)
  try {
    let backend = ''
    const summary = await startRunOrThrow(recipe, `builtin:${recipe.name}`, [...argv, '--out', out, '--checkpoint-every', '1000000'], {
      started: (info) => void (backend = `${info.backend.name}, ${info.backend.reason}`),
    })
    if (summary === 'help') throw new Error('unexpected help')
    return await read(out, summary.step, backend)
  } finally {
    if (kept === undefined) rmSync(join(out, '..'), { recursive: true, force: true })
  }
}

const evaluationOf = (out: string): unknown => JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')).scores

const q1 = async (dataset: 'ring' | 'grid', seeds: ReadonlyArray<number>, steps: number, threads: number): Promise<ProtocolResult> => {
  const results: Array<SeedResult> = []
  for (const seed of seeds) {
    const started = performance.now()
    const argv = ['--dataset', dataset, '--seed', String(seed), '--threads', String(threads), ...(steps === 0 ? [] : ['--steps', String(steps)])]
    const r = await runRecipe(vanilla, argv, async (out) => evaluationOf(out))
    const { modesCaptured, modes, highQualityFraction, reverseKl } = r as { modesCaptured: number; modes: number; highQualityFraction: number; reverseKl: number }
    const seconds = (performance.now() - started) / 1000
    const meets =
      modesCaptured === modes &&
      highQualityFraction >= (dataset === 'ring' ? 0.975 : 0.95) &&
      reverseKl <= (dataset === 'ring' ? 0.02 : 0.05) &&
      seconds <= (dataset === 'ring' ? 180 : 300)
    results.push({
      seed,
      figures: { modes: modesCaptured, highQuality: 100 * highQualityFraction, reverseKl, seconds },
      line: `${modesCaptured}/${modes} modes, ${(100 * highQualityFraction).toFixed(1)}% HQ, KL ${reverseKl.toFixed(3)}, ${seconds.toFixed(0)} s`,
      meets,
    })
    console.log(`Q1 ${dataset} seed ${seed}: ${results.at(-1)!.line}${meets ? '' : ' (misses the target)'}`)
  }
  return dataset === 'ring'
    ? {
        protocol: 'Q1 ring',
        command: `bun run bench/quality.ts --protocols q1-ring --seeds ${seeds.join(',')}${steps === 0 ? '' : ` --q1-steps ${steps}`}`,
        target: 'every seed 8/8 modes (≥ 20 HQ samples each), ≥ 97.5% HQ, KL ≤ 0.02, ≤ 3 min; mean HQ ≥ 98%',
        anchor: 'plain GAN 6.3 modes / 98.2% HQ (PacGAN table 1)',
        worstBy: { figure: 'highQuality', larger: true },
        seeds: results,
      }
    : {
        protocol: 'Q1 grid',
        command: `bun run bench/quality.ts --protocols q1-grid --seeds ${seeds.join(',')}${steps === 0 ? '' : ` --q1-steps ${steps}`}`,
        target: 'every seed 25/25 modes, ≥ 95% HQ, KL ≤ 0.05, ≤ 5 min',
        anchor: 'plain GAN 17.3 / 94.8%; PacGAN4 24.8 / 93.6% / KL 0.04',
        worstBy: { figure: 'highQuality', larger: true },
        seeds: results,
      }
}

/** Q2's figures of an evaluation, and whether they meet `fdTimes` and the rest of the target. */
const imageFigures = (e: ImageEvaluation, fdTimes: number) => {
  const s = e.samples
  const figures = { fdRatio: s.fd / e.floor.fd, fd: s.fd, floor: e.floor.fd, precision: s.precision, recall: s.recall, smallestClass: 100 * Math.min(...s.histogram) }
  const meets = figures.fdRatio <= fdTimes && s.precision >= 0.7 && s.recall >= 0.5 && figures.smallestClass >= 5
  const line =
    `FD ${s.fd.toFixed(1)} = ${figures.fdRatio.toFixed(1)}× floor (${e.floor.fd.toFixed(2)}), precision ${s.precision.toFixed(2)}, ` +
    `recall ${s.recall.toFixed(2)}, smallest class ${figures.smallestClass.toFixed(1)}%`
  return { figures, meets, line }
}

/** Where a kept run of `name` (q2-mnist, q3, …) and `seed` goes, if runs are kept. */
const keptRun = (keep: string, name: string, seed: number): string | undefined => (keep === 'none' ? undefined : join(keep, `${name}-seed${seed}`))

const q2 = async (dataset: 'mnist' | 'fashion', seeds: ReadonlyArray<number>, minutes: number, keep: string): Promise<ProtocolResult> => {
  const results: Array<SeedResult> = []
  for (const seed of seeds) {
    const argv = ['--dataset', dataset, '--minutes', String(minutes), '--steps', '100000000', '--seed', String(seed)]
    const result = await runRecipe(dcgan, argv, async (out, steps, backend) => {
      const decoded = decodeNpyOrThrow(new Uint8Array(readFileSync(join(out, 'samples.npy'))), 'samples.npy')
      const { figures, meets, line } = imageFigures(getOrThrow(await evaluateImages(decoded.values as Float32Array, 2000, { dataset })), 5)
      return { seed, figures: { ...figures, steps }, meets, line: `${steps} steps (${backend}): ${line}` }
    }, keptRun(keep, `q2-${dataset}`, seed))
    results.push(result)
    console.log(`Q2 ${dataset} seed ${seed}: ${result.line}`)
  }
  return {
    protocol: `Q2 ${dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} (DCGAN, ${minutes} min)`,
    command: `bun run bench/quality.ts --protocols q2-${dataset} --image-seeds ${seeds.join(',')}`,
    target: 'FD ≤ 5× floor, precision ≥ 0.7, recall ≥ 0.5, every class ≥ 5%',
    anchor: dataset === 'mnist' ? 'Inception FID (other scale): Lucic et al. MNIST 6.7–9.8' : 'Inception FID (other scale): Lucic et al. Fashion 21.5–30.7',
    worstBy: { figure: 'fdRatio', larger: false },
    seeds: results,
  }
}

const q3 = async (seeds: ReadonlyArray<number>, minutes: number, keep: string): Promise<ProtocolResult> => {
  const results: Array<SeedResult> = []
  for (const seed of seeds) {
    const argv = ['--dataset', 'mnist', '--minutes', String(minutes), '--steps', '100000000', '--seed', String(seed)]
    const result = await runRecipe(cgan, argv, async (out, steps, backend) => {
      const { conditionalAccuracy, q2 } = evaluationOf(out) as { conditionalAccuracy: number; q2: ImageEvaluation }
      const image = imageFigures(q2, 6)
      return {
        seed,
        figures: { ...image.figures, labelAccuracy: 100 * conditionalAccuracy, steps },
        meets: image.meets && conditionalAccuracy >= 0.95,
        line: `${steps} steps (${backend}): label accuracy ${(100 * conditionalAccuracy).toFixed(2)}%, ${image.line}`,
      }
    }, keptRun(keep, 'q3', seed))
    results.push(result)
    console.log(`Q3 seed ${seed}: ${result.line}`)
  }
  return {
    protocol: `Q3 conditional MNIST (CGAN, ${minutes} min)`,
    command: `bun run bench/quality.ts --protocols q3 --image-seeds ${seeds.join(',')}`,
    target: '≥ 95% label accuracy, recall ≥ 0.5, precision ≥ 0.7, FD ≤ 6× floor',
    anchor: '—',
    worstBy: { figure: 'recall', larger: true },
    seeds: results,
  }
}

const q4 = async (): Promise<ProtocolResult> => {
  const result = await runRecipe(srgan, ['--dataset', 'mnist'], async (out, steps) => {
    const { scores } = evaluationOf(out) as { scores: Record<string, { psnr: number | null; ssim: number; judgeAccuracy: number | null }> }
    const psnr = (name: string) => scores[name]?.psnr ?? Number.NaN
    const line = Object.entries(scores)
      .filter(([, s]) => s.psnr !== null)
      .map(([name, s]) => `${name} ${s.psnr!.toFixed(2)} dB / SSIM ${s.ssim.toFixed(3)} / judge ${(100 * (s.judgeAccuracy ?? 0)).toFixed(1)}%`)
      .join('; ')
    const figures = { bicubic: psnr('bicubic'), pretrained: psnr('MSE-pretrained generator'), adversarial: psnr('SRGAN (adversarial)'), steps }
    return { seed: 1, figures, meets: figures.pretrained >= figures.bicubic + 3 && figures.adversarial > figures.bicubic, line: `${steps} steps: ${line}` }
  })
  console.log(`Q4: ${result.line}`)
  return {
    protocol: 'Q4 4× super-resolution (SRGAN)',
    command: 'bun run bench/quality.ts --protocols q4',
    target: 'MSE model ≥ bicubic + 3 dB; SRGAN above bicubic',
    anchor: 'Set5: bicubic 28.43, SRResNet 32.05, SRGAN 29.40 dB',
    worstBy: { figure: 'adversarial', larger: true },
    seeds: [result],
  }
}

const q5 = async (seeds: ReadonlyArray<number>): Promise<ProtocolResult> => {
  const results: Array<SeedResult> = []
  for (const seed of seeds) {
    const r = await trainSlantedLand({ steps: 300, batch: 32, learningRate: 0.05, seed })
    const figures = { faces: 100 * r.faceFraction, discriminatorAccuracy: 100 * r.discriminatorAccuracy }
    const line = `${figures.faces.toFixed(1)}% faces, D accuracy ${figures.discriminatorAccuracy.toFixed(1)}%`
    results.push({ seed, figures, meets: figures.faces >= 95 && figures.discriminatorAccuracy >= 95, line })
  }
  return {
    protocol: 'Q5 slanted land',
    command: `bun run bench/quality.ts --protocols q5 --seeds ${seeds.join(',')}`,
    target: '≥ 95% faces, ≥ 95% D accuracy',
    anchor: '—',
    worstBy: { figure: 'discriminatorAccuracy', larger: true },
    seeds: results,
  }
}

/** A protocol's summary: how many seeds meet the target, every figure's mean ± sd, and the worst seed. */
export const summarise = (p: ProtocolResult): { readonly met: string; readonly stats: string; readonly worst: string } => {
  const names = Object.keys(p.seeds[0]?.figures ?? {})
  const stats = names.map((name) => {
    const values = p.seeds.map((s) => s.figures[name]!)
    return `${name} ${mean(values).toPrecision(4)} ± ${sd(values).toPrecision(2)}`
  })
  const { figure, larger } = p.worstBy
  const worst = [...p.seeds].sort((a, b) => (larger ? a.figures[figure]! - b.figures[figure]! : b.figures[figure]! - a.figures[figure]!))[0]
  return { met: `${p.seeds.filter((s) => s.meets).length}/${p.seeds.length}`, stats: stats.join(', '), worst: `seed ${worst?.seed}: ${worst?.line}` }
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(qualityFlags, argv))
  if (help) return console.log(flagsHelp('quality', 'protocols Q1–Q5 over seeds, with mean ± sd and the worst seed', qualityFlags))
  const started = performance.now()
  const wanted = new Set(values.protocols.split(',').flatMap((p) => (p === 'q1' ? ['q1-ring', 'q1-grid'] : p === 'q2' ? ['q2-mnist', 'q2-fashion'] : [p])))
  const known = ['q1-ring', 'q1-grid', 'q2-mnist', 'q2-fashion', 'q3', 'q4', 'q5']
  const unknown = [...wanted].filter((p) => !known.includes(p))
  if (unknown.length > 0) throw new Error(`unknown protocols ${unknown.join(', ')}; known: q1, q2, ${known.join(', ')}`)
  // The wasm backend keeps the thread count it first starts with, so it starts here with --threads.
  await useBackendOrThrow('wasm', { wasmThreads: values.threads })
  const results: Array<ProtocolResult> = []
  const seeds = values.seeds
  const imageSeeds = values['image-seeds']
  if (wanted.has('q1-ring')) results.push(await q1('ring', seeds, values['q1-steps'], values.threads))
  if (wanted.has('q1-grid')) results.push(await q1('grid', seeds, values['q1-steps'], values.threads))
  if (wanted.has('q2-mnist')) results.push(await q2('mnist', imageSeeds, values['q2-minutes'], values.keep))
  if (wanted.has('q2-fashion')) results.push(await q2('fashion', imageSeeds, values['q2-minutes'], values.keep))
  if (wanted.has('q3')) results.push(await q3(imageSeeds, values['q3-minutes'], values.keep))
  if (wanted.has('q4')) results.push(await q4())
  if (wanted.has('q5')) results.push(await q5(seeds))
  console.log(`\n| protocol | seeds meeting the target | worst seed | mean ± sd | target | published anchor | command |\n|---|---|---|---|---|---|---|`)
  for (const p of results) {
    const { met, stats, worst } = summarise(p)
    console.log(`| ${p.protocol} | ${met} | ${worst} | ${stats} | ${p.target} | ${p.anchor} | \`${p.command}\` |`)
  }
  if (values.json !== 'none') writeFileAtomicOrThrow(values.json, JSON.stringify(results, null, 2))
  console.log(`\n(${((performance.now() - started) / 60000).toFixed(1)} min)`)
}

if (isMain(import.meta)) await runMain(main)
