// Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by playwright-core, with
// WebGPU on (Dawn's SwiftShader adapter without a GPU), and a static server on 127.0.0.1 that
// serves given files, the browser build (dist-browser/) under /dist/, and nothing else. Node suite
// only; a machine without chromium skips, and CI (CI=true) fails instead.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runtime } from './runtime.ts'

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))
export const chromiumPath = '/usr/bin/chromium'
export const browserBuild = join(repositoryRoot, 'dist-browser')

/** Whether this run can drive Chromium; says why not once, and throws in CI. */
export const browserAvailable = ((): boolean => {
  const available = runtime === 'node' && existsSync(chromiumPath)
  if (runtime === 'node' && !available) {
    if (process.env['CI'] === 'true') throw new Error(`${chromiumPath} is missing: .ci/run installs Debian's chromium for the browser tests`)
    console.warn(`SKIPPED: the browser tests need ${chromiumPath} (apt-get install chromium)`)
  }
  return available
})()

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
}

/**
 * Serves URL paths from `folders` (first match wins; `''` is the server's root), answers
 * `/favicon.ico` with no content, and 404 for anything else, `..` included. Resolves with the server and its base URL.
 */
export const serveFolders = (folders: ReadonlyArray<readonly [prefix: string, folder: string]>): Promise<{ server: Server; url: string }> =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
      if (path.includes('..')) return void response.writeHead(404).end()
      // A page without <link rel="icon"> (README's) makes the browser ask for one: nothing, not an error.
      if (path === '/favicon.ico') return void response.writeHead(204).end()
      for (const [prefix, folder] of folders) {
        if (!path.startsWith(`/${prefix}`)) continue
        let file = normalize(join(folder, path.slice(prefix.length + 1)))
        if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html')
        if (!existsSync(file)) continue
        return void response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file))
      }
      response.writeHead(404).end()
    })
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }))
  })

export type Page = import('playwright-core').Page
export type Browser = import('playwright-core').Browser

/** Chromium headless with WebGPU; `problems` collects console errors, warnings and uncaught errors of every page. */
export const launchChromium = async (): Promise<{ browser: Browser; newPage: () => Promise<Page>; problems: Array<string> }> => {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu'] })
  const problems: Array<string> = []
  const newPage = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } })
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`))
    return page
  }
  return { browser, newPage, problems }
}

/** Runs the built `ganfp` command (dist/cli.js); rejects with its output when it fails. */
export const runBuiltGanfp = (argv: ReadonlyArray<string>): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repositoryRoot, 'dist', 'cli.js'), ...argv], { cwd: repositoryRoot })
    let output = ''
    child.stdout.on('data', (chunk) => (output += String(chunk)))
    child.stderr.on('data', (chunk) => (output += String(chunk)))
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`ganfp ${argv.join(' ')} exited ${code}:\n${output}`))))
  })

/** `npm run playground`'s script. */
export const playgroundScript = join(repositoryRoot, 'scripts', 'playground.mjs')

/** Starts the playground's server on a free port; resolves with the process and the URL it prints. */
export const startPlaygroundServer = (): Promise<{ server: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [playgroundScript, '--port', '0'], { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let printed = ''
    server.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(printed)?.[0]
      if (url !== undefined) resolve({ server, url })
    })
    server.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    server.on('exit', (code) => reject(new Error(`the playground server exited (${code}) before serving:\n${printed}`)))
  })
