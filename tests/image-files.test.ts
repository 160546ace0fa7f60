// Users' image files of any size and format, made bytes of one size: PNG and JPEG told apart by
// their first bytes, grey and colour either way, alpha, the folder layout, every broken file
// named at once, and the area resize checked by hand and against PIL.
import * as E from 'fp-ts/lib/Either.js'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { centreCropResize, type GanError } from '../src/index.ts'
import { decodeImageFile, decodeImageToSize, listImageClasses, listPngClasses, loadImageFolder, loadImageFolderCrops, type DecodedImage } from '../src/node.ts'
import { pngBytes } from './support/png-bytes.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-images-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const write = (name: string, bytes: Uint8Array | string): string => {
  const file = join(scratch, name)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, bytes)
  return file
}
const right = <A>(result: E.Either<ReadonlyArray<GanError>, A>): A => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
  return result.right
}
const problems = (result: E.Either<ReadonlyArray<GanError>, unknown>): ReadonlyArray<string> =>
  E.isLeft(result) ? result.left.map((e) => `${e._tag} at ${e.path}: expected ${e.expected}, found ${e.actual}`) : ['no error']

/** Seeded bytes (a 32-bit LCG's top byte): the same random images on every runtime. */
const randomBytes = (length: number, seed: number): Uint8Array => {
  let state = seed >>> 0
  return Uint8Array.from({ length }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state >>> 24))
}
/** RGB bytes as opaque RGBA, what jpeg-js and pngjs encode. */
const rgbaOf = (rgb: Uint8Array): Buffer => {
  const data = Buffer.alloc((rgb.length / 3) * 4, 255)
  for (let i = 0; i < rgb.length / 3; i++) data.set(rgb.subarray(3 * i, 3 * i + 3), 4 * i)
  return data
}
const jpegOf = (width: number, height: number, rgb: Uint8Array, quality = 95): Uint8Array => jpeg.encode({ width, height, data: rgbaOf(rgb) }, quality).data
const rgbPng = (width: number, height: number, rgb: Uint8Array): Uint8Array => pngBytes({ width, height, colourType: 2, bitDepth: 8, samples: [...rgb] })

// Made by PIL: 16×8, grey (one component) 64 | 192 and progressive 4:4:4 colour (200, 40, 90) | (10, 220, 130), one flat block per half.
const greyJpeg = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCAAIABABAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/APz/AK/oAr//2Q==', 'base64')
const progressiveJpeg = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wgARCAAIABADAREAAhEBAxEB/8QAFAABAAAAAAAAAAAAAAAAAAAAB//EABcBAAMBAAAAAAAAAAAAAAAAAAMFCAn/2gAMAwEAAhADEAAAATsdMNS/KP8A/8QAFBABAAAAAAAAAAAAAAAAAAAAEP/aAAgBAQABBQI//8QAFBEBAAAAAAAAAAAAAAAAAAAAEP/aAAgBAwEBPwE//8QAFBEBAAAAAAAAAAAAAAAAAAAAEP/aAAgBAgEBPwE//8QAFBABAAAAAAAAAAAAAAAAAAAAEP/aAAgBAQAGPwI//8QAFBABAAAAAAAAAAAAAAAAAAAAEP/aAAgBAQABPyE//9oADAMBAAIAAwAAABAD/8QAFBEBAAAAAAAAAAAAAAAAAAAAEP/aAAgBAwEBPxA//8QAFBEBAAAAAAAAAAAAAAAAAAAAEP/aAAgBAgEBPxA//8QAFBABAAAAAAAAAAAAAAAAAAAAEP/aAAgBAQABPxA//9k=', 'base64')

describe('centreCropResize', () => {
  const grey = (height: number, width: number) => ({ height, width, channels: 1 })

  it('averages whole blocks when the side is a multiple of the size (4×4 → 2×2)', () => {
    const pixels = Uint8Array.from({ length: 16 }, (_, i) => 16 * i)
    // Top left: (0 + 16 + 64 + 80) / 4 = 40; and so on.
    expect([...centreCropResize(pixels, grey(4, 4), 2)]).toEqual([40, 72, 168, 200])
  })

  it('weights the pixels an output straddles by the fraction it covers (3×3 → 2×2)', () => {
    // Each output covers 1.5 × 1.5 source pixels: along an axis, output 0 takes all of pixel 0 and
    // half of pixel 1, output 1 half of pixel 1 and all of pixel 2. Top left: (1·90 + ½·0 + ½·0 +
    // ¼·180) / 2.25 = 60; top right: (½·0 + 1·45 + ¼·180 + ½·0) / 2.25 = 40; bottom right: (¼·180 +
    // 1·225) / 2.25 = 120. (PIL's BOX gives no fractions: top left (90 + 0 + 0 + 180) / 4, bottom right 225.)
    const pixels = Uint8Array.from([90, 0, 45, 0, 180, 0, 45, 0, 225])
    expect([...centreCropResize(pixels, grey(3, 3), 2)]).toEqual([60, 40, 40, 120])
  })

  it('enlarges by the same rule: an output on a source edge blends the pixels it straddles (2×2 → 3×3)', () => {
    // Output 1 of 3 covers source [2/3, 4/3): a third of each pixel. Centre: (0 + 100 + 200 + 50) / 4 = 87.5, rounded up.
    expect([...centreCropResize(Uint8Array.from([0, 100, 200, 50]), grey(2, 2), 3)]).toEqual([0, 50, 100, 100, 88, 75, 200, 125, 50])
    expect([...centreCropResize(Uint8Array.from([7]), grey(1, 1), 4)]).toEqual(new Array(16).fill(7))
  })

  it('crops the centred square, an odd remainder losing its extra row or column at the bottom or right', () => {
    // 3×5 RGB: columns 1 to 3 (one column dropped on each side).
    const wide = Uint8Array.from({ length: 3 * 5 * 3 }, (_, i) => i)
    const columns = (row: number) => [...wide.subarray((row * 5 + 1) * 3, (row * 5 + 4) * 3)]
    expect([...centreCropResize(wide, { height: 3, width: 5, channels: 3 }, 3)]).toEqual([...columns(0), ...columns(1), ...columns(2)])
    // 6×3: remainder 3, rows 1 to 3 (row 0 dropped above, rows 4 and 5 below).
    const tall = Uint8Array.from({ length: 18 }, (_, i) => 10 * i)
    expect([...centreCropResize(tall, grey(6, 3), 3)]).toEqual([...tall.subarray(3, 12)])
    // 2×7: columns 2 and 3.
    const strip = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16])
    expect([...centreCropResize(strip, grey(2, 7), 2)]).toEqual([2, 3, 12, 13])
  })

  it('leaves a square image of the size as it is', () => {
    const pixels = randomBytes(7 * 7 * 3, 3)
    expect([...centreCropResize(pixels, { height: 7, width: 7, channels: 3 }, 7)]).toEqual([...pixels])
  })
})

// The reference: PIL. Its BOX filter averages exactly when the side is a multiple of the size,
// and otherwise gives each source pixel wholly to one output (no fractions); so the reference
// first enlarges the crop by size / gcd(side, size) with whole-pixel copies (np.repeat, exact),
// making the side a multiple, and then applies BOX: exact area averages with fractions.
// Tolerance: 1 grey level per byte (PIL rounds its two passes separately, in fixed point).
const python = '/usr/bin/python3'
const pilCheck = spawnSync(python, ['-c', 'import PIL, numpy'], { encoding: 'utf8' })
const pilMissing = pilCheck.status === 0 ? undefined : `${python} with PIL and numpy (${(pilCheck.error?.message ?? pilCheck.stderr ?? '').trim().split('\n').pop()})`
// Outside CI a machine without the reference skips loudly; in CI (which installs it) a missing one fails.
const skipPil = pilMissing !== undefined && process.env.CI === undefined
if (skipPil) console.warn(`tests/image-files.test.ts: skipping the resize-against-PIL tests: ${pilMissing} is missing (CI installs python3-pil)`)
const pilScript = `
import sys, numpy as np
from math import gcd
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
h, w, c, size = map(int, sys.argv[3:7])
a = np.fromfile(src, dtype=np.uint8).reshape(h, w, c)
side = min(h, w)
top, left = (h - side) // 2, (w - side) // 2
a = a[top:top + side, left:left + side]
k = size // gcd(side, size)
a = np.repeat(np.repeat(a, k, 0), k, 1)
box = getattr(Image, 'Resampling', Image).BOX
Image.fromarray(a[:, :, 0] if c == 1 else a).resize((size, size), box).save(out, 'PNG')
`
const pilResize = (pixels: Uint8Array, height: number, width: number, channels: number, size: number): Uint8Array => {
  const [input, output] = [join(scratch, 'pil-in.raw'), join(scratch, 'pil-out.png')]
  writeFileSync(input, pixels)
  const r = spawnSync(python, ['-c', pilScript, input, output, String(height), String(width), String(channels), String(size)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`PIL failed: ${r.stderr}`)
  return right(decodeImageFile(output, channels as 1 | 3)).pixels
}

describe('centreCropResize against PIL', () => {
  it.skipIf(skipPil)('matches exact area averages within 1 grey level, shrinking and enlarging, grey and RGB', () => {
    const cases = [
      [100, 77, 1, 32],
      [77, 100, 1, 32],
      [50, 50, 3, 64],
      [480, 640, 3, 64],
      [240, 300, 3, 60],
      [5, 3, 3, 8],
    ] as const
    const results = cases.map(([height, width, channels, size]) => {
      const pixels = randomBytes(height * width * channels, height * 1000 + width)
      const ours = centreCropResize(pixels, { height, width, channels }, size)
      const theirs = pilResize(pixels, height, width, channels, size)
      return { case: `${height}×${width}×${channels} → ${size}`, worst: ours.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i]!)), 0) }
    })
    expect(results.filter((r) => r.worst > 1)).toEqual([])
  }, 120_000)
})

const decoded = (file: string, channels: 1 | 3, background?: readonly [number, number, number]): DecodedImage => right(decodeImageFile(file, channels, background))

describe('decodeImageFile', () => {
  it('PNG as the PNG reader has it: RGBA composited, 16-bit scaled, palettes expanded', () => {
    const rgba = write('rgba.png', pngBytes({ width: 2, height: 1, colourType: 6, bitDepth: 8, samples: [200, 100, 50, 128, 0, 0, 0, 0] }))
    expect(decoded(rgba, 3)).toMatchObject({ height: 1, width: 2, channels: 3, transparent: true })
    expect([...decoded(rgba, 3).pixels]).toEqual([227, 177, 152, 255, 255, 255])
    expect([...decoded(rgba, 1, [0, 0, 0]).pixels]).toEqual([Math.round(0.299 * 100 + 0.587 * 50 + 0.114 * 25), 0])
    const sixteen = write('grey16.png', pngBytes({ width: 4, height: 1, colourType: 0, bitDepth: 16, samples: [0, 65535, 32896, 2570] }))
    expect([...decoded(sixteen, 1).pixels]).toEqual([0, 255, 128, 10])
    const palette = write('palette.png', pngBytes({ width: 2, height: 1, colourType: 3, bitDepth: 8, samples: [0, 1], palette: [[255, 0, 0], [0, 0, 255]], alphas: [0, 255] }))
    expect([...decoded(palette, 3).pixels]).toEqual([255, 255, 255, 0, 0, 255])
  })

  it('grey into a colour run is replicated; colour into a grey run is luminance', () => {
    const greyPng = write('grey.png', pngBytes({ width: 2, height: 1, colourType: 0, bitDepth: 8, samples: [10, 200] }))
    expect([...decoded(greyPng, 3).pixels]).toEqual([10, 10, 10, 200, 200, 200])
    const greyJpg = write('grey.jpg', greyJpeg)
    const grey = decoded(greyJpg, 1)
    expect([grey.height, grey.width, grey.pixels[0], grey.pixels[15]]).toEqual([8, 16, 64, 192])
    expect([...decoded(greyJpg, 3).pixels.subarray(0, 6)]).toEqual([64, 64, 64, 64, 64, 64])
    const colourJpg = write('progressive.jpg', progressiveJpeg)
    const colour = decoded(colourJpg, 3)
    // PIL decodes these as (201, 40, 90) and (10, 220, 129): decoders may differ by a level or two.
    for (const [at, want] of [[0, [201, 40, 90]], [15, [10, 220, 129]]] as const)
      [...colour.pixels.subarray(3 * at, 3 * at + 3)].forEach((v, c) => expect(Math.abs(v - want[c]!)).toBeLessThanOrEqual(2))
    const luminance = decoded(colourJpg, 1)
    expect([...luminance.pixels]).toEqual(Array.from({ length: 128 }, (_, i) => Math.round(0.299 * colour.pixels[3 * i]! + 0.587 * colour.pixels[3 * i + 1]! + 0.114 * colour.pixels[3 * i + 2]!)))
    expect(luminance.transparent).toBe(false)
  })

  it('reads the format from the bytes, not the name', () => {
    const rgb = randomBytes(6 * 4 * 3, 9)
    expect(decoded(write('really-a-jpeg.png', jpegOf(6, 4, rgb)), 3)).toMatchObject({ height: 4, width: 6 })
    expect([...decoded(write('really-a-png.JPG', rgbPng(6, 4, rgb)), 3).pixels]).toEqual([...rgb])
  })

  it('tiny and huge images, of any shape, come out at the size asked for', () => {
    const one = write('one.png', rgbPng(1, 1, Uint8Array.from([9, 8, 7])))
    expect([...right(decodeImageToSize(one, { size: 2, channels: 3 })).pixels]).toEqual([9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7])
    const small = write('small.jpg', jpegOf(5, 3, randomBytes(45, 4)))
    expect(right(decodeImageToSize(small, { size: 4, channels: 1 })).pixels.length).toBe(16)
    // 2000 wide, 1500 high: a smooth picture, so the JPEG is close to its pixels.
    const [width, height] = [2000, 1500]
    const rgb = new Uint8Array(width * height * 3)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) rgb.set([Math.round((255 * x) / width), Math.round((255 * y) / height), Math.round((127 * y) / height)], 3 * (y * width + x))
    const expected = centreCropResize(rgb, { height, width, channels: 3 }, 64)
    const png = pngjs.PNG.sync.write(Object.assign(new pngjs.PNG({ width, height }), { data: rgbaOf(rgb) }))
    expect([...right(decodeImageToSize(write('huge.png', png), { size: 64, channels: 3 })).pixels]).toEqual([...expected])
    const fromJpeg = right(decodeImageToSize(write('huge.jpg', jpegOf(width, height, rgb)), { size: 64, channels: 3 })).pixels
    expect(fromJpeg.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0)).toBeLessThanOrEqual(3)
  }, 120_000)

  it('a damaged, truncated or oversized file, or one of another kind, is an error naming it and what it holds', () => {
    const good = jpegOf(16, 16, randomBytes(16 * 16 * 3, 5))
    const cutJpeg = write('cut.jpg', good.subarray(0, Math.floor(good.length / 2)))
    const goodPng = rgbPng(16, 16, randomBytes(16 * 16 * 3, 6))
    const cutPng = write('cut.png', goodPng.subarray(0, goodPng.length - 20))
    // The frame header says 20000 × 20000: refused before the decoder allocates anything.
    const sof = good.findIndex((b, i) => b === 0xff && good[i + 1] === 0xc0)
    const vast = Uint8Array.from(good)
    vast.set([0x4e, 0x20, 0x4e, 0x20], sof + 5)
    const flat = Uint8Array.from(good)
    flat.set([0, 0], sof + 5)
    const files = {
      cutJpeg,
      cutPng,
      vast: write('vast.jpg', vast),
      flat: write('flat.jpg', flat),
      start: write('start.jpg', good.subarray(0, 2)),
      text: write('notes.png', 'hello, I am not a picture at all\n'),
      empty: write('empty.jpg', ''),
      gif: write('anim.png', Uint8Array.from([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([1, 0, 1, 0]))),
      binary: write('noise.jpeg', Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253, 254])),
    }
    const found = Object.fromEntries(Object.entries(files).map(([k, file]) => [k, problems(decodeImageFile(file, 3))]))
    expect(found).toEqual({
      cutJpeg: [`InvalidData at ${cutJpeg}: expected a readable JPEG, found marker was not found`],
      cutPng: [expect.stringMatching(new RegExp(`^InvalidData at ${cutPng}: expected a readable PNG, found .+`))],
      vast: [`InvalidData at ${files.vast}: expected an image of at most 100 megapixels, found 20000×20000 (height×width)`],
      flat: [`InvalidData at ${files.flat}: expected an image of at least 1×1 pixels, found 0×16 (height×width)`],
      start: [`InvalidData at ${files.start}: expected a PNG or JPEG image, found bytes ff d8`],
      text: [`InvalidData at ${files.text}: expected a PNG or JPEG image, found text: "hello, I am not a pictur"…`],
      empty: [`InvalidData at ${files.empty}: expected a PNG or JPEG image, found an empty file`],
      gif: [`InvalidData at ${files.gif}: expected a PNG or JPEG image, found a GIF image`],
      binary: [`InvalidData at ${files.binary}: expected a PNG or JPEG image, found bytes 00 01 02 03 fa fb fc fd …`],
    })
    expect(problems(decodeImageFile(join(scratch, 'missing.jpg'), 1))).toEqual([expect.stringMatching(/^InvalidData at .*missing\.jpg: expected a readable PNG or JPEG image, found .*ENOENT/)])
  })

  it('damaged JPEGs (bytes changed, cut anywhere) are InvalidData naming the file, or images of the size they say', () => {
    const good = jpegOf(24, 16, randomBytes(24 * 16 * 3, 8), 80)
    const random = randomBytes(4 * 300, 12)
    for (let k = 0; k < 300; k++) {
      const bytes = Uint8Array.from(good)
      for (let f = 0; f <= k % 4; f++) bytes[(random[4 * k]! * 256 + random[4 * k + 1]!) % bytes.length] = random[4 * k + 2]!
      const file = write('damaged.jpg', k % 3 === 0 ? bytes.subarray(0, (random[4 * k + 3]! * 37) % bytes.length) : bytes)
      const r = decodeImageFile(file, k % 2 === 0 ? 1 : 3)
      if (E.isLeft(r)) expect(r.left.map((e) => `${e._tag} at ${e.path}`)).toEqual([`InvalidData at ${file}`])
      else expect(r.right.pixels.length).toBe(r.right.height * r.right.width * r.right.channels)
    }
  }, 60_000)

  it('bad options are errors naming them, all at once', () => {
    const file = write('options.png', rgbPng(1, 1, Uint8Array.from([1, 2, 3])))
    expect(problems(decodeImageFile(file, 2 as never, [0, 0] as never)).map((p) => p.split(':')[0])).toEqual(['InvalidConfig at channels', 'InvalidConfig at background'])
    expect(problems(decodeImageToSize(file, { size: 0, channels: 4 as never })).map((p) => p.split(':')[0])).toEqual(['InvalidConfig at size', 'InvalidConfig at channels'])
  })
})

describe('listImageClasses', () => {
  const pngFile = rgbPng(2, 2, randomBytes(12, 1))
  const jpegFile = jpegOf(2, 2, randomBytes(12, 2))

  it('a flat folder is one class: PNG and JPEG in any case, sorted; hidden and other files skipped', () => {
    for (const name of ['b.JPG', 'a.png', 'c.jpeg', 'd.Png', '.hidden.png', '._e.jpg', 'notes.txt']) write(`flat/${name}`, name.endsWith('txt') ? 'x' : pngFile)
    const dir = join(scratch, 'flat')
    expect(right(listImageClasses(dir))).toEqual([{ name: 'all', files: ['a.png', 'b.JPG', 'c.jpeg', 'd.Png'].map((f) => join(dir, f)) }])
    expect(right(listPngClasses(dir))).toEqual([{ name: 'all', files: ['a.png', 'd.Png'].map((f) => join(dir, f)) }])
  })

  it('one sub-folder per class, sorted by name; hidden folders skipped', () => {
    write('classes/dogs/2.jpg', jpegFile)
    write('classes/dogs/1.png', pngFile)
    write('classes/cats/x.jpeg', jpegFile)
    write('classes/.cache/y.png', pngFile)
    const dir = join(scratch, 'classes')
    expect(right(listImageClasses(dir))).toEqual([
      { name: 'cats', files: [join(dir, 'cats', 'x.jpeg')] },
      { name: 'dogs', files: [join(dir, 'dogs', '1.png'), join(dir, 'dogs', '2.jpg')] },
    ])
  })

  it('empty class folders, a folder without images, images beside class folders and a missing folder are errors naming the folder', () => {
    write('some-empty/full/a.png', pngFile)
    write('some-empty/text-only/readme.txt', 'no images here')
    mkdirSync(join(scratch, 'some-empty', 'empty'), { recursive: true })
    const dir = join(scratch, 'some-empty')
    expect(problems(listImageClasses(dir))).toEqual([
      `InvalidData at ${join(dir, 'empty')}: expected PNG or JPEG files (a class folder), found none`,
      `InvalidData at ${join(dir, 'text-only')}: expected PNG or JPEG files (a class folder), found none`,
    ])
    write('no-images/readme.txt', 'nothing')
    expect(problems(listImageClasses(join(scratch, 'no-images')))).toEqual([`InvalidData at ${join(scratch, 'no-images')}: expected PNG or JPEG files (flat, or one sub-folder per class), found none`])
    write('mixed/loose.png', pngFile)
    write('mixed/class/a.png', pngFile)
    expect(problems(listImageClasses(join(scratch, 'mixed')))).toEqual([
      `InvalidData at ${join(scratch, 'mixed')}: expected PNG or JPEG files in class sub-folders only (or no sub-folders: one class), found 1 beside the sub-folders (loose.png)`,
    ])
    expect(problems(listImageClasses(join(scratch, 'nowhere')))).toEqual([expect.stringMatching(/^InvalidData at .*nowhere: expected a readable folder/)])
    expect(E.isLeft(listImageClasses(write('a-file.png', pngFile))) && listImageClasses(join(scratch, 'a-file.png'))).toMatchObject({ left: [{ _tag: 'FileSystem' }] })
  })
})

describe('image folders of PNG and JPEG', () => {
  it('load both formats, and report every broken file at once, each by name', () => {
    const rgb = randomBytes(4 * 4 * 3, 11)
    write('both/a.png', rgbPng(4, 4, rgb))
    write('both/b.jpg', jpegOf(4, 4, rgb, 100))
    const images = right(loadImageFolder(join(scratch, 'both'), { height: 4, width: 4, channels: 3 }))
    expect([images.count, images.pixels.length, [...images.pixels.subarray(0, 48)]]).toEqual([2, 96, [...rgb]])
    const crops = right(loadImageFolderCrops(join(scratch, 'both'), { cropSize: 2, channels: 1, cropsPerImage: 3, seed: 1 }))
    expect(crops.count).toBe(6)

    const dir = join(scratch, 'broken')
    write('broken/1-good.png', rgbPng(4, 4, rgb))
    const good = jpegOf(4, 4, rgb)
    const bad = [write('broken/2-cut.jpg', good.subarray(0, 100)), write('broken/3-text.png', 'not a picture'), write('broken/4-cut.png', rgbPng(4, 4, rgb).subarray(0, 40))]
    for (const loaded of [loadImageFolder(dir, { height: 4, width: 4, channels: 3 }), loadImageFolderCrops(dir, { cropSize: 2, channels: 3, cropsPerImage: 1, seed: 1 })])
      expect(E.isLeft(loaded) && loaded.left.map((e) => e.path)).toEqual(bad)
  })
})
