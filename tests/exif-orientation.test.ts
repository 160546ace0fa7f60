// EXIF orientation: the eight TIFF orientations by hand on a 2×3 image, the tag read from both
// byte orders and ignored when damaged, and JPEG files turned upright as PIL's
// ImageOps.exif_transpose turns them (the standard reference; PIL is in CI).
import * as E from 'fp-ts/lib/Either.js'
import jpeg from 'jpeg-js'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { jpegExifOrientation, orientPixels, type ExifOrientation } from '../src/data/exif-orientation.ts'
import { jpegSegments } from '../src/data/jpeg-segments.ts'
import { declaredJpegSize } from '../src/node/image-decoding.ts'
import { decodeImageFile } from '../src/node.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-exif-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** An APP1 EXIF segment whose first directory holds the orientation (and a tag before it). */
const exifSegment = (orientation: number, order: 'II' | 'MM'): Uint8Array => {
  const little = order === 'II'
  const tiff = new DataView(new ArrayBuffer(8 + 2 + 2 * 12 + 4))
  tiff.setUint8(0, order.charCodeAt(0))
  tiff.setUint8(1, order.charCodeAt(1))
  tiff.setUint16(2, 42, little)
  tiff.setUint32(4, 8, little)
  tiff.setUint16(8, 2, little)
  // ImageWidth (0x0100, LONG) first, so the reader has to walk the directory.
  tiff.setUint16(10, 0x0100, little)
  tiff.setUint16(12, 4, little)
  tiff.setUint32(14, 1, little)
  tiff.setUint32(18, 640, little)
  tiff.setUint16(22, 0x0112, little)
  tiff.setUint16(24, 3, little)
  tiff.setUint32(26, 1, little)
  tiff.setUint16(30, orientation, little)
  const payload = new Uint8Array([...new TextEncoder().encode('Exif\0\0'), ...new Uint8Array(tiff.buffer)])
  return new Uint8Array([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload])
}
/** `jpeg` with `segment` right after its start-of-image marker. */
const withSegment = (bytes: Uint8Array, segment: Uint8Array): Uint8Array => new Uint8Array([...bytes.subarray(0, 2), ...segment, ...bytes.subarray(2)])

describe('orientPixels', () => {
  // Stored:  a b c
  //          d e f     (TIFF 6.0 says where the stored 0th row and 0th column go.)
  const [a, b, c, d, e, f] = [1, 2, 3, 4, 5, 6]
  const upright: Readonly<Record<ExifOrientation, ReadonlyArray<ReadonlyArray<number>>>> = {
    1: [[a, b, c], [d, e, f]],
    2: [[c, b, a], [f, e, d]],
    3: [[f, e, d], [c, b, a]],
    4: [[d, e, f], [a, b, c]],
    5: [[a, d], [b, e], [c, f]],
    6: [[d, a], [e, b], [f, c]],
    7: [[f, c], [e, b], [d, a]],
    8: [[c, f], [b, e], [a, d]],
  }
  it('turns each of the eight orientations upright, one channel and three', () => {
    for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
      const grey = orientPixels(Uint8Array.from([a, b, c, d, e, f]), { height: 2, width: 3, channels: 1 }, orientation)
      const rows = upright[orientation]
      expect({ orientation, height: grey.height, width: grey.width, pixels: [...grey.pixels] }).toEqual({
        orientation,
        height: rows.length,
        width: rows[0]!.length,
        pixels: rows.flat(),
      })
      const rgb = orientPixels(Uint8Array.from([a, b, c, d, e, f].flatMap((v) => [v, 10 * v, 100 + v])), { height: 2, width: 3, channels: 3 }, orientation)
      expect([...rgb.pixels]).toEqual(rows.flat().flatMap((v) => [v, 10 * v, 100 + v]))
    }
  })
})

describe('jpegExifOrientation', () => {
  const plain = jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(8 * 8 * 4, 128) }, 90).data
  it('reads the tag in either byte order, after other segments and tags', () => {
    for (const order of ['II', 'MM'] as const)
      for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) expect(jpegExifOrientation(withSegment(plain, exifSegment(orientation, order)))).toBe(orientation)
  })
  it('is 1 for a JPEG without EXIF, an out-of-range value, a damaged or cut block', () => {
    expect(jpegExifOrientation(plain)).toBe(1)
    expect(jpegExifOrientation(withSegment(plain, exifSegment(9, 'II')))).toBe(1)
    const damaged = exifSegment(6, 'MM')
    damaged[14] = 0x41 // the byte order, now 'AM'
    expect(jpegExifOrientation(withSegment(plain, damaged))).toBe(1)
    expect(jpegExifOrientation(withSegment(plain, exifSegment(6, 'II')).subarray(0, 30))).toBe(1)
    expect(jpegExifOrientation(new Uint8Array([0xff, 0xd8]))).toBe(1)
  })
})

describe('jpegSegments (shared by the orientation and the declared size)', () => {
  it('walks fill bytes and segments up to the first scan, and stops quietly at damage', () => {
    // SOI, an APP0 with a two-byte payload, a fill byte, an APP1 with none, SOS, then bytes that are not read.
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 0xff, 0xff, 0xe1, 0, 2, 0xff, 0xda, 0, 2, 0xff, 0xe2, 0, 2])
    expect([...jpegSegments(bytes)]).toEqual([
      { marker: 0xe0, payloadStart: 6, payloadEnd: 8 },
      { marker: 0xe1, payloadStart: 13, payloadEnd: 13 },
    ])
    // A length under 2, a missing marker, and a length past the end (clipped).
    expect([...jpegSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 1, 0xff, 0xe1, 0, 2]))]).toEqual([])
    expect([...jpegSegments(new Uint8Array([0xff, 0xd8, 0x00, 0xe0, 0, 2]))]).toEqual([])
    expect([...jpegSegments(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 9, 1]))]).toEqual([{ marker: 0xe0, payloadStart: 6, payloadEnd: 7 }])
  })
  it("finds the frame header's size behind an EXIF segment, and nothing in a cut file", () => {
    const encoded = jpeg.encode({ width: 24, height: 10, data: Buffer.alloc(24 * 10 * 4, 90) }, 90).data
    expect(declaredJpegSize(withSegment(encoded, exifSegment(6, 'MM')))).toEqual({ width: 24, height: 10 })
    expect(declaredJpegSize(encoded.subarray(0, 4))).toBeUndefined()
  })
})

const python = '/usr/bin/python3'
const pilCheck = spawnSync(python, ['-c', 'import PIL, numpy'], { encoding: 'utf8' })
const skipPil = pilCheck.status !== 0 && process.env.CI === undefined
if (skipPil) console.warn('tests/exif-orientation.test.ts: skipping the check against PIL: /usr/bin/python3 with PIL and numpy is missing (CI installs python3-pil)')
const pilScript = `
import sys, numpy as np
from PIL import Image, ImageOps
image = ImageOps.exif_transpose(Image.open(sys.argv[1])).convert('RGB')
a = np.asarray(image, dtype=np.uint8)
sys.stdout.write('%d %d\\n' % a.shape[:2])
sys.stdout.flush()
sys.stdout.buffer.write(a.tobytes())
`

describe('decodeImageFile on a photo with an orientation', () => {
  it.skipIf(skipPil)('turns it upright as PIL does (within 4 levels: two JPEG decoders), and swaps height and width for 5 to 8', () => {
    // 16 × 24, flat 8×8 blocks of different colours, so that the decoders agree closely.
    const [height, width] = [16, 24]
    const rgba = Buffer.alloc(height * width * 4, 255)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) rgba.set([40 + 80 * Math.floor(x / 8), 200 - 150 * Math.floor(y / 8), (x < 8) === (y < 8) ? 30 : 220], 4 * (y * width + x))
    const stored = jpeg.encode({ width, height, data: rgba }, 100).data
    const worst = [1, 2, 3, 4, 5, 6, 7, 8].map((orientation) => {
      const file = join(scratch, `photo-${orientation}.jpg`)
      writeFileSync(file, withSegment(stored, exifSegment(orientation, orientation % 2 === 0 ? 'II' : 'MM')))
      const ours = decodeImageFile(file, 3)
      if (E.isLeft(ours)) throw new Error(JSON.stringify(ours.left))
      const r = spawnSync(python, ['-c', pilScript, file], { maxBuffer: 1 << 24 })
      if (r.status !== 0) throw new Error(`PIL failed: ${r.stderr}`)
      const newline = r.stdout.indexOf(10)
      const [pilHeight, pilWidth] = r.stdout.subarray(0, newline).toString().split(' ').map(Number)
      const theirs = r.stdout.subarray(newline + 1)
      expect({ orientation, height: ours.right.height, width: ours.right.width }).toEqual({ orientation, height: pilHeight, width: pilWidth })
      expect({ orientation, height: ours.right.height }).toEqual({ orientation, height: orientation >= 5 ? width : height })
      return ours.right.pixels.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i]!)), 0)
    })
    expect(Math.max(...worst)).toBeLessThanOrEqual(4)
  }, 60_000)
})
