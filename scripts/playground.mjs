#!/usr/bin/env node
// `npm run playground`: builds the playground page (playground/main.ts and the core it imports
// from src/) with esbuild into playground/dist/, with tfjs-backend-wasm's .wasm files beside the
// bundle, then serves that folder on 127.0.0.1 and prints its URL. Ctrl-C stops the server.
//
//   node scripts/playground.mjs [--port 8080] [--build-only]
//
// --port (or PORT): the port to listen on, 8080 by default, 0 for any free one.
// --build-only: build and exit (the tests build this way).
//
// The image mode's data ships beside the bundle as small gzipped slices of the bundled image sets
// (see `writeImageSlice`): MNIST's 2,000 held-out digits, which the page trains its small DCGAN
// on and super-resolves, and 100 held-out Fashion-MNIST images for SRGAN runs on Fashion.
import { build } from 'esbuild'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, extname, join, normalize, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = join(root, 'playground')
const out = join(source, 'dist')
const wasmFolder = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')

const usage = 'usage: node scripts/playground.mjs [--port <n>] [--build-only]'

const parsed = (() => {
  try {
    return parseArgs({ options: { port: { type: 'string' }, 'build-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`)
    process.exit(2)
  }
})()
if (parsed.help) {
  console.log(usage)
  process.exit(0)
}
const portText = parsed.port ?? process.env['PORT'] ?? '8080'
const port = Number(portText)
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`--port: expected a port number from 0 to 65535, found ${JSON.stringify(portText)}\n${usage}`)
  process.exit(2)
}

/**
 * The held-out split of a bundled image set as protocol Q2 makes it (the last 200 images of each
 * class, in class order: `splitHeldOut(loadBundledImages(set)).heldOut` in src/), keeping the first
 * `perClass` of each class. The `mnist` package stores intensities in [0, 1] rounded to 3 decimals
 * (k/255 recovers the byte), `fashion-mnist` one list of bytes per image (src/node/bundled-data.ts).
 */
const heldOutImages = (packageName, folder, perClass) => {
  const root = dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`))
  const pixels = []
  const labels = []
  for (let label = 0; label < 10; label++) {
    const { data } = JSON.parse(readFileSync(join(root, folder, `${label}.json`), 'utf8'))
    const nested = Array.isArray(data[0])
    const flat = nested ? data.flat() : data
    const count = flat.length / 784
    const start = (count - 200) * 784
    pixels.push(Uint8Array.from(flat.slice(start, start + perClass * 784), (v) => Math.round(nested ? v : v * 255)))
    for (let i = 0; i < perClass; i++) labels.push(label)
  }
  return { labels: Uint8Array.from(labels), pixels: Buffer.concat(pixels) }
}

/**
 * Writes images as the page reads them (playground/image/data-slice.ts), gzipped: the magic
 * `GANFPIMG`, then little-endian uint32 count, uint16 height, uint16 width, uint8 channels, uint8
 * classes, two zero bytes; the count labels (uint8), then the pixels (uint8, channels last).
 */
const writeImageSlice = (file, { labels, pixels }) => {
  const header = Buffer.alloc(20)
  header.write('GANFPIMG', 0, 'ascii')
  header.writeUInt32LE(labels.length, 8)
  header.writeUInt16LE(28, 12)
  header.writeUInt16LE(28, 14)
  header.writeUInt8(1, 16)
  header.writeUInt8(10, 17)
  const bytes = gzipSync(Buffer.concat([header, labels, pixels]), { level: 9 })
  writeFileSync(file, bytes)
  return bytes.length
}

/** Bundles the page and copies its static files and the wasm binaries into `out`. */
const buildPage = async () => {
  const started = performance.now()
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  await build({
    entryPoints: { main: join(source, 'main.ts') },
    outdir: out,
    bundle: true,
    // Split so that what the core loads lazily (the judges' weights, wasm's server start-up) stays
    // in chunks a page never fetches.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    // The core's server-side wasm thread start-up imports node:* lazily; a page never runs it.
    external: ['node:*'],
    logLevel: 'warning',
  })
  for (const file of ['index.html', 'style.css']) copyFileSync(join(source, file), join(out, file))
  const binaries = readdirSync(wasmFolder).filter((f) => f.endsWith('.wasm'))
  for (const file of binaries) copyFileSync(join(wasmFolder, file), join(out, file))
  const slices =
    writeImageSlice(join(out, 'mnist-heldout.bin.gz'), heldOutImages('mnist', 'src/digits', 200)) +
    writeImageSlice(join(out, 'fashion-heldout.bin.gz'), heldOutImages('fashion-mnist', 'src/clothes', 10))
  // What the page says of its own size (the image mode reads build.json).
  const sizes = readdirSync(out).map((f) => [f, statSync(join(out, f)).size])
  const bytes = sizes.reduce((sum, [, size]) => sum + size, 0)
  const withoutMaps = sizes.filter(([f]) => !f.endsWith('.map')).reduce((sum, [, size]) => sum + size, 0)
  writeFileSync(join(out, 'build.json'), `${JSON.stringify({ bytes, withoutMaps, imageSlices: slices })}\n`)
  console.log(
    `built ${relative(root, out)}/ in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `(${(bytes / 1e6).toFixed(1)} MB, ${(withoutMaps / 1e6).toFixed(1)} MB without source maps, with ${binaries.length} .wasm files and ${(slices / 1e3).toFixed(0)} kB of image data)`,
  )
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.json': 'application/json',
}

/** Serves `out`'s files (index.html for /), and 404 for anything else. */
const serve = () => {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const file = normalize(join(out, path === '/' ? 'index.html' : path))
    if (!file.startsWith(out + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file))
  })
  server.on('error', (error) => {
    console.error(`cannot serve on 127.0.0.1:${port}: ${error.message}${error.code === 'EADDRINUSE' ? ' (try --port 0 for any free port)' : ''}`)
    process.exit(1)
  })
  server.listen(port, '127.0.0.1', () => {
    console.log(`ganfp playground: http://127.0.0.1:${server.address().port}/  (Ctrl-C stops it)`)
  })
  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

try {
  await buildPage()
} catch (error) {
  // esbuild has printed the problems with their places.
  console.error(`the playground did not build${error instanceof Error && !('errors' in error) ? `: ${error.message}` : ''}`)
  process.exit(1)
}
if (!parsed['build-only']) serve()
