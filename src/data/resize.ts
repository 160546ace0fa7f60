/**
 * Images of any size made square and of one size: the largest centred square, resampled by area
 * (each output pixel is the average of the source area it covers, fractions of pixels included).
 * Pure, so the browser can use it as the Node loaders do.
 *
 * @since 0.2.0
 */

/**
 * For each output index along one axis, the source indices it covers and how much of each, in
 * units of 1/`size` of a source pixel: output `o` covers source `[o·side, (o+1)·side)` in those
 * units, source pixel `i` covers `[i·size, (i+1)·size)`, so every overlap is an integer and an
 * output's overlaps add up to `side`.
 */
interface Coverage {
  /** `offsets[o]` to `offsets[o + 1]` index `sources` and `overlaps` for output `o`. */
  readonly offsets: Int32Array
  readonly sources: Int32Array
  readonly overlaps: Float64Array
}

const coverage = (side: number, size: number): Coverage => {
  const offsets = new Int32Array(size + 1)
  const sources: Array<number> = []
  const overlaps: Array<number> = []
  for (let o = 0; o < size; o++) {
    const [from, to] = [o * side, (o + 1) * side]
    for (let i = Math.floor(from / size); i * size < to; i++) {
      sources.push(i)
      overlaps.push(Math.min((i + 1) * size, to) - Math.max(i * size, from))
    }
    offsets[o + 1] = sources.length
  }
  return { offsets, sources: Int32Array.from(sources), overlaps: Float64Array.from(overlaps) }
}

/**
 * The largest centred square of an image, resampled to `size × size` by area, channels kept:
 * each output pixel is the average of the source pixels its footprint covers, each weighted by
 * the fraction of it covered; the same rule for shrinking and enlarging (enlarging, an output
 * pixel on a source pixel's edge blends the two it straddles, and every other one copies its
 * source pixel). The square's offset is rounded down, so an odd remainder drops its extra row
 * or column at the bottom or right. Averages are exact (integer arithmetic) and rounded to the
 * nearest byte, halves up.
 *
 * PIL's `resize(..., Image.BOX)` gives the same bytes (within 1, its fixed-point rounding) when
 * the square's side is a multiple of `size`; otherwise it gives each source pixel wholly to the
 * output pixel its centre falls in (no fractions), and enlarging, it is nearest-neighbour.
 *
 * `pixels` holds `height × width × channels` bytes, channels last; `size` is a positive integer.
 *
 * @example
 * import { centreCropResize } from 'ganfp'
 * // A 2×4 grey image: the centred 2×2 square (columns 1, 2), averaged to one pixel.
 * centreCropResize(Uint8Array.from([0, 10, 20, 0, 0, 30, 40, 0]), { height: 2, width: 4, channels: 1 }, 1) // Uint8Array [25]
 * @since 0.2.0
 * @category combinators
 */
export const centreCropResize = (
  pixels: Uint8Array,
  from: { readonly height: number; readonly width: number; readonly channels: number },
  size: number,
): Uint8Array => {
  const { height, width, channels } = from
  const side = Math.min(height, width)
  const [top, left] = [Math.floor((height - side) / 2), Math.floor((width - side) / 2)]
  const { offsets, sources, overlaps } = coverage(side, size)
  // Across each row of the square: sums of source bytes × overlap (integers up to 255·side).
  const across = new Float64Array(side * size * channels)
  for (let y = 0; y < side; y++) {
    const row = ((top + y) * width + left) * channels
    for (let x = 0; x < size; x++) {
      const out = (y * size + x) * channels
      for (let k = offsets[x]!; k < offsets[x + 1]!; k++) {
        const at = row + sources[k]! * channels
        const weight = overlaps[k]!
        for (let c = 0; c < channels; c++) across[out + c]! += pixels[at + c]! * weight
      }
    }
  }
  // Down each column, then divide by the whole area (side² units): exact integers until here.
  const resized = new Uint8Array(size * size * channels)
  const rowLength = size * channels
  const area = side * side
  const sums = new Float64Array(rowLength)
  for (let y = 0; y < size; y++) {
    sums.fill(0)
    for (let k = offsets[y]!; k < offsets[y + 1]!; k++) {
      const at = sources[k]! * rowLength
      const weight = overlaps[k]!
      for (let j = 0; j < rowLength; j++) sums[j]! += across[at + j]! * weight
    }
    for (let j = 0; j < rowLength; j++) resized[y * rowLength + j] = Math.round(sums[j]! / area)
  }
  return resized
}
