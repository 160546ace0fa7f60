/**
 * Protocol B3: does training keep a GPU busy? For the vanilla and DCGAN recipes, per training
 * step after warm-up: GPU→CPU readbacks between logged steps (target 0: the reports stay on the
 * device and are read every `--read-every` steps, as `ganfp train` reads them on WebGPU every
 * `--log-every`), pipeline compilations after warm-up (target 0), compute dispatches (fused and
 * unfused, to show what fusion cuts), uploads (target: the batches of data and latents, plus
 * scalars), and steps/s. Where: this runtime's WebGPU (Deno: Mesa's lavapipe on a CPU-only
 * machine; a hardware adapter where there is one) and wasm, and headless Chromium's WebGPU and
 * wasm (`bench/b3-browser.mjs`, run by Node; Dawn's SwiftShader without a GPU).
 *
 * Run: `deno run -A bench/b3.ts` (add `--json out.json`; `--browser no` skips Chromium;
 * `--backends wasm` narrows). Prints a table and the rows as JSON. Not a test.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { flag, flagsHelp, getOrThrow, oneOfFlag, positiveIntFlag, stringFlag, useBackend, type BackendChoice } from '../src/index.ts'
import { isMain, parseFlags, runMain } from '../src/node.ts'
import { b3Table, measureB3, type B3Recipe, type B3Row } from './b3-measure.ts'

export const b3Flags = {
  backends: flag(stringFlag, 'webgpu,wasm', 'in-process backends, comma-separated (webgpu runs where the runtime has navigator.gpu)'),
  recipes: flag(stringFlag, 'vanilla,dcgan', 'recipes to measure'),
  steps: flag(positiveIntFlag, 40, 'measured steps per row'),
  warmup: flag(positiveIntFlag, 3, 'steps before measuring (pipelines compile here)'),
  'read-every': flag(positiveIntFlag, 10, 'steps between reads of the queued reports (`ganfp train`: --log-every)'),
  browser: flag(oneOfFlag(['auto', 'yes', 'no'] as const), 'auto', 'also measure in headless Chromium (auto: when /usr/bin/chromium exists)'),
  json: flag(stringFlag, '', 'write the rows to this file as JSON'),
}

const runtimeName = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'

/** The rows for `backend` in this process, fused and unfused; a note instead when it cannot start. */
const inProcess = async (backend: BackendChoice, config: { recipes: ReadonlyArray<B3Recipe>; steps: number; warmup: number; readEvery: number }): Promise<ReadonlyArray<B3Row> | string> => {
  const selected = await useBackend(backend)
  if (selected._tag === 'Left') return `${backend} on ${runtimeName}: not available (${selected.left.map((e) => e.actual).join('; ')})`
  const rows: Array<B3Row> = []
  for (const recipe of config.recipes)
    for (const fuse of [true, false]) {
      // Unfused rows only count dispatches: one per recipe on WebGPU is enough.
      if (!fuse && backend !== 'webgpu') continue
      rows.push(await measureB3({ where: runtimeName, recipe, steps: config.steps, warmup: config.warmup, readEvery: config.readEvery, fuse }))
    }
  return rows
}

/** Chromium's rows, from the Node driver (it bundles bench/b3-page.ts and drives the page). */
const inChromium = (config: { recipes: ReadonlyArray<B3Recipe>; steps: number; warmup: number; readEvery: number }): ReadonlyArray<B3Row> | string => {
  const driver = fileURLToPath(new URL('./b3-browser.mjs', import.meta.url))
  const args = [driver, `--recipes=${config.recipes.join(',')}`, `--steps=${config.steps}`, `--warmup=${config.warmup}`, `--read-every=${config.readEvery}`]
  const done = spawnSync('node', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 1_800_000 })
  if (done.status !== 0) return `Chromium: the driver failed (exit ${done.status}${done.error === undefined ? '' : `, ${done.error.message}`})`
  return JSON.parse(done.stdout.trim().split('\n').at(-1)!) as ReadonlyArray<B3Row>
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(b3Flags, argv))
  if (help) return console.log(flagsHelp('b3', 'protocol B3: device work per training step (readbacks, compilations, dispatches, uploads)', b3Flags))
  const recipes = values.recipes.split(',').map((r) => r.trim()) as ReadonlyArray<B3Recipe>
  const config = { recipes, steps: values.steps, warmup: values.warmup, readEvery: values['read-every'] }
  const rows: Array<B3Row> = []
  const notes: Array<string> = []
  for (const backend of values.backends.split(',').map((b) => b.trim()) as ReadonlyArray<BackendChoice>) {
    const result = await inProcess(backend, config)
    if (typeof result === 'string') notes.push(result)
    else rows.push(...result)
  }
  if (values.browser === 'yes' || (values.browser === 'auto' && existsSync('/usr/bin/chromium'))) {
    const result = inChromium(config)
    if (typeof result === 'string') notes.push(result)
    else rows.push(...result)
  }
  console.log(`\nB3: ${config.steps} steps after ${config.warmup} of warm-up, reports read every ${config.readEvery} steps\n`)
  console.log(b3Table(rows))
  for (const note of notes) console.log(note)
  if (values.json !== '') writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`)
  console.log(JSON.stringify(rows))
}

if (isMain(import.meta)) await runMain(main)
