import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Examples import the library by its package name, as users do.
  resolve: { alias: { ganfp: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine has 2 cores and tfjs's cpu backend is single-threaded JS.
    maxWorkers: 2,
  },
})
