// The playground's image mode (playground/image/, `npm run playground`, `?mode=image`) in headless
// Chromium, driven like a person: checkpoints of `ganfp train dcgan`, `cgan` and `srgan` (made here
// by the built command, dist/cli.js, at a tiny size) picked with the file picker or given by URL,
// seeds typed, buttons pressed, and the page's numbers (its `ganfpPlayground.image.shown()` hook)
// checked against the library's own path on Node (`restoreRun`, `generatorInputs`, `generate`:
// what `ganfp sample` runs) within 1e-4 on wasm. Broken files are named in the page; a small
// MNIST DCGAN trains, pauses and resets in the page. Screenshots go to tests/output/. Node suite
// only; it needs `npm run build` (for dist/cli.js) and /usr/bin/chromium.
import { execFile, type ChildProcess } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import cgan from '../recipes/cgan.ts'
import dcgan from '../recipes/dcgan.ts'
import srgan from '../recipes/srgan.ts'
import { boxDownsampleOrThrow, checkpointFilesToBytes, checkpointFromBytesOrThrow, checkpointFromFilesOrThrow, checkpointToBytes, splitHeldOut, type Recipe } from '../src/index.ts'
import { generatorInputsOrThrow, listCheckpointsOrThrow, loadBundledImagesOrThrow, restoreRunOrThrow } from '../src/node.ts'
import { browserAvailable, launchChromium, playgroundScript, repositoryRoot, runBuiltGanfp, startPlaygroundServer, type Browser, type Page } from './support/browser.ts'

const screenshots = join(repositoryRoot, 'tests', 'output')
const tiny = ['--backend', 'wasm', '--threads', '1', '--batch', '8', '--steps', '2']
const runs = {
  dcgan: ['--width', '2', '--latent-dim', '8', '--labels', 'none'],
  cgan: ['--width', '2', '--latent-dim', '8', '--embedding-dim', '4', '--per-class', '1'],
  srgan: ['--filters', '4', '--blocks', '1', '--pretrain-steps', '1', '--eval-images', '8', '--content', 'mse'],
} as const
type RunName = keyof typeof runs
const recipes: Readonly<Record<RunName, Recipe>> = { dcgan, cgan, srgan }

/** Another origin serving `folder` with CORS, as a person's file server or bucket would. */
const serveWithCors = (folder: string): Promise<{ server: Server; url: string }> =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
      const file = normalize(join(folder, path))
      const headers = { 'access-control-allow-origin': '*' }
      if (path.includes('..') || !existsSync(file)) return void response.writeHead(404, headers).end()
      response.writeHead(200, { ...headers, 'content-type': 'application/octet-stream' }).end(readFileSync(file))
    })
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
  })

/** The page's hook: what its views show, as plain data. */
type Shown = {
  view: string
  source: string
  recipe?: string
  step?: number
  grid?: { seed: number; columns: number; outputs: Array<number>; labels?: Array<number> }
  strip?: { from: number; to: number; label?: number; spherical: { latents: Array<number>; outputs: Array<number> }; linear: { latents: Array<number>; outputs: Array<number> } }
  superResolution?: { seed: number; indices: Array<number>; inputs: Array<number>; outputs: Array<number>; high: Array<number>; psnr: { bicubic: number; superResolved: number } }
}

const shownIn = (page: Page): Promise<Shown> =>
  page.evaluate(() => (globalThis as unknown as { ganfpPlayground: { image: { shown: () => Shown } } }).ganfpPlayground.image.shown())

const liveTensors = (page: Page): Promise<number> =>
  page.evaluate(() => (globalThis as unknown as { ganfpPlayground: { liveTensorCount: () => number } }).ganfpPlayground.liveTensorCount())

/** The page has finished what it was asked (a load, a redraw, a pause, a step). */
const settled = async (page: Page, timeout = 60_000): Promise<void> => {
  // A change event's work is queued in the same task; give it one frame to start.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)))
  await page.waitForSelector('#mode[data-state="ready"]', { timeout })
}

const largestDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length)
  let largest = 0
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!))
  return largest
}

describe.skipIf(!browserAvailable)('the playground, image mode, in headless Chromium', () => {
  let scratch = ''
  let server: ChildProcess
  let url = ''
  let files: { server: Server; url: string }
  let browser: Browser
  let newPage: () => Promise<Page>
  let page: Page
  let problems: Array<string> = []
  const checkpointOf = (name: RunName) => listCheckpointsOrThrow(join(scratch, name, 'checkpoints')).at(-1)!.path
  const filesOf = (name: RunName) => [join(checkpointOf(name), 'manifest.json'), join(checkpointOf(name), 'tensors.bin')]

  /** Picks files with the page's file picker and waits until the page is done with them. */
  const pick = async (paths: ReadonlyArray<string>): Promise<void> => {
    await page.setInputFiles('#checkpoint-files', [...paths])
    await settled(page)
  }
  const typeInto = async (selector: string, value: string): Promise<void> => {
    await page.fill(selector, value)
    await page.press(selector, 'Tab')
    await settled(page)
  }
  const problemText = async (): Promise<string> => ((await page.isHidden('#image-problems')) ? '' : ((await page.textContent('#image-problems')) ?? ''))

  /** What `ganfp sample RUN --n N --seed S` computes before it draws, on the run's backend (wasm). */
  const nodeRun = (name: RunName) => restoreRunOrThrow(join(scratch, name), async () => recipes[name])

  beforeAll(async () => {
    const cli = join(repositoryRoot, 'dist', 'cli.js')
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`)
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-playground-image-'))
    // The page's build and the three runs at once: the runs are mostly their recipes' final evaluations.
    const building = new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [playgroundScript, '--build-only'], { cwd: repositoryRoot }, (error, _out, err) => (error === null ? resolve() : reject(new Error(`${error.message}\n${err}`)))),
    )
    await Promise.all([building, ...Object.entries(runs).map(([name, argv]) => runBuiltGanfp(['train', name, '--out', join(scratch, name), ...tiny, ...argv]))])
    // The same dcgan checkpoint as one container file, a corrupted copy, and a run of an unknown recipe.
    const read = (name: string) => readFileSync(join(checkpointOf('dcgan'), name))
    const dcganFiles = { manifest: read('manifest.json'), tensors: read('tensors.bin') }
    writeFileSync(join(scratch, 'dcgan.ganfp'), checkpointFilesToBytes(dcganFiles))
    mkdirSync(join(scratch, 'broken'))
    copyFileSync(join(checkpointOf('dcgan'), 'manifest.json'), join(scratch, 'broken', 'manifest.json'))
    const tensors = Uint8Array.from(dcganFiles.tensors)
    tensors[100] = tensors[100]! ^ 0xff
    writeFileSync(join(scratch, 'broken', 'tensors.bin'), tensors)
    const { snapshot } = checkpointFromFilesOrThrow(dcganFiles)
    writeFileSync(join(scratch, 'pix2pix.ganfp'), checkpointToBytes(snapshot, { run: { recipe: 'pix2pix', config: {} } }))
    writeFileSync(join(scratch, 'notes.txt'), 'not a checkpoint')
    mkdirSync(screenshots, { recursive: true })
    ;({ server, url } = await startPlaygroundServer())
    files = await serveWithCors(scratch)
    const chromium = await launchChromium()
    browser = chromium.browser
    problems = chromium.problems
    newPage = chromium.newPage
    page = await newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${url}?mode=image&backend=wasm`)
    await settled(page)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    files?.server.close()
    if (server?.exitCode === null) server.kill('SIGINT')
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true })
  })

  it('shows the mode as a tab, on wasm, asking for a checkpoint', async () => {
    expect(await page.textContent('#modes a[aria-current="page"]')).toBe('Images')
    expect(await page.textContent('#backend-name')).toBe('wasm')
    expect(await page.isVisible('#checkpoint-files')).toBe(true)
    expect((await shownIn(page)).view).toBe('empty')
    expect(problems).toEqual([])
  })

  it('dcgan: picked files draw the samples `ganfp sample` draws for a seed (within 1e-4 on wasm), other seeds others; the strips interpolate', async () => {
    await pick(filesOf('dcgan'))
    const shown = await shownIn(page)
    expect({ view: shown.view, recipe: shown.recipe, step: shown.step, seed: shown.grid?.seed }).toEqual({ view: 'grid', recipe: 'dcgan', step: 2, seed: 1 })
    expect(await page.textContent('#run-title')).toBe('dcgan at step 2')
    const { setup, trainer } = await nodeRun('dcgan')
    try {
      const expected = await trainer.generateOrThrow(await generatorInputsOrThrow(setup, 64, 1))
      expect(largestDifference(shown.grid!.outputs, expected)).toBeLessThan(1e-4)
      expect(new Set(shown.grid!.outputs.map((v) => v.toFixed(4))).size).toBeGreaterThan(1000)
      // The strips: nine images from seed 1's latent to seed 2's, as the library generates them.
      const { spherical, linear } = shown.strip!
      expect(spherical.latents.slice(0, 8)).toEqual(Array.from(await generatorInputsOrThrow(setup, 1, 1)))
      expect(spherical.latents.slice(-8)).toEqual(Array.from(await generatorInputsOrThrow(setup, 1, 2)))
      expect(largestDifference(spherical.outputs, await trainer.generateOrThrow(Float32Array.from(spherical.latents)))).toBeLessThan(1e-4)
      expect(largestDifference(linear.outputs, await trainer.generateOrThrow(Float32Array.from(linear.latents)))).toBeLessThan(1e-4)
      expect(largestDifference(spherical.latents, linear.latents)).toBeGreaterThan(0.01)

      // Another seed typed in: other samples, other pixels; they are the library's for that seed.
      const before = await page.locator('#grid-canvas').screenshot()
      await typeInto('#sample-seed', '7')
      const seven = await shownIn(page)
      expect(seven.grid!.seed).toBe(7)
      expect(largestDifference(seven.grid!.outputs, await trainer.generateOrThrow(await generatorInputsOrThrow(setup, 64, 7)))).toBeLessThan(1e-4)
      expect(largestDifference(seven.grid!.outputs, shown.grid!.outputs)).toBeGreaterThan(0.01)
      expect((await page.locator('#grid-canvas').screenshot()).equals(before)).toBe(false)
    } finally {
      trainer.dispose()
    }
    // New samples: the next seed, and the strip runs on from it.
    await page.getByRole('button', { name: 'New samples' }).click()
    await settled(page)
    expect([await page.inputValue('#sample-seed'), await page.inputValue('#strip-to')]).toEqual(['8', '9'])
    expect(((await shownIn(page)).strip)!.from).toBe(8)
    await typeInto('#sample-seed', '1')
    await typeInto('#strip-to', '2')
    await page.screenshot({ path: join(screenshots, 'playground-image-dcgan.png') })
    // A bad seed is named and changes nothing.
    await typeInto('#sample-seed', 'x')
    expect(await problemText()).toContain('InvalidConfig at sample-seed: expected an integer from 0 to 2147483647, found "x"')
    expect(await page.getAttribute('#sample-seed', 'aria-invalid')).toBe('true')
    await typeInto('#sample-seed', '1')
    expect(await page.isHidden('#image-problems')).toBe(true)
    expect(problems).toEqual([])
  }, 120_000)

  it('cgan: one row per class, each the library samples for its label; the strip is drawn for the class chosen', async () => {
    await pick(filesOf('cgan'))
    const shown = await shownIn(page)
    expect({ view: shown.view, recipe: shown.recipe, columns: shown.grid?.columns }).toEqual({ view: 'grid', recipe: 'cgan', columns: 8 })
    const labels = Array.from({ length: 80 }, (_, i) => Math.floor(i / 8))
    expect(shown.grid!.labels).toEqual(labels)
    expect(await page.getAttribute('#grid-canvas', 'aria-label')).toBe('Samples, one row per class: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9')
    const { setup, trainer } = await nodeRun('cgan')
    try {
      const expected = await trainer.generateOrThrow(await generatorInputsOrThrow(setup, 80, 1), labels)
      expect(largestDifference(shown.grid!.outputs, expected)).toBeLessThan(1e-4)
      await page.selectOption('#strip-class', '3')
      await settled(page)
      const strip = (await shownIn(page)).strip!
      expect(strip.label).toBe(3)
      const again = await trainer.generateOrThrow(Float32Array.from(strip.spherical.latents), new Int32Array(9).fill(3))
      expect(largestDifference(strip.spherical.outputs, again)).toBeLessThan(1e-4)
    } finally {
      trainer.dispose()
    }
    expect(await page.isVisible('#strip-class')).toBe(true)
    await page.screenshot({ path: join(screenshots, 'playground-image-cgan.png') })
    expect(problems).toEqual([])
  }, 120_000)

  it('srgan: LR | bicubic | SR | HR for held-out digits, the LR their box downsample, the SR what the library makes of it', async () => {
    await pick(filesOf('srgan'))
    const shown = await shownIn(page)
    expect({ view: shown.view, recipe: shown.recipe }).toEqual({ view: 'super-resolution', recipe: 'srgan' })
    expect(await page.getAttribute('#grid-canvas', 'aria-label')).toBe('Super-resolution of 6 held-out images: LR | bicubic | SR | HR')
    expect(await page.isHidden('#strip-canvas')).toBe(true)
    const sr = shown.superResolution!
    // HR: protocol Q2's held-out digits, exactly as the library loads them.
    const heldOut = splitHeldOut(loadBundledImagesOrThrow('mnist')).heldOut
    const high = Float32Array.from(sr.indices.flatMap((i) => Array.from(heldOut.pixels.subarray(i * 784, (i + 1) * 784), (p) => p / 255)))
    expect(largestDifference(sr.high, high)).toBeLessThan(1e-7)
    const inputs = boxDownsampleOrThrow(high, { count: 6, height: 28, width: 28, channels: 1 }, 4).map((v) => 2 * v - 1)
    expect(largestDifference(sr.inputs, inputs)).toBeLessThan(1e-6)
    const { trainer } = await nodeRun('srgan')
    try {
      expect(largestDifference(sr.outputs, await trainer.generateOrThrow(inputs))).toBeLessThan(1e-4)
    } finally {
      trainer.dispose()
    }
    expect(await page.textContent('#grid-caption')).toMatch(/PSNR on these: bicubic \d+\.\d\d dB, SRGAN \d+\.\d\d dB/)
    await page.screenshot({ path: join(screenshots, 'playground-image-srgan.png') })
    // Another seed, other images.
    await typeInto('#sample-seed', '2')
    expect((await shownIn(page)).superResolution!.indices).not.toEqual(sr.indices)
    await typeInto('#sample-seed', '1')
    expect(problems).toEqual([])
  }, 120_000)

  it('loads the one-file container, and by URL a checkpoint folder or a container on another origin: the same samples', async () => {
    await pick(filesOf('dcgan'))
    const reference = (await shownIn(page)).grid!.outputs
    const tensorsBefore = await liveTensors(page)
    await pick([join(scratch, 'dcgan.ganfp')])
    expect((await shownIn(page)).grid!.outputs).toEqual(reference)
    expect(await page.textContent('#run-source')).toContain('From dcgan.ganfp')
    const folder = `${files.url}/dcgan/checkpoints/${checkpointOf('dcgan').split('/').at(-1)}`
    for (const address of [folder, `${folder}/`, `${folder}/manifest.json`, `${files.url}/dcgan.ganfp`]) {
      await pick(filesOf('cgan'))
      await page.fill('#checkpoint-url', address)
      await page.getByRole('button', { name: 'Load' }).click()
      await settled(page)
      expect({ address, problems: await problemText(), recipe: (await shownIn(page)).recipe }).toEqual({ address, problems: '', recipe: 'dcgan' })
      expect((await shownIn(page)).grid!.outputs).toEqual(reference)
    }
    // Enter in the field loads too. Loading again frees the last run's tensors.
    await page.fill('#checkpoint-url', folder)
    await page.press('#checkpoint-url', 'Enter')
    await settled(page)
    expect(await liveTensors(page)).toBe(tensorsBefore)
    expect(problems).toEqual([])
  }, 120_000)

  it('names what is wrong with a corrupted file, a wrong pick, an unknown recipe or a URL that is not there, and keeps showing the last run', async () => {
    await pick(filesOf('dcgan'))
    const reference = (await shownIn(page)).grid!.outputs
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [[join(scratch, 'broken', 'manifest.json'), join(scratch, 'broken', 'tensors.bin')], 'CheckpointCorrupt at checkpoint(manifest.json + tensors.bin).tensors.bin'],
      [[join(scratch, 'notes.txt')], 'CheckpointCorrupt at checkpoint(notes.txt)'],
      [[join(scratch, 'pix2pix.ganfp')], 'InvalidConfig at checkpoint(pix2pix.ganfp).manifest.json.run.recipe: expected a built-in recipe (vanilla, dcgan, cgan or srgan), found "pix2pix"'],
      [[filesOf('dcgan')[0]!], 'InvalidData at files: expected manifest.json and tensors.bin of a checkpoint folder, or one .ganfp file, found "manifest.json"'],
      [[...filesOf('dcgan'), join(scratch, 'notes.txt')], 'InvalidData at files'],
    ]
    for (const [paths, message] of cases) {
      await pick(paths)
      expect(await problemText()).toContain(message)
      expect((await shownIn(page)).grid!.outputs).toEqual(reference)
    }
    const missing = `${files.url}/no-such-run/checkpoints/step-00000002`
    await page.fill('#checkpoint-url', missing)
    await page.getByRole('button', { name: 'Load' }).click()
    await settled(page)
    expect(await problemText()).toContain(`InvalidData at ${missing}/manifest.json: expected a file the server sends (HTTP 200), found HTTP 404`)
    // Chromium itself logs the failed requests; nothing else may appear.
    expect(problems.filter((p) => !p.includes('Failed to load resource: the server responded with a status of 404'))).toEqual([])
    problems.length = 0
    await pick(filesOf('dcgan'))
    expect(await page.isHidden('#image-problems')).toBe(true)
  }, 120_000)

  it('moves the loaded run to the backend chosen in the menu (suspend, resume): the same samples within 1e-3', async () => {
    await pick(filesOf('dcgan'))
    const onWasm = (await shownIn(page)).grid!.outputs
    await page.getByLabel('Backend', { exact: true }).selectOption('cpu')
    await page.waitForFunction(() => document.getElementById('backend-name')?.textContent === 'cpu')
    await settled(page)
    const onCpu = await shownIn(page)
    expect({ recipe: onCpu.recipe, problems: await problemText() }).toEqual({ recipe: 'dcgan', problems: '' })
    expect(largestDifference(onCpu.grid!.outputs, onWasm)).toBeLessThan(1e-3)
    await page.getByLabel('Backend', { exact: true }).selectOption('wasm')
    await page.waitForFunction(() => document.getElementById('backend-name')?.textContent === 'wasm')
    await settled(page)
    expect((await shownIn(page)).grid!.outputs).toEqual(onWasm)
    expect(problems).toEqual([])
  }, 120_000)

  it('trains a small MNIST DCGAN in the page: step, train, pause, reset; the grid follows the generator', async () => {
    // A fresh page, straight into training (`&source=train`), with no checkpoint loaded.
    await page.close()
    page = await newPage()
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.goto(`${url}?mode=image&backend=wasm&source=train`)
    await settled(page)
    expect(await page.isVisible('#train-controls')).toBe(true)
    expect(await page.isChecked('#source-train')).toBe(true)
    await typeInto('#sample-seed', '3')
    expect({ problems: await problemText(), seed: (await shownIn(page)).grid?.seed }).toEqual({ problems: '', seed: 3 })
    await typeInto('#sample-seed', '1')
    expect(await page.textContent('#train-step')).toBe('0')
    const note = (await page.textContent('#data-note'))!
    expect(note).toMatch(/^Data: MNIST's 2,000 held-out digits, shipped as [\d,]+ bytes \(gzip; 1,568,000 bytes of pixels\)\. The built page is [\d.]+ MB \([\d.]+ MB with source maps\); this page has fetched [\d.]+ MB of it\.$/)
    console.log(`playground, image mode: ${note}`)
    const atStart = await shownIn(page)
    expect({ source: atStart.source, step: atStart.step, length: atStart.grid?.outputs.length }).toEqual({ source: 'train', step: 0, length: 64 * 784 })
    const afterStart = await liveTensors(page)

    await page.getByRole('button', { name: 'Step' }).click()
    await settled(page)
    expect(await page.textContent('#train-step')).toBe('1')
    // About 10 steps/s on wasm on an idle machine; by step 200 the grid shows strokes.
    const started = Date.now()
    await page.getByRole('button', { name: 'Train' }).click()
    await page.waitForFunction(() => Number(document.getElementById('train-step')?.textContent) >= 200, undefined, { timeout: 150_000, polling: 250 })
    const rate = await page.textContent('#train-rate')
    await page.getByRole('button', { name: 'Pause' }).click()
    await settled(page)
    const paused = Number(await page.textContent('#train-step'))
    console.log(`playground, image mode: the MNIST DCGAN trained to step ${paused} in ${((Date.now() - started) / 1000).toFixed(0)} s on wasm (${rate} steps/s)`)
    expect(paused).toBeGreaterThanOrEqual(200)
    await page.waitForTimeout(1000)
    expect(Number(await page.textContent('#train-step'))).toBe(paused)
    const trained = await shownIn(page)
    expect(trained.step).toBe(paused)
    expect(largestDifference(trained.grid!.outputs, atStart.grid!.outputs)).toBeGreaterThan(0.01)
    await page.screenshot({ path: join(screenshots, 'playground-image-train.png') })

    // A changed setting and a reset both start over at step 0, the old run's tensors freed.
    await page.selectOption('#train-width', '16')
    await settled(page)
    expect(await page.textContent('#train-step')).toBe('0')
    expect((await shownIn(page)).grid!.outputs).not.toEqual(atStart.grid!.outputs)
    await page.selectOption('#train-width', '8')
    await settled(page)
    await page.getByRole('button', { name: 'Reset' }).click()
    await settled(page)
    expect(await page.textContent('#train-step')).toBe('0')
    expect((await shownIn(page)).grid!.outputs).toEqual(atStart.grid!.outputs)
    expect(await liveTensors(page)).toBe(afterStart)
    // To the checkpoint controls and back: the run is where it was.
    await page.check('#source-checkpoint')
    await settled(page)
    expect((await shownIn(page)).view).toBe('empty')
    expect(await page.isVisible('#checkpoint-files')).toBe(true)
    await page.check('#source-train')
    await settled(page)
    expect((await shownIn(page)).grid!.outputs).toEqual(atStart.grid!.outputs)

    // Save checkpoint: a .ganfp download that the library reads as a dcgan run at its step, and
    // that the page, given it back through the file picker, samples exactly as the live run.
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Step' }).click()
      await settled(page)
    }
    const live = await shownIn(page)
    expect(live.step).toBe(3)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save checkpoint' }).click()])
    expect(download.suggestedFilename()).toBe('ganfp-dcgan-step-00000003.ganfp')
    const saved = join(scratch, download.suggestedFilename())
    await download.saveAs(saved)
    await settled(page)
    const contents = checkpointFromBytesOrThrow(new Uint8Array(readFileSync(saved)))
    expect({ step: contents.step, run: contents.run }).toMatchObject({ step: 3, run: { recipe: 'dcgan', config: { width: 8, 'latent-dim': 64 } } })
    await page.check('#source-checkpoint')
    await settled(page)
    await page.setInputFiles('#checkpoint-files', [saved])
    await settled(page)
    const reloaded = await shownIn(page)
    expect({ problems: await problemText(), step: reloaded.step }).toEqual({ problems: '', step: 3 })
    expect(largestDifference(reloaded.grid!.outputs, live.grid!.outputs)).toBeLessThan(1e-6)
    expect(problems).toEqual([])
  }, 240_000)
})
