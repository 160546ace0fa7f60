// Checkpoints across worlds: runs trained by the `ganfp` command (dist/cli.js, on wasm) load in a
// real page (headless Chromium) from their checkpoint directory's two files and from the one-file
// container, and the page samples what `ganfp sample` samples: the same numbers as the library's
// own path (`restoreRun`, `generatorInputs`, `generate`: what the command runs) within 1e-4 on
// wasm, the same PNG grid pixel for pixel (±1 of rounding), and WebGPU within 1e-3 of wasm. The
// page (tests/browser-checkpoint/page.js) rebuilds the GAN from the checkpoint's run record with
// the core's zoo. Node suite only; it needs `npm run build` and /usr/bin/chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import pngjs from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import { checkpointFilesToBytes, type Recipe } from '../src/index.ts'
import { generatorInputsOrThrow, listCheckpointsOrThrow, restoreRunOrThrow } from '../src/node.ts'
import { browserAvailable, browserBuild, launchChromium, repositoryRoot, runBuiltGanfp, serveFolders, type Browser, type Page } from './support/browser.ts'

const n = 16
const seed = 5
const tiny = ['--backend', 'wasm', '--threads', '1', '--width', '2', '--latent-dim', '8', '--batch', '8']
const runs: ReadonlyArray<{ readonly name: string; readonly recipe: Recipe; readonly argv: ReadonlyArray<string> }> = [
  { name: 'dcgan', recipe: dcgan, argv: ['--steps', '4', ...tiny] },
  { name: 'cgan', recipe: cgan, argv: ['--steps', '3', ...tiny, '--embedding-dim', '4', '--per-class', '1'] },
]

type PageSamples = {
  backend: { name: string; reason: string }
  step: number
  recipe: string
  files: Array<number>
  container: Array<number>
  again: Array<number>
  grid: { width: number; height: number; rgba: Array<number> }
}

const largestDifference = (a: ReadonlyArray<number>, b: ArrayLike<number>): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))

describe.skipIf(!browserAvailable)('a checkpoint of `ganfp train` in headless Chromium', () => {
  let scratch = ''
  let server: Server
  let url = ''
  let browser: Browser
  let page: Page
  let problems: Array<string> = []

  beforeAll(async () => {
    for (const built of [join(repositoryRoot, 'dist', 'cli.js'), join(browserBuild, 'ganfp.js')])
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`)
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-browser-checkpoint-'))
    // Both runs at once: each is mostly its recipe's final evaluation, on one core.
    await Promise.all(runs.map(({ name, argv }) => runBuiltGanfp(['train', name, '--out', join(scratch, name), ...argv])))
    for (const { name } of runs) {
      await runBuiltGanfp(['sample', join(scratch, name), '--n', String(n), '--seed', String(seed), '--out', join(scratch, `${name}-samples.png`)])
      const directory = listCheckpointsOrThrow(join(scratch, name, 'checkpoints')).at(-1)!.path
      const files = { manifest: readFileSync(join(directory, 'manifest.json')), tensors: readFileSync(join(directory, 'tensors.bin')) }
      writeFileSync(join(scratch, `${name}.ganfp`), checkpointFilesToBytes(files))
    }
    const served = await serveFolders([
      ['runs', scratch],
      ['', join(repositoryRoot, 'tests', 'browser-checkpoint')],
      ['', browserBuild],
    ])
    server = served.server
    url = served.url
    const chromium = await launchChromium()
    browser = chromium.browser
    problems = chromium.problems
    page = await chromium.newPage()
    await page.goto(`${url}/page.html`)
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
  })

  const sampleInPage = (name: string, backend: string): Promise<PageSamples> => {
    const directory = listCheckpointsOrThrow(join(scratch, name, 'checkpoints')).at(-1)!.path
    const request = { backend, directory: `/runs/${relative(scratch, directory)}`, container: `/runs/${name}.ganfp`, n, seed }
    return page.evaluate(
      (r) => (window as unknown as { checkpointPage: { sample: (r: unknown) => Promise<PageSamples> } }).checkpointPage.sample(r),
      request,
    )
  }

  /** What `ganfp sample RUN --n 16 --seed 5` computes before it draws: the library's path, on the run's backend (wasm). */
  const sampleInNode = async (name: string, recipe: Recipe): Promise<Float32Array> => {
    const { setup, trainer } = await restoreRunOrThrow(join(scratch, name), async () => recipe)
    try {
      return await trainer.generateOrThrow(await generatorInputsOrThrow(setup, n, seed))
    } finally {
      trainer.dispose()
    }
  }

  for (const { name, recipe } of runs)
    it(`${name}: the page samples what \`ganfp sample\` does on wasm (within 1e-4), from the files and from the container; WebGPU within 1e-3`, async () => {
      const expected = await sampleInNode(name, recipe)
      const wasm = await sampleInPage(name, 'wasm')
      expect({ backend: wasm.backend.name, recipe: wasm.recipe, length: wasm.files.length }).toEqual({ backend: 'wasm', recipe: name, length: n * 784 })
      expect(largestDifference(wasm.files, expected)).toBeLessThan(1e-4)
      // One page, one backend: the three ways in give the very same numbers.
      expect(wasm.container).toEqual(wasm.files)
      expect(wasm.again).toEqual(wasm.files)
      // Not a vacuous comparison: the samples vary.
      expect(new Set(wasm.files.map((v) => v.toFixed(3))).size).toBeGreaterThan(100)

      // The grid `ganfp sample` wrote, against the page's drawing of its samples.
      const png = pngjs.PNG.sync.read(readFileSync(join(scratch, `${name}-samples.png`)))
      expect({ width: wasm.grid.width, height: wasm.grid.height }).toEqual({ width: png.width, height: png.height })
      expect(largestDifference(wasm.grid.rgba, png.data)).toBeLessThanOrEqual(1)

      const started = performance.now()
      const gpu = await sampleInPage(name, 'webgpu')
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      console.log(
        `${name} at step ${gpu.step}: page wasm vs ganfp's path ${largestDifference(wasm.files, expected).toExponential(1)}, ` +
          `page WebGPU vs wasm ${largestDifference(gpu.files, wasm.files).toExponential(1)} (WebGPU: three loads in ${seconds} s); wasm: ${wasm.backend.reason}`,
      )
      expect(gpu.backend.name).toBe('webgpu')
      expect(largestDifference(gpu.files, wasm.files)).toBeLessThan(1e-3)
      expect(gpu.container).toEqual(gpu.files)
      expect(problems).toEqual([])
    }, 300_000)
})
