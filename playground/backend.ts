/**
 * The page's backend: WebGPU first, then wasm, then cpu (or the one a person picked), and a
 * sentence saying which runs and why. Unlike the core's `auto`, which passes over a software
 * WebGPU adapter, the page tries WebGPU on any adapter and says when it is a software one.
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatGanError, useBackend, type BackendChoice, type BackendName, type GanError } from '../src/index.ts'

/** The backend the page runs on and the sentence the page shows about it. */
export interface PageBackend {
  readonly name: BackendName
  readonly explanation: string
}

/** What the page may be asked for (`?backend=` in its URL, or the backend menu). */
export const pageBackendChoices: ReadonlyArray<BackendChoice> = ['auto', 'webgpu', 'wasm', 'cpu']

/** The choice in a URL's `backend` parameter; `auto` when it is absent or not a choice. */
export const backendChoiceFrom = (search: string): BackendChoice => {
  const asked = new URLSearchParams(search).get('backend')
  return pageBackendChoices.find((c) => c === asked) ?? 'auto'
}

// tfjs-backend-wasm's binaries lie beside the page's bundle (scripts/playground.mjs copies them).
const wasmPaths = new URL('./', import.meta.url).href

interface AdapterFacts {
  readonly name: string
  readonly software: boolean
}

/** The WebGPU adapter's name and whether it is a software fallback, as the page can tell. */
const adapterFacts = async (): Promise<AdapterFacts | undefined> => {
  type Info = { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }
  type Gpu = { requestAdapter: () => Promise<{ info?: Info; isFallbackAdapter?: boolean } | null> }
  const gpu = (navigator as { gpu?: Gpu }).gpu
  const adapter = await gpu?.requestAdapter().catch(() => null)
  if (adapter === null || adapter === undefined) return undefined
  const info = adapter.info ?? {}
  const name = info.description || [info.vendor, info.architecture].filter((s) => s !== undefined && s !== '').join(' ') || 'an unnamed adapter'
  const software = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || /swiftshader|lavapipe|llvmpipe/i.test(name)
  return { name, software }
}

/** What `useBackend` says beyond "requested": threads and isolation for wasm. */
const details = (reason: string): string => reason.replace(/^requested;?\s*/, '')

const describe = async (name: BackendName, reason: string, fallbacks: ReadonlyArray<string>, automatic: boolean): Promise<string> => {
  const extra = details(reason)
  let what = extra === '' ? '' : `${extra[0]!.toUpperCase()}${extra.slice(1)}. `
  if (name === 'webgpu') {
    const adapter = await adapterFacts()
    what = adapter === undefined ? '' : `On ${adapter.name}${adapter.software ? ', a software adapter: slower than wasm here (pick wasm for speed)' : ''}. `
  }
  const why = automatic ? (fallbacks.length === 0 ? 'the first of webgpu → wasm → cpu to start' : fallbacks.join('; ')) : 'chosen in the menu'
  return `${what}Why: ${why}.`
}

/**
 * Starts `choice` (for `auto`: WebGPU, else wasm, else cpu) and says which runs and why; a `Left`
 * with every failure when nothing starts (or the one asked for does not).
 */
export const startBackend = async (choice: BackendChoice): Promise<E.Either<ReadonlyArray<GanError>, PageBackend>> => {
  const order: ReadonlyArray<BackendName> = choice === 'auto' ? ['webgpu', 'wasm', 'cpu'] : [choice]
  const failures: Array<{ readonly name: BackendName; readonly errors: ReadonlyArray<GanError> }> = []
  for (const name of order) {
    const started = await useBackend(name, { wasmPaths })
    if (E.isRight(started)) {
      const fallbacks = failures.map((f) => `${f.name} failed to start (${f.errors.map((e) => e.actual).join('; ')})`)
      return E.right({ name, explanation: await describe(name, started.right.reason, fallbacks, choice === 'auto') })
    }
    failures.push({ name, errors: started.left })
  }
  return E.left(failures.flatMap((f) => f.errors))
}

/** A failure to start as one line. */
export const backendFailure = (errors: ReadonlyArray<GanError>): string => `No backend started: ${errors.map(formatGanError).join('; ')}`
