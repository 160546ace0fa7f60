/**
 * `spec.json`, what the torch package reads: the GAN as plain data, each network's parameters as
 * ganfp's compiled network lists them (path, shape, trained or state, in its order: the order of
 * the optimizer's flat slots), the run the package belongs to, and where its data and initial
 * checkpoint are.
 *
 * @since 0.3.0
 */
import type { Gan } from '../../dsl/gan.ts'
import type { Shape } from '../../dsl/shape.ts'

/**
 * The run an exported package trains for: the recipe (`module` as a run manifest records it,
 * `builtin:dcgan` or a module path), its command line and its decoded configuration (recipe and
 * run options, as a run's `manifest.json` has them), and the seed of the initial parameters.
 * `train.py` writes them into the run directory it makes, with its own `steps`, `batch`, `seed`,
 * `out` and `checkpoint-every`, so that `ganfp sample`, `eval` and `resume` rebuild the same GAN.
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchExportRun {
  readonly recipe: { readonly name: string; readonly module: string }
  readonly argv: ReadonlyArray<string>
  readonly config: Readonly<Record<string, unknown>>
  readonly seed: number
}

/**
 * One network's parameters, as the torch modules must hold them.
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchNetworkSpec {
  readonly paramSpecs: ReadonlyArray<{ readonly path: string; readonly shape: ReadonlyArray<number>; readonly trainable: boolean }>
  readonly inputShape: Shape
  readonly outputShape: Shape
  readonly labelClasses: number | null
}

/**
 * The data entry of `spec.json`: `images` (uint8 `[N, H, W, C]`, scaled to [−1, 1] as ganfp scales
 * them) or `values` (float32, as they are), optional int32 labels, and for a paired latent the
 * factor of the box downsample that makes the generator's inputs.
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchDataSpec {
  readonly kind: 'images' | 'values'
  readonly file: string
  readonly labels: string | null
  readonly shape: ReadonlyArray<number>
  readonly flip: boolean
  readonly pairedFactor: number | null
}

/**
 * What `spec.json` holds (format `ganfp-torch-spec`, version 1).
 *
 * @since 0.3.0
 * @category model
 */
export interface TorchSpec {
  readonly format: 'ganfp-torch-spec'
  readonly formatVersion: 1
  readonly library: { readonly name: 'ganfp'; readonly version: string }
  readonly gan: Gan
  readonly networks: { readonly generator: TorchNetworkSpec; readonly discriminator: TorchNetworkSpec }
  readonly run: TorchExportRun
  readonly data: TorchDataSpec
  /** The checkpoint directory the torch run starts from, relative to the package. */
  readonly initialCheckpoint: string
}
