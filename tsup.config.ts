import { defineConfig } from 'tsup'

// Dependencies stay external: users get one tfjs-core, shared with their own code.
const external = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-wasm',
  'fp-ts',
  'io-ts',
  'pngjs',
  'mnist',
  'fashion-mnist',
  'commander',
  'cli-progress',
]

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    // The CJS build needs import.meta.url (the bundled datasets are located through it).
    shims: true,
    external,
  },
  {
    // The `ganfp` executable: ESM only (it awaits at top level), with the built-in recipes.
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    external,
  },
])
