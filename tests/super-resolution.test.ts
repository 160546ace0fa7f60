// Super-resolution data and baselines (protocol Q4): box downsampling, the paired dataset, crops of
// PNG folders, bicubic and nearest upsampling, the comparison grid, and the bicubic anchor on the
// MNIST held-out images.
import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { GanException } from '../src/errors.ts'
import type { Batch } from '../src/data/dataset.ts'
import { loadBundledImagesOrThrow } from '../src/node/bundled-data.ts'
import { splitHeldOut, type LabelledImages } from '../src/data/images.ts'
import { boxDownsample, boxDownsampleOrThrow, superResolutionDataset, superResolutionDatasetOrThrow } from '../src/data/super-resolution.ts'
import { loadImageFolderCrops } from '../src/node/image-folder.ts'
import { bicubicUpsample, bicubicUpsampleOrThrow, nearestUpsample, nearestUpsampleOrThrow } from '../src/eval/bicubic.ts'
import { psnr, ssim } from '../src/eval/image-similarity.ts'
import { comparisonGrid } from '../src/io/comparison-grid.ts'
import { canvas } from '../src/io/canvas.ts'
import { encodePng } from '../src/node/png.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-sr-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const collect = async (batches: AsyncIterable<Batch>): Promise<ReadonlyArray<Batch>> => {
  const out: Array<Batch> = []
  for await (const b of batches) out.push(b)
  return out
}

describe('box downsampling', () => {
  it('averages each factor × factor block, per channel', () => {
    // Two 4×4 one-channel images: 0..15 row-major, and a 2×2 checker of 1s and 0s per block.
    const ramp = Array.from({ length: 16 }, (_, i) => i)
    const checker = [1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1]
    const out = boxDownsampleOrThrow([...ramp, ...checker], { count: 2, height: 4, width: 4, channels: 1 }, 2)
    // Blocks of the ramp: {0,1,4,5} = 2.5, {2,3,6,7} = 4.5, {8,9,12,13} = 10.5, {10,11,14,15} = 12.5.
    expect(Array.from(out)).toEqual([2.5, 4.5, 10.5, 12.5, 0.5, 0.5, 0.5, 0.5])
    expect(Array.from(boxDownsampleOrThrow(ramp, { count: 1, height: 4, width: 4, channels: 1 }, 4))).toEqual([7.5])
    // Two channels, 2×2 → 1×1: channel 0 holds 0..3, channel 1 holds 10·(0..3).
    const twoChannel = [0, 0, 1, 10, 2, 20, 3, 30]
    expect(Array.from(boxDownsampleOrThrow(twoChannel, { count: 1, height: 2, width: 2, channels: 2 }, 2))).toEqual([1.5, 15])
  })

  it('factor 1 is the identity; a factor that does not divide the size, or a layout that does not fit, is an error', () => {
    const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    const layout = { count: 1, height: 2, width: 3, channels: 1 }
    expect(Array.from(boxDownsampleOrThrow(values, layout, 1))).toEqual(Array.from(Float32Array.from(values)))
    const paths = (r: E.Either<ReadonlyArray<{ readonly _tag: string; readonly path: string }>, unknown>) => E.isLeft(r) && r.left.map((e) => [e._tag, e.path])
    const notDividing = boxDownsample(values, layout, 2)
    expect(paths(notDividing)).toEqual([['InvalidConfig', 'factor']])
    expect(paths(boxDownsample(values, layout, 0))).toEqual([['InvalidConfig', 'factor']])
    expect(() => boxDownsampleOrThrow(values, layout, 2)).toThrow(new GanException(E.isLeft(notDividing) ? notDividing.left : []).message)
    expect(paths(boxDownsample(values, { ...layout, count: 2 }, 1))).toEqual([['InvalidData', 'values.length']])
    expect(paths(boxDownsample(values, { ...layout, count: -1 }, 1))).toEqual([['InvalidConfig', 'layout.count']])
  })
})

describe('super-resolution dataset', () => {
  const images: LabelledImages = {
    name: 'tiny',
    count: 10,
    height: 8,
    width: 8,
    channels: 1,
    pixels: Uint8Array.from({ length: 10 * 64 }, (_, i) => (i * 37 + Math.floor(i / 64) * 11) % 256), // no two images alike
    labels: Uint8Array.from({ length: 10 }, (_, i) => i % 3),
    classNames: ['a', 'b', 'c'],
  }

  it('serves HR targets and their box downsamples in [−1, 1], with labels; the last partial batch is dropped', async () => {
    const dataset = superResolutionDatasetOrThrow(images, 4)
    expect(dataset.exampleShape).toEqual([8, 8, 1])
    expect(dataset.pairedInputShape).toEqual([2, 2, 1])
    expect(dataset.numClasses).toBe(3)
    const batches = await collect(dataset.batches({ batchSize: 3, seed: 7 }))
    expect(batches.length).toBe(3)
    const seen = new Set<number>()
    for (const b of batches) {
      expect(b.shape).toEqual([3, 8, 8, 1])
      expect(b.values.length).toBe(3 * 64)
      expect(b.pairedInput?.length).toBe(3 * 4)
      expect(Math.min(...b.values)).toBeGreaterThanOrEqual(-1)
      expect(Math.max(...b.values)).toBeLessThanOrEqual(1)
      expect(Array.from(b.pairedInput!)).toEqual(Array.from(boxDownsampleOrThrow(b.values, { count: 3, height: 8, width: 8, channels: 1 }, 4)))
      // Each target is one of the images, and its label is that image's.
      for (let k = 0; k < 3; k++) {
        const target = Array.from(b.values.subarray(k * 64, (k + 1) * 64))
        const index = [...Array(10).keys()].find((i) => target.every((v, p) => v === Math.fround(images.pixels[i * 64 + p]! / 127.5 - 1)))!
        expect(seen.has(index)).toBe(false)
        seen.add(index)
        expect(b.labels?.[k]).toBe(images.labels[index])
      }
    }
    expect(seen.size).toBe(9)
  })

  it('a factor that does not divide the image size is an error', () => {
    const r = superResolutionDataset(images, 3)
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.actual])).toEqual([['InvalidConfig', 'factor', '3']])
    expect(() => superResolutionDatasetOrThrow(images, 3)).toThrow(new GanException(E.isLeft(r) ? r.left : []).message)
  })

  it('the same seed gives the same epoch; another seed another order', async () => {
    const dataset = superResolutionDatasetOrThrow(images, 2)
    const a = await collect(dataset.batches({ batchSize: 5, seed: 3 }))
    const b = await collect(dataset.batches({ batchSize: 5, seed: 3 }))
    const c = await collect(dataset.batches({ batchSize: 5, seed: 4 }))
    expect(a.map((x) => Array.from(x.values))).toEqual(b.map((x) => Array.from(x.values)))
    expect(a.map((x) => Array.from(x.pairedInput!))).toEqual(b.map((x) => Array.from(x.pairedInput!)))
    expect(a.map((x) => Array.from(x.values))).not.toEqual(c.map((x) => Array.from(x.values)))
  })
})

describe('bicubic and nearest upsampling', () => {
  const single = (values: ArrayLike<number>, height: number, width: number, channels = 1) => ({ values, count: 1, height, width, channels })

  it('a constant image stays constant; factor 1 is the identity', () => {
    const up = bicubicUpsampleOrThrow(single(new Array(5 * 6 * 3).fill(0.3), 5, 6, 3), 4)
    expect(up.length).toBe(20 * 24 * 3)
    for (const v of up) expect(v).toBeCloseTo(0.3, 6)
    const values = Float32Array.from({ length: 2 * 4 * 5 }, (_, i) => (i * 0.37) % 1)
    expect(Array.from(bicubicUpsampleOrThrow({ values, count: 2, height: 4, width: 5, channels: 1 }, 1))).toEqual(Array.from(values))
  })

  it('reproduces a linear ramp exactly where no tap reaches past the border', () => {
    const [h, w, factor] = [8, 8, 4]
    const ramp = (x: number, y: number): number => (x + 2 * y + 3) / 30
    const values = Float64Array.from({ length: h * w }, (_, i) => ramp(i % w, Math.floor(i / w)))
    const up = bicubicUpsampleOrThrow(single(values, h, w), factor)
    let checked = 0
    for (let y = 0; y < h * factor; y++)
      for (let x = 0; x < w * factor; x++) {
        const [sx, sy] = [(x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5]
        const inside = (s: number, n: number): boolean => Math.floor(s) - 1 >= 0 && Math.floor(s) + 2 <= n - 1
        if (!inside(sx, w) || !inside(sy, h)) continue
        expect(up[y * w * factor + x]).toBeCloseTo(ramp(sx, sy), 6)
        checked++
      }
    expect(checked).toBeGreaterThan(100)
  })

  it('matches a hand-computed value', () => {
    // Row [0, 0.2, 0.8, 0.6], ×2: output x = 3 samples source 1.25, taps 0..3 at distances
    // 1.25, 0.25, 0.75, 1.75 with Keys (a = −0.5) weights −0.0703125, 0.8671875, 0.2265625,
    // −0.0234375: 0.2·0.8671875 + 0.8·0.2265625 − 0.6·0.0234375 = 0.340625.
    const up = bicubicUpsampleOrThrow(single([0, 0.2, 0.8, 0.6], 1, 4), 2)
    expect(up.length).toBe(2 * 8)
    expect(up[3]).toBeCloseTo(0.340625, 6)
    expect(up[8 + 3]).toBeCloseTo(0.340625, 6)
    // Overshoot is clamped to [0, 1].
    const edge = bicubicUpsampleOrThrow(single([0, 0, 1, 1], 1, 4), 4)
    expect(Math.min(...edge)).toBe(0)
    expect(Math.max(...edge)).toBe(1)
  })

  it('a factor that is not a positive integer, or a layout that does not fit, is an error', () => {
    const image = single([0.1, 0.2], 1, 2)
    for (const upsample of [bicubicUpsample, nearestUpsample]) {
      const r = upsample(image, 1.5)
      expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([['InvalidConfig', 'factor']])
      const short = upsample({ ...image, width: 3 }, 2)
      expect(E.isLeft(short) && short.left.map((e) => [e._tag, e.path])).toEqual([['InvalidData', 'values.length']])
    }
    expect(() => bicubicUpsampleOrThrow(image, 0)).toThrow(/InvalidConfig at factor/)
    expect(() => nearestUpsampleOrThrow(image, 0)).toThrow(/InvalidConfig at factor/)
  })

  it('nearest upsampling repeats each pixel in a factor × factor block', () => {
    // A 1×2 RGB image (pixels p = [0.1, 0.2, 0.3], q = [0.4, 0.5, 0.6]) becomes 2×4: p p q q, twice.
    const up = nearestUpsampleOrThrow(single([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 1, 2, 3), 2)
    const row = [0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.4, 0.5, 0.6]
    expect(Array.from(up)).toEqual(Array.from(Float32Array.from([...row, ...row])))
  })

  it('Q4 anchor: bicubic ×4 from the 7×7 box downsample of the MNIST held-out images', () => {
    const { heldOut } = splitHeldOut(loadBundledImagesOrThrow('mnist'))
    const layout = { count: heldOut.count, height: 28, width: 28, channels: 1 }
    const originals = { ...layout, values: Float32Array.from(heldOut.pixels, (p) => p / 255) }
    const low = boxDownsampleOrThrow(originals.values, layout, 4)
    const up = { ...layout, values: bicubicUpsampleOrThrow({ ...layout, height: 7, width: 7, values: low }, 4) }
    const [p, s] = [psnr(up, originals), ssim(up, originals)]
    console.log(`Q4 bicubic ×4 on ${heldOut.count} MNIST held-out images: PSNR ${p.toFixed(3)} dB, SSIM ${s.toFixed(4)}`)
    expect(heldOut.count).toBe(2000)
    expect(p).toBeGreaterThan(13)
    expect(p).toBeLessThan(16)
  })
})

describe('crops of PNG folders', () => {
  // A PNG whose pixel (y, x) has red = 10·y + x, so a crop's top-left pixel says where it was cut.
  const coded = (height: number, width: number): Uint8Array => {
    const c = canvas(width, height, [0, 0, 0])
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) c.rgba.set([10 * y + x, 0, 0, 255], 4 * (y * width + x))
    return encodePng(c)
  }

  it('takes seeded square crops of every file, labelled by sub-folder; the same seed gives the same crops', () => {
    const dir = join(scratch, 'classes')
    for (const [cls, sizes] of [['big', [[12, 20], [9, 9]]], ['small', [[10, 15]]]] as const) {
      mkdirSync(join(dir, cls), { recursive: true })
      sizes.forEach(([h, w], i) => writeFileSync(join(dir, cls, `${i}.png`), coded(h, w)))
    }
    const options = { cropSize: 9, channels: 3, cropsPerImage: 4, seed: 5 } as const
    const r = loadImageFolderCrops(dir, options)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const crops = r.right
    expect([crops.count, crops.height, crops.width, crops.channels, crops.pixels.length]).toEqual([12, 9, 9, 3, 12 * 9 * 9 * 3])
    expect(crops.classNames).toEqual(['big', 'small'])
    expect(Array.from(crops.labels)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    const size = 9 * 9 * 3
    const corner = (k: number): number => crops.pixels[k * size]!
    // Each crop is a contiguous window: its red channel is 10·(top + y) + (left + x).
    for (let k = 0; k < crops.count; k++) {
      const [top, left] = [Math.floor(corner(k) / 10), corner(k) % 10]
      for (const [y, x] of [[0, 8], [8, 0], [8, 8], [4, 5]] as const) expect(crops.pixels[k * size + (y * 9 + x) * 3]).toBe(10 * (top + y) + left + x)
    }
    // The 9×9 file has only one crop position.
    for (const k of [4, 5, 6, 7]) expect(corner(k)).toBe(0)
    const again = loadImageFolderCrops(dir, options)
    expect(E.isRight(again) && Array.from(again.right.pixels)).toEqual(Array.from(crops.pixels))
    const other = loadImageFolderCrops(dir, { ...options, seed: 6 })
    expect(E.isRight(other) && Array.from(other.right.pixels)).not.toEqual(Array.from(crops.pixels))
    const gray = loadImageFolderCrops(dir, { ...options, channels: 1 })
    expect(E.isRight(gray) && gray.right.pixels.length).toBe(12 * 81)
  })

  it('reports every file smaller than the crop, and bad options and folders', () => {
    const dir = join(scratch, 'flat')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'a.png'), coded(16, 16))
    writeFileSync(join(dir, 'b.png'), coded(16, 7))
    writeFileSync(join(dir, 'c.png'), coded(5, 30))
    const r = loadImageFolderCrops(dir, { cropSize: 8, channels: 1, cropsPerImage: 2, seed: 1 })
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.expected, e.actual])).toEqual([
      ['InvalidData', join(dir, 'b.png'), 'an image of at least 8×8 (height×width)', '16×7'],
      ['InvalidData', join(dir, 'c.png'), 'an image of at least 8×8 (height×width)', '5×30'],
    ])
    const bad = loadImageFolderCrops(dir, { cropSize: 2.5, channels: 1, cropsPerImage: 0, seed: 1 })
    expect(E.isLeft(bad) && bad.left.map((e) => [e._tag, e.path])).toEqual([
      ['InvalidConfig', 'cropSize'],
      ['InvalidConfig', 'cropsPerImage'],
    ])
    expect(E.isLeft(loadImageFolderCrops(join(scratch, 'nowhere'), { cropSize: 8, channels: 1, cropsPerImage: 1, seed: 1 }))).toBe(true)
    const empty = join(scratch, 'empty')
    mkdirSync(empty, { recursive: true })
    const none = loadImageFolderCrops(empty, { cropSize: 8, channels: 1, cropsPerImage: 1, seed: 1 })
    expect(E.isLeft(none) && none.left[0]?.actual).toBe('none')
  })
})

describe('comparison grid', () => {
  const batch = (count: number, side: number, value: number, channels = 1) => ({
    values: new Float32Array(count * side * side * channels).fill(value),
    count,
    height: side,
    width: side,
    channels,
  })

  it('one row per example, one column per entry, 2-pixel gutters', () => {
    const r = comparisonGrid([{ title: 'LR', images: batch(5, 28, 0) }, { images: batch(4, 28, 0.5, 3) }, { title: 'HR', images: batch(4, 28, 1) }], 4)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    const grid = r.right
    expect([grid.width, grid.height]).toEqual([3 * 30 + 2, 4 * 30 + 2])
    const pixel = (x: number, y: number) => Array.from(grid.rgba.subarray(4 * (y * grid.width + x), 4 * (y * grid.width + x) + 4))
    expect(pixel(2, 2)).toEqual([0, 0, 0, 255])
    expect(pixel(32, 2)).toEqual([128, 128, 128, 255])
    expect(pixel(62 + 27, 2 + 3 * 30 + 27)).toEqual([255, 255, 255, 255])
    expect(pixel(0, 0)).toEqual([40, 40, 40, 255])
  })

  it('names the columns whose size or count is wrong', () => {
    const r = comparisonGrid([{ images: batch(4, 28, 0) }, { title: 'SR', images: batch(4, 14, 0) }, { images: batch(2, 28, 0) }], 4)
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.note])).toEqual([
      ['ShapeMismatch', 'columns[1].images', '"SR"'],
      ['InvalidConfig', 'columns[2].images.count', undefined],
    ])
    expect(E.isLeft(comparisonGrid([], 1))).toBe(true)
  })
})
