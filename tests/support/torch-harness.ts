// What tests/torch-export.test.ts needs to talk to Python: whether /usr/bin/python3 has torch,
// python/checks/checks.py run on a job, ganfp's forward passes against the torch modules', an
// exported package written to disk with a dataset serving exactly its data, and train.py run with
// one process or under torchrun.
import * as E from 'fp-ts/lib/Either.js'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  boxDownsampleOrThrow, checkGan, checkNetwork, ganToTorchPackage, Rng, type Batch, type Dataset, type Gan, type GanError, type Network,
  type TorchExportRun, type TorchTrainingData, type TrainerSnapshot,
} from '../../src/index.ts'
import { compileNetwork } from '../../src/compile/network.ts'
import { tf } from '../../src/compile/tf.ts'
import { python, runTorchrun, standaloneLauncher } from './torchrun.ts'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export { python }
const check = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' })
/** What is missing for the torch checks (undefined: nothing). */
export const torchMissing = check.status === 0 ? undefined : `${python} with torch and numpy (${(check.error?.message ?? check.stderr ?? '').trim().split('\n').pop()})`
const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' }

export const right = <A>(r: E.Either<ReadonlyArray<GanError>, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

export const maxDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`${a.length} values against ${b.length}`)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

/** Runs python/checks/checks.py on a job in `scratch`; its JSON answer by case name. */
export const runChecks = (scratch: string, command: 'forward' | 'step' | 'top-k-ddp', cases: ReadonlyArray<unknown>): Record<string, unknown> => {
  const job = join(scratch, `${command}-${Date.now()}.json`)
  writeFileSync(job, JSON.stringify({ cases }))
  const r = spawnSync(python, [join(root, 'python', 'checks', 'checks.py'), command, job, `${job}.out`], { encoding: 'utf8', env, maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`checks.py ${command} failed:\n${r.stderr}`)
  return JSON.parse(readFileSync(`${job}.out`, 'utf8')) as Record<string, unknown>
}

/** A network and the batch size to run it on. */
export interface ForwardCase {
  readonly name: string
  readonly network: Network
  readonly batch: number
}

type Values = { readonly shape: ReadonlyArray<number>; readonly values: ReadonlyArray<number> }
type PassResult = Values & { readonly states: Record<string, ReadonlyArray<number>> }
const asValues = (t: tf.Tensor): Values => ({ shape: t.shape, values: Array.from(t.dataSync()) })

/**
 * The largest |torch − ganfp| per case, over three passes (inference; training with two dropout
 * seeds, tfjs's masks on the torch side) of the output and of the state a training pass stores.
 * With `randomise` every parameter and state is drawn at random (moving variances in [0.5, 1.5)).
 */
export const forwardGaps = (scratch: string, cases: ReadonlyArray<ForwardCase>, randomise: boolean): Record<string, number> => {
  const rng = Rng.fromSeed(7)
  const ganfp = cases.map(({ name, network, batch }) => {
    const net = compileNetwork(right(checkNetwork(network, name)))
    const init = net.init(3)
    const params = randomise
      ? Object.fromEntries(net.paramSpecs.map((s) => [s.path, tf.tensor(rng.uniforms(init[s.path]!.size, /moving[VM]/.test(s.path) ? 0.5 : -1, 1.5), s.shape as Array<number>)]))
      : init
    const input = tf.tensor(rng.uniforms(batch * net.inputShape.reduce((a, b) => a * b, 1), -1, 1), [batch, ...net.inputShape])
    const labels = net.labelClasses === undefined ? undefined : Int32Array.from({ length: batch }, () => rng.int(net.labelClasses!))
    const passes = [{ training: false }, { training: true, seed: 1234 }, { training: true, seed: 4321987 }]
    const results = passes.map((mode) => {
      const { output, stateUpdates } = net.forward(params, input, mode, labels === undefined ? undefined : tf.tensor1d(labels, 'int32'))
      return { output: asValues(output), states: Object.fromEntries(Object.entries(stateUpdates).map(([p, t]) => [p, Array.from(t.dataSync())])) }
    })
    const job = {
      name,
      network,
      paramSpecs: net.paramSpecs,
      params: Object.fromEntries(Object.entries(params).map(([p, t]) => [p, asValues(t)])),
      input: asValues(input),
      labels: labels === undefined ? null : Array.from(labels),
      passes: passes.map((m) => ({ ...m, dropout: 'tfjs' })),
    }
    return { job, results }
  })
  const torch = runChecks(scratch, 'forward', ganfp.map((g) => g.job)) as Record<string, ReadonlyArray<PassResult>>
  return Object.fromEntries(
    ganfp.map(({ job, results }) => {
      const worst = results.map((mine, i) => {
        const theirs = torch[job.name]![i]!
        if (JSON.stringify(theirs.shape) !== JSON.stringify(mine.output.shape)) return Number.POSITIVE_INFINITY
        const states = Object.entries(mine.states).map(([path, values]) => maxDifference(values, theirs.states[path]!))
        return Math.max(maxDifference(mine.output.values, theirs.values), ...states)
      })
      return [job.name, Math.max(...worst)]
    }),
  )
}

/** A package's files written under `dir`. */
export const writeFiles = (dir: string, files: Readonly<Record<string, string | Uint8Array>>): void => {
  for (const [path, contents] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), contents)
  }
}

/**
 * The package of `gan` in `dir`, starting from `initial`, whose data is `batch` random examples
 * (bytes for image discriminators, values in [−1, 1] otherwise); and a ganfp dataset that serves
 * exactly that batch, scaled as ganfp scales bytes, with its labels and paired inputs.
 */
export const packageWithOneBatch = (dir: string, gan: Gan, batch: number, initial: TrainerSnapshot, rng: Rng): Dataset => {
  const checked = right(checkGan(gan))
  const exampleShape = checked.discriminator.inputShape
  const size = exampleShape.reduce((a, b) => a * b, 1)
  const classes = checked.discriminator.labelClasses ?? checked.generator.labelClasses
  const labels = classes === undefined ? undefined : Int32Array.from({ length: batch }, () => rng.int(classes))
  const pixels = Uint8Array.from({ length: batch * size }, () => rng.int(256))
  const withLabels = labels === undefined ? {} : { labels }
  const data: TorchTrainingData =
    exampleShape.length === 3
      ? { _tag: 'Images', pixels, shape: [batch, ...exampleShape], ...withLabels }
      : { _tag: 'Values', values: rng.uniforms(batch * size, -1, 1), shape: [batch, ...exampleShape], ...withLabels }
  const run: TorchExportRun = { recipe: { name: 'test', module: 'builtin:test' }, argv: [], config: { batch }, seed: 5 }
  writeFiles(dir, right(ganToTorchPackage({ checked, run, initial, data })).files)
  const values = data._tag === 'Images' ? Float32Array.from(pixels, (p) => p / 127.5 - 1) : data.values
  const paired = gan.latent._tag === 'Paired' ? checked.generator.inputShape : undefined
  const [height, width, channels] = exampleShape as [number, number, number]
  const pairedInput = paired === undefined ? undefined : boxDownsampleOrThrow(values, { count: batch, height, width, channels }, height / paired[0]!)
  const one: Batch = { values, shape: [batch, ...exampleShape], ...withLabels, ...(pairedInput === undefined ? {} : { pairedInput }) }
  return {
    name: 'one batch',
    exampleShape,
    ...(classes === undefined ? {} : { numClasses: classes }),
    ...(paired === undefined ? {} : { pairedInputShape: paired }),
    batches: () => ({
      async *[Symbol.asyncIterator]() {
        for (;;) yield one
      },
    }),
  }
}

/**
 * `train.py` of the package in `pkg` with `processes` processes under torchrun (gloo on
 * localhost; see ./torchrun.ts for the launcher's flags and time limit), or as a plain script for
 * one (faster to start). Returns stdout.
 */
export const trainScript = (pkg: string, processes: number, out: string, args: ReadonlyArray<string>): string => {
  const script = [join(pkg, 'train.py'), '--out', out, ...args]
  const r =
    processes === 1
      ? spawnSync(python, script, { encoding: 'utf8', env, maxBuffer: 1 << 26 })
      : runTorchrun([...standaloneLauncher(processes), ...script], { env })
  if (r.status !== 0) throw new Error(`train.py with ${processes} process(es) failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

/** The largest difference between two snapshots' generator and discriminator parameters. */
export const parameterGap = (a: TrainerSnapshot, b: TrainerSnapshot): number =>
  Math.max(...(['generator', 'discriminator'] as const).flatMap((who) => Object.entries(a[who].params).map(([path, t]) => maxDifference(t.values, b[who].params[path]!.values))))
