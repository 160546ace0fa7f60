// The bundle bench/gpu-carry.sh carries to a GPU machine with no registry (scripts/bundle-benches.mjs):
// B2 and B3 with every dependency, run by Deno with no node_modules beside them. Two ways it broke
// while it was built: the recipes' `runIfMain` took the command line as theirs (bundled, every
// module's import.meta was the entry's), and tfjs's backends were dropped as side-effect free.
// Runs from the Node suite only (it spawns node and deno).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { runtime } from './support/runtime.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const scratch = mkdtempSync(join(tmpdir(), 'ganfp-gpu-bundle-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))
const env = { ...process.env, XDG_RUNTIME_DIR: process.env['XDG_RUNTIME_DIR'] ?? '/tmp', NO_COLOR: '1' }
const run = (command: string, argv: ReadonlyArray<string>, cwd: string) => spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: 300_000, env })

describe.skipIf(runtime !== 'node')('the benches bundled for a GPU machine', () => {
  it('run under Deno from a folder with no node_modules: help, and a B2 iteration on the cpu backend', () => {
    const out = join(scratch, 'carry')
    const bundled = run('node', [join(root, 'scripts', 'bundle-benches.mjs'), out], root)
    expect(bundled.stderr).toBe('')
    expect(bundled.status).toBe(0)
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['b2.js', 'b3.js']))
    const deno = join(root, 'node_modules', '.bin', 'deno')
    // From the scratch folder: nothing can resolve from the repository's node_modules.
    const b3Help = run(deno, ['run', '-A', join(out, 'b3.js'), '--help'], scratch)
    expect(b3Help.status).toBe(0)
    expect(b3Help.stdout).toMatch(/^b3: protocol B3/)
    const b2 = run(deno, ['run', '-A', join(out, 'b2.js'), '--backends', 'cpu', '--width', '4', '--latent-dim', '4', '--batch', '2', '--cpu-iterations', '1', '--warmup', '0', '--leak-iterations', '0', '--torch', join(scratch, 'no-python')], scratch)
    expect(b2.stderr).toBe('')
    expect(b2.status).toBe(0)
    expect(b2.stdout).toContain('B2 on deno: DCGAN 28×28×1, width 4, latent 4, batch 2')
    expect(b2.stdout).toMatch(/^\| cpu \| [\d.]+ \| [\d.]+ \| — \|$/m)
    expect(b2.stdout).toContain('PyTorch: skipped')
  }, 300_000)
})
