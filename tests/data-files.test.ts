// Loading users' files: IDX (the original MNIST format, plain or gzipped) and folders of PNGs.
// Malformed files give InvalidData errors that name the file and what is wrong, all at once.
import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { canvas, fillDisc } from '../src/index.ts'
import { encodePng, listPngClasses, loadIdx, loadImageFolder, loadImageFolderCrops, parseIdx, readPng } from '../src/node.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-data-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const idx = (dims: ReadonlyArray<number>, data: ReadonlyArray<number>): Uint8Array => {
  const header = new Uint8Array(4 + 4 * dims.length)
  header.set([0, 0, 8, dims.length])
  const view = new DataView(header.buffer)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  return new Uint8Array([...header, ...data])
}

const write = (name: string, bytes: Uint8Array): string => {
  const path = join(scratch, name)
  writeFileSync(path, bytes)
  return path
}

describe('IDX files', () => {
  const pixels = Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20)

  it('loads images and labels, gzipped or not', () => {
    const images = write('images.idx.gz', gzipSync(idx([3, 2, 2], pixels)))
    const labels = write('labels.idx', idx([3], [4, 0, 9]))
    const r = loadIdx(images, labels)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect([r.right.count, r.right.height, r.right.width, r.right.channels]).toEqual([3, 2, 2, 1])
    expect(Array.from(r.right.pixels)).toEqual(pixels)
    expect(Array.from(r.right.labels)).toEqual([4, 0, 9])
    expect(r.right.classNames).toHaveLength(10)
  })

  it('names the file and the problem: bad magic, wrong type, truncated data', () => {
    expect(parseIdx(new Uint8Array([0x89, 0x50, 8, 1, 0, 0, 0, 1, 7]), 'a.png')).toEqual(
      E.left([expect.objectContaining({ path: 'a.png: magic', actual: '0x89 0x50' })]),
    )
    expect(parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]), 'floats.idx')).toEqual(
      E.left([expect.objectContaining({ path: 'floats.idx: type', expected: '0x08 (unsigned bytes)', actual: '0x0d' })]),
    )
    expect(parseIdx(idx([3, 2, 2], pixels).subarray(0, 20), 'cut.idx')).toEqual(
      E.left([expect.objectContaining({ path: 'cut.idx: data', expected: '12 bytes for dimensions [3, 2, 2]', actual: '4 bytes (truncated)' })]),
    )
  })

  it('reports problems in both files at once, and a count mismatch', () => {
    const badImages = write('bad-images.idx', new Uint8Array([1, 2, 3, 4, 5]))
    const missing = join(scratch, 'no-such-labels.idx')
    const r = loadIdx(badImages, missing)
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual([`${badImages}: magic`, missing])
    const images = write('images2.idx', idx([3, 2, 2], pixels))
    const twoLabels = write('labels2.idx', idx([2], [1, 2]))
    const mismatch = loadIdx(images, twoLabels)
    expect(E.isLeft(mismatch) && mismatch.left[0]).toMatchObject({ path: `${twoLabels}: count`, actual: '2' })
  })
})

describe('image folders', () => {
  const png = (height: number, width: number, colour: readonly [number, number, number]) => {
    const c = canvas(width, height, [0, 0, 0])
    fillDisc(c, width / 2, height / 2, Math.min(width, height) / 3, colour)
    return encodePng(c)
  }

  it('loads one class per sub-folder, as luminance or RGB', () => {
    const dir = join(scratch, 'classes')
    for (const [cls, colour] of [['cats', [255, 0, 0]], ['dogs', [0, 0, 255]]] as const) {
      mkdirSync(join(dir, cls), { recursive: true })
      for (const i of [1, 2]) writeFileSync(join(dir, cls, `${i}.png`), png(8, 6, colour))
    }
    const gray = loadImageFolder(dir, { height: 8, width: 6, channels: 1 })
    if (E.isLeft(gray)) throw new Error(JSON.stringify(gray.left))
    expect(gray.right.classNames).toEqual(['cats', 'dogs'])
    expect(Array.from(gray.right.labels)).toEqual([0, 0, 1, 1])
    const centre = (4 * 6 + 3) // row 4, column 3
    expect(gray.right.pixels[centre]).toBe(Math.round(0.299 * 255)) // red's luma
    const rgb = loadImageFolder(dir, { height: 8, width: 6, channels: 3 })
    if (E.isLeft(rgb)) throw new Error(JSON.stringify(rgb.left))
    const size = 8 * 6 * 3
    expect(Array.from(rgb.right.pixels.subarray(2 * size + 3 * centre, 2 * size + 3 * centre + 3))).toEqual([0, 0, 255])
  })

  it('reports every bad file: wrong size and not a PNG', () => {
    const dir = join(scratch, 'flat')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'a.png'), png(8, 8, [255, 255, 255]))
    writeFileSync(join(dir, 'b.png'), png(9, 8, [255, 255, 255]))
    writeFileSync(join(dir, 'c.png'), new Uint8Array([1, 2, 3]))
    const r = loadImageFolder(dir, { height: 8, width: 8, channels: 1 })
    expect(E.isLeft(r) && r.left.map((e) => [e.path, e.expected])).toEqual([
      [join(dir, 'b.png'), 'an image of 8×8 (height×width)'],
      [join(dir, 'c.png'), 'a PNG or JPEG image'], // 3 bytes: neither format, by its first bytes
    ])
    expect(E.isLeft(loadImageFolder(join(scratch, 'empty-nowhere'), { height: 8, width: 8, channels: 1 }))).toBe(true)
  })

  it('a file where a folder should be, or a folder where a file should be, is an error naming it, never a throw', () => {
    const file = join(scratch, 'not-a-folder.png')
    writeFileSync(file, png(8, 8, [255, 255, 255]))
    const asFolder = [
      listPngClasses(file),
      loadImageFolder(file, { height: 8, width: 8, channels: 1 }),
      loadImageFolderCrops(file, { cropSize: 4, channels: 1, cropsPerImage: 1, seed: 1 }),
    ]
    for (const r of asFolder) expect(E.isLeft(r) && r.left[0]).toMatchObject({ _tag: 'FileSystem', path: file })
    const folder = join(scratch, 'folder.png')
    mkdirSync(folder, { recursive: true })
    expect(readPng(folder, 1)).toEqual(E.left([expect.objectContaining({ _tag: 'FileSystem', path: folder })]))
    expect(E.isLeft(loadIdx(folder, folder)) && loadIdx(folder, folder)).toMatchObject({ left: [{ _tag: 'FileSystem', path: folder }, { _tag: 'FileSystem', path: folder }] })
    // A missing file stays what it was: the caller's wrong path, InvalidData.
    expect(readPng(join(scratch, 'none.png'), 1)).toEqual(E.left([expect.objectContaining({ _tag: 'InvalidData', expected: 'a readable PNG' })]))
  })
})
