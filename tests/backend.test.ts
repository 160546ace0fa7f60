import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { availableParallelism } from 'node:os'
import { activeBackend, useBackend, useBackendOrThrow, type BackendChoice } from '../src/index.ts'
import { wasmThreads } from '../src/compile/backend.ts'
import { runtime } from './support/runtime.ts'

const hasGpu = typeof navigator !== 'undefined' && (navigator as { gpu?: unknown }).gpu !== undefined

describe('backend selection', () => {
  it('activates the cpu backend on request', async () => {
    expect(await useBackend('cpu')).toEqual(E.right({ name: 'cpu', reason: 'requested' }))
    expect(activeBackend()).toBe('cpu')
  })

  it.skipIf(hasGpu)(`gives BackendUnavailable with the reason where ${runtime} has no navigator.gpu`, async () => {
    const r = await useBackend('webgpu')
    expect(r).toEqual(
      E.left([
        {
          _tag: 'BackendUnavailable',
          path: 'backend',
          expected: 'webgpu (a runtime with navigator.gpu, e.g. Deno)',
          actual: 'navigator.gpu is undefined in this runtime',
        },
      ]),
    )
    expect(activeBackend()).toBe('cpu')
  })

  it('activates the wasm backend on request', async () => {
    expect(await useBackend('wasm')).toEqual(E.right({ name: 'wasm', reason: `requested; ${wasmThreads()} thread${wasmThreads() === 1 ? '' : 's'}` }))
    expect(wasmThreads()).toBe(Math.min(8, availableParallelism()))
    expect(activeBackend()).toBe('wasm')
    expect(await useBackend('cpu')).toEqual(E.right({ name: 'cpu', reason: 'requested' }))
  })

  it.skipIf(hasGpu)('auto takes wasm without WebGPU', async () => {
    const r = await useBackend('auto')
    expect(r).toEqual(E.right({ name: 'wasm', reason: expect.stringMatching(/^auto: this runtime has no navigator.gpu; \d threads?$/) }))
    expect(await useBackend('cpu')).toEqual(E.right({ name: 'cpu', reason: 'requested' }))
  })

  it.skipIf(!hasGpu)(`auto picks webgpu on a hardware adapter, wasm on a software fallback (${runtime})`, async () => {
    const gpu = (navigator as unknown as { gpu: { requestAdapter: () => Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu
    const adapter = await gpu.requestAdapter()
    const r = await useBackend('auto')
    if (E.isLeft(r)) throw new Error(r.left.map((e) => e.actual).join('; '))
    if (adapter === null) expect(r.right.name).toBe('wasm')
    else if (adapter.info?.isFallbackAdapter === true) {
      expect(r.right.name).toBe('wasm')
      expect(r.right.reason).toMatch(/software fallback/)
    } else expect(r.right.name).toBe('webgpu')
    expect(activeBackend()).toBe(r.right.name)
    expect(await useBackend('cpu')).toEqual(E.right({ name: 'cpu', reason: 'requested' }))
  })

  it('rejects a backend name it does not know, as a value', async () => {
    const r = await useBackend('tpu' as BackendChoice)
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([['BackendUnavailable', 'backend']])
    await expect(useBackendOrThrow('tpu' as BackendChoice)).rejects.toThrow(/BackendUnavailable at backend/)
  })
})
