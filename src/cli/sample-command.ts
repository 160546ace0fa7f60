/**
 * `ganfp sample RUN_DIR [--n 64] [--out samples.png] [--seed S] [--label K]`: samples from a run's
 * newest checkpoint, generated `sampleBatch` at a time so the device's memory stays bounded.
 *
 * - A PNG (any `--out` but `.npy`) is a grid of at most `pngSampleLimit` tiles; more is refused
 *   before the run is opened.
 * - A `.npy` is float32 `[n, ...sample shape]` (images in [0, 1] for an image recipe, as
 *   `ganfp eval` reads them; the generator's outputs otherwise), streamed to disk a batch at a
 *   time and written atomically: `--n` is bounded by the free space, checked first where the
 *   runtime can tell, not by memory.
 *
 * @since 0.2.0
 */
import { dirname } from 'node:path'
import { GanException, getOrThrow, invalidConfig } from '../errors.ts'
import { sampleLatentOrThrow } from '../compile/gan.ts'
import { formatBytes } from '../compile/memory-estimate.ts'
import { shapeSize } from '../dsl/shape.ts'
import { encodeNpyHeader, encodeNpyValues } from '../io/npy.ts'
import { freeBytes, writeChunksAtomic, writeFileAtomicOrThrow } from '../node/files.ts'
import { Rng } from '../random.ts'
import { generatorInputsOrThrow, type RecipeSetup } from '../run/prepare.ts'
import { restoreRunOrThrow, type RecipeLoader, type RestoredRun } from '../run/start.ts'
import { renderOf } from './latent.ts'

/** The most tiles a PNG grid may hold: 10,000 (a 100 × 100 grid). */
export const pngSampleLimit = 10_000
/** Samples generated at once. */
const sampleBatch = 256

/** What `ganfp sample` was asked for, its options decoded. */
export interface SampleRequest {
  readonly n: number
  readonly seed: number
  readonly out: string
  readonly label: number | undefined
}

const isNpy = (out: string): boolean => out.toLowerCase().endsWith('.npy')

/** The labels of samples `offset`…`offset + count − 1`: `label`, or the classes in turn (as one call of `generate` gives them). */
const labelsFor = (classes: number | undefined, label: number | undefined, offset: number, count: number): Int32Array | undefined =>
  classes === undefined ? undefined : Int32Array.from({ length: count }, (_, i) => label ?? (offset + i) % classes)

/** The generator's outputs for `inputs` (`n` of them), `sampleBatch` at a time. */
async function* generated(run: RestoredRun, inputs: AsyncIterable<Float32Array>, label: number | undefined): AsyncGenerator<Float32Array> {
  const { trainer } = run
  const perInput = shapeSize(trainer.compiled.generator.inputShape)
  let offset = 0
  for await (const batch of inputs) {
    const count = batch.length / perInput
    yield await trainer.generateOrThrow(batch, labelsFor(trainer.compiled.generator.labelClasses, label, offset, count))
    offset += count
  }
}

/** `inputs` (all at hand) in slices of `sampleBatch`. */
async function* slices(inputs: Float32Array, perInput: number): AsyncGenerator<Float32Array> {
  for (let start = 0; start < inputs.length; start += sampleBatch * perInput) yield inputs.subarray(start, start + sampleBatch * perInput)
}

/**
 * `n` generator inputs from `seed`, `sampleBatch` at a time: latents from one stream (the same
 * latents as drawn at once), or paired inputs from the data's batches drawn with `seed` (one batch
 * of `n` when `n` ≤ `sampleBatch`, as the run's grids draw them).
 */
async function* streamedInputs(setup: RecipeSetup, n: number, seed: number): AsyncGenerator<Float32Array> {
  const latent = setup.gan.latent
  if (latent._tag !== 'Paired') {
    const rng = Rng.fromSeed(seed)
    for (let offset = 0; offset < n; offset += sampleBatch) yield sampleLatentOrThrow(latent, Math.min(sampleBatch, n - offset), rng)
    return
  }
  if (n <= sampleBatch) {
    yield await generatorInputsOrThrow(setup, n, seed)
    return
  }
  let left = n
  for await (const batch of setup.dataset.batches({ batchSize: sampleBatch, seed })) {
    const inputs = batch.pairedInput
    if (inputs === undefined) break
    const take = Math.min(left, sampleBatch)
    yield inputs.subarray(0, (take * inputs.length) / sampleBatch)
    left -= take
    if (left === 0) return
  }
  throw new GanException([invalidConfig('--n', `at most the ${n - left} paired examples data(${setup.dataset.name}) gives`, String(n))])
}

/** Refuses a `.npy` that the free space under `out` cannot hold, where the runtime can tell. */
const checkFreeSpace = (out: string, n: number, bytes: number): void => {
  const free = freeBytes(dirname(out))
  if (free === undefined || bytes <= free) return
  const perSample = bytes / n
  throw new GanException([
    invalidConfig('--n', `at most ${Math.floor(free / perSample).toLocaleString('en-US')} samples: ${formatBytes(free)} free under ${dirname(out)}`, `${n} (${formatBytes(bytes)})`),
  ])
}

const writeNpy = async (run: RestoredRun, request: SampleRequest): Promise<void> => {
  const { n, seed, out, label } = request
  const sampleShape = run.trainer.compiled.generator.outputShape
  const header = getOrThrow(encodeNpyHeader('float32', [n, ...sampleShape]))
  checkFreeSpace(out, n, header.length + 4 * n * shapeSize(sampleShape))
  const toUnit = run.setup.toUnitImages
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield header
    for await (const samples of generated(run, streamedInputs(run.setup, n, seed), label)) yield encodeNpyValues(toUnit === undefined ? samples : toUnit(samples))
  }
  getOrThrow(await writeChunksAtomic(out, parts()))
}

const writePng = async (run: RestoredRun, request: SampleRequest): Promise<void> => {
  const { n, seed, out, label } = request
  const render = renderOf(run.setup, 'RUN_DIR')
  const perInput = shapeSize(run.trainer.compiled.generator.inputShape)
  const samples = new Float32Array(n * shapeSize(run.trainer.compiled.generator.outputShape))
  let filled = 0
  for await (const batch of generated(run, slices(await generatorInputsOrThrow(run.setup, n, seed), perInput), label)) {
    samples.set(batch, filled)
    filled += batch.length
  }
  writeFileAtomicOrThrow(out, render(samples, n))
}

/**
 * `ganfp sample`: `request.n` samples from the run at `path` to `request.out`, a PNG grid or a
 * `.npy` array (see the module's comment). Every problem is a `GanException`.
 *
 * @example
 * await sampleCommand('runs/dcgan', { n: 3000, seed: 0, out: 'samples.npy', label: undefined }, load)
 * @since 0.2.0
 * @category cli
 */
export const sampleCommand = async (path: string, request: SampleRequest, loadRecipe: RecipeLoader): Promise<void> => {
  const { n, out, label } = request
  const npy = isNpy(out)
  if (!npy && n > pngSampleLimit)
    throw new GanException([invalidConfig('--n', `at most ${pngSampleLimit.toLocaleString('en-US')} samples for a PNG grid (--out FILE.npy for more)`, String(n))])
  const run = await restoreRunOrThrow(path, loadRecipe)
  try {
    const classes = run.trainer.compiled.generator.labelClasses
    if (label !== undefined && (classes === undefined || label < 0 || label >= classes))
      throw new GanException([
        invalidConfig('--label', classes === undefined ? 'no label: this run is not conditional' : `a class in [0, ${classes})`, String(label)),
      ])
    await (npy ? writeNpy(run, request) : writePng(run, request))
    console.log(`wrote ${n} samples from step ${run.checkpoint.step} to ${out}`)
  } finally {
    run.trainer.dispose()
  }
}
