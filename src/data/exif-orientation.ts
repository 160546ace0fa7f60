/**
 * EXIF orientation: cameras and phones store a photo as the sensor read it and record in the
 * EXIF block (TIFF tag 0x0112) how to turn it upright. Browsers and photo viewers apply it; a
 * decoder that does not hands a training set sideways faces. Read from a JPEG's APP1 segment and
 * applied to decoded pixels. Pure, so a page can use it too; internal.
 *
 * @since 0.3.0
 */
import { jpegSegments } from './jpeg-segments.ts'

/**
 * The eight EXIF orientations (TIFF 6.0): 1 upright; 2 mirrored left–right; 3 turned 180°;
 * 4 mirrored top–bottom; 5 transposed (mirrored about the main diagonal); 6 to be turned 90°
 * clockwise; 7 transversed (mirrored about the other diagonal); 8 to be turned 90° anticlockwise.
 *
 * @since 0.3.0
 * @category model
 */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8

const orientationTag = 0x0112
const app1 = 0xe1

/** The orientation in one APP1 payload (after its length), or undefined when it holds none. */
const orientationInApp1 = (bytes: Uint8Array, start: number, end: number): ExifOrientation | undefined => {
  // "Exif\0\0", then a TIFF header: byte order, 42, and the offset of the first directory.
  if (end - start < 14 || String.fromCharCode(...bytes.subarray(start, start + 6)) !== 'Exif\0\0') return undefined
  const tiff = start + 6
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const order = String.fromCharCode(bytes[tiff]!, bytes[tiff + 1]!)
  if (order !== 'II' && order !== 'MM') return undefined
  const little = order === 'II'
  if (view.getUint16(tiff + 2, little) !== 42) return undefined
  const directory = tiff + view.getUint32(tiff + 4, little)
  if (directory + 2 > end) return undefined
  const entries = view.getUint16(directory, little)
  for (let i = 0; i < entries; i++) {
    const entry = directory + 2 + 12 * i
    if (entry + 12 > end) return undefined
    if (view.getUint16(entry, little) !== orientationTag) continue
    // Type SHORT, one value, held in the first two bytes of the value field.
    const value = view.getUint16(entry + 8, little)
    return value >= 1 && value <= 8 ? (value as ExifOrientation) : undefined
  }
  return undefined
}

/**
 * The EXIF orientation a JPEG's bytes declare: 1 (upright) when they declare none, or when the
 * EXIF block is damaged (viewers then show the stored pixels too).
 *
 * @example
 * import { jpegExifOrientation } from './src/data/exif-orientation.ts'
 * jpegExifOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])) // 1
 * @since 0.3.0
 * @category destructors
 */
export const jpegExifOrientation = (bytes: Uint8Array): ExifOrientation => {
  for (const segment of jpegSegments(bytes)) {
    if (segment.marker !== app1) continue
    const found = orientationInApp1(bytes, segment.payloadStart, segment.payloadEnd)
    if (found !== undefined) return found
  }
  return 1
}

/**
 * Decoded pixels (channels last) turned upright by their EXIF orientation; the height and width
 * swap for orientations 5 to 8.
 *
 * @example
 * import { orientPixels } from './src/data/exif-orientation.ts'
 * // 1 × 2 grey pixels [a b], to be turned 90° clockwise: a above b.
 * orientPixels(new Uint8Array([10, 20]), { height: 1, width: 2, channels: 1 }, 6)
 * // { pixels: Uint8Array [10, 20], height: 2, width: 1 }
 * @since 0.3.0
 * @category combinators
 */
export const orientPixels = (
  pixels: Uint8Array,
  size: { readonly height: number; readonly width: number; readonly channels: number },
  orientation: ExifOrientation,
): { readonly pixels: Uint8Array; readonly height: number; readonly width: number } => {
  const { height, width, channels } = size
  if (orientation === 1) return { pixels, height, width }
  const swaps = orientation >= 5
  const [outHeight, outWidth] = swaps ? [width, height] : [height, width]
  // The stored pixel (row, column) that lands at upright (y, x).
  const source: (y: number, x: number) => readonly [number, number] = {
    2: (y: number, x: number) => [y, width - 1 - x] as const,
    3: (y: number, x: number) => [height - 1 - y, width - 1 - x] as const,
    4: (y: number, x: number) => [height - 1 - y, x] as const,
    5: (y: number, x: number) => [x, y] as const,
    6: (y: number, x: number) => [height - 1 - x, y] as const,
    7: (y: number, x: number) => [height - 1 - x, width - 1 - y] as const,
    8: (y: number, x: number) => [x, width - 1 - y] as const,
  }[orientation]
  const out = new Uint8Array(pixels.length)
  for (let y = 0; y < outHeight; y++)
    for (let x = 0; x < outWidth; x++) {
      const [row, column] = source(y, x)
      const from = (row * width + column) * channels
      out.set(pixels.subarray(from, from + channels), (y * outWidth + x) * channels)
    }
  return { pixels: out, height: outHeight, width: outWidth }
}
