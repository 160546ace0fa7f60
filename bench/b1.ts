/**
 * Protocol B1 (shared/PROTOCOLS.md): the DSL-compiled training iteration against the same model
 * written by hand in tfjs-core, on the same backend, alternating in one process run (compiled,
 * hand-written, compiled, ...), median of the timed iterations after the warm-up ones. Prints a
 * table, one row per model and backend; the target ratio compiled / hand-written is ≤ 1.00, and
 * ≤ 0.85 where fusion applies. Not a test.
 *
 * One iteration, on both sides: one discriminator step on a real and a fake batch, one generator
 * step, Adam (lr 2e-4, β1 0.5) for both, the non-saturating loss from logits (softplus forms), then
 * the generator's moving average when `--average-decay` is not 0 (the recipes train with one, so
 * both sides keep it). The models are the DCGAN of recipes/dcgan.ts and the MLP GAN of
 * recipes/vanilla.ts. Real data is a fixed pool of batches (normal images clipped to [-1, 1], Q1
 * ring points) that both sides upload each step, so drawing data is timed on neither side.
 *
 * The hand-written side is what a tfjs user writes: `tf.variable`s, `tf.matMul` / `tf.conv2d` /
 * `tf.conv2dTranspose` plus a bias add, `tf.moments` + `tf.batchNorm`, `tf.dropout`, and
 * `tf.train.adam`'s `minimize`. It cannot train the DCGAN on wasm, whose backend has no
 * Conv2DBackpropFilter kernel; the compiler lowers convolutions, so the compiled side runs there.
 *
 * Run: `bun run bench/b1.ts` (wasm then cpu, both models, DCGAN width 16), `bun run bench/b1.ts
 * --width 64 --models dcgan --backend wasm` (the classic DCGAN size), or under Deno with
 * `deno run -A bench/b1.ts --backend webgpu`.
 */
import { tf, type Tensor } from '../src/compile/tf.ts'
import {
  alternating,
  backendChoices,
  compileOrThrow,
  createTrainerOrThrow,
  flag,
  flagsHelp,
  fromSampler,
  getOrThrow,
  intFlag,
  nonNegativeIntFlag,
  invalidConfig,
  mixtureDataset,
  positiveIntFlag,
  ringMixture,
  stringFlag,
  unitIntervalFlag,
  useBackendOrThrow,
  withSchedule,
  GanException,
  Rng,
  type BackendChoice,
  type FlagValues,
  type Gan,
} from '../src/index.ts'
import { isMain, parseFlags, runMain } from '../src/node.ts'
import { dcganFlags, dcganGan } from '../recipes/dcgan.ts'
import { vanillaDefaults, vanillaGan, vanillaWidth } from '../recipes/vanilla.ts'
import { median } from './median.ts'

const modelChoices = ['dcgan', 'mlp'] as const
type ModelName = (typeof modelChoices)[number]

/** The benchmark's options; `--help` prints them. */
export const b1Flags = {
  models: flag(stringFlag, modelChoices.join(','), `comma-separated, among ${modelChoices.join(', ')}`),
  backend: flag(stringFlag, 'wasm,cpu', `comma-separated, run in that order, among ${backendChoices.join(', ')}`),
  width: flag(positiveIntFlag, dcganFlags.width.defaultValue, 'DCGAN channels of the last generator block (64: the classic size)'),
  'mlp-width': flag(positiveIntFlag, vanillaWidth(vanillaDefaults), 'units in each hidden layer of the MLP GAN (the ring’s)'),
  batch: flag(positiveIntFlag, 64, 'examples per batch (B1: 64)'),
  iterations: flag(positiveIntFlag, 20, 'timed iterations per side (B1: at least 20)'),
  warmup: flag(intFlag, 3, 'untimed iterations per side before them (B1: 3)'),
  'average-decay': flag(unitIntervalFlag, 0.999, "decay of the generator's moving average, kept on both sides (0: none)"),
  seed: flag(intFlag, 1, 'seed of the compiled trainer and of the data pool'),
  threads: flag(nonNegativeIntFlag, 0, 'wasm threads (0: every core)'),
}

/** The benchmark's configuration: its flags' values. */
export type B1Config = FlagValues<typeof b1Flags>

const dcganLatentDim = 64
const learningRate = 2e-4
const beta1 = 0.5
const poolBatches = 8

const parseList = <A extends string>(name: string, text: string, choices: ReadonlyArray<A>): ReadonlyArray<A> => {
  const isChoice = (s: string): s is A => (choices as ReadonlyArray<string>).includes(s)
  const items = text.split(',').map((s) => s.trim())
  const unknown = items.filter((s) => !isChoice(s))
  if (unknown.length > 0)
    throw new GanException(
      unknown.map((s) => invalidConfig(`--${name}`, `a comma-separated list among ${choices.join(', ')}`, JSON.stringify(s))),
    )
  return items.filter(isChoice)
}

// ---------------------------------------------------------------------------------------------
// The hand-written side: plain tfjs-core, as a user would write it without ganfp.
// ---------------------------------------------------------------------------------------------

/** A forward pass in training mode and the new values of the batch-norm moving statistics. */
interface HandForward {
  readonly output: Tensor
  readonly stateUpdates: ReadonlyArray<readonly [tf.Variable, Tensor]>
}

interface HandNetwork {
  readonly trainables: Array<tf.Variable>
  /** Every variable, moving statistics included: what the moving average follows. */
  readonly variables: ReadonlyArray<tf.Variable>
  readonly forward: (x: Tensor) => HandForward
}

interface HandGan {
  readonly generator: HandNetwork
  readonly discriminator: HandNetwork
  readonly latentDim: number
}

const glorotUniform = (shape: Array<number>, fanIn: number, fanOut: number): tf.Variable => {
  const limit = Math.sqrt(6 / (fanIn + fanOut))
  return tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit)))
}

const filled = (shape: Array<number>, value: number, trainable = true): tf.Variable =>
  tf.tidy(() => tf.variable(tf.fill(shape, value), trainable))

const network = (variables: Record<string, tf.Variable>, forward: (x: Tensor) => HandForward): HandNetwork => ({
  trainables: Object.values(variables).filter((v) => v.trainable),
  variables: Object.values(variables),
  forward,
})

/** γ, β and the moving statistics of one batch-norm layer (momentum 0.99, ε 1e-3, as ganfp's). */
const batchNormVariables = (name: string, channels: number): Record<string, tf.Variable> => ({
  [`${name}.gamma`]: filled([channels], 1),
  [`${name}.beta`]: filled([channels], 0),
  [`${name}.movingMean`]: filled([channels], 0, false),
  [`${name}.movingVariance`]: filled([channels], 1, false),
})

const batchNormTraining = (
  x: Tensor,
  v: Record<string, tf.Variable>,
  name: string,
  updates: Array<readonly [tf.Variable, Tensor]>,
): Tensor => {
  const { mean, variance } = tf.moments(x, Array.from({ length: x.rank - 1 }, (_, i) => i))
  const movingMean = v[`${name}.movingMean`]!
  const movingVariance = v[`${name}.movingVariance`]!
  updates.push([movingMean, tf.add(tf.mul(movingMean, 0.99), tf.mul(mean, 0.01))])
  updates.push([movingVariance, tf.add(tf.mul(movingVariance, 0.99), tf.mul(variance, 0.01))])
  return tf.batchNorm(x, mean, variance, v[`${name}.beta`]!, v[`${name}.gamma`]!, 1e-3)
}

/** The DCGAN of recipes/dcgan.ts, layer for layer, with ganfp's parameter layouts. */
const handDcgan = (w: number, latentDim: number): HandGan => {
  const k = 25 // 5×5 kernels
  const g: Record<string, tf.Variable> = {
    dense: glorotUniform([latentDim, 49 * 4 * w], latentDim, 49 * 4 * w),
    ...batchNormVariables('bn0', 49 * 4 * w),
    up1: glorotUniform([5, 5, 2 * w, 4 * w], k * 4 * w, k * 2 * w),
    ...batchNormVariables('bn1', 2 * w),
    up2: glorotUniform([5, 5, w, 2 * w], k * 2 * w, k * w),
    ...batchNormVariables('bn2', w),
    up3: glorotUniform([5, 5, 1, w], k * w, k),
    up3Bias: filled([1], 0),
  }
  const d: Record<string, tf.Variable> = {
    conv1: glorotUniform([5, 5, 1, w], k, k * w),
    conv1Bias: filled([w], 0),
    conv2: glorotUniform([5, 5, w, 2 * w], k * w, k * 2 * w),
    conv2Bias: filled([2 * w], 0),
    dense: glorotUniform([49 * 2 * w, 1], 49 * 2 * w, 1),
    denseBias: filled([1], 0),
  }
  const generator = network(g, (z) => {
    const n = z.shape[0]!
    const updates: Array<readonly [tf.Variable, Tensor]> = []
    let h: Tensor = tf.relu(batchNormTraining(tf.matMul(z as tf.Tensor2D, g['dense'] as tf.Tensor2D), g, 'bn0', updates))
    h = tf.reshape(h, [n, 7, 7, 4 * w])
    h = tf.conv2dTranspose(h as tf.Tensor4D, g['up1'] as tf.Tensor4D, [n, 7, 7, 2 * w], 1, 'same')
    h = tf.relu(batchNormTraining(h, g, 'bn1', updates))
    h = tf.conv2dTranspose(h as tf.Tensor4D, g['up2'] as tf.Tensor4D, [n, 14, 14, w], 2, 'same')
    h = tf.relu(batchNormTraining(h, g, 'bn2', updates))
    h = tf.conv2dTranspose(h as tf.Tensor4D, g['up3'] as tf.Tensor4D, [n, 28, 28, 1], 2, 'same')
    return { output: tf.tanh(tf.add(h, g['up3Bias']!)), stateUpdates: updates }
  })
  const discriminator = network(d, (x) => {
    const n = x.shape[0]!
    let h: Tensor = tf.add(tf.conv2d(x as tf.Tensor4D, d['conv1'] as tf.Tensor4D, 2, 'same'), d['conv1Bias']!)
    h = tf.dropout(tf.leakyRelu(h, 0.2), 0.3)
    h = tf.add(tf.conv2d(h as tf.Tensor4D, d['conv2'] as tf.Tensor4D, 2, 'same'), d['conv2Bias']!)
    h = tf.dropout(tf.leakyRelu(h, 0.2), 0.3)
    h = tf.add(tf.matMul(tf.reshape(h, [n, 49 * 2 * w]) as tf.Tensor2D, d['dense'] as tf.Tensor2D), d['denseBias']!)
    return { output: h, stateUpdates: [] }
  })
  return { generator, discriminator, latentDim }
}

/** A multilayer perceptron: `hidden` dense layers with `activation`, then a linear one. */
const handMlp = (inputs: number, hidden: ReadonlyArray<number>, activation: (x: Tensor) => Tensor, outputs: number): HandNetwork => {
  const sizes = [inputs, ...hidden, outputs]
  const v: Record<string, tf.Variable> = {}
  for (let i = 0; i + 1 < sizes.length; i++) {
    v[`kernel${i}`] = glorotUniform([sizes[i]!, sizes[i + 1]!], sizes[i]!, sizes[i + 1]!)
    v[`bias${i}`] = filled([sizes[i + 1]!], 0)
  }
  return network(v, (x) => {
    let h = x
    for (let i = 0; i + 1 < sizes.length; i++) {
      h = tf.add(tf.matMul(h as tf.Tensor2D, v[`kernel${i}`] as tf.Tensor2D), v[`bias${i}`]!)
      if (i + 2 < sizes.length) h = activation(h)
    }
    return { output: h, stateUpdates: [] }
  })
}

/** The MLP GAN of recipes/vanilla.ts: ReLU in G, leaky ReLU (0.2) in D, 2-D points. */
const handVanilla = (width: number, latentDim: number): HandGan => ({
  generator: handMlp(latentDim, [width, width, width], (x) => tf.relu(x), 2),
  discriminator: handMlp(2, [width, width, width], (x) => tf.leakyRelu(x, 0.2), 1),
  latentDim,
})

/** Mean sigmoid cross-entropy from logits against a constant target: softplus(l) − t·l. */
const sigmoidCrossEntropy = (logits: Tensor, target: number): Tensor =>
  tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target)))

interface HandTrainer {
  /** One iteration on a real batch; resolves when its losses are read back. */
  readonly step: (real: Float32Array) => Promise<void>
  readonly dispose: () => void
}

const handWrittenTrainer = (
  model: HandGan,
  options: { readonly batchSize: number; readonly exampleShape: ReadonlyArray<number>; readonly averageDecay: number },
): HandTrainer => {
  const { generator: G, discriminator: D, latentDim } = model
  const { batchSize, averageDecay } = options
  const gOptimizer = tf.train.adam(learningRate, beta1, 0.999, 1e-8)
  const dOptimizer = tf.train.adam(learningRate, beta1, 0.999, 1e-8)
  const average = averageDecay === 0 ? [] : G.variables.map((v) => tf.variable(v, false))
  let steps = 0
  const step = async (real: Float32Array): Promise<void> => {
    const losses = tf.tidy(() => {
      const x = tf.tensor(real, [batchSize, ...options.exampleShape])
      const fake = G.forward(tf.randomNormal([batchSize, latentDim])).output
      const dLoss = dOptimizer.minimize(
        () => tf.add(sigmoidCrossEntropy(D.forward(x).output, 1), sigmoidCrossEntropy(D.forward(fake).output, 0)) as tf.Scalar,
        true,
        D.trainables,
      )!
      const z = tf.randomNormal([batchSize, latentDim])
      const gLoss = gOptimizer.minimize(
        () => {
          const generated = G.forward(z)
          for (const [variable, value] of generated.stateUpdates) variable.assign(value)
          return tf.mean(tf.softplus(tf.neg(D.forward(generated.output).output))) as tf.Scalar
        },
        true,
        G.trainables,
      )!
      const decay = Math.min(averageDecay, (1 + steps) / (10 + steps))
      average.forEach((a, i) => a.assign(tf.add(tf.mul(a, decay), tf.mul(G.variables[i]!, 1 - decay))))
      return tf.stack([dLoss, gLoss])
    })
    steps++
    await losses.data()
    losses.dispose()
  }
  return {
    step,
    dispose: () => {
      gOptimizer.dispose()
      dOptimizer.dispose()
      for (const v of [...G.variables, ...D.variables, ...average]) v.dispose()
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The benchmark: both sides of one model on one backend, alternating.
// ---------------------------------------------------------------------------------------------

interface Model {
  readonly name: ModelName
  readonly description: string
  readonly spec: Gan
  readonly exampleShape: ReadonlyArray<number>
  readonly pool: ReadonlyArray<Float32Array>
  readonly handWritten: () => HandGan
}

const imagePool = (config: B1Config): ReadonlyArray<Float32Array> => {
  const rng = Rng.fromSeed(config.seed)
  return Array.from({ length: poolBatches }, () => rng.normals(config.batch * 784).map((v) => Math.max(-1, Math.min(1, v))))
}

const ringPool = async (config: B1Config): Promise<ReadonlyArray<Float32Array>> => {
  const batches = mixtureDataset(ringMixture).batches({ batchSize: config.batch, seed: config.seed })[Symbol.asyncIterator]()
  const pool: Array<Float32Array> = []
  for (let i = 0; i < poolBatches; i++) pool.push((await batches.next()).value!.values)
  return pool
}

const averageSchedule = (config: B1Config) =>
  alternating({ generatorAverageDecay: config['average-decay'] === 0 ? undefined : config['average-decay'] })

const makeModel = async (name: ModelName, config: B1Config): Promise<Model> => {
  switch (name) {
    case 'dcgan':
      return {
        name,
        description: `DCGAN width ${config.width}`,
        spec: withSchedule(averageSchedule(config))(dcganGan({ width: config.width, latentDim: dcganLatentDim })),
        exampleShape: [28, 28, 1],
        pool: imagePool(config),
        handWritten: () => handDcgan(config.width, dcganLatentDim),
      }
    case 'mlp': {
      const width = config['mlp-width']
      const latentDim = vanillaDefaults['latent-dim']
      return {
        name,
        description: `MLP 3×${width}`,
        spec: vanillaGan({ width, latentDim, learningRate, generatorAverageDecay: averageSchedule(config).generatorAverageDecay }),
        exampleShape: [2],
        pool: await ringPool(config),
        handWritten: () => handVanilla(width, latentDim),
      }
    }
  }
}

interface Row {
  readonly model: string
  readonly backend: string
  readonly compiledMs: number
  /** The median, or why the hand-written side could not run. */
  readonly handWritten: number | string
  readonly compiledTensors: string
  readonly handTensors: string
  /** Live tensors after the row, both sides disposed, minus those before it. */
  readonly outliving: number
}


const failureReason = (error: unknown, backend: string): string => {
  const message = error instanceof Error ? error.message : String(error)
  return /Conv2DBackpropFilter/.test(message)
    ? `fails on ${backend} (no Conv2DBackpropFilter kernel)`
    : `fails on ${backend} (${message})`
}

/** Live tensors after the first and the last timed step of one side: equal when nothing leaks. */
const tensorTrend = (counts: ReadonlyArray<number>): string =>
  counts.length === 0 ? '—' : `${counts[0]}→${counts[counts.length - 1]}`

const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await run()
  return performance.now() - started
}

const benchmarkRow = async (model: Model, backend: string, config: B1Config): Promise<Row> => {
  const tensorsBefore = tf.memory().numTensors
  let served = 0
  const dataset = fromSampler(`b1-${model.name}`, model.exampleShape, () => model.pool[served++ % model.pool.length]!)
  const trainer = createTrainerOrThrow(compileOrThrow(model.spec), dataset, { seed: config.seed, batchSize: config.batch })
  const hand = handWrittenTrainer(model.handWritten(), {
    batchSize: config.batch,
    exampleShape: model.exampleShape,
    averageDecay: config['average-decay'],
  })
  const compiledMs: Array<number> = []
  const handMs: Array<number> = []
  const compiledTensors: Array<number> = []
  const handTensors: Array<number> = []
  let handFailure: string | undefined
  try {
    const warmup = Math.max(0, config.warmup)
    for (let i = 0; i < warmup + config.iterations; i++) {
      const measured = i >= warmup
      const c = await timed(() => trainer.stepOrThrow())
      if (measured) {
        compiledMs.push(c)
        compiledTensors.push(tf.memory().numTensors)
      }
      if (handFailure !== undefined) continue
      try {
        const h = await timed(() => hand.step(model.pool[i % model.pool.length]!))
        if (measured) {
          handMs.push(h)
          handTensors.push(tf.memory().numTensors)
        }
      } catch (error) {
        handFailure = failureReason(error, backend)
        console.log(`${model.description} on ${backend}: hand-written: ${handFailure}`)
      }
    }
  } finally {
    trainer.dispose()
    hand.dispose()
  }
  return {
    model: model.description,
    backend,
    compiledMs: median(compiledMs),
    handWritten: handFailure ?? median(handMs),
    compiledTensors: tensorTrend(compiledTensors),
    handTensors: tensorTrend(handTensors),
    outliving: tf.memory().numTensors - tensorsBefore,
  }
}

const formatRow = (r: Row): string => {
  const hand = typeof r.handWritten === 'number' ? r.handWritten.toFixed(1) : r.handWritten
  const ratio = typeof r.handWritten === 'number' ? (r.compiledMs / r.handWritten).toFixed(2) : '—'
  return `| ${r.model} | ${r.backend} | ${r.compiledMs.toFixed(1)} | ${hand} | ${ratio} | ${r.compiledTensors} / ${r.handTensors} |`
}

const runtimeName = (): string => ('Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node')

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(b1Flags, argv))
  if (help) return console.log(flagsHelp('b1', 'protocol B1: compiled vs hand-written training iteration', b1Flags))
  const models = parseList('models', values.models, modelChoices)
  const backends = parseList<BackendChoice>('backend', values.backend, backendChoices)
  const average = values['average-decay'] === 0 ? 'none' : `decay ${values['average-decay']}, on both sides`
  console.log(
    `B1 on ${runtimeName()}: batch ${values.batch}, median of ${values.iterations} iterations after ${values.warmup} warm-up, ` +
      `sides alternating; generator moving average: ${average}`,
  )
  const rows: Array<Row> = []
  for (const choice of backends) {
    const backend = await useBackendOrThrow(choice, values.threads > 0 ? { wasmThreads: values.threads } : {})
    for (const name of models) rows.push(await benchmarkRow(await makeModel(name, values), backend.name, values))
  }
  console.log('| model | backend | compiled ms | hand-written ms | ratio | tensors (compiled / hand) |')
  console.log('|---|---|---|---|---|---|')
  for (const row of rows) console.log(formatRow(row))
  for (const row of rows.filter((r) => r.outliving !== 0))
    console.log(
      `${row.model} on ${row.backend}: ${row.outliving} tensors outlive the row` +
        (typeof row.handWritten === 'string' ? ': tfjs keeps the tensors it saved for the backward pass that failed' : ''),
    )
  console.log(`live tensors at the end: ${tf.memory().numTensors}`)
}

if (isMain(import.meta)) await runMain(main)
