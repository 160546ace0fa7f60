/**
 * Backend selection: WebGPU where the runtime has `navigator.gpu`, else the cpu backend.
 *
 * The WebGPU backend registers itself only when `navigator.gpu` exists at import time, so it is
 * imported here, dynamically, after that check.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { backendUnavailable, type GanError } from '../errors.ts'
import { tf } from './tf.ts'

/**
 * What a user may ask for.
 *
 * @since 0.1.0
 * @category model
 */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu'

/**
 * The backends ganfp runs on.
 *
 * @since 0.1.0
 * @category model
 */
export type BackendName = 'webgpu' | 'cpu'

/**
 * @example
 * import { backendChoices } from 'ganfp'
 * backendChoices.includes('cpu') // true
 * @since 0.1.0
 * @category model
 */
export const backendChoices: ReadonlyArray<BackendChoice> = ['auto', 'webgpu', 'cpu']

const hasNavigatorGpu = (): boolean =>
  typeof navigator !== 'undefined' && (navigator as { gpu?: unknown }).gpu !== undefined

const activateWebGpu = async (): Promise<E.Either<GanError, BackendName>> => {
  if (!hasNavigatorGpu())
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

const activateCpu = async (): Promise<E.Either<GanError, BackendName>> => {
  const ok = await tf.setBackend('cpu')
  return ok ? E.right('cpu') : E.left(backendUnavailable('backend', 'cpu', 'tfjs could not initialise it'))
}

/**
 * Makes `choice` the active backend. `auto` takes WebGPU when the runtime has it and falls back to
 * cpu when it does not (or when WebGPU fails to start); a named backend that cannot start is a
 * `BackendUnavailable` error with the reason.
 *
 * @example
 * import { useBackend } from 'ganfp'
 * const r = await useBackend('cpu') // { _tag: 'Right', right: 'cpu' }
 *
 * @since 0.1.0
 * @category backends
 */
export const useBackend = async (choice: BackendChoice): Promise<E.Either<GanError, BackendName>> => {
  switch (choice) {
    case 'cpu':
      return activateCpu()
    case 'webgpu':
      return activateWebGpu()
    case 'auto': {
      if (hasNavigatorGpu()) {
        const gpu = await activateWebGpu()
        if (E.isRight(gpu)) return gpu
      }
      return activateCpu()
    }
    default:
      return E.left(backendUnavailable('backend', `one of ${backendChoices.join(', ')}`, JSON.stringify(choice)))
  }
}

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
