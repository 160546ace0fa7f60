import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig, type Options } from 'tsup'

// Dependencies stay external: users get one tfjs-core, shared with their own code.
const external = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-backend-wasm',
  'fp-ts',
  'io-ts',
  'pngjs',
  'jpeg-js',
  'mnist',
  'fashion-mnist',
  'commander',
  'cli-progress',
]

// A page never starts wasm threads the server's way (useBackend starts them the page's way), so
// the browser builds get a stub for that module: no `node:*` import is left in them at all.
const withoutServerThreads: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'without-server-threads',
  setup(build) {
    build.onResolve({ filter: /wasm-threads-server\.ts$/ }, () => ({ path: 'wasm-threads-server', namespace: 'ganfp-stub' }))
    build.onLoad({ filter: /.*/, namespace: 'ganfp-stub' }, () => ({
      contents: "export const MAX_WASM_THREADS = 1; export const availableCores = () => 1; export const prepareWasmThreads = () => { throw new Error('ganfp: wasm threads start the server way only on Deno, Bun and Node') }",
      loader: 'js',
    }))
  },
}

// The judges' weights (≈ 0.95 MB each) ship once for both browser builds: their dynamic imports
// point at judge-mnist.js and judge-fashion.js beside the bundle, built by a config of their own.
const judgesBeside: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'judges-beside',
  setup(build) {
    build.onResolve({ filter: /judges\/(mnist|fashion)\.generated\.ts$/ }, (args) => ({
      path: `./judge-${/(mnist|fashion)\.generated/.exec(args.path)![1]}.js`,
      external: true,
    }))
  },
}

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
  // The browser builds, dist-browser/ (in the npm package; package.json's `browser` condition
  // points bundlers here).
  {
    // The core for bundlers in a page: ESM, dependencies external, no Node module; and, for
    // `ganfp/node` in a page, a module that says where to look instead.
    entry: { index: 'src/index.ts', node: 'src/browser/node-in-a-page.ts' },
    outDir: 'dist-browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    external,
    esbuildPlugins: [withoutServerThreads, judgesBeside],
  },
  {
    // The judges' weights for both browser builds, as plain data modules.
    entry: { 'judge-mnist': 'src/eval/judges/mnist.generated.ts', 'judge-fashion': 'src/eval/judges/fashion.generated.ts' },
    outDir: 'dist-browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
  },
  {
    // The core as one plain ES module, tfjs and all, for a <script type="module"> or an import map.
    // What it loads only on demand (the WebGPU and wasm backends, the judges' weights) are chunks
    // beside it, the judges' shared with index.js's; tfjs-backend-wasm's .wasm files are copied
    // beside it too, where useBackend looks by default.
    entry: { ganfp: 'src/index.ts' },
    outDir: 'dist-browser',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    splitting: true,
    esbuildPlugins: [withoutServerThreads, judgesBeside],
    onSuccess: async () => {
      const wasm = join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')
      mkdirSync('dist-browser', { recursive: true })
      for (const file of readdirSync(wasm).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasm, file), join('dist-browser', file))
    },
  },
])
