/**
 * Backend selection: WebGPU where the runtime has a hardware WebGPU adapter, else
 * tfjs-backend-wasm (XNNPACK, SIMD), else the plain-JS cpu backend.
 *
 * The WebGPU backend registers itself only when `navigator.gpu` exists at import time, so it is
 * imported here, dynamically, after that check; wasm is imported on first use too, so that a
 * cpu-only run never loads its binary.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { backendUnavailable, getOrThrow, type GanError } from '../errors.ts'
import { isServerRuntime } from '../runtime.ts'
import { tf } from './tf.ts'
import { registerMatMulGradient } from './matmul-gradient.ts'
import { registerWasmSliceKernels } from './wasm-slice.ts'

/**
 * What a user may ask for.
 *
 * @since 0.1.0
 * @category model
 */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm' | 'cpu'

/**
 * The backends ganfp runs on.
 *
 * @since 0.1.0
 * @category model
 */
export type BackendName = 'webgpu' | 'wasm' | 'cpu'

/**
 * @example
 * import { backendChoices } from 'ganfp'
 * backendChoices.includes('cpu') // true
 * @since 0.1.0
 * @category model
 */
export const backendChoices: ReadonlyArray<BackendChoice> = ['auto', 'webgpu', 'wasm', 'cpu']

/**
 * The backend in use and why it was chosen.
 *
 * @since 0.1.0
 * @category model
 */
export interface BackendSelection {
  readonly name: BackendName
  readonly reason: string
}

/**
 * `wasmThreads`: threads for the wasm backend (default: every logical core, at most 8); it takes
 * effect when wasm first starts in the process.
 *
 * @since 0.1.0
 * @category model
 */
export interface BackendOptions {
  readonly wasmThreads?: number
  /**
   * In a page: where tfjs-backend-wasm's `.wasm` files are, as a URL prefix ending in `/` or one URL
   * per file name (tfjs's `setWasmPaths`). Default: the folder of ganfp's browser build, which holds
   * them (`npm run build` copies them into dist-browser/).
   * Set it when a bundler moves ganfp's code away from them. Ignored on Deno, Bun and Node.
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>
}

const navigatorGpu = (): { requestAdapter: (o?: object) => Promise<unknown> } | undefined =>
  typeof navigator === 'undefined'
    ? undefined
    : (navigator as { gpu?: { requestAdapter: (o?: object) => Promise<unknown> } }).gpu

interface AdapterFacts {
  readonly present: boolean
  readonly software: boolean
  readonly description: string
}

/** What the runtime's WebGPU adapter is, without starting tfjs on it. */
const inspectAdapter = async (): Promise<AdapterFacts> => {
  const gpu = navigatorGpu()
  const adapter = (await gpu?.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null)) as
    | { info?: { isFallbackAdapter?: boolean; description?: string; vendor?: string }; isFallbackAdapter?: boolean }
    | null
    | undefined
  if (adapter === null || adapter === undefined) return { present: false, software: false, description: '' }
  return {
    present: true,
    software: adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true,
    description: adapter.info?.description || adapter.info?.vendor || 'unnamed adapter',
  }
}

const activateWebGpu = async (): Promise<E.Either<GanError, BackendName>> => {
  if (navigatorGpu() === undefined)
    return E.left(
      backendUnavailable(
        'backend',
        'webgpu (a runtime with navigator.gpu, e.g. Deno)',
        'navigator.gpu is undefined in this runtime',
      ),
    )
  try {
    await import('@tensorflow/tfjs-backend-webgpu')
    const ok = await tf.setBackend('webgpu')
    if (!ok)
      return E.left(backendUnavailable('backend', 'webgpu', 'tfjs could not initialise it (no GPU adapter)'))
    await tf.ready()
    return E.right('webgpu')
  } catch (cause) {
    return E.left(backendUnavailable('backend', 'webgpu', cause instanceof Error ? cause.message : String(cause)))
  }
}

/**
 * Starts the wasm backend, multi-threaded where it can (see wasm-threads-server.ts): with `threads`
 * threads, all logical cores by default, one thread if the threaded build fails to start. A
 * backend started earlier in the process is reused as it is.
 */
const activateWasm = async ({ wasmThreads: threads, wasmPaths }: BackendOptions): Promise<E.Either<GanError, BackendName>> => {
  if (!isServerRuntime()) return activateWasmInPage(wasmPaths)
  try {
    await import('@tensorflow/tfjs-backend-wasm')
    registerWasmSliceKernels()
    registerMatMulGradient()
    // Loaded lazily: the server start-up uses node:worker_threads, which a page has not got.
    const { MAX_WASM_THREADS, availableCores, prepareWasmThreads } = await import('./wasm-threads-server.ts')
    const wanted = Math.min(MAX_WASM_THREADS, threads ?? (await availableCores()))
    let ok = false
    if (tf.findBackend('wasm') === null && wanted > 1) {
      const restore = await prepareWasmThreads(wanted).catch(() => undefined)
      if (restore !== undefined)
        try {
          ok = await tf.setBackend('wasm')
        } catch {
          ok = false
        } finally {
          restore()
        }
      if (!ok) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
    }
    if (!ok) ok = await tf.setBackend('wasm')
    if (!ok) return E.left(backendUnavailable('backend', 'wasm', 'tfjs could not initialise it'))
    await tf.ready()
    return E.right('wasm')
  } catch (cause) {
    return E.left(backendUnavailable('backend', 'wasm', cause instanceof Error ? cause.message : String(cause)))
  }
}

/**
 * Starts the wasm backend in a page. tfjs picks its threaded build itself when the page is
 * cross-origin isolated (SharedArrayBuffer), and one thread otherwise; the binaries are fetched
 * from `wasmPaths`, by default the folder of ganfp's browser build, which holds them.
 */
const activateWasmInPage = async (wasmPaths: BackendOptions['wasmPaths']): Promise<E.Either<GanError, BackendName>> => {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    registerWasmSliceKernels()
    registerMatMulGradient()
    if (tf.findBackend('wasm') === null) wasm.setWasmPaths((wasmPaths ?? new URL('./', import.meta.url).href) as string)
    if (!(await tf.setBackend('wasm'))) return E.left(backendUnavailable('backend', 'wasm', 'tfjs could not initialise it'))
    await tf.ready()
    return E.right('wasm')
  } catch (cause) {
    return E.left(backendUnavailable('backend', 'wasm', cause instanceof Error ? cause.message : String(cause)))
  }
}

/**
 * Threads the active wasm backend computes with; 0 when wasm is not the active backend.
 *
 * @example
 * import { wasmThreads } from 'ganfp'
 * wasmThreads() >= 0 // true
 * @since 0.1.0
 * @category backends
 */
export const wasmThreads = (): number => {
  if (tf.getBackend() !== 'wasm') return 0
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }
  return backend.wasm?.tfjs?.getThreadsCount?.() ?? 1
}

const activateCpu = async (): Promise<E.Either<GanError, BackendName>> => {
  const ok = await tf.setBackend('cpu')
  return ok ? E.right('cpu') : E.left(backendUnavailable('backend', 'cpu', 'tfjs could not initialise it'))
}

const selected =
  (reason: string) =>
  (result: E.Either<GanError, BackendName>): E.Either<GanError, BackendSelection> =>
    E.map((name: BackendName) => {
      const threads = name === 'wasm' ? wasmThreads() : 0
      // A page gets wasm threads only when cross-origin isolated (they need SharedArrayBuffer).
      const isolation =
        threads === 1 && !isServerRuntime() && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true
          ? ' (the page is not cross-origin isolated: threads need SharedArrayBuffer)'
          : ''
      return { name, reason: threads > 0 ? `${reason}; ${threads} thread${threads === 1 ? '' : 's'}${isolation}` : reason }
    })(result)

/** The CPU fallback for `auto`: wasm (≈ 20× the cpu backend's matmul speed), cpu if wasm fails. */
const chooseCpuPath = async (why: string, options: BackendOptions): Promise<E.Either<GanError, BackendSelection>> => {
  const wasm = await activateWasm(options)
  if (E.isRight(wasm)) return selected(why)(wasm)
  return selected(`${why}; wasm failed to start (${wasm.left.actual})`)(await activateCpu())
}

/**
 * Picks for `auto`: WebGPU on a hardware adapter; otherwise wasm, then cpu. A software adapter
 * (Mesa's lavapipe, which WebGPU marks `isFallbackAdapter`) emulates the GPU on the CPU through
 * many small dispatches and is slower than the CPU backends, so `auto` leaves it to an explicit
 * `webgpu` request.
 */
const chooseAutomatically = async (options: BackendOptions): Promise<E.Either<GanError, BackendSelection>> => {
  if (navigatorGpu() === undefined) return chooseCpuPath('auto: this runtime has no navigator.gpu', options)
  const adapter = await inspectAdapter()
  if (!adapter.present) return chooseCpuPath('auto: navigator.gpu offers no adapter', options)
  if (adapter.software)
    return chooseCpuPath(
      `auto: the only WebGPU adapter (${adapter.description}) is a software fallback, slower than the CPU backends; --backend webgpu forces it`,
      options,
    )
  const gpu = await activateWebGpu()
  if (E.isRight(gpu)) return selected(`auto: WebGPU adapter ${adapter.description}`)(gpu)
  return chooseCpuPath(`auto: WebGPU failed to start (${gpu.left.actual})`, options)
}

const chooseBackend = async (choice: BackendChoice, options: BackendOptions): Promise<E.Either<GanError, BackendSelection>> => {
  const threads = options.wasmThreads
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    return E.left(backendUnavailable('wasmThreads', 'a positive integer', String(threads)))
  switch (choice) {
    case 'cpu':
      return selected('requested')(await activateCpu())
    case 'webgpu':
      return selected('requested')(await activateWebGpu())
    case 'wasm':
      return selected('requested')(await activateWasm(options))
    case 'auto':
      return chooseAutomatically(options)
    default:
      return E.left(backendUnavailable('backend', `one of ${backendChoices.join(', ')}`, JSON.stringify(choice)))
  }
}

/**
 * Makes `choice` the active backend and says why. `auto` takes WebGPU on a hardware adapter and
 * the wasm backend otherwise (no `navigator.gpu`, no adapter, a software fallback adapter, or a
 * failed start), the cpu backend if wasm cannot start; a named backend that cannot start is a
 * `BackendUnavailable` error with the reason.
 *
 * @example
 * import { useBackend } from 'ganfp'
 * const r = await useBackend('cpu') // { _tag: 'Right', right: { name: 'cpu', reason: 'requested' } }
 *
 * @since 0.1.0
 * @category backends
 */
export const useBackend = async (
  choice: BackendChoice,
  options: BackendOptions = {},
): Promise<E.Either<ReadonlyArray<GanError>, BackendSelection>> =>
  E.mapLeft((error: GanError): ReadonlyArray<GanError> => [error])(await chooseBackend(choice, options))

/**
 * The throwing twin of `useBackend`, for recipes and the CLI.
 *
 * @example
 * import { useBackendOrThrow } from 'ganfp'
 * ;(await useBackendOrThrow('cpu')).name // 'cpu'
 * @since 0.1.0
 * @category backends
 */
export const useBackendOrThrow = async (choice: BackendChoice, options: BackendOptions = {}): Promise<BackendSelection> =>
  getOrThrow(await useBackend(choice, options))

/**
 * The active backend's name.
 *
 * @example
 * import { activeBackend } from 'ganfp'
 * typeof activeBackend() // 'string'
 * @since 0.1.0
 * @category backends
 */
export const activeBackend = (): string => tf.getBackend()

/**
 * How many tensors are alive: the number leak tests compare.
 *
 * @example
 * import { liveTensorCount } from 'ganfp'
 * liveTensorCount() >= 0 // true
 * @since 0.1.0
 * @category backends
 */
export const liveTensorCount = (): number => tf.memory().numTensors
