/**
 * Latent-space tools (seed 000: "nearby points produce similar images", "add sunglasses by
 * arithmetic"): interpolation, attribute directions, truncation, and the nearest training image
 * of each sample (a memorisation check). Plain arrays: latents are `count × dim` row-major.
 *
 * @since 0.1.0
 */

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, offsetA = 0, offsetB = 0, n = a.length): number => {
  let s = 0
  for (let i = 0; i < n; i++) s += a[offsetA + i]! * b[offsetB + i]!
  return s
}

/**
 * `steps` latents from `from` to `to` (both included): along the straight line, or along the
 * great circle between them with their norms interpolated (spherical, which keeps a Gaussian
 * latent's typical norm in the middle of the path).
 *
 * @example
 * import { interpolateLatents } from 'ganfp'
 * Array.from(interpolateLatents(new Float32Array([0, 0]), new Float32Array([2, 4]), 3, 'linear')) // [0, 0, 1, 2, 2, 4]
 * @since 0.1.0
 * @category latent
 */
export const interpolateLatents = (from: Float32Array, to: Float32Array, steps: number, kind: 'linear' | 'spherical'): Float32Array => {
  const dim = from.length
  const out = new Float32Array(steps * dim)
  const normFrom = Math.sqrt(dot(from, from))
  const normTo = Math.sqrt(dot(to, to))
  const cosine = normFrom === 0 || normTo === 0 ? 1 : Math.min(1, Math.max(-1, dot(from, to) / (normFrom * normTo)))
  const angle = Math.acos(cosine)
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : s / (steps - 1)
    if (kind === 'linear' || angle < 1e-6) {
      for (let i = 0; i < dim; i++) out[s * dim + i] = (1 - t) * from[i]! + t * to[i]!
      continue
    }
    // Slerp of the unit directions, scaled by the interpolated norm.
    const a = Math.sin((1 - t) * angle) / Math.sin(angle)
    const b = Math.sin(t * angle) / Math.sin(angle)
    const norm = (1 - t) * normFrom + t * normTo
    for (let i = 0; i < dim; i++) out[s * dim + i] = norm * (a * (from[i]! / normFrom) + b * (to[i]! / normTo))
  }
  return out
}

/**
 * The mean of the latents in `withAttribute` minus the mean of those in `without`: adding it to a
 * latent moves its sample towards the attribute.
 *
 * @example
 * import { attributeDirection } from 'ganfp'
 * Array.from(attributeDirection(new Float32Array([1, 1, 3, 1]), new Float32Array([0, 0]), 2)) // [2, 1]
 * @since 0.1.0
 * @category latent
 */
export const attributeDirection = (withAttribute: Float32Array, without: Float32Array, dim: number): Float32Array => {
  const mean = (latents: Float32Array) => {
    const count = latents.length / dim
    const m = new Float64Array(dim)
    for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) m[j]! += latents[i * dim + j]! / count
    return m
  }
  const a = mean(withAttribute)
  const b = mean(without)
  return Float32Array.from(a, (v, j) => v - b[j]!)
}

/**
 * Latents moved `scale` times along `direction`.
 *
 * @example
 * import { shiftLatents } from 'ganfp'
 * Array.from(shiftLatents(new Float32Array([0, 0, 1, 1]), new Float32Array([1, 2]), 0.5)) // [0.5, 1, 1.5, 2]
 * @since 0.1.0
 * @category latent
 */
export const shiftLatents = (latents: Float32Array, direction: Float32Array, scale: number): Float32Array =>
  latents.map((v, i) => v + scale * direction[i % direction.length]!)

/**
 * The truncation trick as a scale: latents multiplied by ψ ∈ (0, 1], trading diversity
 * (recall) for typicality (precision).
 *
 * @example
 * import { truncateLatents } from 'ganfp'
 * Array.from(truncateLatents(new Float32Array([2, -4]), 0.5)) // [1, -2]
 * @since 0.1.0
 * @category latent
 */
export const truncateLatents = (latents: Float32Array, psi: number): Float32Array => latents.map((v) => v * psi)

/**
 * For each of `count` samples, the nearest of the `referenceCount` reference examples (Euclidean
 * distance over the flattened examples) and its distance.
 *
 * @example
 * import { nearestNeighbours } from 'ganfp'
 * const r = nearestNeighbours(new Float32Array([0.9, 0.1]), 2, new Float32Array([0, 1]), 2)
 * Array.from(r.indices) // [1, 0]
 * @since 0.1.0
 * @category latent
 */
export const nearestNeighbours = (
  samples: Float32Array,
  count: number,
  reference: Float32Array,
  referenceCount: number,
): { readonly indices: Int32Array; readonly distances: Float64Array } => {
  const size = samples.length / count
  const referenceNorms = new Float64Array(referenceCount)
  for (let r = 0; r < referenceCount; r++) referenceNorms[r] = dot(reference, reference, r * size, r * size, size)
  const indices = new Int32Array(count)
  const distances = new Float64Array(count)
  for (let s = 0; s < count; s++) {
    const own = dot(samples, samples, s * size, s * size, size)
    let best = Number.POSITIVE_INFINITY
    let bestIndex = 0
    for (let r = 0; r < referenceCount; r++) {
      const d = own + referenceNorms[r]! - 2 * dot(samples, reference, s * size, r * size, size)
      if (d < best) {
        best = d
        bestIndex = r
      }
    }
    indices[s] = bestIndex
    distances[s] = Math.sqrt(Math.max(0, best))
  }
  return { indices, distances }
}
