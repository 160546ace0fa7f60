/**
 * One directory per training run:
 *
 * - `manifest.json`: the recipe, its command-line arguments and decoded configuration, the seed,
 *   the backend, the runtime and the library versions; enough to resume or reproduce the run;
 * - `metrics.jsonl`: one JSON object per logged step (losses, scores, gradient norms, speed,
 *   alarms);
 * - `samples/step-NNNNNNNN.png`: grids of one fixed latent batch as training goes, and
 *   `samples/latest.png`;
 * - `loss.svg`: D and G loss, D(x) and D(G(z)) over the steps, regenerated as training goes;
 * - `checkpoints/`: see `src/node/checkpoint.ts`;
 * - `checkpoints-set-aside/`: checkpoints newer than the one `ganfp resume --from` resumed from,
 *   moved out of `checkpoints/` (never deleted).
 *
 * @since 0.1.0
 */
import { appendFileSync, chmodSync, existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidConfig, invalidData, type GanError } from '../errors.ts'
import { decodeWithPaths, NonNegativeInt } from '../io/decode.ts'
import { fileMode, tryFileSystem, writeFileAtomic } from './files.ts'
import { lossPlotSvg, type PlotPoint } from '../io/loss-plot.ts'

/**
 * What `manifest.json` holds. `recipe.module` is `builtin:NAME` for a recipe that ships with
 * ganfp, otherwise the recipe module's absolute path.
 *
 * @since 0.1.0
 * @category model
 */
export interface RunManifest {
  format: 'ganfp-run'
  formatVersion: 1
  recipe: { name: string; module: string }
  /** The command-line arguments the run was started with. */
  argv: Array<string>
  /** The recipe's decoded configuration. */
  config: { [key: string]: unknown }
  seed: number
  backend: { requested: string; name: string; reason: string }
  runtime: { name: string; version: string }
  versions: { [name: string]: string }
  createdAt: string
}

// Annotated (not inferred) so the public types need no inference from io-ts (JSR's "slow types").
const RunManifestCodec: t.Type<RunManifest, RunManifest, unknown> = t.type(
  {
    format: t.literal('ganfp-run'),
    formatVersion: t.literal(1),
    recipe: t.type({ name: t.string, module: t.string }),
    argv: t.array(t.string),
    config: t.record(t.string, t.unknown),
    seed: t.number,
    backend: t.type({ requested: t.string, name: t.string, reason: t.string }),
    runtime: t.type({ name: t.string, version: t.string }),
    versions: t.record(t.string, t.string),
    createdAt: t.string,
  },
  'a ganfp run manifest',
)

/**
 * One line of `metrics.jsonl`. JSON has no NaN: a non-finite value is written as `null`.
 *
 * @since 0.1.0
 * @category model
 */
export interface MetricsRow extends PlotPoint {
  readonly step: number
  /** Seconds of training in this process when the step ended. */
  readonly seconds: number
  readonly stepsPerSecond: number
  readonly discriminatorGradientNorm: number
  readonly generatorGradientNorm: number
  readonly alarms: ReadonlyArray<{ readonly kind: string; readonly message: string }>
}

const MetricsRowCodec = t.type({ step: NonNegativeInt })

/**
 * An open run directory. Each method reports a file that cannot be read or written as a
 * `FileSystem` error naming it.
 *
 * @since 0.1.0
 * @category model
 */
export interface RunDirectory {
  readonly path: string
  readonly manifest: RunManifest
  readonly checkpoints: string
  /** The rows of `metrics.jsonl` (none for a new run). */
  readonly readMetrics: () => E.Either<ReadonlyArray<GanError>, ReadonlyArray<MetricsRow>>
  readonly appendMetrics: (row: MetricsRow) => E.Either<ReadonlyArray<GanError>, void>
  /** Rewrites `metrics.jsonl` with the given rows only (a resumed run drops the steps it repeats). */
  readonly replaceMetrics: (rows: ReadonlyArray<MetricsRow>) => E.Either<ReadonlyArray<GanError>, void>
  /** Writes `samples/step-NNNNNNNN.png` and `samples/latest.png`. */
  readonly writeGrid: (step: number, png: Uint8Array) => E.Either<ReadonlyArray<GanError>, void>
  readonly writeLossPlot: (rows: ReadonlyArray<MetricsRow>, scoreLabel?: string) => E.Either<ReadonlyArray<GanError>, void>
}

const open = (path: string, manifest: RunManifest): RunDirectory => {
  const metricsPath = join(path, 'metrics.jsonl')
  const toLine = (row: MetricsRow) => `${JSON.stringify(row)}\n`
  return {
    path,
    manifest,
    checkpoints: join(path, 'checkpoints'),
    readMetrics: () => {
      const text = tryFileSystem(metricsPath, 'a readable file', () => (existsSync(metricsPath) ? readFileSync(metricsPath, 'utf8') : ''))
      if (E.isLeft(text)) return text
      const rows: Array<MetricsRow> = []
      const errors: Array<GanError> = []
      // A line cut short by a crash mid-append is the last one: it is dropped, not an error.
      const lines = text.right.split('\n')
      lines.forEach((line, i) => {
        if (line.trim() === '') return
        try {
          const value: unknown = JSON.parse(line)
          const decoded = decodeWithPaths(MetricsRowCodec, value, `${metricsPath}:${i + 1}`, 'InvalidData')
          if (E.isLeft(decoded)) errors.push(...decoded.left)
          else rows.push(value as MetricsRow)
        } catch {
          if (i < lines.length - 1 && lines.slice(i + 1).some((rest) => rest.trim() !== ''))
            errors.push(invalidData(`${metricsPath}:${i + 1}`, 'a JSON object', JSON.stringify(line.slice(0, 40))))
        }
      })
      return errors.length > 0 ? E.left(errors) : E.right(rows)
    },
    appendMetrics: (row) =>
      tryFileSystem(metricsPath, 'a writable file', () => {
        const created = !existsSync(metricsPath)
        appendFileSync(metricsPath, toLine(row), { mode: fileMode })
        // The umask applies to the mode a file is created with: set it once, on creation.
        if (created) chmodSync(metricsPath, fileMode)
      }),
    replaceMetrics: (rows) => writeFileAtomic(metricsPath, rows.map(toLine).join('')),
    writeGrid: (step, png) =>
      E.flatMap(() => writeFileAtomic(join(path, 'samples', 'latest.png'), png))(
        writeFileAtomic(join(path, 'samples', `step-${String(step).padStart(8, '0')}.png`), png),
      ),
    writeLossPlot: (rows, scoreLabel) => writeFileAtomic(join(path, 'loss.svg'), lossPlotSvg(rows, scoreLabel === undefined ? {} : { scoreLabel })),
  }
}

/**
 * Creates the directory of a new run and writes its manifest. `path` must not exist or be empty:
 * a run is never written over another. A directory that cannot be created or written is a
 * `FileSystem` error naming it.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { libraryVersion } from 'ganfp'
 * import { createRunDirectory } from 'ganfp/node'
 * const run = createRunDirectory('runs/example', {
 *   format: 'ganfp-run', formatVersion: 1, recipe: { name: 'vanilla', module: 'builtin:vanilla' }, argv: [], config: {}, seed: 1,
 *   backend: { requested: 'cpu', name: 'cpu', reason: 'requested' }, runtime: { name: 'node', version: process.version },
 *   versions: { ganfp: libraryVersion }, createdAt: new Date().toISOString(),
 * })
 * E.isRight(run) && run.right.checkpoints // 'runs/example/checkpoints'
 * @since 0.1.0
 * @category io
 */
export const createRunDirectory = (path: string, manifest: RunManifest): E.Either<ReadonlyArray<GanError>, RunDirectory> => {
  const entries = tryFileSystem(path, 'a new or empty directory', () => (existsSync(path) ? readdirSync(path) : []))
  if (E.isLeft(entries)) return entries
  if (entries.right.length > 0)
    return E.left([
      invalidConfig(
        '--out',
        'a new or empty directory',
        existsSync(join(path, 'manifest.json')) ? `the run directory ${path} (continue it with \`ganfp resume ${path}\`)` : `the non-empty directory ${path}`,
      ),
    ])
  return E.map(() => open(path, manifest))(writeFileAtomic(join(path, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`))
}

/**
 * Opens an existing run directory, checking its manifest.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { openRunDirectory } from 'ganfp/node'
 * const run = openRunDirectory('runs/example') // made as in `createRunDirectory`'s example
 * E.isRight(run) && run.right.manifest.recipe.name // 'vanilla'
 * E.isLeft(openRunDirectory('runs/none')) // true: no manifest.json
 * @since 0.1.0
 * @category io
 */
export const openRunDirectory = (path: string): E.Either<ReadonlyArray<GanError>, RunDirectory> => {
  const manifestPath = join(path, 'manifest.json')
  if (!existsSync(manifestPath)) return E.left([invalidConfig('RUN_DIR', 'a run directory with a manifest.json', `no ${manifestPath}`)])
  const text = tryFileSystem(manifestPath, 'a readable file', () => readFileSync(manifestPath, 'utf8'))
  if (E.isLeft(text)) return text
  let json: unknown
  try {
    json = JSON.parse(text.right)
  } catch (error) {
    return E.left([invalidData(manifestPath, 'JSON', error instanceof Error ? error.message : String(error))])
  }
  return E.map((manifest: RunManifest) => open(path, manifest))(decodeWithPaths(RunManifestCodec, json, manifestPath, 'InvalidData'))
}
