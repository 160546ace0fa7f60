// Recipes as modules: the configuration codec, what makes a value a recipe, and loading recipes by
// built-in name, path and package name, with every problem reported against the module. The
// subprocess part (a user's recipe file under `ganfp train` and run directly) runs from the Node
// suite only.
import * as E from 'fp-ts/lib/Either.js'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import {
  GanException,
  configCodec,
  decodeConfig,
  defineRecipe,
  flag,
  invalidConfig,
  oneOfFlag,
  positiveIntFlag,
  positiveNumberFlag,
  type GanError,
} from '../src/index.ts'
import { loadRecipe, loadRecipeOrThrow, parseRecipeArgs, recipeHelp } from '../src/node.ts'
import { recipeProblems } from '../src/recipe/problems.ts'
import { builtinRecipes } from '../src/cli/builtins.ts'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-recipe-modules-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The errors of a loader call (its `Left`), checking that the throwing twin throws them as a GanException. */
const loadErrors = async (reference: string, options: Parameters<typeof loadRecipe>[1] = {}): Promise<ReadonlyArray<GanError>> => {
  const result = await loadRecipe(reference, options)
  if (E.isRight(result)) throw new Error(`${reference} loaded`)
  const thrown = await loadRecipeOrThrow(reference, options).then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(thrown).toBeInstanceOf(GanException)
  expect((thrown as GanException).errors).toEqual(result.left)
  return result.left
}

describe('configCodec', () => {
  const options = {
    width: flag(positiveIntFlag, 32, 'hidden units'),
    data: flag(oneOfFlag(['ring', 'grid'] as const), 'ring', 'mixture'),
    lr: flag(positiveNumberFlag, 1e-3, 'learning rate'),
  }
  const codec = configCodec(options, (c) => (c.data === 'grid' && c.width < 16 ? [invalidConfig('--width', 'at least 16 for the grid', String(c.width))] : []))

  it('fills defaults and decodes text and typed values alike', () => {
    expect(codec.decode({})).toEqual(E.right({ width: 32, data: 'ring', lr: 0.001 }))
    expect(codec.decode(undefined)).toEqual(E.right({ width: 32, data: 'ring', lr: 0.001 }))
    expect(codec.decode({ width: '64', lr: 0.5, data: 'grid' })).toEqual(E.right({ width: 64, data: 'grid', lr: 0.5 }))
    expect(codec.is({ width: 8, data: 'ring', lr: 1 })).toBe(true)
    expect(codec.is({ width: -8 })).toBe(false)
  })

  it('round-trips through its text form (what a manifest and the command line hold)', () => {
    const value = { width: 7, data: 'grid' as const, lr: 2.5e-4 }
    const text = codec.encode({ ...value, width: 17 })
    expect(text).toEqual({ width: '17', data: 'grid', lr: '0.00025' })
    expect(codec.decode(text)).toEqual(E.right({ ...value, width: 17 }))
  })

  it('reports every bad, unknown and cross-option problem with its option as the path', () => {
    const decoded = decodeConfig(codec, { width: 0, data: 'moon', depth: 3, lr: 'fast' })
    expect(E.isLeft(decoded) && decoded.left.map((e) => [e.path, e.expected, e.actual])).toEqual([
      ['--depth', 'an option among --width, --data, --lr', 'an unknown option'],
      ['--width', 'a positive integer', '0'],
      ['--data', 'one of ring, grid', '"moon"'],
      ['--lr', 'a number > 0', '"fast"'],
    ])
    const crossed = decodeConfig(codec, { data: 'grid', width: 8 })
    expect(E.isLeft(crossed) && crossed.left.map((e) => e.path)).toEqual(['--width'])
    expect(E.isLeft(decodeConfig(codec, [1, 2]))).toBe(true)
    // As an io-ts codec, the same problems come as io-ts errors.
    const viaIoTs = codec.decode({ width: 0 })
    expect(E.isLeft(viaIoTs) && viaIoTs.left[0]!.message).toBe('InvalidConfig at --width: expected a positive integer, found 0')
  })

  it('rejects a default its own option codec rejects', () => {
    const broken = configCodec({ width: flag(positiveIntFlag, 0, 'hidden units') })
    const decoded = decodeConfig(broken, {})
    expect(E.isLeft(decoded) && decoded.left.map((e) => [e.path, e.actual])).toEqual([['--width (its default)', '0']])
    // Given a valid value, the bad default does not matter.
    expect(decodeConfig(broken, { width: 3 })).toEqual(E.right({ width: 3 }))
  })
})

describe('recipeProblems', () => {
  it('names every missing or malformed part under the given path', () => {
    expect(recipeProblems(undefined, 'm.ts')).toEqual([invalidConfig('m.ts', 'a recipe (an object made with defineRecipe)', 'nothing')])
    const problems = recipeProblems(
      {
        name: 'Has Spaces',
        description: 'x',
        config: { decode: () => E.right({}) },
        build: () => undefined,
        data: 3,
        evaluate: 'later',
        outputRange: [1, 0],
        settings: ['fine', 3],
        runDefaults: { steps: 1.5, threads: 0, epochs: 2 },
        runDefaultsFor: { steps: 10 },
      },
      'm.ts',
    )
    expect(problems.map((e) => e.path)).toEqual([
      'm.ts.name',
      'm.ts.config',
      'm.ts.data',
      'm.ts.evaluate',
      'm.ts.outputRange',
      'm.ts.settings',
      'm.ts.runDefaults.steps',
      'm.ts.runDefaults.epochs',
      'm.ts.runDefaultsFor',
    ])
  })
})

describe('runDefaultsFor', () => {
  const sized = defineRecipe({
    name: 'sized',
    description: 'run defaults that follow an option',
    config: configCodec({ size: flag(oneOfFlag(['small', 'large', 'broken'] as const), 'small', 'how big') }),
    runDefaults: { steps: 100, batch: 8, logEvery: 5 },
    runDefaultsFor: (config) =>
      config.size === 'large' ? { steps: 400, logEvery: 20 } : config.size === 'broken' ? ({ steps: 0, epochs: 2 } as never) : {},
    build: () => {
      throw new Error('not built here')
    },
    data: () => {
      throw new Error('not loaded here')
    },
  })
  const runOf = (argv: ReadonlyArray<string>) => {
    const parsed = parseRecipeArgs(sized, argv)
    return E.isRight(parsed) ? { steps: parsed.right.run.steps, batch: parsed.right.run.batch, 'log-every': parsed.right.run['log-every'] } : parsed.left.map((e) => e.path)
  }

  it('sets the run options the command line leaves out, from the decoded options; the command line wins; runDefaults fill the rest', () => {
    expect(runOf([])).toEqual({ steps: 100, batch: 8, 'log-every': 5 })
    expect(runOf(['--size', 'large'])).toEqual({ steps: 400, batch: 8, 'log-every': 20 })
    expect(runOf(['--size', 'large', '--steps', '100'])).toEqual({ steps: 100, batch: 8, 'log-every': 20 })
    expect(runOf(['--size', 'large', '--log-every=3', '--batch', '4'])).toEqual({ steps: 400, batch: 4, 'log-every': 3 })
  })

  it('what it returns is checked like runDefaults, under the recipe', () => {
    expect(runOf(['--size', 'broken'])).toEqual(['recipe(sized).runDefaultsFor(config).steps', 'recipe(sized).runDefaultsFor(config).epochs'])
    // --help needs no whole configuration, so none is asked for.
    expect(parseRecipeArgs(sized, ['--size', 'broken', '--help'])).toMatchObject({ _tag: 'Right', right: { help: true } })
  })
})

describe('recipeHelp', () => {
  it('prints what matters in each built-in recipe’s defaults, one line each, between its options and the run options', async () => {
    for (const name of ['vanilla', 'dcgan', 'cgan']) {
      const recipe = await loadRecipeOrThrow(name, { builtins: builtinRecipes })
      const help = recipeHelp(recipe)
      const settings = help.indexOf('What matters in the defaults:')
      expect(settings).toBeGreaterThan(help.indexOf('Options:'))
      expect(settings).toBeLessThan(help.indexOf('Run options (every recipe):'))
      for (const line of recipe.settings ?? []) expect(help).toContain(`  - ${line}`)
      expect((recipe.settings ?? []).length).toBeGreaterThan(0)
    }
  })
})

describe('loadRecipe', () => {
  it('loads every built-in recipe, each a valid recipe whose defaults decode', async () => {
    for (const name of ['slanted-land', 'vanilla', 'dcgan', 'cgan', 'srgan']) {
      const recipe = await loadRecipeOrThrow(name, { builtins: builtinRecipes })
      expect(recipe.name).toBe(name)
      expect(recipeProblems(recipe, name)).toEqual([])
      expect(E.isRight(recipe.config.decode({}))).toBe(true)
      expect(await loadRecipe(`builtin:${name}`, { builtins: builtinRecipes })).toMatchObject({ _tag: 'Right', right: { name } })
    }
    expect(Object.keys(builtinRecipes)).toEqual(['slanted-land', 'vanilla', 'dcgan', 'cgan', 'srgan'])
  })

  it('without the built-ins (the library alone), a built-in name says the ganfp command has them', async () => {
    const named = await loadErrors('builtin:dcgan')
    expect(named.map((e) => [e.path, e.actual])).toEqual([['RECIPE', '"dcgan"']])
    expect(named[0]!.expected).toContain('the ganfp command')
    const bare = await loadErrors('dcgan', { cwd: scratch })
    expect(bare.map((e) => e.path)).toEqual(['RECIPE'])
    expect(bare[0]!.expected).toContain('built-in recipes are available through the ganfp command')
  })

  it('loads a module path, relative to cwd', async () => {
    expect((await loadRecipeOrThrow('tests/support/tiny-recipe.ts', { cwd: root })).name).toBe('tiny-ring')
    expect((await loadRecipeOrThrow('./support/tiny-recipe.ts', { cwd: join(root, 'tests') })).name).toBe('tiny-ring')
  })

  it('a module without a default export is an error naming the module and its exports', async () => {
    const errors = await loadErrors('tests/support/not-a-recipe.ts', { cwd: root })
    expect(errors).toEqual([
      invalidConfig(
        'tests/support/not-a-recipe.ts.default',
        'a recipe as the default export (export default defineRecipe({...}))',
        'no default export (exports: recipe)',
      ),
    ])
  })

  it('a default export of the wrong shape lists every problem, a config that rejects its defaults among them', async () => {
    const errors = await loadErrors('tests/support/broken-recipe.ts', { cwd: root })
    const at = 'tests/support/broken-recipe.ts.default'
    expect(errors.map((e) => e.path)).toEqual([
      `${at}.name`,
      `${at}.description`,
      `${at}.config`,
      `${at}.build`,
      `${at}.data`,
      `${at}.runDefaults.steps`,
      `${at}.runDefaults.epochs`,
    ])
    expect(errors[2]!.expected).toBe('a codec that accepts its own defaults')
    expect(errors[2]!.actual).toContain('InvalidConfig at --width (its default): expected a positive integer, found 0')
  })

  it('a missing file, an unknown name and an unknown built-in are errors at RECIPE', async () => {
    const missing = await loadErrors('./no-such-recipe.ts', { cwd: root })
    expect(missing.map((e) => [e.path, e.expected])).toEqual([['RECIPE', 'an importable module']])
    expect(missing[0]!.actual).toContain('./no-such-recipe.ts')
    const unknown = await loadErrors('no-such-recipe-package', { cwd: scratch })
    expect(unknown.map((e) => e.path)).toEqual(['RECIPE'])
    expect(unknown[0]!.expected).toContain('an installed package')
    // ganfp's words, on every runtime, not the resolver's ("not in import map", "Cannot find package").
    expect(unknown[0]!.actual).toBe(`"no-such-recipe-package": no installed package of that name (node_modules from ${scratch} up)`)
    expect((await loadErrors('builtin:nope', { builtins: builtinRecipes })).map((e) => [e.expected, e.actual])).toEqual([
      ['a built-in recipe (slanted-land, vanilla, dcgan, cgan, srgan)', '"nope"'],
    ])
  })

  it('loads an installed package by name, through its exports map, from the working directory', async () => {
    const project = join(scratch, 'project')
    const pkg = join(project, 'node_modules', 'ganfp-recipe-tiny')
    mkdirSync(join(pkg, 'lib'), { recursive: true })
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'ganfp-recipe-tiny', type: 'module', exports: { '.': { types: './lib/recipe.d.ts', import: './lib/recipe.mjs' } } }),
    )
    // Plain JavaScript that any runtime imports: a recipe-shaped value (loading does not build it).
    writeFileSync(
      join(pkg, 'lib', 'recipe.mjs'),
      [
        "const config = { decode: () => ({ _tag: 'Right', right: {} }), options: {}, check: () => [] }",
        "export default { name: 'tiny-package', description: 'a packaged recipe', config, build: () => undefined, data: () => undefined }",
      ].join('\n'),
    )
    const nested = join(project, 'sub', 'dir')
    mkdirSync(nested, { recursive: true })
    // Found from the project and from any folder below it, as Node's resolution would.
    expect((await loadRecipeOrThrow('ganfp-recipe-tiny', { cwd: project })).name).toBe('tiny-package')
    expect((await loadRecipeOrThrow('ganfp-recipe-tiny', { cwd: nested })).name).toBe('tiny-package')
  })

  it("an installed package whose package.json is not JSON is an error naming that file", async () => {
    const project = join(scratch, 'broken-project')
    const manifest = join(project, 'node_modules', 'ganfp-recipe-broken', 'package.json')
    mkdirSync(join(manifest, '..'), { recursive: true })
    writeFileSync(manifest, '{ "name": ')
    const errors = await loadErrors('ganfp-recipe-broken', { cwd: project })
    expect(errors.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', manifest]])
  })
})

const bin = (name: string) => join(root, 'node_modules', '.bin', name)
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const spawn = (command: string, argv: ReadonlyArray<string>) => {
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', timeout: 300_000, env })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe.skipIf(runtime !== 'node')("a user's recipe file, as users run it", () => {
  it('`ganfp train ./examples/my-recipe.ts --help` lists its options, under Bun and Deno', () => {
    for (const [runner, args] of [
      ['bun', ['run', 'src/cli.ts']],
      ['deno', ['run', '-A', 'src/cli.ts']],
    ] as const) {
      const r = spawn(bin(runner), [...args, 'train', './examples/my-recipe.ts', '--help'])
      expect(r.stderr).toBe('')
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('ganfp train ./examples/my-recipe.ts: WGAN-GP with MLPs on the 25-mode grid')
      expect(r.stdout).toMatch(/--critic-steps +critic updates per generator update \(a positive integer; default 5\)/)
      // The recipe's run defaults show among the run options.
      expect(r.stdout).toMatch(/--batch +examples per batch \(a positive integer; default 128\)/)
      expect(r.stdout).toMatch(/--steps +generator steps in all \(a positive integer; default 3000\)/)
    }
  }, 300_000)

  it('runs directly (runIfMain) under Deno and Bun: a run directory with grids of the 2-D samples', () => {
    for (const [runner, args] of [
      ['deno', ['run', '-A']],
      ['bun', ['run']],
    ] as const) {
      const out = join(scratch, `${runner}-my-recipe`)
      const r = spawn(bin(runner), [...args, 'examples/my-recipe.ts', '--steps', '3', '--width', '8', '--critic-steps', '1', '--backend', 'cpu', '--out', out])
      expect(r.status).toBe(0)
      expect(r.stdout).toContain(`completed 3 steps in ${out}`)
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))
      expect(manifest.recipe).toEqual({ name: 'wgan-gp-grid', module: join(root, 'examples', 'my-recipe.ts') })
      expect(manifest.config).toMatchObject({ width: 8, 'critic-steps': 1, 'latent-dim': 8, steps: 3, batch: 128 })
      // 2-D outputs are drawn as a scatter plot by default.
      expect(existsSync(join(out, 'samples', 'step-00000003.png'))).toBe(true)
    }
  }, 300_000)

  it('a built JavaScript recipe runs itself under plain Node (runIfMain without import.meta.main)', () => {
    if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('no dist/: run `npm run build` first (`npm test` builds before testing)')
    const file = join(scratch, 'node-recipe.mjs')
    writeFileSync(
      file,
      [
        `import { configCodec, defineRecipe, flag, gan, mlp, positiveIntFlag, relu, ring } from ${JSON.stringify(join(root, 'dist', 'index.js'))}`,
        `import { runIfMain } from ${JSON.stringify(join(root, 'dist', 'node.js'))}`,
        "const recipe = defineRecipe({ name: 'node-ring', description: 'an MLP GAN on the ring', config: configCodec({ width: flag(positiveIntFlag, 8, 'hidden units') }),",
        '  build: (c) => gan({ generator: mlp([2], [c.width], relu, 2), discriminator: mlp([2], [c.width], relu, 1) }), data: () => ring() })',
        'export default recipe',
        'runIfMain(import.meta, recipe)',
      ].join('\n'),
    )
    const out = join(scratch, 'node-recipe-run')
    const r = spawn(process.execPath, [file, '--steps', '3', '--batch', '8', '--backend', 'cpu', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`completed 3 steps in ${out}`)
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).recipe).toEqual({ name: 'node-ring', module: file })
    // Imported rather than run, the same module does nothing.
    const imported = spawn(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(file)}); console.log('imported')`])
    expect(imported.stdout.trim()).toBe('imported')
  }, 300_000)

  it.skipIf(Number(process.versions.node.split('.')[0]) >= 22)('on a Node that cannot import TypeScript, a .ts recipe is an error that says what works', () => {
    const r = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'train', './examples/my-recipe.ts', '--help'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("InvalidConfig at RECIPE: expected an importable module, found ./examples/my-recipe.ts: this Node cannot import TypeScript (run ganfp with Bun or Deno, or import the recipe's compiled .js)")
  })

  it('a module that is not a recipe exits 2 naming the module', () => {
    const r = spawn(bin('bun'), ['run', 'src/cli.ts', 'train', 'tests/support/broken-recipe.ts'])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('7 problems')
    expect(r.stderr).toContain('InvalidConfig at tests/support/broken-recipe.ts.default.build: expected a function of the configuration, found "not a function"')
  })

  it('`ganfp recipes` lists the five built-ins', () => {
    const r = spawn(bin('bun'), ['run', 'src/cli.ts', 'recipes'])
    expect(r.status).toBe(0)
    expect(r.stdout.trim().split('\n').map((line) => line.split(':')[0])).toEqual(['slanted-land', 'vanilla', 'dcgan', 'cgan', 'srgan'])
  })
})
