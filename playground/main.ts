/**
 * The playground page's shell: starts a backend (WebGPU, else wasm, else cpu, or the one in the
 * URL's `?backend=`), says which runs and why, and mounts the mode the URL names (`?mode=`, the
 * first by default). Modes are modules of the same shape (mode.ts); tabs appear once there are two.
 */
import * as E from 'fp-ts/lib/Either.js'
import { liveTensorCount } from '../src/index.ts'
import { backendChoiceFrom, backendFailure, pageBackendChoices, startBackend, type PageBackend } from './backend.ts'
import { imageMode } from './image/app.ts'
import type { Mode, ModeHandle } from './mode.ts'
import { twoDMode } from './two-d/app.ts'

/** The playground's modes, in the order their tabs show. */
const modes: ReadonlyArray<Mode> = [twoDMode, imageMode]

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id)
  if (found === null) throw new Error(`index.html has no #${id}`)
  return found as T
}

const main = async (): Promise<void> => {
  const status = element('backend-status')
  const menu = element<HTMLSelectElement>('backend')
  const modeRoot = element('mode')
  menu.innerHTML = pageBackendChoices
    .map((c) => `<option value="${c}">${c === 'auto' ? 'auto: webgpu → wasm → cpu' : c}</option>`)
    .join('')
  menu.value = backendChoiceFrom(location.search)

  const params = new URLSearchParams(location.search)
  const mode = modes.find((m) => m.id === params.get('mode')) ?? modes[0]!
  const tabs = element('modes')
  tabs.hidden = modes.length < 2
  tabs.innerHTML = modes.map((m) => `<a href="?mode=${m.id}" ${m === mode ? 'aria-current="page"' : ''}>${m.title}</a>`).join('')

  let backend: PageBackend | undefined
  const start = async (): Promise<boolean> => {
    status.textContent = 'starting the backend…'
    const started = await startBackend(menu.value as PageBackend['name'] | 'auto')
    if (E.isLeft(started)) {
      status.textContent = backendFailure(started.left)
      status.dataset['backend'] = 'none'
      return false
    }
    backend = started.right
    status.textContent = backend.explanation
    status.dataset['backend'] = backend.name
    element('backend-name').textContent = backend.name
    return true
  }

  if (!(await start())) return
  const host = { backend: () => backend! }
  const handle: ModeHandle = await mode.mount(modeRoot, host)
  menu.addEventListener('change', () => {
    const url = new URL(location.href)
    url.searchParams.set('backend', menu.value)
    history.replaceState(null, '', url)
    void (async () => {
      await handle.suspend()
      if (await start()) await handle.resume()
    })()
  })
}

// For tests and curious people in the console: tensors alive on the backend (flat across resets).
Object.assign(globalThis, { ganfpPlayground: { liveTensorCount } })

void main()
