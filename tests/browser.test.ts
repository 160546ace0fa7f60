// ganfp's core in a real browser: Debian's Chromium, headless, driven by playwright-core. Without a
// GPU, Dawn's SwiftShader adapter gives the page a real navigator.gpu, so the WebGPU backend runs
// the same kernels it would on a graphics card. The page (tests/browser/page.js) imports the
// single-file browser build (dist-browser/ganfp.js) as plain ESM, served with its .wasm files by a
// static server here. Node suite only; it needs `npm run build` (npm test builds first) and
// /usr/bin/chromium (.ci/run installs it; a machine without it skips, loudly in CI).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, browserBuild, launchChromium, repositoryRoot, serveFolders, type Browser, type Page } from './support/browser.ts'

describe.skipIf(!browserAvailable)('the core in headless Chromium', () => {
  let server: Server
  let browser: Browser
  let page: Page
  let newPage: () => Promise<Page>
  let problems: Array<string> = []
  let url = ''
  // README's page, served beside the build as it tells readers to.
  const readmePage = mkdtempSync(join(tmpdir(), 'ganfp-readme-page-'))

  beforeAll(async () => {
    if (!existsSync(join(browserBuild, 'ganfp.js'))) throw new Error(`${browserBuild}/ganfp.js is missing: run \`npm run build\` first`)
    const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8')
    const snippet = /<!-- readme-page:start -->\s*```html\n([\s\S]*?)```\s*<!-- readme-page:end -->/.exec(readme)
    if (snippet === null) throw new Error("README.md has no page between the readme-page markers")
    writeFileSync(join(readmePage, 'index.html'), snippet[1]!)
    const served = await serveFolders([
      ['readme', readmePage],
      ['readme', browserBuild],
      ['', join(repositoryRoot, 'tests', 'browser')],
      ['', browserBuild],
    ])
    server = served.server
    url = served.url
    const chromium = await launchChromium()
    browser = chromium.browser
    problems = chromium.problems
    newPage = chromium.newPage
    page = await chromium.newPage()
    await page.goto(`${served.url}/page.html`)
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
    rmSync(readmePage, { recursive: true, force: true })
  })

  it("README's 20-line page trains the ring GAN and plots it (8/8 modes), with no console error", async () => {
    const lines = readFileSync(join(readmePage, 'index.html'), 'utf8').trim().split('\n')
    expect(lines.length).toBeLessThanOrEqual(22)
    const readme = await newPage()
    await readme.goto(`${url}/readme/index.html`)
    await readme.waitForFunction(() => document.getElementById('status')?.textContent?.includes('Q1:') === true, undefined, { timeout: 300_000, polling: 1000 })
    const status = (await readme.textContent('#status')) ?? ''
    console.log(`README page: ${status}`)
    expect(status).toMatch(/^wasm: step 1000, .*\| Q1: 8\/8 modes/)
    // The plot shows the samples: many dark pixels on the canvas.
    const dark = await readme.evaluate(() => {
      const canvas = document.getElementById('plot') as HTMLCanvasElement
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      let n = 0
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++
      return n
    })
    expect(dark).toBeGreaterThan(500)
    mkdirSync(join(repositoryRoot, 'tests', 'output'), { recursive: true })
    await readme.screenshot({ path: join(repositoryRoot, 'tests', 'output', 'readme-page.png') })
    await readme.close()
    expect(problems).toEqual([])
  }, 400_000)

  it('loads the core with no console error, and the page has a WebGPU adapter', async () => {
    const facts = await page.evaluate(() => (window as unknown as { ganfpPage: { facts: () => Promise<Record<string, unknown>> } }).ganfpPage.facts())
    expect(facts['gpu']).toBe(true)
    expect(facts['adapter']).not.toBeNull()
    expect(facts['exports']).toBeGreaterThan(150)
    expect(problems).toEqual([])
  })

  type RingOptions = { learningRate?: number; averageDecay?: number }
  const trainRing = (backend: string, steps: number, options: RingOptions = {}) =>
    page.evaluate(
      ([name, n, o]) =>
        (window as unknown as { ganfpPage: { trainRing: (b: string, s: number, seed: number, o: RingOptions) => Promise<Record<string, unknown>> } }).ganfpPage.trainRing(
          name as string,
          n as number,
          1,
          o as RingOptions,
        ),
      [backend, steps, options] as const,
    ) as Promise<{ backend: { name: string; reason: string }; seconds: number; stepsPerSecond: number; report: { modesCaptured: number; highQualityFraction: number } }>

  it("trains the ring GAN in the page on wasm to 8/8 modes by Q1's rules", async () => {
    const result = await trainRing('wasm', 2000)
    console.log(`wasm in Chromium: ${result.stepsPerSecond.toFixed(1)} steps/s, ${result.backend.reason}; Q1: ${result.report.modesCaptured}/8 modes, ${(100 * result.report.highQualityFraction).toFixed(1)}% high quality`)
    expect(result.backend.name).toBe('wasm')
    expect(result.report.modesCaptured).toBe(8)
    expect(problems).toEqual([])
  }, 600_000)

  // SwiftShader runs WebGPU on the CPU at about a step a second (≈ 270 dispatches a step, each a
  // few ms in software), so the WebGPU run takes Q1's rules with a faster schedule than the
  // recipe's: learning rate 2e-3 and a moving average of decay 0.99 reach 8/8 modes in about 600
  // steps (on wasm: 8/8 by step 600–700 on seeds 1 and 2). About 10 minutes.
  it("trains the ring GAN in the page on WebGPU to 8/8 modes by Q1's rules", async () => {
    const result = await trainRing('webgpu', 800, { learningRate: 2e-3, averageDecay: 0.99 })
    console.log(`webgpu in Chromium: ${result.stepsPerSecond.toFixed(2)} steps/s, ${result.backend.reason}; Q1: ${result.report.modesCaptured}/8 modes, ${(100 * result.report.highQualityFraction).toFixed(1)}% high quality`)
    expect(result.backend.name).toBe('webgpu')
    expect(result.report.modesCaptured).toBe(8)
    expect(problems).toEqual([])
  }, 1_500_000)

  it('trains on WebGPU in the page: the first steps match wasm\'s for the same seed', async () => {
    type Steps = { backend: { name: string }; stepsPerSecond: number; reports: Array<Record<string, number>> }
    const firstSteps = (backend: string) =>
      page.evaluate(
        ([name, n]) => (window as unknown as { ganfpPage: { firstSteps: (b: string, s: number) => Promise<Steps> } }).ganfpPage.firstSteps(name as string, n as number),
        [backend, 8] as const,
      )
    const wasm = await firstSteps('wasm')
    const gpu = await firstSteps('webgpu')
    console.log(`webgpu in Chromium (SwiftShader): ${gpu.stepsPerSecond.toFixed(2)} steps/s`)
    expect(gpu.backend.name).toBe('webgpu')
    expect(gpu.reports.map((r) => r['step'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    for (const [i, report] of gpu.reports.entries())
      for (const key of ['discriminatorLoss', 'generatorLoss', 'realScore', 'fakeScore'])
        expect({ step: i + 1, key, difference: Math.abs(report[key]! - wasm.reports[i]![key]!) < 1e-3 }).toEqual({ step: i + 1, key, difference: true })
    expect(problems).toEqual([])
  }, 300_000)

  it('computes the same forward pass on WebGPU as on wasm (within 1e-4) from the same initial parameters', async () => {
    const forward = (backend: string) =>
      page.evaluate(
        (name) => (window as unknown as { ganfpPage: { forward: (b: string) => Promise<{ points: Array<number>; scores: Array<number> }> } }).ganfpPage.forward(name),
        backend,
      )
    const wasm = await forward('wasm')
    const gpu = await forward('webgpu')
    expect(gpu.points.length).toBe(128)
    const largest = (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))
    expect(largest(gpu.points, wasm.points)).toBeLessThan(1e-4)
    expect(largest(gpu.scores, wasm.scores)).toBeLessThan(1e-4)
    // Not a vacuous comparison: the outputs vary.
    expect(new Set(wasm.points.map((v) => v.toFixed(3))).size).toBeGreaterThan(50)
    expect(problems).toEqual([])
  }, 120_000)
})
