// torchrun as the tests run it: Debian's PyTorch 1.13 launcher (`python3 -m torch.distributed.run`)
// with the flags its Python 3.11 build needs, under a time limit. That launcher sometimes does not
// exit after its workers have finished (seen about once in ten runs here, always after train.py
// printed "wrote …" and both workers had left): a run that completed but whose launcher hung is
// ended (its whole process group, by timeout(1)) and counted as done, with a warning; any other
// failure or time-out is a failure.
import { spawnSync } from 'node:child_process'

export const python = '/usr/bin/python3'

/** What one torchrun gave: its exit status (0 for a completed run whose launcher hung), output, and whether it hung. */
export interface TorchrunResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly hung: boolean
}

/**
 * The launcher's options for `processes` processes on this machine: `--standalone` (a free port);
 * `--redirects 1 --tee 1`, because Debian's 1.13 cannot parse its own default `--redirects 0` on
 * Python 3.11 (it no longer iterates an IntFlag's zero member): stdout goes through a file, teed.
 */
export const standaloneLauncher = (processes: number): ReadonlyArray<string> => ['--standalone', '--nproc_per_node', String(processes), '--redirects', '1', '--tee', '1']

/** `torchrun ARGS…` (the launcher's options, then the script and its own), one thread a process. */
export const runTorchrun = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv; readonly seconds?: number } = {},
): TorchrunResult => {
  const seconds = options.seconds ?? 180
  const r = spawnSync('timeout', ['-k', '5', String(seconds), python, '-m', 'torch.distributed.run', ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', ...(options.env ?? process.env) },
    maxBuffer: 1 << 26,
  })
  const [stdout, stderr] = [r.stdout ?? '', `${r.stderr ?? ''}${r.error === undefined ? '' : String(r.error)}`]
  // timeout(1) exits 124 when the limit ended the command.
  const completed = /\bwrote \S*checkpoints\/step-\d+/.test(stdout)
  if (r.status === 124 && completed) {
    console.warn(`torchrun did not exit ${seconds} s after its run completed (Debian's torch 1.13 launcher); ended it and went on`)
    return { status: 0, stdout, stderr, hung: true }
  }
  return { status: r.status, stdout, stderr, hung: false }
}
