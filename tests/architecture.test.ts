// Who may import whom (docs/ARCHITECTURE.md): dependency-cruiser checks the real tree against
// .dependency-cruiser.cjs, every rule is shown to fire on a small tree that breaks it, and the
// core entry bundles for a browser (esbuild, platform 'browser') with no Node module in it.
// Node suite only: the checks spawn the cruiser and run esbuild over the sources.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

type Violation = { readonly from: string; readonly to: string; readonly rule: { readonly name: string } }

/** Runs the cruiser as `npm run check:deps` does, in `cwd`, and returns its violations. */
const cruise = (cwd: string, paths: ReadonlyArray<string>): ReadonlyArray<Violation> => {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'depcruise'), [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.stdout.trim() === '') throw new Error(`depcruise printed nothing:\n${r.stderr}`)
  const result = JSON.parse(r.stdout) as { readonly summary: { readonly violations: ReadonlyArray<Violation> } }
  return result.summary.violations
}

const describeViolation = (v: Violation): string => `${v.rule.name}: ${v.from} → ${v.to}`

describe.skipIf(runtime !== 'node')('the dependency rules', () => {
  it('hold for src/, recipes/ and examples/', () => {
    expect(cruise(root, ['src', 'recipes', 'examples']).map(describeViolation)).toEqual([])
  }, 120_000)

  describe('each rule fires on a tree that breaks it', () => {
    let tree = ''
    const files: Readonly<Record<string, string>> = {
      // a cycle inside the DSL
      'src/dsl/a.ts': "import { b } from './b.ts'\nexport const a = (): number => b\n",
      'src/dsl/b.ts': "import { a } from './a.ts'\nexport const b = 1\nexport const c = a\n",
      // tfjs before the compiler, at run time (the type-only import beside it is allowed)
      'src/dsl/tensor.ts': "import * as tf from '@tensorflow/tfjs-core'\nimport type { Tensor } from '@tensorflow/tfjs-core'\nexport const zero = (): Tensor => tf.scalar(0)\n",
      'src/layers/kind.ts': "import type { Tensor } from '@tensorflow/tfjs-core'\nexport type Forward = (x: Tensor) => Tensor\n",
      // shape reaching into the compiler; the compiler into training
      'src/shape/check.ts': "import { tf } from '../compile/tf.ts'\nexport const check = tf\n",
      'src/compile/tf.ts': "import * as tf from '@tensorflow/tfjs-core'\nexport { tf }\n",
      'src/compile/gan.ts': "import { step } from '../train/step.ts'\nexport const compile = step\n",
      'src/compile/wasm-threads-server.ts': "export const cores = async (): Promise<number> => (await import('node:os')).cpus().length\n",
      'src/train/step.ts': 'export const step = 1\n',
      // the core entry reaching a file system module, the run loop and commander
      'src/index.ts': "export * from './io/grid.ts'\nexport * from './compile/wasm-threads-server.ts'\n",
      'src/io/grid.ts': "import { readFileSync } from 'node:fs'\nimport { loop } from '../run/loop.ts'\nexport const grid = [readFileSync, loop]\n",
      'src/run/loop.ts': "import { Command } from 'commander'\nexport const loop = Command\n",
      'src/run/start.ts': "import '../cli.ts'\nexport const start = 1\n",
      'src/cli.ts': 'export {}\n',
      // a core module loading a recipe; a recipe using internals and another recipe
      'src/eval/report.ts': "import { r } from '../../recipes/r.ts'\nexport const report = r\n",
      'recipes/r.ts': "import { a } from '../src/dsl/a.ts'\nimport { q } from './q.ts'\nexport const r = [a, q]\n",
      'recipes/q.ts': 'export const q = 1\n',
    }
    beforeAll(() => {
      tree = mkdtempSync(join(tmpdir(), 'ganfp-deps-'))
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(tree, path)), { recursive: true })
        writeFileSync(join(tree, path), text)
      }
      copyFileSync(join(root, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'))
      writeFileSync(join(tree, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler' } }))
      symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir')
    })
    afterAll(() => {
      if (tree !== '') rmSync(tree, { recursive: true, force: true })
    })

    it('reports every broken rule, and nothing for type-only imports or the server thread start-up', () => {
      const violations = cruise(tree, ['src', 'recipes'])
      const found = (rule: string): ReadonlyArray<string> => violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`)
      expect(found('no-circular').length).toBeGreaterThan(0)
      expect(found('no-tfjs-before-compile')).toEqual([expect.stringMatching(/^src\/dsl\/tensor\.ts → .*node_modules\/@tensorflow\/tfjs-core\//)])
      expect(found('stage-shape')).toEqual(['src/shape/check.ts → src/compile/tf.ts'])
      expect(found('stage-compile')).toEqual(['src/compile/gan.ts → src/train/step.ts'])
      expect(found('core-no-node-builtins')).toEqual(['src/io/grid.ts → fs'])
      expect(found('core-no-node-tier')).toEqual(expect.arrayContaining(['src/io/grid.ts → src/run/loop.ts', 'src/eval/report.ts → recipes/r.ts']))
      expect(found('core-entry-reaches-no-node-tier').length).toBeGreaterThan(0)
      expect(found('nothing-imports-the-executable')).toEqual(['src/run/start.ts → src/cli.ts'])
      expect(found('only-the-executable-imports-recipes')).toEqual(['src/eval/report.ts → recipes/r.ts'])
      expect([...found('recipes-import-the-public-package')].sort()).toEqual(['recipes/r.ts → recipes/q.ts', 'recipes/r.ts → src/dsl/a.ts'])
      // The allowed cases stay quiet.
      expect(violations.filter((v) => v.from === 'src/layers/kind.ts' || v.from === 'src/compile/wasm-threads-server.ts').map(describeViolation)).toEqual([])
    }, 120_000)
  })
})

describe.skipIf(runtime !== 'node')('the core entry in a browser bundle', () => {
  it("bundles src/index.ts for platform 'browser' with no Node module and no CLI package", async () => {
    const esbuild = await import('esbuild')
    const nodeImports: Array<string> = []
    const result = await esbuild.build({
      entryPoints: [join(root, 'src', 'index.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'node-builtins',
          setup(build) {
            // The server thread start-up's lazy `import('node:…')` stays a dynamic import the page never runs.
            build.onResolve({ filter: /^node:/ }, (args) => {
              const allowed = args.kind === 'dynamic-import' && args.importer.endsWith(join('src', 'compile', 'wasm-threads-server.ts'))
              if (!allowed) nodeImports.push(`${args.importer.replace(root, '')} → ${args.path} (${args.kind})`)
              return { path: args.path, external: true }
            })
          },
        },
      ],
    })
    expect(result.errors).toEqual([])
    expect(nodeImports).toEqual([])
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.filter((input) => /node_modules\/(commander|cli-progress|pngjs)\/|^src\/(cli|run|node)\/|^recipes\//.test(input))).toEqual([])
    expect(inputs).toContain('src/index.ts')
  }, 120_000)
})
