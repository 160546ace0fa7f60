/**
 * Distances between two sets of feature vectors (a judge network's penultimate activations of
 * real and generated images), in float64: Fréchet distance, kernel inception distance (KID),
 * precision/recall (Kynkäänniemi et al. 2019) and density/coverage (Naeem et al. 2020). They are
 * what protocol Q2 reports; the features come from whichever judge the caller uses.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, shapeMismatch, type GanError } from '../errors.ts'

/**
 * `count` feature vectors of length `dimension`, row after row.
 *
 * @since 0.1.0
 * @category model
 */
export interface Features {
  readonly count: number
  readonly dimension: number
  readonly values: ArrayLike<number>
}

/**
 * Mean and (unbiased) covariance of a feature set, the Gaussian the Fréchet distance compares.
 *
 * @since 0.1.0
 * @category model
 */
export interface GaussianStatistics {
  readonly dimension: number
  readonly mean: Float64Array
  /** `dimension × dimension`, row-major. */
  readonly covariance: Float64Array
}

/**
 * @example
 * import { gaussianStatistics } from 'ganfp'
 * Array.from(gaussianStatistics({ count: 2, dimension: 1, values: [1, 3] }).covariance) // [2]
 * @since 0.1.0
 * @category metrics
 */
export const gaussianStatistics = ({ count, dimension: d, values }: Features): GaussianStatistics => {
  const mean = new Float64Array(d)
  for (let i = 0; i < count; i++) for (let j = 0; j < d; j++) mean[j]! += values[i * d + j]! / count
  const covariance = new Float64Array(d * d)
  const centred = new Float64Array(d)
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < d; j++) centred[j] = values[i * d + j]! - mean[j]!
    for (let a = 0; a < d; a++) {
      const ca = centred[a]!
      if (ca === 0) continue
      for (let b = a; b < d; b++) covariance[a * d + b]! += ca * centred[b]!
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      const c = covariance[a * d + b]! / Math.max(count - 1, 1)
      covariance[a * d + b] = c
      covariance[b * d + a] = c
    }
  return { dimension: d, mean, covariance }
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by cyclic
 * Jacobi rotations: slow for large matrices but exact to float64 precision and dependency-free,
 * which is what a metric that must match across runtimes wants.
 *
 * @example
 * import { symmetricEigen } from 'ganfp'
 * Array.from(symmetricEigen([2, 1, 1, 2], 2).values, Math.round) // [1, 3]
 * @since 0.1.0
 * @category metrics
 */
export const symmetricEigen = (matrix: ArrayLike<number>, n: number): { readonly values: Float64Array; readonly vectors: Float64Array } => {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  let scale = 0
  for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!
    if (off <= 1e-30 * Math.max(scale, 1e-300)) break
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!
        if (apq === 0) continue
        // The rotation that zeroes a[p][q] (Golub & Van Loan, sym.schur2).
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!
          const akq = a[k * n + q]!
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!
          const aqk = a[q * n + k]!
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!
          const vkq = v[k * n + q]!
          v[k * n + p] = c * vkp - s * vkq
          v[k * n + q] = s * vkp + c * vkq
        }
      }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v }
}

const multiply = (x: Float64Array, y: Float64Array, n: number): Float64Array => {
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const xik = x[i * n + k]!
      if (xik === 0) continue
      for (let j = 0; j < n; j++) out[i * n + j]! += xik * y[k * n + j]!
    }
  return out
}

/**
 * The Fréchet distance between two Gaussians: ‖μa − μb‖² + tr(Ca) + tr(Cb) − 2·tr((Ca^½ Cb Ca^½)^½).
 * The square root goes through Ca's eigendecomposition, so the middle matrix stays symmetric and
 * its trace root is a sum of eigenvalue roots (negative round-off clipped to 0). Statistics of
 * different dimensions are a `ShapeMismatch`.
 *
 * @example
 * import { frechetDistance, gaussianStatistics } from 'ganfp'
 * const a = gaussianStatistics({ count: 2, dimension: 1, values: [0, 2] }) // N(1, 2)
 * const b = gaussianStatistics({ count: 2, dimension: 1, values: [3, 5] }) // N(4, 2)
 * frechetDistance(a, b) // { _tag: 'Right', right: 9 }: (1 − 4)² + 2 + 2 − 2·2
 * @since 0.1.0
 * @category metrics
 */
export const frechetDistance = (a: GaussianStatistics, b: GaussianStatistics): E.Either<ReadonlyArray<GanError>, number> =>
  a.dimension === b.dimension
    ? E.right(sameDimensionFrechet(a, b))
    : E.left([shapeMismatch('b.dimension', `${a.dimension} (a.dimension)`, String(b.dimension))])

/**
 * The throwing twin of `frechetDistance`.
 *
 * @example
 * import { frechetDistanceOrThrow, gaussianStatistics } from 'ganfp'
 * const a = gaussianStatistics({ count: 2, dimension: 1, values: [0, 2] })
 * frechetDistanceOrThrow(a, a) // 0
 * @since 0.1.0
 * @category metrics
 */
export const frechetDistanceOrThrow = (a: GaussianStatistics, b: GaussianStatistics): number => getOrThrow(frechetDistance(a, b))

/**
 * `frechetDistance` for statistics known to share their dimension (the same judge's features):
 * the library's own use.
 *
 * @example
 * sameDimensionFrechet(a, a) // 0
 * @since 0.1.0
 * @category metrics
 */
export const sameDimensionFrechet = (a: GaussianStatistics, b: GaussianStatistics): number => {
  const n = a.dimension
  let meanTerm = 0
  let traces = 0
  for (let i = 0; i < n; i++) {
    meanTerm += (a.mean[i]! - b.mean[i]!) ** 2
    traces += a.covariance[i * n + i]! + b.covariance[i * n + i]!
  }
  const { values, vectors } = symmetricEigen(a.covariance, n)
  // Ca^½ = V diag(√λ) Vᵀ.
  const scaled = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled[i * n + j] = vectors[i * n + j]! * Math.sqrt(Math.max(values[j]!, 0))
  const transposed = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) transposed[i * n + j] = vectors[j * n + i]!
  const root = multiply(scaled, transposed, n)
  const middle = multiply(multiply(root, b.covariance, n), root, n)
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) middle[i * n + j] = middle[j * n + i] = (middle[i * n + j]! + middle[j * n + i]!) / 2
  let traceRoot = 0
  for (const lambda of symmetricEigen(middle, n).values) traceRoot += Math.sqrt(Math.max(lambda, 0))
  return meanTerm + traces - 2 * traceRoot
}

/**
 * Kernel inception distance: the unbiased MMD² between the sets under the cubic polynomial kernel
 * k(x, y) = (x·y / d + 1)³ (Bińkowski et al. 2018), on the whole sets (no subsets).
 *
 * @example
 * import { kernelDistance } from 'ganfp'
 * const x = { count: 3, dimension: 1, values: [0, 1, 2] }
 * const y = { count: 3, dimension: 1, values: [5, 6, 7] }
 * kernelDistance(x, y) > kernelDistance(x, x) // true (unbiased: kernelDistance(x, x) may be below 0)
 * @since 0.1.0
 * @category metrics
 */
export const kernelDistance = (x: Features, y: Features): number => {
  const d = x.dimension
  const kernel = (u: Features, i: number, w: Features, j: number) => {
    let dot = 0
    for (let k = 0; k < d; k++) dot += u.values[i * d + k]! * w.values[j * d + k]!
    return (dot / d + 1) ** 3
  }
  const within = (u: Features) => {
    let sum = 0
    for (let i = 0; i < u.count; i++) for (let j = i + 1; j < u.count; j++) sum += 2 * kernel(u, i, u, j)
    return sum / (u.count * (u.count - 1))
  }
  let across = 0
  for (let i = 0; i < x.count; i++) for (let j = 0; j < y.count; j++) across += kernel(x, i, y, j)
  return within(x) + within(y) - (2 * across) / (x.count * y.count)
}

/** Squared Euclidean distances between every row of `a` and every row of `b`. */
const squaredDistances = (a: Features, b: Features): Float64Array => {
  const d = a.dimension
  const out = new Float64Array(a.count * b.count)
  for (let i = 0; i < a.count; i++)
    for (let j = 0; j < b.count; j++) {
      let s = 0
      for (let k = 0; k < d; k++) {
        const diff = a.values[i * d + k]! - b.values[j * d + k]!
        s += diff * diff
      }
      out[i * b.count + j] = s
    }
  return out
}

/** Each row's squared distance to its k-th nearest other row (the radius of its k-NN ball). */
const kthNeighbourRadii = (within: Float64Array, count: number, k: number): Float64Array =>
  Float64Array.from({ length: count }, (_, i) => {
    const row = Array.from(within.subarray(i * count, (i + 1) * count))
    row.splice(i, 1)
    return row.sort((p, q) => p - q)[Math.min(k, row.length) - 1]!
  })

/**
 * Precision and recall with k-NN manifolds (Kynkäänniemi et al. 2019): precision is the share of
 * generated samples inside some real sample's k-NN ball; recall the share of real samples inside
 * some generated sample's ball. Density and coverage (Naeem et al. 2020, their k = 5) count the
 * real balls a generated sample falls in, and the real balls that hold any generated sample.
 *
 * @example
 * import { manifoldMetrics } from 'ganfp'
 * const x = { count: 4, dimension: 1, values: [0, 1, 2, 3] }
 * manifoldMetrics(x, x, 1).precision // 1
 * @since 0.1.0
 * @category metrics
 */
export const manifoldMetrics = (
  real: Features,
  generated: Features,
  k = 3,
  densityK = 5,
): { readonly precision: number; readonly recall: number; readonly density: number; readonly coverage: number } => {
  const realWithin = squaredDistances(real, real)
  const fakeWithin = squaredDistances(generated, generated)
  const across = squaredDistances(real, generated) // [real][generated]
  const realRadii = kthNeighbourRadii(realWithin, real.count, k)
  const fakeRadii = kthNeighbourRadii(fakeWithin, generated.count, k)
  const densityRadii = densityK === k ? realRadii : kthNeighbourRadii(realWithin, real.count, densityK)
  let precise = 0
  let inDensityBalls = 0
  const covered = new Uint8Array(real.count)
  for (let j = 0; j < generated.count; j++) {
    let inside = false
    for (let i = 0; i < real.count; i++) {
      const dist = across[i * generated.count + j]!
      if (dist <= realRadii[i]!) inside = true
      if (dist <= densityRadii[i]!) {
        inDensityBalls++
        covered[i] = 1
      }
    }
    if (inside) precise++
  }
  let recalled = 0
  for (let i = 0; i < real.count; i++) {
    for (let j = 0; j < generated.count; j++)
      if (across[i * generated.count + j]! <= fakeRadii[j]!) {
        recalled++
        break
      }
  }
  return {
    precision: precise / generated.count,
    recall: recalled / real.count,
    density: inDensityBalls / (densityK * generated.count),
    coverage: covered.reduce((a, b) => a + b, 0) / real.count,
  }
}
