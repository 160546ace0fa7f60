// ganfp's core in a real browser: Debian's Chromium, headless, driven by playwright-core. Without a
// GPU, Dawn's SwiftShader adapter gives the page a real navigator.gpu, so the WebGPU backend runs
// the same kernels it would on a graphics card. The page (tests/browser/page.js) imports the
// single-file browser build (dist-browser/ganfp.js) as plain ESM, served with its .wasm files by a
// static server here. Node suite only; it needs `npm run build` (npm test builds first) and
// /usr/bin/chromium (.ci/run installs it; a machine without it skips, loudly in CI).
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const chromium = '/usr/bin/chromium'
const build = join(root, 'dist-browser')
const available = runtime === 'node' && existsSync(chromium)
if (runtime === 'node' && !available) {
  if (process.env['CI'] === 'true') throw new Error(`${chromium} is missing: .ci/run installs Debian's chromium for the browser tests`)
  console.warn(`SKIPPED: the browser tests need ${chromium} (apt-get install chromium)`)
}

const types: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }

/** Serves the test page and the browser build, nothing else. */
const serve = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1) || 'page.html'
      const file = ['page.html', 'page.js'].includes(name) ? join(root, 'tests', 'browser', name) : join(build, name)
      if (name.includes('..') || !existsSync(file)) return void response.writeHead(404).end()
      response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
    })
    server.listen(0, '127.0.0.1', () => resolve(server))
  })

type Page = import('playwright-core').Page
type Browser = import('playwright-core').Browser

describe.skipIf(!available)('the core in headless Chromium', () => {
  let server: Server
  let browser: Browser
  let page: Page
  const problems: Array<string> = []

  beforeAll(async () => {
    if (!existsSync(join(build, 'ganfp.js'))) throw new Error(`${build}/ganfp.js is missing: run \`npm run build\` first`)
    server = await serve()
    const { chromium: driver } = await import('playwright-core')
    browser = await driver.launch({ executablePath: chromium, args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'] })
    page = await browser.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 60_000 })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    server?.close()
  })

  it('loads the core with no console error, and the page has a WebGPU adapter', async () => {
    const facts = await page.evaluate(() => (window as unknown as { ganfpPage: { facts: () => Promise<Record<string, unknown>> } }).ganfpPage.facts())
    expect(facts['gpu']).toBe(true)
    expect(facts['adapter']).not.toBeNull()
    expect(facts['exports']).toBeGreaterThan(150)
    expect(problems).toEqual([])
  })

  const trainRing = (backend: string, steps: number) =>
    page.evaluate(
      ([name, n]) =>
        (window as unknown as { ganfpPage: { trainRing: (b: string, s: number) => Promise<Record<string, unknown>> } }).ganfpPage.trainRing(name as string, n as number),
      [backend, steps] as const,
    ) as Promise<{ backend: { name: string; reason: string }; seconds: number; stepsPerSecond: number; report: { modesCaptured: number; highQualityFraction: number } }>

  it("trains the ring GAN in the page on wasm to 8/8 modes by Q1's rules", async () => {
    const result = await trainRing('wasm', 2000)
    console.log(`wasm in Chromium: ${result.stepsPerSecond.toFixed(1)} steps/s, ${result.backend.reason}; Q1: ${result.report.modesCaptured}/8 modes, ${(100 * result.report.highQualityFraction).toFixed(1)}% high quality`)
    expect(result.backend.name).toBe('wasm')
    expect(result.report.modesCaptured).toBe(8)
    expect(problems).toEqual([])
  }, 600_000)

  // Q1's 2,000 steps on SwiftShader's WebGPU take about 28 minutes (1.2 steps/s: every step reads
  // its losses back); until readbacks are deferred, the WebGPU run is checked step by step
  // against wasm instead: the same seed gives the same losses within float rounding.
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
