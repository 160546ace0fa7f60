import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // Recipes and examples import the library by its package names, as users do. Regexes, so that
  // `ganfp` does not also rewrite the start of `ganfp/node`.
  resolve: {
    alias: [
      { find: /^ganfp$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^ganfp\/node$/, replacement: fileURLToPath(new URL('./src/node.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine has 2 cores and tfjs's cpu backend is single-threaded JS.
    maxWorkers: 2,
  },
})
