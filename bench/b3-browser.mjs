// B3's Chromium half, run by Node (bench/b3.ts spawns it): bundles bench/b3-page.ts for a page with
// esbuild, serves it with tfjs-backend-wasm's binaries on 127.0.0.1, and measures each recipe on
// WebGPU (Dawn's SwiftShader without a GPU) and wasm in Debian's headless Chromium. Progress goes
// to stderr; the last line of stdout is the rows as JSON.
//   node bench/b3-browser.mjs --recipes=vanilla,dcgan --steps=40 --warmup=3 --read-every=10
import { build } from 'esbuild'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const recipes = option('recipes', 'vanilla,dcgan').split(',')
const steps = Number(option('steps', '40'))
const warmup = Number(option('warmup', '3'))
const readEvery = Number(option('read-every', '10'))

const root = fileURLToPath(new URL('..', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'ganfp-b3-'))
try {
  await build({ entryPoints: [join(root, 'bench', 'b3-page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(folder, 'b3.js'), external: ['node:*'], logLevel: 'warning' })
  const wasm = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
  for (const file of readdirSync(wasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasm, file), join(folder, file))
  writeFileSync(join(folder, 'index.html'), '<!doctype html><meta charset="utf-8"><title>b3</title><script type="module" src="./b3.js"></script>')
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' }
  const server = createServer((request, response) => {
    const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1) || 'index.html'
    if (name.includes('/') || name.includes('..')) return void response.writeHead(404).end()
    let body
    try {
      body = readFileSync(join(folder, name))
    } catch {
      return void response.writeHead(404).end()
    }
    response.writeHead(200, { 'content-type': types[extname(name)] ?? 'application/octet-stream' }).end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  // B3_CHROMIUM_ARGS adds flags (bench/gpu.sh: Vulkan, for a hardware adapter on Linux).
  const extra = (process.env.B3_CHROMIUM_ARGS ?? '').split(' ').filter((a) => a !== '')
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', ...extra] })
  const rows = []
  try {
    for (const backend of ['webgpu', 'wasm']) {
      // A page per backend: tfjs keeps one backend per page once it has tensors on it.
      const page = await browser.newPage()
      page.on('console', (m) => m.type() === 'error' && console.error(`page: ${m.text()}`))
      await page.goto(`http://127.0.0.1:${server.address().port}/`)
      await page.waitForFunction(() => document.title === 'b3 ready', undefined, { timeout: 60_000 })
      if (backend === 'webgpu')
        console.error(`chromium adapter: ${await page.evaluate(async () => { const a = await navigator.gpu?.requestAdapter(); return a ? `${a.info.vendor} ${a.info.architecture} ${a.info.description}`.trim() : 'none' })}`)
      for (const recipe of recipes)
        for (const fuse of backend === 'webgpu' ? [true, false] : [true]) {
          console.error(`b3 chromium ${backend} ${recipe} fused=${fuse}…`)
          const row = await page.evaluate((a) => window.b3.measure(...a), [backend, recipe, steps, warmup, readEvery, fuse])
          if (typeof row === 'string') console.error(row)
          else rows.push(row)
        }
      await page.close()
    }
  } finally {
    await browser.close()
    server.close()
  }
  console.log(JSON.stringify(rows))
} finally {
  rmSync(folder, { recursive: true, force: true })
}
