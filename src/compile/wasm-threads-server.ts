/**
 * Multi-threaded tfjs-backend-wasm on Deno, Bun and Node.
 *
 * tfjs ships a threaded SIMD build of its wasm backend (XNNPACK over a pthread pool) but switches
 * it off whenever it detects Node (tfjs issue #3830), and Deno and Bun count as Node. The build
 * itself runs fine on all three; three things stand in its way, and this module removes them for
 * the duration of the backend's start-up only:
 *
 * - the `WASM_HAS_MULTITHREAD_SUPPORT` flag, forced to true;
 * - Emscripten starts each pthread as `new worker_threads.Worker(blobUrl)`, and Node's workers
 *   cannot load `blob:` URLs: a `Worker` subclass runs the same script text with `eval: true`,
 *   taken from the `Blob` tfjs made (its text is recorded when the Blob is constructed), and
 *   hands the worker the main script's text instead of a second Blob it could not read;
 * - the backend sizes its pool as min(4, logical cores / 2) (it assumes two hardware threads per
 *   core): `os.cpus()` reports twice the requested count while the pool is made.
 *
 * The pool's workers are `unref`ed once the backend has started, so a finished program exits.
 * XNNPACK splits work by output tiles, never inside a reduction, so results do not depend on the
 * thread count (tests/wasm-threads.test.ts checks training steps bit for bit against one thread).
 *
 * @since 0.1.0
 */
import { tf } from './tf.ts'

type WorkerThreadsModule = typeof import('node:worker_threads')
type WorkerCtor = WorkerThreadsModule['Worker']

/** Emscripten's worker script loads the main script with `importScripts`; ours evaluates its text. */
const MAIN_SCRIPT_LOAD = 'if(typeof e.data.urlOrBlob=="string")'
/** Emscripten's Node set-up assigns `location` and `self`, which Deno's worker scope has as getters. */
const GLOBALS_ASSIGN = 'Object.assign(global,{'

/** The globals the bundled Emscripten factory refers to (Rollup's names for its Node imports). */
const workerPrelude = (directory: string): string =>
  [
    "globalThis.require$$0 = require('fs'); globalThis.require$$1 = require('path');",
    "globalThis.require$$3 = require('perf_hooks'); globalThis.require$$4 = require('os');",
    `globalThis.commonjsGlobal = globalThis; globalThis.__dirname = ${JSON.stringify(directory)};`,
  ].join('\n')

const adaptWorkerScript = (script: string, directory: string): string => {
  if (!script.includes(MAIN_SCRIPT_LOAD) || !script.includes(GLOBALS_ASSIGN))
    throw new Error("tfjs-backend-wasm's pthread worker script is not the one this version of ganfp knows")
  return (
    workerPrelude(directory) +
    '\n' +
    script
      .replace(GLOBALS_ASSIGN, '(function(o){for(const k in o){try{global[k]=o[k]}catch(e){}}})({')
      .replace(MAIN_SCRIPT_LOAD, 'if(e.data.mainScript){(0,eval)(e.data.mainScript)}else ' + MAIN_SCRIPT_LOAD)
  )
}

/** Emscripten's pool holds this many workers from the start; more would be made later, unpatched. */
export const MAX_WASM_THREADS = 8

/** The logical core count this process may use. */
export const availableCores = async (): Promise<number> => {
  try {
    const os = await import('node:os')
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length)
  } catch {
    return 1
  }
}

/**
 * Installs what the threaded build needs to start with `threads` threads; returns the function
 * that puts everything back. Call it after importing tfjs-backend-wasm and before
 * `tf.setBackend('wasm')`, and call the restore once that has settled.
 */
export const prepareWasmThreads = async (threads: number): Promise<() => void> => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  wasm.setThreadsCount(threads)
  const [{ createRequire }, workerThreads] = await Promise.all([import('node:module'), import('node:worker_threads')])
  const require = createRequire(import.meta.url)
  const os = require('node:os') as typeof import('node:os')
  const cjsWorkerThreads = require('node:worker_threads') as WorkerThreadsModule
  const directory = (await import('node:process')).cwd()

  const scripts = new Map<string, string>()
  // Kept referenced while the backend starts (their 'loaded' replies are what start-up awaits).
  const workers: Array<{ unref: () => void }> = []
  const OriginalBlob = globalThis.Blob
  const originalCreateObjectUrl = URL.createObjectURL
  const originalCpus = os.cpus
  const originalWorker = cjsWorkerThreads.Worker
  const hadGlobalWorker = 'Worker' in globalThis
  const originalGlobalWorker = (globalThis as { Worker?: unknown }).Worker
  const hadGlobalRequire = 'require' in globalThis
  const originalGlobalRequire = (globalThis as { require?: unknown }).require

  class RecordedBlob extends OriginalBlob {
    readonly recordedText: string | undefined
    constructor(parts?: ReadonlyArray<BlobPart>, options?: BlobPropertyBag) {
      super(parts as Array<BlobPart>, options)
      this.recordedText = parts?.every((p) => typeof p === 'string') ? parts.join('') : undefined
    }
  }

  const BaseWorker: WorkerCtor = workerThreads.Worker
  class PthreadWorker extends BaseWorker {
    constructor(url: string | URL) {
      const script = scripts.get(String(url))
      if (script === undefined) throw new Error(`no recorded script for the pthread worker ${String(url)}`)
      super(adaptWorkerScript(script, directory), { eval: true })
      workers.push(this)
    }
    // Emscripten refs a worker while its pthread runs; the pool's threads run for the process's
    // life, and a ref would keep a finished program alive (they are unref'd once the pool is up).
    override ref(): void {}
    override postMessage(message: unknown, transfer?: ReadonlyArray<unknown>): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown }
      if (m?.cmd === 'load' && m.urlOrBlob instanceof RecordedBlob && m.urlOrBlob.recordedText !== undefined) {
        super.postMessage({ ...m, urlOrBlob: undefined, mainScript: m.urlOrBlob.recordedText }, transfer as never)
        return
      }
      super.postMessage(message, transfer as never)
    }
  }

  globalThis.Blob = RecordedBlob as typeof Blob
  URL.createObjectURL = (object: Blob | MediaSource): string => {
    const url = originalCreateObjectUrl.call(URL, object as Blob)
    if (object instanceof RecordedBlob && object.recordedText !== undefined) scripts.set(url, object.recordedText)
    return url
  }
  os.cpus = () => {
    const one = originalCpus()[0]!
    return Array.from({ length: 2 * threads }, () => one)
  }
  ;(cjsWorkerThreads as { Worker: unknown }).Worker = PthreadWorker
  // The ES-module builds call a bare `require('worker_threads')`.
  ;(globalThis as { require?: unknown }).require = (name: string) =>
    name === 'worker_threads' || name === 'node:worker_threads' ? { ...cjsWorkerThreads, Worker: PthreadWorker } : require(name)
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true)

  return () => {
    for (const worker of workers) worker.unref()
    globalThis.Blob = OriginalBlob
    URL.createObjectURL = originalCreateObjectUrl
    os.cpus = originalCpus
    ;(cjsWorkerThreads as { Worker: unknown }).Worker = originalWorker
    // Emscripten set the global `Worker` to Node's for its pool; the pool is made by now.
    if (hadGlobalWorker) (globalThis as { Worker?: unknown }).Worker = originalGlobalWorker
    else delete (globalThis as { Worker?: unknown }).Worker
    if (hadGlobalRequire) (globalThis as { require?: unknown }).require = originalGlobalRequire
    else delete (globalThis as { require?: unknown }).require
  }
}
