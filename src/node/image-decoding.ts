/**
 * The bytes of a PNG or JPEG file decoded to channels-last luminance or RGB bytes, shared by the
 * PNG reader and the image-file decoder; not exported from the package. Each problem is an
 * `InvalidData` error naming the file.
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import { invalidData, type GanError } from '../errors.ts'
import { jpegExifOrientation, orientPixels } from '../data/exif-orientation.ts'
import { jpegSegments } from '../data/jpeg-segments.ts'

/** What a decoder hands on: the image and whether any pixel was less than opaque. */
export interface DecodedPixels {
  readonly height: number
  readonly width: number
  readonly pixels: Uint8Array
  readonly transparent: boolean
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Samples of `stride` bytes a pixel (RGB, or RGBA) as luminance (ITU-R BT.601 luma, rounded) or
 * RGB. A pixel with alpha is composited onto `background` first: its stored colour under full
 * transparency is arbitrary, and dropping alpha would train on it. Grey stored as RGB (r = g =
 * b) keeps its value either way.
 */
export const toChannels = (
  data: Uint8Array,
  stride: 3 | 4,
  count: number,
  channels: 1 | 3,
  background: readonly [number, number, number],
): { readonly pixels: Uint8Array; readonly transparent: boolean } => {
  const pixels = new Uint8Array(count * channels)
  const [backR, backG, backB] = background
  let transparent = false
  for (let i = 0; i < count; i++) {
    let [r, g, b] = [data[stride * i]!, data[stride * i + 1]!, data[stride * i + 2]!]
    const alpha = stride === 4 ? data[4 * i + 3]! : 255
    if (alpha < 255) {
      transparent = true
      const a = alpha / 255
      r = Math.round(a * r + (1 - a) * backR)
      g = Math.round(a * g + (1 - a) * backG)
      b = Math.round(a * b + (1 - a) * backB)
    }
    if (channels === 3) pixels.set([r, g, b], 3 * i)
    else pixels[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
  }
  return { pixels, transparent }
}

/** Deflate packs at most 1032 bytes into one (1100 leaves room for the PNG around it). */
const maxDeflateRatio = 1100

/**
 * The size a PNG's header declares, in raw bytes: the decoder allocates it before reading any data
 * and fills what the data does not (a 90-byte file declaring 2^31 × 2^31 stalled it for half a
 * minute; one declaring 8192 × 8192 decoded as a black image), so a size the file cannot hold is
 * refused first. Undefined when there is no header to read (the decoder reports that).
 */
export const declaredPngSize = (bytes: Uint8Array): { readonly width: number; readonly height: number; readonly bytes: number } | undefined => {
  if (bytes.length < 26 || new TextDecoder().decode(bytes.subarray(12, 16)) !== 'IHDR') return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const [width, height, depth, colourType] = [view.getUint32(16), view.getUint32(20), bytes[24]!, bytes[25]!]
  const samples = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Readonly<Record<number, number>>)[colourType]
  return samples === undefined ? undefined : { width, height, bytes: height * Math.ceil((width * samples * depth) / 8) }
}

/**
 * A PNG's bytes decoded (any bit depth and colour type: pngjs scales 16-bit samples and expands
 * palettes), as `channels`, alpha composited onto `background`.
 */
export const decodePngBytes = (
  file: string,
  bytes: Buffer,
  channels: 1 | 3,
  background: readonly [number, number, number],
): E.Either<ReadonlyArray<GanError>, DecodedPixels> => {
  const declared = declaredPngSize(bytes)
  if (declared !== undefined && declared.bytes > maxDeflateRatio * bytes.length)
    return E.left([invalidData(file, 'a PNG with data for the size its header declares', `${declared.width}×${declared.height} declared in a file of ${bytes.length} bytes (damaged or cut short)`)])
  let png: { width: number; height: number; data: Uint8Array }
  try {
    png = pngjs.PNG.sync.read(bytes)
  } catch (error) {
    return E.left([invalidData(file, 'a readable PNG', errorText(error))])
  }
  return E.right({ height: png.height, width: png.width, ...toChannels(png.data, 4, png.width * png.height, channels, background) })
}

/**
 * The size a JPEG's frame header (SOFn) declares, read before decoding so that a huge image is
 * refused with its size; undefined when no frame header is found (the decoder reports that).
 */
export const declaredJpegSize = (bytes: Uint8Array): { readonly width: number; readonly height: number } | undefined => {
  for (const { marker, payloadStart: at } of jpegSegments(bytes)) {
    // SOF0–SOF15, less DHT (C4), JPG (C8) and DAC (CC): precision, then height and width.
    const isFrameHeader = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc
    if (isFrameHeader && at + 5 <= bytes.length)
      return { height: (bytes[at + 1]! << 8) | bytes[at + 2]!, width: (bytes[at + 3]! << 8) | bytes[at + 4]! }
  }
  return undefined
}

/**
 * jpeg-js's own limits, a backstop behind the declared-size check: it counts about 13 bytes a
 * pixel for 4:2:0 colour and 19 for 4:4:4 while decoding, so 100 megapixels fit in 2 GiB.
 */
const jpegLimits = { maxResolutionInMP: 100, maxMemoryUsageInMB: 2048 }

/**
 * A JPEG's bytes decoded (baseline or progressive; grey, YCbCr or CMYK, which jpeg-js turns into
 * RGB), as `channels`, turned upright by its EXIF orientation as viewers show it. JPEG has no
 * alpha, so nothing is ever transparent.
 */
export const decodeJpegBytes = (file: string, bytes: Uint8Array, channels: 1 | 3): E.Either<ReadonlyArray<GanError>, DecodedPixels> => {
  let image: { width: number; height: number; data: Uint8Array }
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, ...jpegLimits })
  } catch (error) {
    // jpeg-js meets some damage with a TypeError of its own: said as damage, not as a bug.
    const text = error instanceof TypeError || error instanceof RangeError ? `damaged data (${error.message})` : errorText(error)
    return E.left([invalidData(file, 'a readable JPEG', text)])
  }
  const count = image.width * image.height
  // RGB already, and grey wanted as RGB: no copy.
  const pixels = channels === 3 ? image.data : toChannels(image.data, 3, count, channels, [255, 255, 255]).pixels
  return E.right({ ...orientPixels(pixels, { height: image.height, width: image.width, channels }, jpegExifOrientation(bytes)), transparent: false })
}
