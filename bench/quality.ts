/**
 * The quality report: protocols Q1–Q5 end to end on the recipes, with their budgets, in one
 * table beside the targets and the published anchors of `shared/PROTOCOLS.md`.
 *
 * - Q1: the vanilla recipe on the ring and the grid, `--seeds` seeds each (defaults: 12,000 steps).
 * - Q2: the DCGAN recipe on MNIST for `--q2-minutes`, scored by the shipped judge with the floor.
 * - Q3: the CGAN recipe on MNIST for `--q3-minutes`: judge accuracy on the requested labels of
 *   10,000 samples, and the Q2 scores of 2,000 of them.
 * - Q4: the SRGAN recipe on MNIST (its default steps, or `--q4-minutes`): PSNR and SSIM of bicubic,
 *   the MSE-pretrained and the adversarial generator on the 2,000 held-out digits.
 * - Q5: the slanted-land recipe.
 *
 * Run: `bun run bench/quality.ts` (≈ 75 minutes on 2 cores; `--protocols q3,q4` for the conditional
 * and super-resolution rows alone; `--q2-minutes 2 --q3-minutes 2 --q4-minutes 2 --seeds 1` for a
 * quick look).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  decodeNpyOrThrow,
  flag,
  flagsHelp,
  getOrThrow,
  positiveIntFlag,
  positiveNumberFlag,
  stringFlag,
  useBackendOrThrow,
  type ImageEvaluation,
  type Recipe,
} from '../src/index.ts'
import { evaluateImages, isMain, parseFlags, runMain, startRunOrThrow } from '../src/node.ts'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import srgan from '../recipes/srgan.ts'
import { trainSlantedLand } from '../recipes/slanted-land.ts'
import { trainVanilla, vanillaDefaults } from '../recipes/vanilla.ts'

const qualityFlags = {
  seeds: flag(positiveIntFlag, 3, 'seeds per Q1 mixture'),
  'q2-minutes': flag(positiveNumberFlag, 20, 'DCGAN training budget for Q2'),
  'q3-minutes': flag(positiveNumberFlag, 20, 'CGAN training budget for Q3'),
  'q4-minutes': flag(positiveNumberFlag, 20, 'SRGAN training budget for Q4 (it stops earlier at its default steps)'),
  protocols: flag(stringFlag, 'q1,q2,q3,q4,q5', 'which protocols, comma-separated'),
}

type Row = readonly [protocol: string, ours: string, target: string, anchor: string]

const q1 = async (seeds: number): Promise<ReadonlyArray<Row>> => {
  const rows: Array<Row> = []
  for (const dataset of ['ring', 'grid'] as const) {
    const results: Array<string> = []
    for (let seed = 1; seed <= seeds; seed++) {
      const started = performance.now()
      const { report } = await trainVanilla({ ...vanillaDefaults, dataset, seed, steps: 12000, batch: 256 })
      results.push(
        `seed ${seed}: ${report.modesCaptured}/${report.modes} modes captured (≥ ${report.minPerMode} high-quality samples each), ${(100 * report.highQualityFraction).toFixed(1)}% HQ, KL ${report.reverseKl.toFixed(3)} ` +
          `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
      )
      console.log(`Q1 ${dataset} ${results.at(-1)}`)
    }
    rows.push(
      dataset === 'ring'
        ? ['Q1 ring (vanilla recipe, 12,000 steps)', results.join('; '), '8/8 modes, ≥ 98% HQ, 3 seeds of 3', 'plain GAN 6.3 modes / 98.2% HQ (PacGAN table 1)']
        : ['Q1 grid (vanilla recipe, 12,000 steps)', results.join('; '), '25/25, ≥ 95% HQ, KL ≤ 0.05, 3 of 3', 'plain GAN 17.3 / 94.8%; PacGAN4 24.8 / 93.6% / KL 0.04'],
    )
  }
  return rows
}

const q2 = async (minutes: number): Promise<Row> => {
  const out = join(mkdtempSync(join(tmpdir(), 'ganfp-quality-')), 'dcgan')
  try {
    let backend = ''
    const summary = await startRunOrThrow(
      dcgan,
      'builtin:dcgan',
      ['--dataset', 'mnist', '--minutes', String(minutes), '--steps', '10000000', '--out', out, '--checkpoint-every', '100000'],
      { started: (info) => void (backend = `${info.backend.name}, ${info.backend.reason}`) },
    )
    if (summary === 'help') throw new Error('unexpected help')
    const decoded = decodeNpyOrThrow(new Uint8Array(readFileSync(join(out, 'samples.npy'))), 'samples.npy')
    const evaluation = getOrThrow(await evaluateImages(decoded.values as Float32Array, 2000, { dataset: 'mnist' }))
    const s = evaluation.samples
    const ours =
      `${summary.step} steps (${backend}): FD ${s.fd.toFixed(1)} = ${(s.fd / evaluation.floor.fd).toFixed(1)}× floor (${evaluation.floor.fd.toFixed(2)}), ` +
      `precision ${s.precision.toFixed(2)}, recall ${s.recall.toFixed(2)}, smallest class ${(100 * Math.min(...s.histogram)).toFixed(1)}%`
    console.log(`Q2 ${ours}`)
    return [
      `Q2 MNIST (DCGAN recipe, ${minutes} min, shipped judge)`,
      ours,
      'FD ≤ 5× floor, every class ≥ 5%, precision ≥ 0.7, recall ≥ 0.5',
      'Inception FID (other scale): Lucic et al. MNIST 6.7–9.8',
    ]
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true })
  }
}

/** Trains `recipe` into a temporary run directory and reads back the scores its `evaluate` returned. */
const runAndRead = async (recipe: Recipe, argv: ReadonlyArray<string>): Promise<{ readonly steps: number; readonly backend: string; readonly json: unknown }> => {
  const out = join(mkdtempSync(join(tmpdir(), 'ganfp-quality-')), recipe.name)
  try {
    let backend = ''
    const summary = await startRunOrThrow(recipe, `builtin:${recipe.name}`, [...argv, '--out', out, '--checkpoint-every', '100000'], {
      started: (info) => void (backend = `${info.backend.name}, ${info.backend.reason}`),
      message: (line) => console.log(line),
    })
    if (summary === 'help') throw new Error('unexpected help')
    return { steps: summary.step, backend, json: JSON.parse(readFileSync(join(out, 'evaluation.json'), 'utf8')).scores }
  } finally {
    rmSync(join(out, '..'), { recursive: true, force: true })
  }
}

const q3 = async (minutes: number): Promise<Row> => {
  const { steps, backend, json } = await runAndRead(cgan, ['--dataset', 'mnist', '--minutes', String(minutes), '--steps', '10000000'])
  const { conditionalAccuracy, samples, q2 } = json as { conditionalAccuracy: number; samples: number; q2: ImageEvaluation }
  const ours =
    `${steps} steps (${backend}): ${(100 * conditionalAccuracy).toFixed(2)}% of ${samples} samples judged as the requested label; ` +
    `FD ${(q2.samples.fd / q2.floor.fd).toFixed(1)}× floor, precision ${q2.samples.precision.toFixed(2)}, recall ${q2.samples.recall.toFixed(2)}`
  console.log(`Q3 ${ours}`)
  return [`Q3 conditional MNIST (CGAN recipe, ${minutes} min)`, ours, '≥ 95% label accuracy, precision ≥ 0.7', '—']
}

const q4 = async (minutes: number): Promise<Row> => {
  const { steps, backend, json } = await runAndRead(srgan, ['--dataset', 'mnist', '--minutes', String(minutes)])
  const { scores } = json as { scores: Record<string, { psnr: number | null; ssim: number; judgeAccuracy: number | null }> }
  const ours =
    `${steps} steps (${backend}): ` +
    Object.entries(scores)
      .filter(([, s]) => s.psnr !== null)
      .map(([name, s]) => `${name} ${s.psnr!.toFixed(2)} dB / SSIM ${s.ssim.toFixed(3)} / judge ${(100 * (s.judgeAccuracy ?? 0)).toFixed(1)}%`)
      .join('; ')
  console.log(`Q4 ${ours}`)
  return ['Q4 4× super-resolution, MNIST held-out (SRGAN recipe)', ours, 'MSE model ≥ bicubic + 3 dB; SRGAN above bicubic', 'Set5: bicubic 28.43, SRResNet 32.05, SRGAN 29.40 dB']
}

const q5 = async (): Promise<Row> => {
  const r = await trainSlantedLand({ steps: 300, batch: 32, learningRate: 0.05, seed: 1 })
  const ours = `${(100 * r.faceFraction).toFixed(1)}% faces, D separates faces from noise ${(100 * r.discriminatorAccuracy).toFixed(1)}%`
  console.log(`Q5 ${ours}`)
  return ['Q5 slanted land (seed toy)', ours, '≥ 95% faces, ≥ 95% D accuracy', '—']
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(qualityFlags, argv))
  if (help) return console.log(flagsHelp('quality', 'protocols Q1–Q5 end to end', qualityFlags))
  const started = performance.now()
  const wanted = new Set(values.protocols.split(','))
  // The wasm backend keeps the thread count it first starts with: every core, for the DCGAN's
  // convolutions (the MLP protocols run slower on two threads than on one, but finish in minutes).
  await useBackendOrThrow('wasm')
  const rows: Array<Row> = []
  if (wanted.has('q1')) rows.push(...(await q1(values.seeds)))
  if (wanted.has('q2')) rows.push(await q2(values['q2-minutes']))
  if (wanted.has('q3')) rows.push(await q3(values['q3-minutes']))
  if (wanted.has('q4')) rows.push(await q4(values['q4-minutes']))
  if (wanted.has('q5')) rows.push(await q5())
  console.log(`\n| protocol | ours | target | published anchor |\n|---|---|---|---|`)
  for (const row of rows) console.log(`| ${row.join(' | ')} |`)
  console.log(`\n(${((performance.now() - started) / 60000).toFixed(1)} min)`)
}

if (isMain(import.meta)) await runMain(main)
