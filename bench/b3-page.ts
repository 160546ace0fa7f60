// B3 in a page: bench/b3-browser.mjs bundles this module for Chromium and calls `window.b3`.
import { useBackend, type BackendChoice } from '../src/index.ts'
import { measureB3, type B3Recipe, type B3Row } from './b3-measure.ts'

declare global {
  interface Window {
    b3: {
      measure: (backend: BackendChoice, recipe: B3Recipe, steps: number, warmup: number, readEvery: number, fuse: boolean) => Promise<B3Row | string>
    }
  }
}

window.b3 = {
  measure: async (backend, recipe, steps, warmup, readEvery, fuse) => {
    const selected = await useBackend(backend)
    if (selected._tag === 'Left') return `${backend} in Chromium: not available (${selected.left.map((e) => e.actual).join('; ')})`
    return measureB3({ where: 'chromium', recipe, steps, warmup, readEvery, fuse })
  },
}
document.title = 'b3 ready'
