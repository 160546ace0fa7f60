// Bundles protocols B2 and B3 (bench/b2.ts, bench/b3.ts) with their dependencies into one folder of
// ES modules that Deno runs with no node_modules: what bench/gpu-carry.sh carries to a GPU machine
// that reaches no registry. Run: node scripts/bundle-benches.mjs OUT_DIR (then deno run -A OUT_DIR/b2.js).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = resolve(process.argv[2] ?? '.gpu')
mkdirSync(out, { recursive: true })
// Bundled, every module's import.meta is the bundle's, so the recipes' `runIfMain` would start
// them as if run by path: the bundle gets one made-up import.meta instead (not main; its url in
// bench/, beside torch_dcgan.py, where the bundle is OUT_DIR one level under the repository), and
// each entry calls its bench's `main` itself.
const entries = mkdtempSync(join(root, 'node_modules', '.bench-entries-'))
try {
  const entryPoints = ['b2', 'b3'].map((bench) => {
    const file = join(entries, `${bench}.ts`)
    writeFileSync(file, `import { main } from '${join(root, 'bench', `${bench}.ts`)}'\nimport { runMain } from '${join(root, 'src', 'node.ts')}'\nawait runMain(main)\n`)
    return file
  })
  await build({
    entryPoints,
    bundle: true,
    platform: 'node',
    format: 'esm',
    splitting: true,
    outdir: out,
    // tfjs's backends register themselves on import, which their packages' `sideEffects` lists hide
    // from esbuild: without this it drops them ("Backend name 'cpu' not found in registry").
    ignoreAnnotations: true,
    define: { 'import.meta': '__benchMeta' },
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url); const __benchMeta = { main: false, url: new URL('../bench/b2.ts', import.meta.url).href };",
    },
    logLevel: 'error',
  })
} finally {
  rmSync(entries, { recursive: true, force: true })
}
