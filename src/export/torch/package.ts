/**
 * A GAN spec as a self-contained PyTorch package: the static Python sources (python/, embedded by
 * scripts/embed-python.mjs), the spec as data (`spec.json`), the training data as `.npy` and the
 * state training starts from as a ganfp checkpoint (step 0 for a fresh run), as `{ path: contents }`
 * for the caller to write.
 * `torchrun --nproc_per_node N train.py --steps S --out RUN_DIR` in that directory trains it with
 * DistributedDataParallel and writes a ganfp run directory.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidConfig, invalidData, shapeMismatch, type GanError } from '../../errors.ts'
import type { CompiledGan } from '../../compile/gan.ts'
import { compileNetwork, type CompiledNetwork } from '../../compile/network.ts'
import { formatShape } from '../../dsl/describe.ts'
import { phaseAt } from '../../dsl/schedule.ts'
import { sameShape, shapeSize } from '../../dsl/shape.ts'
import { encodeCheckpoint, manifestFileBytes } from '../../io/checkpoint-format.ts'
import { encodeNpy } from '../../io/npy.ts'
import type { CheckedGan } from '../../shape/check.ts'
import { initialHealthState } from '../../train/health.ts'
import { checkSnapshot, type TrainerSnapshot } from '../../train/snapshot.ts'
import { libraryVersion } from '../../version.ts'
import { encodeUint8Npy } from './npy-uint8.ts'
import { pythonFiles } from './python-files.generated.ts'
import { torchPackageReadme } from './readme.ts'
import type { TorchDataSpec, TorchExportRun, TorchNetworkSpec, TorchSpec } from './spec.ts'
import { torchTargetProblems } from './support.ts'

/**
 * The data the torch run trains on: image bytes `[N, H, W, C]` (scaled to [−1, 1] as ganfp's image
 * datasets scale them; `flip` mirrors each at random, as `--flip yes` does), or float32 values
 * `[N, ...exampleShape]` used as they are; `labels` (one class each) for conditional GANs.
 *
 * @since 0.3.0
 * @category model
 */
export type TorchTrainingData =
  | { readonly _tag: 'Images'; readonly pixels: Uint8Array; readonly shape: ReadonlyArray<number>; readonly labels?: Int32Array; readonly flip?: boolean }
  | { readonly _tag: 'Values'; readonly values: Float32Array; readonly shape: ReadonlyArray<number>; readonly labels?: Int32Array }

/**
 * What `ganToTorchPackage` packs: a checked GAN, the run it belongs to, the trainer state the torch
 * run starts from (`initialTrainerSnapshot(compiled, run.seed)` for a fresh run, or a checkpoint's
 * snapshot to go on from) and the training data.
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchPackageInput {
  readonly checked: CheckedGan
  readonly run: TorchExportRun
  readonly initial: TrainerSnapshot
  readonly data: TorchTrainingData
}

/**
 * The package's files by path relative to its directory (text or bytes), and its `spec.json` as a
 * value.
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchPackage {
  readonly files: Readonly<Record<string, string | Uint8Array>>
  readonly spec: TorchSpec
}

const networkSpec = (network: CompiledNetwork): TorchNetworkSpec => ({
  paramSpecs: network.paramSpecs.map(({ path, shape, trainable }) => ({ path, shape: [...shape], trainable })),
  inputShape: network.inputShape,
  outputShape: network.outputShape,
  labelClasses: network.labelClasses ?? null,
})

/**
 * For a paired latent, the factor of the box downsample of the images that makes the generator's
 * inputs (as ganfp's super-resolution data makes them); `null` without one.
 */
const pairedFactor = (checked: CheckedGan, data: TorchTrainingData): E.Either<GanError, number | null> => {
  if (checked.gan.latent._tag !== 'Paired') return E.right(null)
  const [h, w, c] = data.shape.slice(1)
  const [lh, lw, lc] = checked.generator.inputShape
  const factor = h !== undefined && lh !== undefined ? h / lh : Number.NaN
  const fits = data._tag === 'Images' && data.shape.length === 4 && Number.isInteger(factor) && lw! * factor === w && lc === c
  return fits
    ? E.right(factor)
    : E.left(invalidConfig('gan.latent', 'a paired input the box downsample of the images makes ([H/f, W/f, C] for image data [N, H, W, C])', `generator input ${formatShape(checked.generator.inputShape)} for data ${formatShape(data.shape)}`))
}

const dataProblems = (checked: CheckedGan, data: TorchTrainingData): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  const count = data._tag === 'Images' ? data.pixels.length : data.values.length
  const [n, ...example] = data.shape
  if (data.shape.length < 2 || !data.shape.every((d) => Number.isInteger(d) && d > 0) || shapeSize(data.shape) !== count)
    errors.push(invalidData('data.shape', `[N, ...example shape] of ${count} values, N ≥ 1`, formatShape(data.shape)))
  else if (!sameShape(example, checked.discriminator.inputShape))
    errors.push(shapeMismatch('data.shape', `examples of the discriminator's input ${formatShape(checked.discriminator.inputShape)}`, formatShape(example)))
  const classes = checked.discriminator.labelClasses ?? checked.generator.labelClasses
  const needed = checked.discriminator.labelClasses !== undefined || (checked.generator.labelClasses !== undefined && checked.gan.latent._tag === 'Paired')
  if (data.labels === undefined) {
    if (needed) errors.push(invalidData('data.labels', `one class in [0, ${classes}) per example (the GAN is conditional)`, 'none'))
  } else if (data.labels.length !== n || (classes !== undefined && data.labels.some((l) => !(l >= 0 && l < classes))))
    errors.push(invalidData('data.labels', `${n} classes in [0, ${classes ?? '∞'})`, `${data.labels.length} labels`))
  return errors
}

const dataFiles = (data: TorchTrainingData, pairedBy: number | null): E.Either<ReadonlyArray<GanError>, { readonly spec: TorchDataSpec; readonly files: Record<string, Uint8Array> }> => {
  const file = data._tag === 'Images' ? 'data/images.npy' : 'data/values.npy'
  const examples = data._tag === 'Images' ? encodeUint8Npy(data.pixels, data.shape) : encodeNpy(data.values, data.shape)
  const labels = data.labels === undefined ? E.right(undefined) : E.map((bytes: Uint8Array) => bytes as Uint8Array | undefined)(encodeNpy(data.labels, [data.labels.length]))
  if (E.isLeft(examples)) return examples
  if (E.isLeft(labels)) return labels
  return E.right({
    spec: {
      kind: data._tag === 'Images' ? 'images' : 'values',
      file,
      labels: labels.right === undefined ? null : 'data/labels.npy',
      shape: [...data.shape],
      flip: data._tag === 'Images' && data.flip === true,
      pairedFactor: pairedBy,
    },
    files: { [file]: examples.right, ...(labels.right === undefined ? {} : { 'data/labels.npy': labels.right }) },
  })
}

/**
 * The PyTorch package of a checked GAN (see the module comment): every problem at once, each with
 * its path: a feature the torch target cannot express (`torchTargetProblems`, under `gan.`), data
 * that does not fit the discriminator or lacks the labels a conditional GAN needs (`data.shape`,
 * `data.labels`), an initial snapshot of other networks (`initial.…`). The files: `train.py`,
 * `ganfp_torch/*.py`, `spec.json`, `README.md`, `data/*.npy` and `initial/step-NNNNNNNN/` (a ganfp
 * checkpoint).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkGan, compileOrThrow, dcganGan, ganToTorchPackage, getOrThrow, initialTrainerSnapshot } from 'ganfp'
 * const gan = dcganGan({ width: 4, latentDim: 16 })
 * const run = { recipe: { name: 'dcgan', module: 'builtin:dcgan' }, argv: ['--width', '4', '--latent-dim', '16'], config: { width: 4, 'latent-dim': 16 }, seed: 1 }
 * const data = { _tag: 'Images' as const, pixels: new Uint8Array(64 * 28 * 28), shape: [64, 28, 28, 1] }
 * const pkg = ganToTorchPackage({ checked: getOrThrow(checkGan(gan)), run, initial: initialTrainerSnapshot(compileOrThrow(gan), 1), data })
 * E.isRight(pkg) && Object.keys(pkg.right.files).includes('train.py') // true
 * @since 0.3.0
 * @category export
 */
export const ganToTorchPackage = (input: TorchPackageInput): E.Either<ReadonlyArray<GanError>, TorchPackage> => {
  const { checked, run, initial, data } = input
  const paired = pairedFactor(checked, data)
  // Frozen networks belong to perceptual losses, which the torch target refuses.
  const compiled: CompiledGan = { spec: checked.gan, checked, generator: compileNetwork(checked.generator), discriminator: compileNetwork(checked.discriminator), frozen: [] }
  const errors: ReadonlyArray<GanError> = [
    ...torchTargetProblems(checked.gan),
    ...(E.isLeft(paired) ? [paired.left] : []),
    ...dataProblems(checked, data),
    ...checkSnapshot(compiled, initial).map((e) => ({ ...e, path: `initial.${e.path}` })),
  ]
  if (errors.length > 0 || E.isLeft(paired)) return E.left(errors)
  const packedData = dataFiles(data, paired.right)
  if (E.isLeft(packedData)) return packedData
  const initialCheckpoint = `initial/step-${String(initial.step).padStart(8, '0')}`
  const record = {
    recipe: run.recipe.name,
    config: Object.fromEntries(Object.entries(run.config).filter(([key]) => key !== 'out' && key !== 'steps')),
    phase: phaseAt(checked.gan.schedule, Math.max(initial.step, 1)).index,
    health: initialHealthState,
  }
  const checkpoint = encodeCheckpoint(initial, record)
  const spec: TorchSpec = {
    format: 'ganfp-torch-spec',
    formatVersion: 1,
    library: { name: 'ganfp', version: libraryVersion },
    gan: checked.gan,
    networks: { generator: networkSpec(compiled.generator), discriminator: networkSpec(compiled.discriminator) },
    run,
    data: packedData.right.spec,
    initialCheckpoint,
  }
  return E.right({
    spec,
    files: {
      ...pythonFiles,
      'spec.json': `${JSON.stringify(spec, null, 1)}\n`,
      'README.md': torchPackageReadme(spec),
      ...packedData.right.files,
      [`${initialCheckpoint}/manifest.json`]: manifestFileBytes(checkpoint.manifest),
      [`${initialCheckpoint}/tensors.bin`]: checkpoint.tensors,
    },
  })
}

/**
 * The throwing twin of `ganToTorchPackage`, for the CLI and scripts.
 *
 * @example
 * import { checkGan, compileOrThrow, dcganGan, ganToTorchPackageOrThrow, getOrThrow, initialTrainerSnapshot } from 'ganfp'
 * const gan = dcganGan({ width: 4, latentDim: 16 })
 * const run = { recipe: { name: 'dcgan', module: 'builtin:dcgan' }, argv: [], config: {}, seed: 1 }
 * const data = { _tag: 'Images' as const, pixels: new Uint8Array(64 * 28 * 28), shape: [64, 28, 28, 1] }
 * ganToTorchPackageOrThrow({ checked: getOrThrow(checkGan(gan)), run, initial: initialTrainerSnapshot(compileOrThrow(gan), 1), data }).spec.run.seed // 1
 * @since 0.3.0
 * @category export
 */
export const ganToTorchPackageOrThrow = (input: TorchPackageInput): TorchPackage => getOrThrow(ganToTorchPackage(input))
