/**
 * A small baseline JPEG encoder (4:4:4, the example tables of ITU T.81 Annex K), which the demo
 * set's JPEG files are written with. jpeg-js's encoder builds two 65,535-entry tables in holey
 * arrays on every call, which V8 runs dozens of times slower than Bun: its 900 files took two
 * minutes on Node. Internal: not exported from ganfp/node.
 *
 * @since 0.3.0
 */

/** The natural (row-major) index of each zigzag position. */
const zigzag = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
  35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]
/** Annex K.1's quantisation tables at quality 50, row-major. */
const lumaQuantisation = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
]
const chromaQuantisation = [17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, ...Array<number>(38).fill(99)]

/** Annex K.3's Huffman tables: how many codes of each length 1–16, then the symbols in code order. */
interface HuffmanSpec {
  readonly counts: ReadonlyArray<number>
  readonly symbols: ReadonlyArray<number>
}
const dcSymbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const lumaDc: HuffmanSpec = { counts: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], symbols: dcSymbols }
const chromaDc: HuffmanSpec = { counts: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], symbols: dcSymbols }
const lumaAc: HuffmanSpec = {
  counts: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  symbols: [
    1, 2, 3, 0, 4, 17, 5, 18, 33, 49, 65, 6, 19, 81, 97, 7, 34, 113,
    20, 50, 129, 145, 161, 8, 35, 66, 177, 193, 21, 82, 209, 240, 36, 51, 98, 114,
    130, 9, 10, 22, 23, 24, 25, 26, 37, 38, 39, 40, 41, 42, 52, 53, 54, 55,
    56, 57, 58, 67, 68, 69, 70, 71, 72, 73, 74, 83, 84, 85, 86, 87, 88, 89,
    90, 99, 100, 101, 102, 103, 104, 105, 106, 115, 116, 117, 118, 119, 120, 121, 122, 131,
    132, 133, 134, 135, 136, 137, 138, 146, 147, 148, 149, 150, 151, 152, 153, 154, 162, 163,
    164, 165, 166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195,
    196, 197, 198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218, 225, 226,
    227, 228, 229, 230, 231, 232, 233, 234, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250,
  ],
}
const chromaAc: HuffmanSpec = {
  counts: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  symbols: [
    0, 1, 2, 3, 17, 4, 5, 33, 49, 6, 18, 65, 81, 7, 97, 113, 19, 34,
    50, 129, 8, 20, 66, 145, 161, 177, 193, 9, 35, 51, 82, 240, 21, 98, 114, 209,
    10, 22, 36, 52, 225, 37, 241, 23, 24, 25, 26, 38, 39, 40, 41, 42, 53, 54,
    55, 56, 57, 58, 67, 68, 69, 70, 71, 72, 73, 74, 83, 84, 85, 86, 87, 88,
    89, 90, 99, 100, 101, 102, 103, 104, 105, 106, 115, 116, 117, 118, 119, 120, 121, 122,
    130, 131, 132, 133, 134, 135, 136, 137, 138, 146, 147, 148, 149, 150, 151, 152, 153, 154,
    162, 163, 164, 165, 166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186,
    194, 195, 196, 197, 198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218,
    226, 227, 228, 229, 230, 231, 232, 233, 234, 242, 243, 244, 245, 246, 247, 248, 249, 250,
  ],
}

/** Each symbol's canonical code and its length. */
const codesOf = ({ counts, symbols }: HuffmanSpec): { readonly codes: Uint16Array; readonly lengths: Uint8Array } => {
  const codes = new Uint16Array(256)
  const lengths = new Uint8Array(256)
  let code = 0
  let k = 0
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < counts[length - 1]!; i++, k++, code++) [codes[symbols[k]!], lengths[symbols[k]!]] = [code, length]
    code <<= 1
  }
  return { codes, lengths }
}
const tables = { lumaDc: codesOf(lumaDc), lumaAc: codesOf(lumaAc), chromaDc: codesOf(chromaDc), chromaAc: codesOf(chromaAc) }

/** cosines[k * 8 + n] = C(k)/2 · cos((2n + 1)kπ/16): one factor of the 2-D DCT. */
const cosines = Float64Array.from({ length: 64 }, (_, i) => {
  const [k, n] = [Math.floor(i / 8), i % 8]
  return ((k === 0 ? Math.SQRT1_2 : 1) / 2) * Math.cos(((2 * n + 1) * k * Math.PI) / 16)
})

/** Bits into bytes, each 0xFF followed by a stuffed 0x00. */
class BitWriter {
  readonly bytes: Array<number> = []
  private buffer = 0
  private count = 0
  write(value: number, length: number): void {
    this.buffer = (this.buffer << length) | (value & ((1 << length) - 1))
    this.count += length
    while (this.count >= 8) {
      const byte = (this.buffer >> (this.count - 8)) & 0xff
      this.bytes.push(byte)
      if (byte === 0xff) this.bytes.push(0)
      this.count -= 8
    }
    this.buffer &= (1 << this.count) - 1
  }
  /** Pads the last byte with ones. */
  flush(): void {
    if (this.count > 0) this.write((1 << (8 - this.count)) - 1, 8 - this.count)
  }
}

const bitLength = (n: number): number => (n === 0 ? 0 : 32 - Math.clz32(n))

/** One 8×8 block (level-shifted samples, row-major) transformed, quantised and Huffman-coded; returns its DC value. */
const encodeBlock = (
  out: BitWriter,
  block: Float64Array,
  quantisation: ReadonlyArray<number>,
  dc: { readonly codes: Uint16Array; readonly lengths: Uint8Array },
  ac: { readonly codes: Uint16Array; readonly lengths: Uint8Array },
  previousDc: number,
): number => {
  const rows = new Float64Array(64)
  for (let y = 0; y < 8; y++)
    for (let u = 0; u < 8; u++) {
      let sum = 0
      for (let x = 0; x < 8; x++) sum += cosines[u * 8 + x]! * block[y * 8 + x]!
      rows[y * 8 + u] = sum
    }
  const quantised = new Int32Array(64)
  for (let k = 0; k < 64; k++) {
    const natural = zigzag[k]!
    const [v, u] = [natural >> 3, natural & 7]
    let sum = 0
    for (let y = 0; y < 8; y++) sum += cosines[v * 8 + y]! * rows[y * 8 + u]!
    quantised[k] = Math.round(sum / quantisation[natural]!)
  }
  const difference = quantised[0]! - previousDc
  const category = bitLength(Math.abs(difference))
  out.write(dc.codes[category]!, dc.lengths[category]!)
  if (category > 0) out.write(difference < 0 ? difference - 1 : difference, category)
  let run = 0
  for (let k = 1; k < 64; k++) {
    const value = quantised[k]!
    if (value === 0) {
      run++
      continue
    }
    for (; run > 15; run -= 16) out.write(ac.codes[0xf0]!, ac.lengths[0xf0]!)
    const size = bitLength(Math.abs(value))
    const symbol = (run << 4) | size
    out.write(ac.codes[symbol]!, ac.lengths[symbol]!)
    out.write(value < 0 ? value - 1 : value, size)
    run = 0
  }
  if (run > 0) out.write(ac.codes[0]!, ac.lengths[0]!)
  return quantised[0]!
}

const word = (n: number): ReadonlyArray<number> => [(n >> 8) & 0xff, n & 0xff]
const segment = (marker: number, body: ReadonlyArray<number>): ReadonlyArray<number> => [0xff, marker, ...word(body.length + 2), ...body]

/** The table at `quality` (1–100) as libjpeg scales it, row-major. */
const scaled = (table: ReadonlyArray<number>, quality: number): ReadonlyArray<number> => {
  const factor = quality < 50 ? 5000 / quality : 200 - 2 * quality
  return table.map((t) => Math.min(255, Math.max(1, Math.floor((t * factor + 50) / 100))))
}

/**
 * @internal RGB bytes (`height × width × 3`, channels last) as a baseline JFIF file at `quality`
 * (1–100, default 90), no chroma subsampling.
 */
export const encodeJpeg = (rgb: Uint8Array, width: number, height: number, quality = 90): Uint8Array => {
  const luma = scaled(lumaQuantisation, quality)
  const chroma = scaled(chromaQuantisation, quality)
  const huffman = [
    [0x00, lumaDc],
    [0x10, lumaAc],
    [0x01, chromaDc],
    [0x11, chromaAc],
  ] as const
  const header = [
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0, ...zigzag.map((n) => luma[n]!), 1, ...zigzag.map((n) => chroma[n]!)]),
    ...segment(0xc0, [8, ...word(height), ...word(width), 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]),
    ...segment(0xc4, huffman.flatMap(([id, spec]) => [id, ...spec.counts, ...spec.symbols])),
    ...segment(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]),
  ]
  const out = new BitWriter()
  const planes = [new Float64Array(64), new Float64Array(64), new Float64Array(64)]
  const previous = [0, 0, 0]
  for (let top = 0; top < height; top += 8)
    for (let left = 0; left < width; left += 8) {
      // Past the right and bottom edges the last pixels repeat.
      for (let i = 0; i < 64; i++) {
        const y = Math.min(height - 1, top + (i >> 3))
        const x = Math.min(width - 1, left + (i & 7))
        const at = 3 * (y * width + x)
        const [r, g, b] = [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!]
        planes[0]![i] = 0.299 * r + 0.587 * g + 0.114 * b - 128
        planes[1]![i] = -0.168736 * r - 0.331264 * g + 0.5 * b
        planes[2]![i] = 0.5 * r - 0.418688 * g - 0.081312 * b
      }
      previous[0] = encodeBlock(out, planes[0]!, luma, tables.lumaDc, tables.lumaAc, previous[0]!)
      previous[1] = encodeBlock(out, planes[1]!, chroma, tables.chromaDc, tables.chromaAc, previous[1]!)
      previous[2] = encodeBlock(out, planes[2]!, chroma, tables.chromaDc, tables.chromaAc, previous[2]!)
    }
  out.flush()
  return Uint8Array.from([...header, ...out.bytes, 0xff, 0xd9])
}
