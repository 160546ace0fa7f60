/**
 * Protocol B2 (shared/PROTOCOLS.md): ms per DCGAN iteration and GFLOP/s on each backend the
 * runtime has (webgpu where a hardware adapter exists or `--backends` names it, wasm, cpu),
 * against PyTorch on the CPU in the same run (`bench/torch_dcgan.py`, skipped with a message
 * without `/usr/bin/python3` + PyTorch), and `numTensors` after 10 and after 1,000 iterations.
 *
 * One iteration = one discriminator step on a real and a fake batch + one generator step, Adam,
 * batch 64; the model is the DCGAN recipe's: at `--size 28` (the default) the bundled 28×28×1
 * layout (`--width 64` is the TensorFlow-tutorial size, 256/128/64 channels, 5×5 kernels); at
 * `--size 32` or `64` (with `--channels 1|3`, default 3) the folder layout of PyTorch's DCGAN
 * example (`--width 64`: ngf = ndf = 64). FLOPs are counted from the checked networks' shapes, as the
 * PyTorch script counts them: 2 per multiply-add of dense and (transposed) convolution layers,
 * forward F plus backward 2F per layer.
 *
 * Run: `deno run -A bench/b2.ts` (or `bun run bench/b2.ts`); `--backends wasm --iterations 20`
 * narrows it; `--size 64 --channels 3` times the 64×64 colour DCGAN. Not a test: it prints a table.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
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
  oneOfFlag,
  invalidConfig,
  liveTensorCount,
  positiveIntFlag,
  stringFlag,
  useBackend,
  withSchedule,
  GanException,
  type BackendChoice,
  type CheckedNetwork,
  type FlagValues,
} from '../src/index.ts'
import { isMain, parseFlags, runMain } from '../src/node.ts'
import { wasmThreads } from '../src/compile/backend.ts'
import { dcganGan } from '../recipes/dcgan.ts'
import { median } from './median.ts'

/** The benchmark's options; `--help` prints them. */
export const b2Flags = {
  backends: flag(stringFlag, 'auto', "comma-separated among webgpu, wasm, cpu; 'auto': every one this runtime can start"),
  width: flag(positiveIntFlag, 64, 'DCGAN width (64: the TensorFlow-tutorial size)'),
  'latent-dim': flag(positiveIntFlag, 64, 'latent dimension'),
  size: flag(oneOfFlag(['28', '32', '64'] as const), '28', 'image side: 28 (the bundled 28×28×1 layout) or 32, 64 (the folder layout)'),
  channels: flag(oneOfFlag(['1', '3'] as const), '3', 'image channels at --size 32 or 64 (28 is 1)'),
  batch: flag(positiveIntFlag, 64, 'examples per batch'),
  iterations: flag(positiveIntFlag, 10, 'timed iterations per backend (the median is reported)'),
  warmup: flag(intFlag, 2, 'untimed iterations before them'),
  'cpu-iterations': flag(positiveIntFlag, 3, 'timed iterations on the cpu backend, which is ≈ 10× slower'),
  'leak-iterations': flag(intFlag, 1000, 'iterations of the leak check (numTensors after 10 and after this many); 0 skips it'),
  'leak-width': flag(positiveIntFlag, 16, 'DCGAN width for the leak check (the recipe default)'),
  threads: flag(nonNegativeIntFlag, 0, 'wasm threads (0: every core)'),
  torch: flag(stringFlag, '/usr/bin/python3', 'Python with PyTorch for the reference; empty to skip'),
  'torch-threads': flag(intFlag, 0, 'PyTorch threads (0: all cores)'),
  'torch-device': flag(oneOfFlag(['cpu', 'cuda'] as const), 'cpu', 'where the PyTorch reference runs (cuda: on a GPU machine, against WebGPU on its hardware adapter)'),
}

type B2Config = FlagValues<typeof b2Flags>

/** Multiply-adds of one forward pass per example, from the checked layer shapes. */
export const forwardMacs = (network: CheckedNetwork): number =>
  network.layers.reduce((total, { layer, inputShape, outputShape }) => {
    const pixels = (shape: ReadonlyArray<number>) => shape[0]! * shape[1]!
    switch (layer._tag) {
      case 'Dense':
        return total + inputShape[0]! * layer.units
      case 'Conv2d':
        return total + pixels(outputShape) * layer.kernelSize[0] * layer.kernelSize[1] * inputShape[2]! * layer.filters
      case 'Conv2dTranspose':
        return total + pixels(inputShape) * layer.kernelSize[0] * layer.kernelSize[1] * inputShape[2]! * layer.filters
      default:
        return total
    }
  }, 0)

/** GFLOP of one iteration: D step = G forward on B + D forward/backward on 2B; G step = G and D forward/backward on B. */
export const dcganIterationGflop = (generator: CheckedNetwork, discriminator: CheckedNetwork, batch: number): number => {
  const g = 2 * forwardMacs(generator)
  const d = 2 * forwardMacs(discriminator)
  return (g * batch + 3 * d * 2 * batch + 3 * g * batch + 3 * d * batch) / 1e9
}


/** The image shape a configuration times: 28×28×1, or 32 / 64 with its channels. */
const shapeOf = (config: B2Config): { readonly size: number; readonly channels: 1 | 3 } =>
  config.size === '28' ? { size: 28, channels: 1 } : { size: Number(config.size), channels: config.channels === '3' ? 3 : 1 }

/** A trainer of the recipe's DCGAN on random images (speed does not depend on the data). */
const dcganTrainer = (width: number, latentDim: number, batch: number, shape: { readonly size: number; readonly channels: 1 | 3 }) => {
  const spec = withSchedule(alternating({ generatorAverageDecay: 0.999 }))(dcganGan({ width, latentDim, ...shape }))
  const pixels = shape.size * shape.size * shape.channels
  const images = fromSampler('uniform images', [shape.size, shape.size, shape.channels], (n, rng) => rng.uniforms(n * pixels, -1, 1))
  const compiled = compileOrThrow(spec)
  return { compiled, trainer: createTrainerOrThrow(compiled, images, { seed: 1, batchSize: batch }) }
}

const threadOptions = (config: B2Config) => (config.threads > 0 ? { wasmThreads: config.threads } : {})

interface Row {
  readonly backend: string
  readonly ms: number
  readonly gflops: number
}

const timeBackend = async (backend: BackendChoice, config: B2Config, iterations: number): Promise<Row | string> => {
  const selected = await useBackend(backend, threadOptions(config))
  if (selected._tag === 'Left') return `${backend}: unavailable (${selected.left.map((e) => e.actual).join('; ')})`
  const { compiled, trainer } = dcganTrainer(config.width, config['latent-dim'], config.batch, shapeOf(config))
  try {
    const times: Array<number> = []
    for (let i = 0; i < config.warmup + iterations; i++) {
      const started = performance.now()
      await trainer.stepOrThrow() // reads the losses back, so the backend's work is done
      if (i >= config.warmup) times.push(performance.now() - started)
    }
    const ms = median(times)
    const gflop = dcganIterationGflop(compiled.checked.generator, compiled.checked.discriminator, config.batch)
    const name = selected.right.name === 'wasm' ? `wasm (${wasmThreads()} thread${wasmThreads() === 1 ? '' : 's'})` : selected.right.name
    return { backend: name, ms, gflops: gflop / (ms / 1000) }
  } finally {
    trainer.dispose()
  }
}

const torchReference = (config: B2Config): Row | string => {
  if (config.torch === '') return 'PyTorch: skipped (--torch is empty)'
  if (!existsSync(config.torch)) return `PyTorch: skipped (${config.torch} does not exist)`
  const script = new URL('./torch_dcgan.py', import.meta.url).pathname
  const { size, channels } = shapeOf(config)
  const args = [script, '--bench', '--width', String(config.width), '--latent-dim', String(config['latent-dim']), '--size', String(size), '--channels', String(channels), '--batch', String(config.batch), '--iterations', String(config.iterations), '--warmup', String(config.warmup)]
  if (config['torch-threads'] > 0) args.push('--threads', String(config['torch-threads']))
  args.push('--device', config['torch-device'])
  const run = spawnSync(config.torch, args, { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } })
  const skip = /^SKIP: .*$/m.exec(run.stdout ?? '')
  if (skip !== null) return `PyTorch: ${skip[0]}`
  const result = /^RESULT (.*)$/m.exec(run.stdout ?? '')
  if (run.status !== 0 || result === null) return `PyTorch: failed (${(run.stderr ?? '').trim().split('\n').pop()})`
  const parsed = JSON.parse(result[1]!) as { ms_per_iteration: number; gflops: number; threads: number; device?: string }
  const where = parsed.device === 'cuda' ? 'CUDA' : `CPU (${parsed.threads} threads)`
  return { backend: `PyTorch ${where}`, ms: parsed.ms_per_iteration, gflops: parsed.gflops }
}

const backendsToRun = (text: string): ReadonlyArray<BackendChoice> => {
  if (text === 'auto') {
    const hasGpu = typeof navigator !== 'undefined' && (navigator as { gpu?: unknown }).gpu !== undefined
    return hasGpu ? ['webgpu', 'wasm', 'cpu'] : ['wasm', 'cpu']
  }
  const items = text.split(',').map((s) => s.trim())
  const unknown = items.filter((s) => !(['webgpu', 'wasm', 'cpu'] as ReadonlyArray<string>).includes(s))
  if (unknown.length > 0)
    throw new GanException(unknown.map((s) => invalidConfig('--backends', `a comma-separated list among webgpu, wasm, cpu (${backendChoices.join(', ')})`, JSON.stringify(s))))
  return items as ReadonlyArray<BackendChoice>
}

const leakCheck = async (config: B2Config): Promise<string> => {
  const selected = await useBackend('auto', threadOptions(config))
  if (selected._tag === 'Left') return `leak check: no backend (${selected.left.map((e) => e.actual).join('; ')})`
  const { trainer } = dcganTrainer(config['leak-width'], config['latent-dim'], config.batch, shapeOf(config))
  try {
    let after10 = 0
    for (let i = 1; i <= config['leak-iterations']; i++) {
      await trainer.stepOrThrow()
      if (i === 10) after10 = liveTensorCount()
    }
    const after = liveTensorCount()
    return `numTensors (${selected.right.name}, width ${config['leak-width']}): ${after10} after 10 iterations, ${after} after ${config['leak-iterations']} — ${after === after10 ? 'equal' : 'LEAK'}`
  } finally {
    trainer.dispose()
  }
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values: config } = getOrThrow(parseFlags(b2Flags, argv))
  if (help) return console.log(flagsHelp('b2', 'protocol B2: DCGAN iteration speed per backend vs PyTorch', b2Flags))
  const runtime = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'
  const { size, channels } = shapeOf(config)
  console.log(`B2 on ${runtime}: DCGAN ${size}×${size}×${channels}, width ${config.width}, latent ${config['latent-dim']}, batch ${config.batch}`)
  const rows: Array<Row> = []
  const notes: Array<string> = []
  for (const backend of backendsToRun(config.backends)) {
    const r = await timeBackend(backend, config, backend === 'cpu' ? config['cpu-iterations'] : config.iterations)
    if (typeof r === 'string') notes.push(r)
    else rows.push(r)
  }
  const torch = torchReference(config)
  if (typeof torch === 'string') notes.push(torch)
  const reference = typeof torch === 'string' ? undefined : torch
  console.log('\n| backend | ms / iteration | GFLOP/s | × PyTorch time |')
  console.log('|---|---|---|---|')
  for (const r of [...rows, ...(reference === undefined ? [] : [reference])])
    console.log(`| ${r.backend} | ${r.ms.toFixed(r.ms < 10 ? 2 : r.ms < 100 ? 1 : 0)} | ${r.gflops.toFixed(1)} | ${reference === undefined ? '—' : (r.ms / reference.ms).toFixed(2)} |`)
  for (const note of notes) console.log(note)
  if (config['leak-iterations'] > 0) console.log(await leakCheck(config))
}

if (isMain(import.meta)) await runMain(main)
