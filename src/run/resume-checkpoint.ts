/**
 * Which checkpoint a run resumes from: the newest, or the one `--from` names, verified to load
 * before anything is made. When the newest cannot be resumed, the error lists the intact older
 * checkpoints and the command that resumes from one; `--from` naming a checkpoint that is not
 * there or not intact lists them too. Internal: `restoreRun` and `resumeRun` use it.
 *
 * @since 0.2.0
 */
import { basename } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { CompiledGan } from '../compile/gan.ts'
import { checkpointCorrupt, invalidConfig, type GanError } from '../errors.ts'
import { decodeWithPaths } from '../io/decode.ts'
import { listCheckpoints, readCheckpoint, type Checkpoint } from '../node/checkpoint.ts'
import type { RunManifest } from '../node/run-directory.ts'
import { checkSnapshot } from '../train/snapshot.ts'
import { checkRecord, RunRecordCodec, type RunRecord } from './record.ts'

/** A checkpoint that resumes the run: read, its run record decoded and checked, its tensors' shapes checked. */
export interface ResumableCheckpoint {
  readonly checkpoint: Checkpoint
  readonly record: RunRecord
}

/**
 * Reads the checkpoint at `path` and checks it against the run: its run record against the
 * manifest, its tensors against `compiled` (no tensor is made). Every problem names the
 * checkpoint's path, a tensor's shape included.
 */
export const verifyCheckpoint = (path: string, compiled: CompiledGan, manifest: RunManifest): E.Either<ReadonlyArray<GanError>, ResumableCheckpoint> => {
  const checkpoint = readCheckpoint(path)
  if (E.isLeft(checkpoint)) return checkpoint
  const where = `checkpoint(${path})`
  const decoded = decodeWithPaths(RunRecordCodec, checkpoint.right.run, `${where}.manifest.json.run`, 'CheckpointCorrupt')
  const recordErrors = E.isLeft(decoded) ? decoded.left : checkRecord(decoded.right, manifest, `${where}.manifest.json.run`)
  // `checkSnapshot` knows the tensor, not the file: the checkpoint's path is added here.
  const tensorErrors = checkSnapshot(compiled, checkpoint.right.snapshot).map((e) => ({ ...e, path: `${where}.${e.path}` }))
  const errors = [...recordErrors, ...tensorErrors]
  return errors.length > 0 || E.isLeft(decoded) ? E.left(errors) : E.right({ checkpoint: checkpoint.right, record: decoded.right })
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but plain path characters. */
const shellWord = (word: string): string => (/^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`)

/** The step a `--from` value names: `step-N` (zero-padded as the folder is, or not). */
const stepNamed = (from: string): number | undefined => {
  const match = /^step-(\d+)\/?$/.exec(from)
  return match === null ? undefined : Number(match[1])
}

/** Intact checkpoints' folder names, newest first, or `none`. */
const names = (intact: ReadonlyArray<{ readonly path: string }>): string => (intact.length === 0 ? 'none' : intact.map((c) => basename(c.path)).join(', '))

/**
 * The checkpoint to resume the run in `runPath` (as the user gave it) from: the newest in
 * `directory`, or the one `from` names (`step-N`). `verify` is `verifyCheckpoint` for the run.
 */
export const chooseCheckpoint = (
  runPath: string,
  directory: string,
  from: string | undefined,
  verify: (path: string) => E.Either<ReadonlyArray<GanError>, ResumableCheckpoint>,
): E.Either<ReadonlyArray<GanError>, ResumableCheckpoint> => {
  const listed = listCheckpoints(directory)
  if (E.isLeft(listed)) return listed
  const newestFirst = [...listed.right].reverse()
  const intactAmong = (candidates: typeof newestFirst) => candidates.filter((c) => E.isRight(verify(c.path)))
  if (from === undefined) {
    const newest = newestFirst[0]
    if (newest === undefined) return E.left([checkpointCorrupt(`checkpoints(${directory})`, 'at least one step-NNNNNNNN checkpoint', 'none')])
    const chosen = verify(newest.path)
    if (E.isRight(chosen)) return chosen
    const intact = intactAmong(newestFirst.slice(1))
    if (intact.length === 0) return chosen
    // The newest is not resumed silently from elsewhere: the user chooses, with the command at hand.
    return E.left([
      ...chosen.left,
      checkpointCorrupt(
        `checkpoint(${newest.path})`,
        'a newest checkpoint that resumes',
        `one that does not (the problems above); intact older checkpoints: ${names(intact)}`,
        `resume from one with: ganfp resume ${shellWord(runPath)} --from ${basename(intact[0]!.path)}`,
      ),
    ])
  }
  const step = stepNamed(from)
  const named = step === undefined ? undefined : listed.right.find((c) => c.step === step)
  if (named === undefined) {
    const why = step === undefined ? 'not a step-N name' : `no such checkpoint in ${directory}`
    return E.left([invalidConfig('--from', `one of the run's intact checkpoints (${names(intactAmong(newestFirst))})`, `${JSON.stringify(from)} (${why})`)])
  }
  const chosen = verify(named.path)
  if (E.isRight(chosen)) return chosen
  const intact = intactAmong(newestFirst.filter((c) => c !== named))
  return E.left([
    ...chosen.left,
    invalidConfig('--from', `one of the run's intact checkpoints (${names(intact)})`, `${JSON.stringify(from)} (it does not resume: the problems above)`),
  ])
}
