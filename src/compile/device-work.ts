/**
 * What a stretch of training asks of the device, counted on the backend in use: GPU→CPU reads,
 * uploads, and on WebGPU compute dispatches, uniform bytes and pipeline compilations. It watches
 * the tfjs backend object itself (its methods are wrapped while watching, then restored), so it
 * sees every op, ganfp's or the caller's. Protocol B3 (`bench/b3.ts`) is built on it.
 *
 * @since 0.2.0
 */
import { tf } from './tf.ts'

/**
 * Counts since the watch started (or was reset).
 *
 * - `readbacks`: reads of tensor values to the CPU (`data()`, `dataSync()`); on WebGPU each is a
 *   buffer mapped for reading, which waits for all queued work. On cpu and wasm the values are
 *   already in memory and a read costs a copy.
 * - `uploads`, `uploadBytes`: tensors created from CPU values, and their bytes (on WebGPU: the
 *   ones copied into GPU buffers).
 * - WebGPU only (`undefined` elsewhere): `dispatches` (compute shader runs), `uniformBytes` (the
 *   small per-dispatch parameter blocks) and `pipelines` (shader pipelines compiled).
 *
 * @since 0.2.0
 * @category model
 */
export interface DeviceWork {
  readonly backend: string
  readonly readbacks: number
  readonly readbackBytes: number
  readonly uploads: number
  readonly uploadBytes: number
  readonly dispatches: number | undefined
  readonly uniformBytes: number | undefined
  readonly pipelines: number | undefined
}

/**
 * A running watch: `counts()` so far, `reset()` to zero, `stop()` to restore the backend.
 *
 * @since 0.2.0
 * @category model
 */
export interface DeviceWorkWatch {
  readonly counts: () => DeviceWork
  readonly reset: () => void
  readonly stop: () => void
}

type Method = (...args: Array<never>) => unknown
type Backend = Record<string, unknown> & {
  tensorMap?: { get: (id: unknown) => { values?: ArrayBufferView | null; resource?: unknown } | undefined }
  pipelineCache?: Record<string, unknown>
}

const byteLength = (values: unknown): number => (ArrayBuffer.isView(values) ? values.byteLength : 0)

/**
 * Starts counting the work of the active backend (`useBackend` first). Watches do not nest on
 * one backend: stop one before starting another.
 *
 * @example
 * import { watchDeviceWork } from 'ganfp'
 * const watch = watchDeviceWork()
 * // … queue training steps …
 * watch.counts().readbacks // 0 when nothing was read
 * watch.stop()
 * @since 0.2.0
 * @category utils
 */
export const watchDeviceWork = (): DeviceWorkWatch => {
  const name = tf.getBackend()
  const backend = tf.backend() as unknown as Backend
  const webgpu = name === 'webgpu'
  const zero = () => ({ readbacks: 0, readbackBytes: 0, uploads: 0, uploadBytes: 0, dispatches: 0, uniformBytes: 0 })
  let counts = zero()
  let pipelinesAtReset = Object.keys(backend.pipelineCache ?? {}).length
  const restore: Array<() => void> = []
  const engine = tf.engine() as unknown as Record<string, unknown>
  /** Replaces `target[method]` with `wrap(original)` until `stop`. */
  const aroundOn = (target: Record<string, unknown>, method: string, wrap: (original: Method) => Method): void => {
    const original = target[method]
    if (typeof original !== 'function') return
    const had = Object.prototype.hasOwnProperty.call(target, method)
    target[method] = wrap((original as Method).bind(target))
    restore.push(() => {
      if (had) target[method] = original
      else delete target[method]
    })
  }
  const around = (method: string, wrap: (original: Method) => Method): void => aroundOn(backend, method, wrap)
  const aroundEngine = (method: string, wrap: (original: Method) => Method): void => aroundOn(engine, method, wrap)
  if (webgpu) {
    around('getBufferData', (original) => (async (...args: Array<never>) => {
      counts.readbacks++
      const values = await original(...args)
      counts.readbackBytes += values instanceof ArrayBuffer ? values.byteLength : 0
      return values
    }) as Method)
    around('uploadToGPU', (original) => ((dataId: never) => {
      const data = backend.tensorMap?.get(dataId)
      if (data !== undefined && data.resource == null && data.values != null) {
        counts.uploads++
        counts.uploadBytes += byteLength(data.values)
      }
      return original(dataId)
    }) as Method)
    around('makeUniforms', (original) => ((...args: Array<never>) => {
      const uniforms = original(...args) as { size: number }
      counts.uniformBytes += uniforms.size
      return uniforms
    }) as Method)
    around('recordAndSubmit', (original) => ((...args: Array<never>) => {
      counts.dispatches++
      return original(...args)
    }) as Method)
  } else {
    around('read', (original) => ((dataId: never) => {
      counts.readbacks++
      return original(dataId)
    }) as Method)
  }
  // Off WebGPU, an upload is a tensor made from the caller's values (kernels' outputs are not).
  if (!webgpu)
    aroundEngine('makeTensor', (original) => ((values: never, ...rest: Array<never>) => {
      counts.uploads++
      counts.uploadBytes += byteLength(values)
      return original(values, ...rest)
    }) as Method)
  // A synchronous read is a readback on every backend, counted where it is asked for (the
  // engine's dataSync), not where kernels read their inputs inside the cpu and wasm backends.
  aroundEngine('readSync', (original) => ((dataId: never) => {
    const values = original(dataId)
    counts.readbacks++
    counts.readbackBytes += byteLength(values)
    return values
  }) as Method)
  return {
    counts: () => ({
      backend: name,
      ...counts,
      dispatches: webgpu ? counts.dispatches : undefined,
      uniformBytes: webgpu ? counts.uniformBytes : undefined,
      pipelines: webgpu ? Object.keys(backend.pipelineCache ?? {}).length - pipelinesAtReset : undefined,
      // Async reads on cpu and wasm are counted here, their bytes not: the values stay in memory.
    }),
    reset: () => {
      counts = zero()
      pipelinesAtReset = Object.keys(backend.pipelineCache ?? {}).length
    },
    stop: () => {
      for (const undo of restore.splice(0).reverse()) undo()
    },
  }
}

/** The parts of tfjs's WebGPU backend that flush its pending commands. */
interface FlushableBackend {
  readonly device?: { readonly queue: { onSubmittedWorkDone(): Promise<unknown> } }
  ensureCommandEncoderReady?(): void
  endComputePassEncoder?(): void
  submitQueue?(): void
}

/**
 * A promise that settles once the device has finished the work queued so far (on WebGPU: the
 * pending commands are submitted, then the queue is awaited, with no read); settled at once on
 * cpu and wasm, whose work is done when an op returns. A training loop that awaits the fence of
 * the step before last keeps the GPU fed while never running more than two steps ahead, so a
 * stop request waits for at most one more step.
 *
 * @example
 * import { deviceFence } from 'ganfp'
 * await deviceFence() // on cpu: at once
 * @since 0.2.0
 * @category training
 */
export const deviceFence = async (): Promise<void> => {
  const backend = tf.backend() as FlushableBackend
  if (backend.device === undefined || backend.submitQueue === undefined) return
  backend.ensureCommandEncoderReady?.()
  backend.endComputePassEncoder?.()
  backend.submitQueue()
  await backend.device.queue.onSubmittedWorkDone()
}
