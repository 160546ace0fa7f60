/**
 * The marker segments at the head of a JPEG (APPn, SOFn, DQT, …, up to the start of scan), read
 * without decoding: what the EXIF orientation and the declared size are found in. Pure; internal.
 *
 * @since 0.3.0
 */

/**
 * One marker segment: its marker byte (0xE1 for APP1, 0xC0 for SOF0, …), and where its payload
 * (the bytes after the two-byte length) starts and ends, the end clipped to the bytes there are.
 *
 * @since 0.3.0
 * @category model
 */
export interface JpegSegment {
  readonly marker: number
  readonly payloadStart: number
  readonly payloadEnd: number
}

const startOfScan = 0xda

/**
 * The segments before the first scan, in order. The walk stops quietly at damage (a missing
 * marker, a length under 2, bytes that end): what was read until then is all a caller gets, and
 * the decoder reports the damage itself.
 *
 * @example
 * import { jpegSegments } from './src/data/jpeg-segments.ts'
 * // SOI, then an APP0 segment with a two-byte payload, then EOI.
 * [...jpegSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 0xff, 0xd9]))]
 * // [{ marker: 0xe0, payloadStart: 6, payloadEnd: 8 }]
 * @since 0.3.0
 * @category destructors
 */
export function* jpegSegments(bytes: Uint8Array): Generator<JpegSegment> {
  // After the start-of-image marker (FF D8).
  let at = 2
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at += 1
      continue
    }
    if (marker === startOfScan) return
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!
    if (length < 2) return
    yield { marker, payloadStart: at + 4, payloadEnd: Math.min(bytes.length, at + 2 + length) }
    at += 2 + length
  }
}
