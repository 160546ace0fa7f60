// The package as users get it: both manifests export the same entry points; the tsup build loads
// in native Node by name (ESM `import` and CJS `require`, through package.json's `exports`); the
// npm tarball holds what users need and nothing else; `deno publish` accepts the source; every
// public export is documented; `npm run docs` writes the API reference. The manifest check runs
// on every runtime; the rest spawn subprocesses or the TypeScript compiler, from the Node suite
// only (the Deno and Bun suites skip them).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, posix, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import tsupConfig from '../tsup.config.ts'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const spawn = (command: string, argv: ReadonlyArray<string>, cwd = root, environment: NodeJS.ProcessEnv = env) => {
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: 120_000, env: environment, maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}\n${result.stderr}` }
}
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

// ---------------------------------------------------------------------------------------------
// Manifests

/** An `exports` field as `{ subpath: value }` (a bare string is the "." entry). */
const exportMap = (exports: unknown): Record<string, unknown> => (typeof exports === 'string' ? { '.': exports } : isRecord(exports) ? exports : {})

/** Every target of one export entry with the conditions leading to it, e.g. `[['import', 'types'], './dist/index.d.ts']`. */
const targets = (value: unknown, conditions: ReadonlyArray<string> = []): ReadonlyArray<readonly [ReadonlyArray<string>, string]> =>
  typeof value === 'string' ? [[conditions, value]] : isRecord(value) ? Object.entries(value).flatMap(([c, v]) => targets(v, [...conditions, c])) : []

type TsupOptions = { readonly entry?: unknown; readonly format?: unknown; readonly dts?: unknown; readonly outDir?: unknown }

/** tsup's entries, each with the formats it is built in and whether it gets declarations. */
const tsupEntries = (): ReadonlyArray<{ readonly name: string; readonly source: string; readonly outDir: string; readonly formats: ReadonlyArray<string>; readonly dts: boolean }> => {
  const configs: ReadonlyArray<TsupOptions> = Array.isArray(tsupConfig) ? tsupConfig : isRecord(tsupConfig) ? [tsupConfig] : []
  if (configs.length === 0) throw new Error('tsup.config.ts must export an options object or an array of them (not a function) for this test')
  return configs.flatMap((config) => {
    const entry = config.entry
    const entries: ReadonlyArray<readonly [string, string]> = Array.isArray(entry)
      ? entry.map((source: string) => [basename(source).replace(/\.[cm]?[jt]sx?$/, ''), source] as const)
      : isRecord(entry)
        ? Object.entries(entry).map(([name, source]) => [name, String(source)] as const)
        : []
    const formats = Array.isArray(config.format) ? config.format.map(String) : [String(config.format ?? 'cjs')]
    const dtsEntry = isRecord(config.dts) && isRecord(config.dts['entry']) ? Object.keys(config.dts['entry']) : undefined
    return entries.map(([name, source]) => ({
      name,
      source: posix.normalize(source),
      outDir: String(config.outDir ?? 'dist'),
      formats,
      dts: config.dts === true || (isRecord(config.dts) && (dtsEntry === undefined || dtsEntry.includes(name))),
    }))
  })
}

/** What a package.json target under `conditions` may be, given `"type": "module"`. */
const builtFile = /^\.\/(dist|dist-browser)\/([\w.-]+?)\.(js|cjs|d\.ts|d\.cts)$/

/** Targets built from another source than deno.json's, on purpose: `ganfp/node` in a page says where to look instead. */
const stubs: Readonly<Record<string, string>> = { './node browser.default': 'src/browser/node-in-a-page.ts' }

describe('package.json and deno.json', () => {
  const npmExports = exportMap(readJson('package.json')['exports'])
  const denoExports = exportMap(readJson('deno.json')['exports'])

  it('export the same entry points', () => {
    expect(Object.keys(npmExports).length).toBeGreaterThan(0)
    expect(Object.keys(denoExports).sort()).toEqual(Object.keys(npmExports).sort())
  })

  it("deno.json's targets are source files that exist", () => {
    const problems = Object.entries(denoExports).flatMap(([subpath, target]) =>
      typeof target !== 'string' || !/^\.\/src\/.+\.ts$/.test(target)
        ? [`deno.json exports["${subpath}"] = ${JSON.stringify(target)}: not a .ts file under ./src/`]
        : existsSync(join(root, target))
          ? []
          : [`deno.json exports["${subpath}"] = ${target}: no such file`],
    )
    expect(problems).toEqual([])
  })

  it("package.json's targets are the tsup build of the same source, in the format each condition asks for", () => {
    const entries = tsupEntries()
    const problems: Array<string> = []
    for (const [subpath, value] of Object.entries(npmExports)) {
      const denoSource = posix.normalize(String(denoExports[subpath] ?? ''))
      if (!entries.some((e) => e.source === denoSource)) problems.push(`exports["${subpath}"]: no tsup entry builds ${denoSource} (deno.json's target)`)
      const found = targets(value)
      if (found.length === 0) problems.push(`exports["${subpath}"]: no targets`)
      for (const [conditions, target] of found) {
        const where = `exports["${subpath}"].${conditions.join('.') || '(string)'} = ${target}`
        const match = builtFile.exec(target)
        if (match === null) {
          problems.push(`${where}: not a file tsup writes to dist/ or dist-browser/`)
          continue
        }
        const [, outDir, name, extension] = match
        const source = stubs[`${subpath} ${conditions.join('.')}`] ?? denoSource
        const built = entries.filter((e) => e.source === source && e.outDir === outDir)
        // One entry may be built by several tsup configs (one per format).
        const builds = built.filter((e) => e.name === name)
        if (builds.length === 0) {
          problems.push(`${where}: ${outDir}/${name}.* is not built from ${source} (tsup builds it as ${built.map((e) => e.name).join(', ') || 'nothing'})`)
          continue
        }
        const format = extension === 'js' || extension === 'd.ts' ? 'esm' : 'cjs'
        const inFormat = builds.filter((e) => e.formats.includes(format))
        if (inFormat.length === 0) problems.push(`${where}: tsup builds ${name} without the ${format} format`)
        const declarations = extension!.startsWith('d.')
        if (declarations && inFormat.length > 0 && !inFormat.some((e) => e.dts)) problems.push(`${where}: tsup writes no ${format} declarations for ${name}`)
        if (conditions.includes('types') !== declarations) problems.push(`${where}: declarations belong under "types", and only there`)
        if (conditions.includes('import') && format !== 'esm') problems.push(`${where}: an "import" target must be ESM (.js / .d.ts)`)
        if (conditions.includes('require') && format !== 'cjs') problems.push(`${where}: a "require" target must be CJS (.cjs / .d.cts)`)
      }
      const conditionSets = found.map(([conditions]) => conditions.join('.'))
      // Each runtime and bundler picks its build by name, without configuration.
      for (const runtimeCondition of ['browser', 'deno', 'bun', 'node'])
        if (!conditionSets.some((c) => c.startsWith(runtimeCondition))) problems.push(`exports["${subpath}"]: no "${runtimeCondition}" condition`)
      if (subpath === '.' || conditionSets.some((c) => c.startsWith('import')))
        for (const needed of ['import.types', 'import.default', 'require.types', 'require.default'])
          if (!conditionSets.includes(needed)) problems.push(`exports["${subpath}"]: no ${needed} target`)
    }
    expect(problems).toEqual([])
  })

  it('main, module and types are the "." entry\'s targets', () => {
    const pkg = readJson('package.json')
    const dot = targets(npmExports['.']).map(([, target]) => target)
    const stray = ['main', 'module', 'types'].filter((field) => pkg[field] !== undefined && !dot.includes(String(pkg[field])))
    expect(stray.map((field) => `package.json ${field} = ${String(pkg[field])}`)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// The build, the tarball and the JSR dry run (Node suite only: subprocesses)

const dist = join(root, 'dist')
const requireBuild = (): void => {
  if (!existsSync(join(dist, 'index.js')) || !existsSync(join(dist, 'index.cjs')))
    throw new Error(`${dist} has no build: run \`npm run build\` first (\`npm test\` builds before testing)`)
}

describe.skipIf(runtime !== 'node')('the built package, imported by name from another directory', () => {
  let consumer = ''
  beforeAll(() => {
    requireBuild()
    // A project that depends on ganfp: node_modules/ganfp links to this checkout, so `ganfp`
    // resolves through package.json's `exports`, as it does once installed.
    consumer = mkdtempSync(join(tmpdir(), 'ganfp-consumer-'))
    mkdirSync(join(consumer, 'node_modules'))
    symlinkSync(root, join(consumer, 'node_modules', 'ganfp'), 'dir')
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { ganfp: '*' } }))
  })
  afterAll(() => {
    if (consumer !== '') rmSync(consumer, { recursive: true, force: true })
  })

  // The same checks from both module systems: exports are functions, a tiny GAN compiles and trains a step.
  const exercise = `
    const report = { resolved, types: Object.fromEntries(['defineRecipe', 'gan', 'compile', 'createTrainer', 'configCodec'].map((k) => [k, typeof m[k]])) }
    await m.useBackend('cpu')
    const spec = m.gan({ generator: m.mlp([2], [8], m.relu, 2), discriminator: m.mlp([2], [8], m.relu, 1) })
    report.compiled = m.compile(spec)._tag
    report.invalid = m.compile(m.gan({ generator: m.mlp([2], [8], m.relu, 3), discriminator: m.mlp([2], [8], m.relu, 1) }))._tag
    const trainer = m.createTrainerOrThrow(m.compileOrThrow(spec), m.ring(), { seed: 1, batchSize: 8 })
    const step = await trainer.stepOrThrow()
    report.step = step.step
    report.finiteLoss = Number.isFinite(step.discriminatorLoss) && Number.isFinite(step.generatorLoss)
    report.samples = (await trainer.sampleOrThrow(4)).length
    trainer.dispose()
    console.log(JSON.stringify(report))`
  const expected = {
    types: { defineRecipe: 'function', gan: 'function', compile: 'function', createTrainer: 'function', configCodec: 'function' },
    compiled: 'Right',
    invalid: 'Left',
    step: 1,
    finiteLoss: true,
    samples: 8, // 4 points × 2 coordinates
  }
  const lastJsonLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>

  /** Writes `file` into the consumer project, runs it with Node, and checks what it reports. */
  const expectConsumerWorks = (file: string, source: string, resolved: RegExp): void => {
    writeFileSync(join(consumer, file), source)
    const r = spawn(process.execPath, [file], consumer)
    expect(r.output).not.toMatch(/Error/)
    expect(r.status).toBe(0)
    const report = lastJsonLine(r.stdout)
    expect(report['resolved']).toMatch(resolved)
    expect(report).toMatchObject(expected)
  }

  it("a bundler building for a page picks dist-browser/ (the `browser` condition): no Node module; `ganfp/node` there is the module that says to import `ganfp`", async () => {
    const { build } = await import('esbuild')
    const bundle = async (source: string) => {
      const result = await build({
        stdin: { contents: source, resolveDir: consumer, loader: 'js' },
        absWorkingDir: consumer,
        bundle: true,
        platform: 'browser',
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
      })
      return { inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0]!.text }
    }
    const core = await bundle("import { gan, useBackend } from 'ganfp'\nconsole.log(typeof gan, typeof useBackend)")
    const ours = (file: string) => posix.normalize(relative(consumer, join(root, file)).split('\\').join('/'))
    expect(core.inputs).toContain(ours('dist-browser/index.js'))
    expect(core.inputs.filter((path) => path.startsWith(ours('dist') + '/'))).toEqual([])
    expect(core.inputs.filter((path) => path.startsWith('node:') || /\/node_modules\/(commander|cli-progress|pngjs)\//.test(path))).toEqual([])
    const node = await bundle("import 'ganfp/node'")
    expect(node.inputs).toContain(ours('dist-browser/node.js'))
    expect(node.code).toContain("In a page, import 'ganfp'")
  })

  it('native ESM: `import` resolves dist/index.js and works', () => {
    expectConsumerWorks('esm.mjs', `const m = await import('ganfp')\nconst resolved = import.meta.resolve('ganfp')\n${exercise}\n`, /\/dist\/index\.js$/)
  })

  it("`import('ganfp')` loads no CLI package and no module that uses the file system (the module graph, recorded by a resolve hook)", () => {
    // Node's loader hooks see every import a module makes; the hook writes down each with its importer.
    writeFileSync(
      join(consumer, 'record-hooks.mjs'),
      "import { appendFileSync } from 'node:fs'\n" +
        'export async function resolve(specifier, context, next) {\n' +
        '  const result = await next(specifier, context)\n' +
        "  appendFileSync(process.env.GANFP_IMPORT_LOG, JSON.stringify([context.parentURL ?? '', result.url]) + '\\n')\n" +
        '  return result\n}\n',
    )
    writeFileSync(join(consumer, 'record.mjs'), "import { register } from 'node:module'\nregister('./record-hooks.mjs', import.meta.url)\n")
    const log = join(consumer, 'imports.jsonl')
    writeFileSync(log, '')
    writeFileSync(join(consumer, 'core-only.mjs'), `const m = await import('ganfp')\nconst resolved = import.meta.resolve('ganfp')\n${exercise}\n`)
    const r = spawn(process.execPath, ['--import', './record.mjs', 'core-only.mjs'], consumer, { ...env, GANFP_IMPORT_LOG: log })
    expect(r.status).toBe(0)
    const edges = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as [string, string])
    const fromGanfp = edges.filter(([parent]) => parent.includes('/dist/'))
    expect(fromGanfp.length).toBeGreaterThan(3)
    const loaded = edges.map(([, url]) => url)
    expect(loaded.filter((url) => /\/node_modules\/(commander|cli-progress|pngjs)\/|\/dist\/(node|cli)\.js$/.test(url))).toEqual([])
    expect(fromGanfp.filter(([, url]) => url.startsWith('node:')).map(([parent, url]) => `${parent} → ${url}`)).toEqual([])
  })

  it('CommonJS: `require` resolves dist/index.cjs and works', () => {
    expectConsumerWorks(
      'cjs.cjs',
      `const m = require('ganfp')\nconst resolved = require.resolve('ganfp')\n;(async () => {${exercise}\n})().catch((e) => { console.error(e); process.exit(1) })\n`,
      /\/dist\/index\.cjs$/,
    )
  })

  // Each entry exports the same names however it is reached: the sources (Deno's import map and
  // this suite), the ESM and CJS builds on Node, and Bun through package.json's exports.
  const entries: ReadonlyArray<readonly [string, string]> = [
    ['ganfp', 'index.ts'],
    ['ganfp/node', 'node.ts'],
  ]
  for (const [specifier, source] of entries)
    describe(`the ${specifier} entry`, () => {
      const namesScript = (load: string) => `${load}\nconsole.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()))`
      const namesFrom = (command: string, argv: ReadonlyArray<string>, cwd = consumer): ReadonlyArray<string> => {
        const r = spawn(command, argv, cwd)
        if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed:\n${r.output}`)
        return lastJsonLine(r.stdout) as unknown as ReadonlyArray<string>
      }
      let expected: ReadonlyArray<string> = []
      beforeAll(async () => {
        const m = (source === 'index.ts' ? await import('../src/index.ts') : await import('../src/node.ts')) as Record<string, unknown>
        expected = Object.keys(m).sort()
      })

      it('exports the same names from the sources, native ESM, CommonJS, Bun and Deno', () => {
        writeFileSync(join(consumer, 'names.mjs'), namesScript(`const m = await import('${specifier}')`))
        writeFileSync(join(consumer, 'names.cjs'), namesScript(`const m = require('${specifier}')`))
        const deno = join(root, 'node_modules', '.bin', 'deno')
        const denoScript = namesScript(`const m = await import('${specifier}')`)
        expect(expected.length).toBeGreaterThan(specifier === 'ganfp' ? 150 : 25)
        expect({ esm: namesFrom(process.execPath, ['names.mjs']) }).toEqual({ esm: expected })
        expect({ cjs: namesFrom(process.execPath, ['names.cjs']) }).toEqual({ cjs: expected })
        expect({ bun: namesFrom(join(root, 'node_modules', '.bin', 'bun'), ['names.mjs']) }).toEqual({ bun: expected })
        expect({ deno: namesFrom(deno, ['eval', '--config', join(root, 'deno.json'), denoScript], root) }).toEqual({ deno: expected })
      }, 120_000)

      it('exports no internals', () => {
        const internals = ['compileChain', 'compileNetwork', 'inferLayer', 'inferChain', 'checkLayerTag', 'compileFrozenNetworks', 'symmetricEigen', 'wasmThreads', 'isModulePath', 'denseKind', 'layerKinds', 'describeValue', 'recipeResult', 'snapshotTensorGroups', 'judgeModuleText', 'execute']
        expect(expected.filter((name) => internals.includes(name))).toEqual([])
      })
    })

  it('ganfp/node adds to the core and repeats none of it', async () => {
    const core = Object.keys(await import('../src/index.ts'))
    const node = Object.keys(await import('../src/node.ts'))
    expect(node.filter((name) => core.includes(name))).toEqual([])
  })

  it('the `ganfp` executable (dist/cli.js) starts and lists its commands', () => {
    const pkg = readJson('package.json')
    const executable = (pkg['bin'] as Record<string, string>)['ganfp']!
    const r = spawn(process.execPath, [join(consumer, 'node_modules', 'ganfp', executable), '--help'], consumer)
    expect(r.status).toBe(0)
    for (const command of ['train', 'resume', 'sample']) expect(r.stdout).toContain(command)
  })
})

type PackFile = { readonly path: string; readonly size: number }
type Pack = { readonly files: ReadonlyArray<PackFile>; readonly size: number; readonly unpackedSize: number; readonly entryCount: number }

/** Relative module specifiers in built JS (static and dynamic imports, re-exports, requires), by TypeScript's lexer. */
const relativeImports = async (code: string): Promise<ReadonlyArray<string>> => {
  const { default: ts } = await import('typescript')
  return ts
    .preProcessFile(code, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('./') || name.startsWith('../'))
}

describe.skipIf(runtime !== 'node')('npm pack', () => {
  let pack: Pack
  let paths: ReadonlyArray<string> = []
  beforeAll(() => {
    requireBuild()
    const r = spawn('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'])
    if (r.status !== 0) throw new Error(`npm pack --dry-run failed:\n${r.output}`)
    pack = (JSON.parse(r.stdout) as ReadonlyArray<Pack>)[0]!
    paths = pack.files.map((f) => f.path).sort()
  })

  it('ships the entry points, their declarations, the executable, README and package.json', () => {
    const pkg = readJson('package.json')
    const needed = [
      'package.json',
      'README.md',
      ...targets(pkg['exports']).map(([, target]) => posix.normalize(target)),
      ...Object.values(pkg['bin'] as Record<string, string>).map((b) => posix.normalize(b)),
      ...(existsSync(join(root, 'LICENSE')) ? ['LICENSE'] : []),
    ]
    for (const entry of ['index', 'node']) for (const suffix of ['.js', '.cjs', '.d.ts', '.d.cts']) expect(needed).toContain(`dist/${entry}${suffix}`)
    expect(needed).toContain('dist/cli.js')
    expect(needed.filter((file) => !paths.includes(file))).toEqual([])
  })

  it('ships nothing else: built JS chunks and declarations only (and the browser build with its .wasm files), no sources, tests, recipes, runs, benchmarks or source maps', () => {
    const allowed = new Set(['package.json', 'README.md', 'LICENSE'])
    const extra = paths.filter((path) => !allowed.has(path) && !/^dist\/[\w.-]+\.(c?js|d\.c?ts)$/.test(path) && !/^dist-browser\/[\w.-]+\.(js|wasm)$/.test(path))
    expect(extra).toEqual([])
    expect(paths.filter((path) => /\.map$|^(src|tests|recipes|bench|out|runs|docs|node_modules|\.ci|scripts)\//.test(path))).toEqual([])
  })

  it('ships every chunk the entry points load (recipes and judge weights are split out and imported dynamically)', async () => {
    const missing: Array<string> = []
    for (const path of paths.filter((p) => /\.c?js$/.test(p))) {
      const code = readFileSync(join(root, path), 'utf8')
      for (const specifier of await relativeImports(code)) {
        const target = posix.normalize(posix.join(posix.dirname(path), specifier))
        if (!paths.includes(target)) missing.push(`${path} imports ${specifier}`)
      }
    }
    expect(missing).toEqual([])
    // The built-in recipes the executable offers are chunks of their own, imported by the shared code.
    const imported = new Set<string>()
    for (const path of paths.filter((p) => /\.js$/.test(p)))
      for (const specifier of await relativeImports(readFileSync(join(root, path), 'utf8'))) imported.add(posix.basename(specifier))
    for (const name of ['vanilla', 'dcgan', 'cgan', 'srgan', 'slanted-land'])
      expect([...imported].filter((file) => new RegExp(`^${name}-[\\w]+\\.js$`).test(file))).toHaveLength(1)
    // So are the judges' weights, loaded only when a judge is.
    expect(paths.filter((p) => /^dist\/(mnist|fashion)\.generated-[\w]+\.js$/.test(p))).toHaveLength(2)
  })

  it('has a sane size', () => {
    const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
    console.log(`npm pack: ${pack.entryCount} files, ${megabytes(pack.size)} packed, ${megabytes(pack.unpackedSize)} unpacked`)
    expect(pack.unpackedSize).toBe(pack.files.reduce((n, f) => n + f.size, 0))
    // The two judges' weights (≈ 0.95 MB each) are most of it: in dist/'s ESM chunks, inlined in
    // its CJS build, and once in dist-browser/ (shared by both browser builds); then tfjs for the
    // single-file browser build and the three .wasm binaries (1.2 MB): 11 MB in all. More than
    // 12 MB means something is shipped twice or by mistake.
    expect(pack.unpackedSize).toBeGreaterThan(1e6)
    // 12.4 MB since the exporters: protobufjs (ONNX) and the PyTorch package's Python, in each build.
    expect(pack.unpackedSize).toBeLessThan(13e6)
  })
})

describe.skipIf(runtime !== 'node')('deno publish', () => {
  it('--dry-run accepts the package (JSR: no slow types, a license, every module it needs included)', () => {
    // Offline: the dry run checks the package locally and uploads nothing.
    const r = spawn(bin('deno'), ['publish', '--dry-run', '--allow-dirty'])
    // Each problem as its kind and place, e.g. 'error[missing-explicit-return-type]: … --> src/run.ts:72:14'.
    const problems = [...r.output.matchAll(/^(error\S*: .*)\n\s*--> (\S+)/gm)].map((m) => `${m[1]} --> ${relative(root, m[2]!)}`)
    expect(problems).toEqual([])
    expect(r.status === 0 ? '' : r.output).toBe('')
    expect(r.output).toContain('Success Dry run complete')
    const files = [...r.output.matchAll(/file:\/\/(\S+) \(/g)].map((m) => relative(root, m[1]!))
    expect(files).toContain('src/index.ts')
    expect(files.filter((f) => /^(tests|bench|out|runs|dist|docs|node_modules)\//.test(f))).toEqual([])
  }, 120_000)
})

// ---------------------------------------------------------------------------------------------
// Documentation (Node suite only: the TypeScript compiler and `deno doc`)

describe.skipIf(runtime !== 'node')('documentation', () => {
  /*
   * The rule: every export of src/index.ts and src/node.ts has a doc comment. A value (function, constant,
   * class) has an `@example` with code in it, as STYLE.md asks of every public function; an
   * interface or a type alias has a description (its fields carry their own comments, and a type
   * has nothing to run). An export marked `@internal` is still public, so it is held to the same
   * rule: document it or stop exporting it from src/index.ts.
   */
  it('every public export has a doc comment, and every public value an example', async () => {
    const { default: ts } = await import('typescript')
    const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root)
    const entries = [join(root, 'src', 'index.ts'), join(root, 'src', 'node.ts')]
    const program = ts.createProgram(entries, { ...options, noEmit: true })
    const checker = program.getTypeChecker()
    const exported = entries.flatMap((entry) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)!)!))
    expect(exported.length).toBeGreaterThan(200)
    const offenders = exported.flatMap((exportSymbol) => {
      const symbol = exportSymbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exportSymbol) : exportSymbol
      const declarations = symbol.declarations ?? []
      const declaration = declarations[0]
      if (declaration === undefined) return [`${exportSymbol.name}: no declaration found`]
      const file = declaration.getSourceFile()
      const line = file.getLineAndCharacterOfPosition(declaration.getStart()).line + 1
      const where = `${relative(root, file.fileName)}:${line} ${exportSymbol.name}`
      const isType = declarations.every((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d))
      const description = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
      const tags = symbol.getJsDocTags(checker)
      const internal = tags.some((t) => t.name === 'internal') ? ' (marked @internal but exported from src/index.ts)' : ''
      if (isType) return description === '' ? [`${where}: type without a description${internal}`] : []
      const example = tags.some((t) => t.name === 'example' && ts.displayPartsToString(t.text).trim() !== '')
      return example ? [] : [`${where}: ${description === '' && tags.length === 0 ? 'no doc comment' : 'no @example'}${internal}`]
    })
    expect(offenders.sort()).toEqual([])
  }, 60_000)

  it('`npm run docs` writes an HTML API reference', () => {
    const script = (readJson('package.json')['scripts'] as Record<string, string>)['docs'] ?? ''
    expect(script).toContain('--output=docs/api')
    const output = mkdtempSync(join(tmpdir(), 'ganfp-docs-'))
    try {
      // The script itself, as `npm run` runs it (node_modules/.bin on the PATH), writing to a
      // scratch directory instead of docs/api.
      const path = `${dirname(bin('deno'))}:${process.env['PATH'] ?? ''}`
      const r = spawn('sh', ['-c', script.replace('--output=docs/api', `--output=${output}`)], root, { ...env, PATH: path })
      expect(r.output).not.toMatch(/^error/im)
      expect(r.status).toBe(0)
      const index = readFileSync(join(output, 'index.html'), 'utf8')
      expect(index).toContain('GANs as typed values') // the module doc of src/index.ts
      expect(index).toContain('all_symbols.html')
      // deno doc's index page lists named re-exports only; the symbol index lists them all.
      const symbols = readFileSync(join(output, 'all_symbols.html'), 'utf8')
      for (const name of ['defineRecipe', 'configCodec', 'gan', 'compile', 'createTrainer']) expect(symbols).toContain(`>${name}<`)
      expect(readdirSync(join(output, '~')).filter((f) => f === 'defineRecipe.html' || f === 'configCodec.html').sort()).toEqual(['configCodec.html', 'defineRecipe.html'])
    } finally {
      rmSync(output, { recursive: true, force: true })
    }
  }, 60_000)
})
