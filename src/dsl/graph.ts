/**
 * Networks beyond a straight chain, still declared as values: skip connections (`residual`),
 * branches joined along the channels (`concat`), a class label as a second input
 * (`withLabelInput`, read by `fromLabel` branches through `embedding` or `oneHot`, or by a
 * `projection` output), and the layers super-resolution and conditional GANs use (`pixelShuffle`,
 * `prelu`, `tileSpatial`).
 *
 * A label is one integer class per example; it enters a network only through these layers, so
 * shape inference knows where every label goes.
 *
 * @since 0.1.0
 */
import type { Layer } from './layer.ts'

/**
 * `block(x) + shortcut(x)`; an empty shortcut is the identity (a plain skip connection). Both
 * paths must produce the same shape.
 * @since 0.1.0
 * @category model
 */
export interface Residual {
  readonly _tag: 'Residual'
  readonly block: ReadonlyArray<Layer>
  readonly shortcut: ReadonlyArray<Layer>
}

/**
 * Where a branch starts: the value flowing through the network at the branch point (`trunk`), or
 * the network's label input (`label`).
 * @since 0.1.0
 * @category model
 */
export type BranchSource = 'trunk' | 'label'

/**
 * A chain of layers from a source, one input of a `concat`.
 * @since 0.1.0
 * @category model
 */
export interface Branch {
  readonly _tag: 'Branch'
  readonly source: BranchSource
  readonly layers: ReadonlyArray<Layer>
}

/**
 * Branches joined along the last (channel) axis; all other dimensions must agree.
 * @since 0.1.0
 * @category model
 */
export interface Concat {
  readonly _tag: 'Concat'
  readonly branches: ReadonlyArray<Branch>
}

/**
 * A learned vector per class: the label `[]` becomes `[dim]`. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface Embedding {
  readonly _tag: 'Embedding'
  readonly numClasses: number
  readonly dim: number
}

/**
 * The label as a one-hot vector `[numClasses]`. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface OneHot {
  readonly _tag: 'OneHot'
  readonly numClasses: number
}

/**
 * Depth to space: `[h, w, c·r²]` becomes `[h·r, w·r, c]` (Shi et al.'s sub-pixel convolution
 * upsampling, TensorFlow's `depth_to_space` channel order).
 * @since 0.1.0
 * @category model
 */
export interface PixelShuffle {
  readonly _tag: 'PixelShuffle'
  readonly factor: number
}

/**
 * Parametric ReLU: `max(0, x) + α·min(0, x)` with one learned α per channel.
 * @since 0.1.0
 * @category model
 */
export interface Prelu {
  readonly _tag: 'Prelu'
  readonly initialAlpha: number
}

/**
 * The projection discriminator's output (Miyato & Koyama): for features `h` of shape `[f]`,
 * `dense(1)(h) + ⟨embed(label), h⟩`, one logit. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface Projection {
  readonly _tag: 'Projection'
}

/**
 * A vector `[d]` repeated at every position of a `height × width` map: `[height, width, d]`, to
 * concatenate a label's encoding with image channels.
 * @since 0.1.0
 * @category model
 */
export interface TileSpatial {
  readonly _tag: 'TileSpatial'
  readonly height: number
  readonly width: number
}

/**
 * A network's second input: one class label per example.
 * @since 0.1.0
 * @category model
 */
export interface LabelInput {
  readonly _tag: 'ClassLabel'
  readonly numClasses: number
}

/**
 * A skip connection around `block`.
 *
 * @example
 * import { residual, conv2d, prelu } from 'ganfp'
 * residual([conv2d(16, 3), prelu()]).shortcut.length // 0
 * @since 0.1.0
 * @category constructors
 */
export const residual = (block: ReadonlyArray<Layer>, options: { readonly shortcut?: ReadonlyArray<Layer> } = {}): Residual => ({
  _tag: 'Residual',
  block: [...block],
  shortcut: [...(options.shortcut ?? [])],
})

/**
 * A branch from the value at the branch point.
 *
 * @example
 * import { fromTrunk, dense } from 'ganfp'
 * fromTrunk([dense(8)]).source // 'trunk'
 * @since 0.1.0
 * @category constructors
 */
export const fromTrunk = (layers: ReadonlyArray<Layer> = []): Branch => ({ _tag: 'Branch', source: 'trunk', layers: [...layers] })

/**
 * A branch from the network's label; its first layer is `embedding` or `oneHot`.
 *
 * @example
 * import { fromLabel, embedding } from 'ganfp'
 * fromLabel([embedding(10, 16)]).source // 'label'
 * @since 0.1.0
 * @category constructors
 */
export const fromLabel = (layers: ReadonlyArray<Layer>): Branch => ({ _tag: 'Branch', source: 'label', layers: [...layers] })

/**
 * Branches joined along the channels; a plain list of layers is a branch from the trunk.
 *
 * @example
 * import { concat, fromLabel, embedding } from 'ganfp'
 * // the latent itself, then the label's embedding: [100] and [10] make [110]
 * concat([[], fromLabel([embedding(10, 10)])]).branches.length // 2
 * @since 0.1.0
 * @category constructors
 */
export const concat = (branches: ReadonlyArray<Branch | ReadonlyArray<Layer>>): Concat => ({
  _tag: 'Concat',
  branches: branches.map((b) => (Array.isArray(b) ? fromTrunk(b as ReadonlyArray<Layer>) : (b as Branch))),
})

/**
 * @example
 * import { embedding } from 'ganfp'
 * embedding(10, 50) // { _tag: 'Embedding', numClasses: 10, dim: 50 }
 * @since 0.1.0
 * @category constructors
 */
export const embedding = (numClasses: number, dim: number): Embedding => ({ _tag: 'Embedding', numClasses, dim })

/**
 * @example
 * import { oneHot } from 'ganfp'
 * oneHot(10).numClasses // 10
 * @since 0.1.0
 * @category constructors
 */
export const oneHot = (numClasses: number): OneHot => ({ _tag: 'OneHot', numClasses })

/**
 * @example
 * import { pixelShuffle } from 'ganfp'
 * pixelShuffle(2).factor // 2
 * @since 0.1.0
 * @category constructors
 */
export const pixelShuffle = (factor: number): PixelShuffle => ({ _tag: 'PixelShuffle', factor })

/**
 * α starts at 0.25, as in He et al.
 *
 * @example
 * import { prelu } from 'ganfp'
 * prelu().initialAlpha // 0.25
 * @since 0.1.0
 * @category constructors
 */
export const prelu = (options: { readonly initialAlpha?: number } = {}): Prelu => ({
  _tag: 'Prelu',
  initialAlpha: options.initialAlpha ?? 0.25,
})

/**
 * @example
 * import { projection } from 'ganfp'
 * projection._tag // 'Projection'
 * @since 0.1.0
 * @category constructors
 */
export const projection: Projection = { _tag: 'Projection' }

/**
 * @example
 * import { tileSpatial } from 'ganfp'
 * tileSpatial(28, 28).height // 28
 * @since 0.1.0
 * @category constructors
 */
export const tileSpatial = (height: number, width: number): TileSpatial => ({ _tag: 'TileSpatial', height, width })

/**
 * A label input of `numClasses` classes.
 *
 * @example
 * import { classLabel } from 'ganfp'
 * classLabel(10) // { _tag: 'ClassLabel', numClasses: 10 }
 * @since 0.1.0
 * @category constructors
 */
export const classLabel = (numClasses: number): LabelInput => ({ _tag: 'ClassLabel', numClasses })
