// PNG files of any colour type and bit depth, written chunk by chunk: pngjs writes only 8-bit
// RGB(A) and 16-bit, never palettes, and the decoder must be tested on what users' files hold.
import { deflateSync } from 'node:zlib'

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
/** PNG's chunk checksum (CRC-32, polynomial 0xedb88320). */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(new TextEncoder().encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** Colour types: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA (samples per pixel 1, 3, 1, 2, 4). */
export type ColourType = 0 | 2 | 3 | 4 | 6
const samplesPerPixel: Record<ColourType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/**
 * A PNG of `width × height` pixels whose samples (row-major, `samplesPerPixel` each, at `bitDepth`
 * 8 or 16) are `samples`; a palette image takes `palette` (RGB triples) and optional `alphas`.
 */
export const pngBytes = (options: {
  readonly width: number
  readonly height: number
  readonly colourType: ColourType
  readonly bitDepth: 8 | 16
  readonly samples: ReadonlyArray<number>
  readonly palette?: ReadonlyArray<readonly [number, number, number]>
  readonly alphas?: ReadonlyArray<number>
}): Uint8Array => {
  const { width, height, colourType, bitDepth, samples } = options
  const bytesPerSample = bitDepth / 8
  const rowBytes = width * samplesPerPixel[colourType] * bytesPerSample
  const raw = new Uint8Array(height * (rowBytes + 1))
  const view = new DataView(raw.buffer)
  for (let y = 0; y < height; y++) {
    // Filter type 0 (none) before each row.
    for (let x = 0; x < width * samplesPerPixel[colourType]; x++) {
      const value = samples[y * width * samplesPerPixel[colourType] + x]!
      const at = y * (rowBytes + 1) + 1 + x * bytesPerSample
      if (bitDepth === 16) view.setUint16(at, value)
      else raw[at] = value
    }
  }
  const header = new Uint8Array(13)
  const headerView = new DataView(header.buffer)
  headerView.setUint32(0, width)
  headerView.setUint32(4, height)
  header.set([bitDepth, colourType, 0, 0, 0], 8)
  const parts = [Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header)]
  if (options.palette !== undefined) parts.push(chunk('PLTE', Uint8Array.from(options.palette.flat())))
  if (options.alphas !== undefined) parts.push(chunk('tRNS', Uint8Array.from(options.alphas)))
  parts.push(chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0)))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
