// The playground's 2-D mode (playground/, `npm run playground`) in headless Chromium, driven like a
// person: menus chosen, fields typed into, buttons pressed, points drawn with the mouse, and the
// numbers the page shows read back. The page is built by `node scripts/playground.mjs
// --build-only` and served by the same script (which must exit cleanly on SIGINT). Screenshots go
// to tests/output/. Node suite only; skips where Chromium is missing (fails in CI).
import { execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, launchChromium, playgroundScript, repositoryRoot, startPlaygroundServer, type Browser, type Page } from './support/browser.ts'

const built = join(repositoryRoot, 'playground', 'dist')
const screenshots = join(repositoryRoot, 'tests', 'output')

/** The page has finished what it was asked (a rebuild, a pause, a step) and shows its numbers. */
const settled = (page: Page, timeout = 60_000) => page.waitForSelector('#mode[data-state="ready"]', { timeout })

const stepCount = async (page: Page): Promise<number> => Number(await page.textContent('#step-count'))

const untilStep = (page: Page, atLeast: number, timeout = 60_000) =>
  page.waitForFunction((n) => Number(document.getElementById('step-count')?.textContent) >= n, atLeast, { timeout })

/** Presses Step and waits until the count has moved and the button is back. */
const singleStep = async (page: Page, timeout = 60_000): Promise<number> => {
  const before = await stepCount(page)
  await page.getByRole('button', { name: 'Step' }).click()
  await page.waitForFunction(
    (n) => Number(document.getElementById('step-count')?.textContent) > n && !(document.getElementById('step') as HTMLButtonElement).disabled,
    before,
    { timeout },
  )
  return stepCount(page)
}

/** Types `value` into the field labelled `label` and leaves it, as a person does. */
const typeInto = async (page: Page, label: string, value: string): Promise<void> => {
  const field = page.getByLabel(label, { exact: true })
  await field.fill(value)
  await field.press('Tab')
}

describe.skipIf(!browserAvailable)('the playground, 2-D mode, in headless Chromium', () => {
  let server: ChildProcess
  let url: string
  let browser: Browser
  let newPage: () => Promise<Page>
  let problems: Array<string> = []

  beforeAll(async () => {
    execFileSync(process.execPath, [playgroundScript, '--build-only'], { cwd: repositoryRoot, stdio: 'pipe' })
    mkdirSync(screenshots, { recursive: true })
    ;({ server, url } = await startPlaygroundServer())
    const chromium = await launchChromium()
    browser = chromium.browser
    newPage = chromium.newPage
    problems = chromium.problems
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    if (server?.exitCode === null) server.kill('SIGKILL')
  })

  it('builds the page beside its wasm binaries and serves only that folder', async () => {
    for (const file of ['index.html', 'main.js', 'style.css', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
      expect({ file, built: existsSync(join(built, file)) }).toEqual({ file, built: true })
    const page = await fetch(url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect((await fetch(`${url}tfjs-backend-wasm-simd.wasm`)).headers.get('content-type')).toBe('application/wasm')
    expect((await fetch(`${url}..%2fpackage.json`)).status).toBe(404)
    expect((await fetch(`${url}missing.js`)).status).toBe(404)
  })

  it('runs on WebGPU by default where the page has navigator.gpu (SwiftShader here), and steps on it', async () => {
    const page = await newPage()
    await page.goto(url)
    // SwiftShader compiles every shader on the CPU: the first readout and step take tens of seconds.
    await settled(page, 90_000)
    expect(await page.textContent('#backend-name')).toBe('webgpu')
    expect(await page.textContent('#backend-status')).toContain('the first of webgpu → wasm → cpu to start')
    expect(await singleStep(page, 120_000)).toBe(1)
    await page.screenshot({ path: join(screenshots, 'playground-2d-webgpu.png') })
    expect(problems).toEqual([])
    await page.close()
  }, 240_000)

  it('falls back to wasm and says why when the page has no navigator.gpu; the backend menu switches backends', async () => {
    const page = await newPage()
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined, configurable: true }))
    await page.goto(url)
    await settled(page)
    expect(await page.textContent('#backend-name')).toBe('wasm')
    expect(await page.textContent('#backend-status')).toContain('webgpu failed to start (navigator.gpu is undefined')
    await page.getByLabel('Backend', { exact: true }).selectOption('cpu')
    await page.waitForFunction(() => document.getElementById('backend-name')?.textContent === 'cpu')
    await settled(page)
    expect(await page.textContent('#backend-status')).toContain('chosen in the menu')
    expect(new URL(page.url()).searchParams.get('backend')).toBe('cpu')
    expect(await singleStep(page)).toBe(1)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it('does what every control says: data, loss, widths, learning rates, k, batch, seed, train, pause, step, reset', async () => {
    const page = await newPage()
    await page.goto(`${url}?backend=wasm`)
    await settled(page)
    expect(await page.textContent('#backend-status')).toContain('chosen in the menu')

    // Each loss compiles and steps; a changed setting starts over at step 0.
    for (const loss of ['LSGAN (least squares)', 'WGAN-GP', 'hinge', 'non-saturating']) {
      await page.getByLabel('Loss', { exact: true }).selectOption({ label: loss })
      await settled(page)
      expect({ loss, step: await stepCount(page) }).toEqual({ loss, step: 0 })
      expect({ loss, step: await singleStep(page) }).toEqual({ loss, step: 1 })
    }

    // A bad field is named, marked, and changes nothing; a good one rebuilds the networks.
    await typeInto(page, 'G hidden widths', '64,x')
    await page.waitForSelector('#problems:not([hidden])')
    expect(await page.textContent('#problems')).toContain('InvalidConfig at generatorWidths')
    expect(await page.getAttribute('#generatorWidths', 'aria-invalid')).toBe('true')
    expect(await stepCount(page)).toBe(1)
    await typeInto(page, 'G hidden widths', '32,32')
    await settled(page)
    expect(await page.isHidden('#problems')).toBe(true)
    expect(await stepCount(page)).toBe(0)
    await typeInto(page, 'D hidden widths', '48 48')
    await typeInto(page, 'G learning rate', '0.0005')
    await typeInto(page, 'D learning rate', '0.002')
    await typeInto(page, 'Batch size', '64')
    await typeInto(page, 'Seed', '7')
    await typeInto(page, 'D steps per G step', '3')
    await settled(page)
    expect(await page.inputValue('#discriminatorWidths')).toBe('48 48')
    expect(await singleStep(page)).toBe(1)
    expect(await page.textContent('#discriminator-updates')).toBe('3')
    expect(await singleStep(page)).toBe(2)
    expect(await page.textContent('#discriminator-updates')).toBe('6')

    // The grid: Q1 counts out of 25 modes.
    await page.getByLabel('Real data', { exact: true }).selectOption('grid')
    await settled(page)
    expect(await page.textContent('#q1-modes')).toMatch(/^\d+\/25$/)

    // Train, pause: the count stops; one step adds exactly one; reset goes back to 0.
    await page.getByLabel('Real data', { exact: true }).selectOption('ring')
    await typeInto(page, 'D steps per G step', '1')
    await settled(page)
    expect(await page.textContent('#q1-modes')).toMatch(/^\d+\/8$/)
    await page.getByRole('button', { name: 'Train' }).click()
    await untilStep(page, 40)
    await page.getByRole('button', { name: 'Pause' }).click()
    await settled(page)
    const paused = await stepCount(page)
    expect(paused).toBeGreaterThanOrEqual(40)
    await page.waitForTimeout(1000)
    expect(await stepCount(page)).toBe(paused)
    expect(await page.textContent('#steps-per-second')).toBe('–')
    expect(await singleStep(page)).toBe(paused + 1)
    await page.waitForTimeout(500)
    expect(await stepCount(page)).toBe(paused + 1)
    await page.getByRole('button', { name: 'Reset' }).click()
    await settled(page)
    expect(await stepCount(page)).toBe(0)
    expect(await page.textContent('#discriminator-updates')).toBe('0')

    // A run's tensors are freed when the next starts: the count after a reset does not grow.
    const liveTensors = () => page.evaluate(() => (globalThis as unknown as { ganfpPlayground: { liveTensorCount: () => number } }).ganfpPlayground.liveTensorCount())
    const afterReset = await liveTensors()
    await page.getByRole('button', { name: 'Train' }).click()
    await untilStep(page, 20)
    await page.getByRole('button', { name: 'Pause' }).click()
    await settled(page)
    await page.getByRole('button', { name: 'Reset' }).click()
    await settled(page)
    expect(await liveTensors()).toBe(afterReset)
    expect(problems).toEqual([])
    await page.close()
  }, 180_000)

  it('trains on points drawn with the mouse', async () => {
    const page = await newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${url}?backend=wasm`)
    await settled(page)
    await page.getByLabel('Real data', { exact: true }).selectOption('drawn')
    await settled(page)
    expect(await page.getByRole('button', { name: 'Train' }).isDisabled()).toBe(true)
    expect(await page.textContent('#q1-note')).toContain('Q1 does not apply to drawn points')
    // A stroke across the plot, then two clicks; the data view spans [-1.5, 1.5] on both axes.
    const box = (await page.locator('#data-canvas').boundingBox())!
    const at = (x: number, y: number) => [box.x + 46 + ((x + 1.5) / 3) * 420, box.y + 30 + ((1.5 - y) / 3) * 420] as const
    await page.mouse.move(...at(-1, -0.5))
    await page.mouse.down()
    for (let i = 1; i <= 20; i++) await page.mouse.move(...at(-1 + i / 10, -0.5 + Math.sin(i / 3) / 2))
    await page.mouse.up()
    await page.mouse.click(...at(0.5, 1))
    await page.mouse.click(...at(-0.5, 1))
    const drawn = Number((await page.textContent('#drawn-count'))!.split(' ')[0])
    expect(drawn).toBeGreaterThanOrEqual(12)
    await page.getByRole('button', { name: 'Train' }).click()
    await untilStep(page, 60)
    await page.getByRole('button', { name: 'Pause' }).click()
    await settled(page)
    expect(await page.textContent('#q1-modes')).toBe('–')
    await page.screenshot({ path: join(screenshots, 'playground-2d-drawn.png') })
    await page.getByRole('button', { name: 'Clear points' }).click()
    await settled(page)
    expect(await page.textContent('#drawn-count')).toBe('0 points')
    expect(await stepCount(page)).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  }, 120_000)

  it("trains the ring to 8/8 modes in the live Q1 figure on wasm (Q1's GAN, the page's defaults)", async () => {
    const page = await newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${url}?backend=wasm`)
    await settled(page)
    const started = Date.now()
    await page.getByRole('button', { name: 'Train' }).click()
    // About 2,000 steps at 80 steps/s on an idle machine; the bound leaves room for a busy one.
    await page.waitForFunction(
      () => document.getElementById('q1-modes')?.textContent === '8/8' || Number(document.getElementById('step-count')?.textContent) >= 5000,
      undefined,
      { timeout: 150_000, polling: 500 },
    )
    const seconds = (Date.now() - started) / 1000
    const steps = await stepCount(page)
    console.log(`playground, ring on wasm: ${await page.textContent('#q1-modes')} modes at step ${steps} after ${seconds.toFixed(0)} s (${(steps / seconds).toFixed(0)} steps/s with the live views)`)
    await page.getByRole('button', { name: 'Pause' }).click()
    await settled(page)
    expect(await page.textContent('#q1-modes')).toBe('8/8')
    expect(await stepCount(page)).toBeLessThan(5000)
    // Usable on a 1366 × 768 laptop: everything fits without scrolling.
    expect(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight])).toEqual([1366, 768])
    await page.screenshot({ path: join(screenshots, 'playground-2d.png') })
    expect(problems).toEqual([])
    await page.close()
  }, 240_000)

  it('stops serving and exits with code 0 on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)))
    server.kill('SIGINT')
    expect(await exited).toBe(0)
  })
})
