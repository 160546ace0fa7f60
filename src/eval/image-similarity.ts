/**
 * Full-reference image similarity for super-resolution (protocol Q4): PSNR and SSIM of images in
 * [0, 1] against their originals, per image and then averaged. Plain float64 JavaScript: exact,
 * backend-free and fast enough for thousands of small images.
 *
 * @since 0.1.0
 */

/**
 * Images of one size, row-major, `count × height × width × channels`, values in [0, 1].
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageBatch {
  readonly values: ArrayLike<number>
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: number
}

const size = (b: ImageBatch): number => b.height * b.width * b.channels

/**
 * Mean over images of 10·log₁₀(1 / MSE) (peak 1); an exact copy counts as `cap` dB.
 *
 * @example
 * import { psnr } from 'ganfp'
 * const a = { values: [0.5, 0.5, 0.5, 0.5], count: 1, height: 2, width: 2, channels: 1 }
 * psnr(a, { ...a, values: [0.6, 0.6, 0.6, 0.6] }) // 20 (MSE 0.01)
 * @since 0.1.0
 * @category metrics
 */
export const psnr = (images: ImageBatch, originals: ImageBatch, cap = 100): number => {
  const n = size(images)
  let total = 0
  for (let i = 0; i < images.count; i++) {
    let squared = 0
    for (let p = 0; p < n; p++) squared += (images.values[i * n + p]! - originals.values[i * n + p]!) ** 2
    const mse = squared / n
    total += mse === 0 ? cap : Math.min(cap, 10 * Math.log10(1 / mse))
  }
  return total / images.count
}

/** The normalised 1-D Gaussian window. */
const gaussianWindow = (radius: number, sigma: number): Float64Array => {
  const w = new Float64Array(2 * radius + 1)
  for (let i = -radius; i <= radius; i++) w[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma))
  const sum = w.reduce((a, b) => a + b, 0)
  return w.map((v) => v / sum)
}

/** Separable Gaussian filtering of one plane, over the positions where the whole window fits ("valid"). */
const filterValid = (plane: Float64Array, h: number, w: number, window: Float64Array): { values: Float64Array; h: number; w: number } => {
  const k = window.length
  const oh = h - k + 1
  const ow = w - k + 1
  const rows = new Float64Array(h * ow)
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0
      for (let i = 0; i < k; i++) s += window[i]! * plane[y * w + x + i]!
      rows[y * ow + x] = s
    }
  const out = new Float64Array(oh * ow)
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0
      for (let i = 0; i < k; i++) s += window[i]! * rows[(y + i) * ow + x]!
      out[y * ow + x] = s
    }
  return { values: out, h: oh, w: ow }
}

/**
 * Mean SSIM (Wang et al. 2004): Gaussian window 11 × 11, σ = 1.5, K₁ = 0.01, K₂ = 0.03, peak 1,
 * over the positions where the window fits, averaged over channels and then images.
 *
 * @example
 * import { ssim } from 'ganfp'
 * const a = { values: Array.from({ length: 144 }, (_, i) => (i % 7) / 7), count: 1, height: 12, width: 12, channels: 1 }
 * ssim(a, a) // 1
 * @since 0.1.0
 * @category metrics
 */
export const ssim = (images: ImageBatch, originals: ImageBatch, options: { readonly radius?: number; readonly sigma?: number } = {}): number => {
  const { height: h, width: w, channels: c } = images
  const window = gaussianWindow(Math.min(options.radius ?? 5, Math.floor((Math.min(h, w) - 1) / 2)), options.sigma ?? 1.5)
  const c1 = 0.01 ** 2
  const c2 = 0.03 ** 2
  const n = size(images)
  const plane = (batch: ImageBatch, image: number, channel: number, f: (v: number) => number = (v) => v) => {
    const out = new Float64Array(h * w)
    for (let p = 0; p < h * w; p++) out[p] = f(batch.values[image * n + p * c + channel]!)
    return out
  }
  let total = 0
  for (let i = 0; i < images.count; i++)
    for (let k = 0; k < c; k++) {
      const x = plane(images, i, k)
      const y = plane(originals, i, k)
      const xy = x.map((v, p) => v * y[p]!)
      const [mx, my, sxx, syy, sxy] = [x, y, x.map((v) => v * v), y.map((v) => v * v), xy].map((p) => filterValid(p, h, w, window).values)
      let sum = 0
      for (let p = 0; p < mx!.length; p++) {
        const ux = mx![p]!
        const uy = my![p]!
        const vx = sxx![p]! - ux * ux
        const vy = syy![p]! - uy * uy
        const cov = sxy![p]! - ux * uy
        sum += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
      }
      total += sum / mx!.length
    }
  return total / (images.count * c)
}
