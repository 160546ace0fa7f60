/**
 * Parameters live in flat, path-keyed records (`layers[0].kernel`), as Haiku and Equinox keep
 * them: checkpoints serialise them as they are, optimizers map over them, errors name them.
 *
 * @since 0.1.0
 */
import { Rng } from '../random.ts'
import { shapeSize } from '../dsl/shape.ts'
import { tf, type Tensor } from './tf.ts'

/**
 * A network's tensors by path.
 *
 * @since 0.1.0
 * @category model
 */
export type Params = Readonly<Record<string, Tensor>>

/**
 * How a parameter starts.
 *
 * @since 0.1.0
 * @category model
 */
export type Initializer =
  | { readonly _tag: 'GlorotUniform'; readonly fanIn: number; readonly fanOut: number }
  | { readonly _tag: 'Constant'; readonly value: number }
  | { readonly _tag: 'Normal'; readonly std: number }
  /** A random direction: normal draws scaled to norm 1 (spectral norm's power-iteration vector). */
  | { readonly _tag: 'UnitVector' }

/**
 * One parameter: where it lives, its shape, whether the optimizer trains it (batch-norm moving
 * statistics are state, not trained), and how it starts.
 *
 * @since 0.1.0
 * @category model
 */
export interface ParamSpec {
  readonly path: string
  readonly shape: ReadonlyArray<number>
  readonly trainable: boolean
  readonly init: Initializer
}

const initialValues = (spec: ParamSpec, rng: Rng): Float32Array => {
  const size = shapeSize(spec.shape)
  switch (spec.init._tag) {
    case 'GlorotUniform': {
      const limit = Math.sqrt(6 / (spec.init.fanIn + spec.init.fanOut))
      return rng.uniforms(size, -limit, limit)
    }
    case 'Constant':
      return new Float32Array(size).fill(spec.init.value)
    case 'Normal':
      return rng.normals(size, 0, spec.init.std)
    case 'UnitVector': {
      const values = rng.normals(size, 0, 1)
      const norm = Math.sqrt(values.reduce((sum, v) => sum + v * v, 0))
      return values.map((v) => v / norm)
    }
  }
}

/**
 * Fresh parameters for `specs` from `seed`. Values are drawn in JavaScript, so the same seed gives
 * the same parameters on every backend.
 *
 * @example
 * import { initParams } from 'ganfp'
 * const p = initParams([{ path: 'b', shape: [2], trainable: true, init: { _tag: 'Constant', value: 0 } }], 1)
 * p['b'].shape // [2]
 *
 * @since 0.1.0
 * @category constructors
 */
export const initParams = (specs: ReadonlyArray<ParamSpec>, seed: number): Params => {
  const rng = Rng.fromSeed(seed)
  const params: Record<string, Tensor> = {}
  for (const spec of specs) params[spec.path] = tf.tensor(initialValues(spec, rng), [...spec.shape], 'float32')
  return params
}

/**
 * Disposes every tensor of a record.
 *
 * @example
 * import { initParams, disposeParams } from 'ganfp'
 * disposeParams(initParams([], 1))
 * @since 0.1.0
 * @category destructors
 */
export const disposeParams = (params: Params): void => {
  for (const t of Object.values(params)) t.dispose()
}

/**
 * Reads every tensor of a record into plain arrays (used by checkpoints and cross-backend tests).
 *
 * @example
 * import { initParams, readParams } from 'ganfp'
 * const values = await readParams(initParams([], 1)) // {}
 * @since 0.1.0
 * @category destructors
 */
export const readParams = async (params: Params): Promise<Record<string, Float32Array>> => {
  const out: Record<string, Float32Array> = {}
  for (const [path, t] of Object.entries(params)) out[path] = (await t.data()) as Float32Array
  return out
}

/**
 * A record with `f` applied to every tensor, paths kept.
 *
 * @example
 * import { initParams, mapParams } from 'ganfp'
 * // inside tf.tidy: mapParams(params, (t) => t.mul(2))
 * @since 0.1.0
 * @category combinators
 */
export const mapParams = (params: Params, f: (tensor: Tensor, path: string) => Tensor): Params =>
  Object.fromEntries(Object.entries(params).map(([path, t]) => [path, f(t, path)]))
