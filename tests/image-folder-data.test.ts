// Image folders as training data: held in memory or streamed from a decode cache (built once,
// reused, rebuilt when a file changes or the cache is damaged, never left half-written), the same
// batches either way, seeded flips, and exact resume through the trainer's batch stream.
import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import type { WriteStream } from 'node:tty'
import { afterAll, describe, expect, it } from 'vitest'
import type { Batch, Dataset } from '../src/data/dataset.ts'
import { imageDataset, type LabelledImages } from '../src/data/images.ts'
import { Rng } from '../src/random.ts'
import { defaultImageCacheDir, openImageFolder, type ImageFolder, type OpenImageFolderOptions } from '../src/node/image-folder-data.ts'
import { realBatches } from '../src/train/real-batches.ts'
import { decodeProgressBar } from '../src/node/decode-progress.ts'
import { pngBytes } from './support/png-bytes.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-image-folder-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const size = 8

/** Seeded RGB samples of one size×size image. */
const samples = (seed: number): ReadonlyArray<number> => {
  const rng = Rng.fromSeed(seed)
  return Array.from({ length: size * size * 3 }, () => rng.int(256))
}
/** A PNG of `samples(seed)`: decoding it at its own size gives them back. */
const png = (seed: number): Uint8Array => pngBytes({ width: size, height: size, colourType: 2, bitDepth: 8, samples: samples(seed) })

let folders = 0
/** A fresh folder with one sub-folder per class, `perClass` PNGs each. */
const makeFolder = (classes: ReadonlyArray<string> = ['cats', 'dogs'], perClass = 12): string => {
  const dir = join(scratch, `images-${folders++}`)
  classes.forEach((name, c) => {
    mkdirSync(join(dir, name), { recursive: true })
    for (let i = 0; i < perClass; i++) writeFileSync(join(dir, name, `${String(i).padStart(2, '0')}.png`), png(1000 * c + i))
  })
  return dir
}

const open = (dir: string, options: Partial<OpenImageFolderOptions> = {}): ImageFolder => {
  const r = openImageFolder(dir, { size, channels: 3, ...options })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

const cacheOptions = (): { readonly memoryBudgetBytes: number; readonly cacheDir: string } => ({
  memoryBudgetBytes: 0,
  cacheDir: mkdtempSync(join(scratch, 'cache-')),
})

const epoch = async (dataset: Dataset, options: { readonly batchSize: number; readonly seed: number; readonly skipBatches?: number }): Promise<ReadonlyArray<Batch>> => {
  const batches: Array<Batch> = []
  for await (const batch of dataset.batches(options)) batches.push(batch)
  return batches
}

const plain = (batches: ReadonlyArray<Batch>): ReadonlyArray<{ readonly values: ReadonlyArray<number>; readonly labels: ReadonlyArray<number> }> =>
  batches.map((b) => ({ values: Array.from(b.values), labels: Array.from(b.labels ?? []) }))

describe('openImageFolder', () => {
  it('holds a folder that fits the budget in memory, with its classes and notes', async () => {
    const dir = makeFolder()
    const folder = open(dir)
    expect([folder.storage, folder.count, folder.height, folder.width, folder.channels]).toEqual(['memory', 24, size, size, 3])
    expect(folder.classNames).toEqual(['cats', 'dogs'])
    expect(folder.notes).toEqual([`24 images in 2 classes, 8×8×3, held in memory (4.6 kB)`])
    const two = folder.read([13, 0])
    expect(Array.from(two.labels)).toEqual([1, 0])
    expect(two.pixels.subarray(0, 3 * size * size)).toEqual(new Uint8Array(samples(1001)))
    const batches = await epoch(folder.dataset, { batchSize: 5, seed: 3 })
    expect(batches.map((b) => b.shape)).toEqual(Array(4).fill([5, size, size, 3]))
    expect(folder.dataset.numClasses).toBe(2)
  })

  it('builds the decode cache once and reuses it while the folder is unchanged', () => {
    const dir = makeFolder()
    const options = cacheOptions()
    const progress: Array<readonly [number, number]> = []
    const first = open(dir, { ...options, onProgress: (done, total) => progress.push([done, total]) })
    expect(first.storage).toBe('cache')
    expect(progress[0]).toEqual([0, 24])
    expect(progress.at(-1)).toEqual([24, 24])
    expect(first.notes.at(-1)).toContain(', built now)')
    const cacheFile = first.cacheFile!
    expect(readdirSync(options.cacheDir)).toEqual([cacheFile.slice(options.cacheDir.length + 1)])
    const written = readFileSync(cacheFile)
    utimesSync(cacheFile, new Date(2020, 0, 1), new Date(2020, 0, 1))
    let called = false
    const second = open(dir, { ...options, onProgress: () => (called = true) })
    expect(called).toBe(false)
    expect(second.cacheFile).toBe(cacheFile)
    expect(readFileSync(cacheFile)).toEqual(written)
    // Reused, it is marked as used now, so that pruning keeps it.
    expect(Date.now() - statSync(cacheFile).mtimeMs).toBeLessThan(60_000)
    expect(second.notes.at(-1)).toBe(`24 images in 2 classes, 8×8×3, streamed from the decode cache ${cacheFile} (4.6 kB)`)
    expect(second.read([5, 20]).pixels).toEqual(first.read([5, 20]).pixels)
    expect(second.read([5, 20]).labels).toEqual(Uint8Array.from([0, 1]))
  })

  it('rebuilds the cache when a file changes', () => {
    const dir = makeFolder()
    const options = cacheOptions()
    const before = open(dir, options)
    const changed = join(dir, 'dogs', '03.png')
    writeFileSync(changed, png(77))
    utimesSync(changed, new Date(2030, 0, 1), new Date(2030, 0, 1))
    let built = false
    const after = open(dir, { ...options, onProgress: () => (built = true) })
    expect(built).toBe(true)
    expect(after.cacheFile).not.toBe(before.cacheFile)
    expect(after.read([15]).pixels).toEqual(new Uint8Array(samples(77)))
    // Only the mtime changes: the key still changes.
    utimesSync(changed, new Date(2031, 0, 1), new Date(2031, 0, 1))
    expect(open(dir, options).cacheFile).not.toBe(after.cacheFile)
  })

  it('finds a cut-short or overwritten cache and rebuilds it, saying so', () => {
    const dir = makeFolder()
    const options = cacheOptions()
    const built = open(dir, options)
    const file = built.cacheFile!
    const full = statSync(file).size
    const expected = built.read([0, 1, 2, 23])
    truncateSync(file, full - 10)
    const again = open(dir, options)
    expect(again.notes).toContainEqual(`the decode cache ${file} was damaged (${full - 10} bytes where ${full} were written): rebuilt`)
    expect(statSync(file).size).toBe(full)
    expect(again.read([0, 1, 2, 23])).toEqual({ ...expected, notes: again.notes })
    const bytes = readFileSync(file)
    bytes[0] = 0 // the magic
    writeFileSync(file, bytes)
    expect(open(dir, options).notes.join('\n')).toContain('was damaged (a header that does not match its name): rebuilt')
  })

  it('names every broken file at once and leaves nothing on disk', () => {
    const dir = makeFolder()
    const broken = [join(dir, 'cats', '04.png'), join(dir, 'dogs', '10.png')]
    writeFileSync(broken[0]!, 'not a png at all')
    writeFileSync(broken[1]!, png(5).subarray(0, 40))
    for (const options of [cacheOptions(), { cacheDir: mkdtempSync(join(scratch, 'cache-')) }]) {
      const r = openImageFolder(dir, { size, channels: 3, ...options })
      expect(E.isLeft(r)).toBe(true)
      if (E.isLeft(r)) expect(broken.every((file) => r.left.some((e) => e.path === file))).toBe(true)
      expect(readdirSync(options.cacheDir)).toEqual([])
    }
  })

  it('refuses indices outside the folder when reading', () => {
    const folder = open(makeFolder(['a'], 2), cacheOptions())
    expect(() => folder.read([0, 2])).toThrow('indices')
    expect(() => open(makeFolder(['a'], 2)).read([-1])).toThrow('indices')
  })

  it('removes the temporary file of a build that was killed, and only that one', () => {
    const dir = makeFolder(['a'], 3)
    const options = cacheOptions()
    const file = open(dir, options).cacheFile!
    const name = file.slice(options.cacheDir.length + 1)
    const [dead, alive] = [`.${name}.99999999.1.tmp`, `.${name}.${process.pid}.1.tmp`]
    for (const leftover of [dead, alive]) writeFileSync(join(options.cacheDir, leftover), 'partial')
    truncateSync(file, 5)
    open(dir, options)
    expect(readdirSync(options.cacheDir).sort()).toEqual([alive, name].sort())
  })

  it('prunes decode caches unused for 30 days when it builds a new one, and nothing else', () => {
    const options = cacheOptions()
    const old = new Date(Date.now() - 31 * 86_400_000)
    const recent = new Date(Date.now() - 29 * 86_400_000)
    const [stale, fresh] = ['0123456789abcdef0123456789abcdef.ganfp-images', 'fedcba9876543210fedcba9876543210.ganfp-images']
    const [notACache, userFile] = ['0123456789abcdef.ganfp-images', 'photos.tar']
    for (const name of [stale, fresh, notACache, userFile]) {
      writeFileSync(join(options.cacheDir, name), 'x'.repeat(1000))
      utimesSync(join(options.cacheDir, name), name === fresh ? recent : old, name === fresh ? recent : old)
    }
    const dir = makeFolder(['a'], 3)
    const built = open(dir, options)
    const cacheName = built.cacheFile!.slice(options.cacheDir.length + 1)
    expect(readdirSync(options.cacheDir).sort()).toEqual([cacheName, fresh, notACache, userFile].sort())
    expect(built.notes).toContainEqual('removed 1 decode cache unused for 30 days (1.0 kB)')
    // Reusing a cache prunes nothing, even when one has since gone stale.
    utimesSync(join(options.cacheDir, fresh), old, old)
    const reused = open(dir, options)
    expect(reused.cacheFile).toBe(built.cacheFile)
    expect(reused.notes.join('\n')).not.toContain('removed')
    expect(readdirSync(options.cacheDir)).toContain(fresh)
  })

  it('refuses more classes than a label byte holds', () => {
    const dir = makeFolder(Array.from({ length: 257 }, (_, i) => `class-${String(i).padStart(3, '0')}`), 1)
    const r = openImageFolder(dir, { size, channels: 1 })
    expect(E.isLeft(r) && r.left.map((e) => [e.path, e.expected])).toEqual([[dir, 'at most 256 classes (one sub-folder each)']])
  })

  it('draws a line at each tenth where the output is not a terminal', () => {
    const lines: Array<string> = []
    const stream = { isTTY: false, write: (line: string) => lines.push(line) } as unknown as WriteStream
    const bar = decodeProgressBar({ stream })
    for (let done = 0; done <= 40; done++) bar.onProgress(done, 40)
    bar.stop()
    expect(lines).toEqual(Array.from({ length: 11 }, (_, i) => `decoding images ${4 * i}/40\n`))
  })

  it('passes on how many files had transparency, from memory and from the cache alike', () => {
    const dir = makeFolder(['a'], 3)
    const rgba = Array.from({ length: size * size }, (_, i) => [i, i, i, i === 0 ? 0 : 255]).flat()
    writeFileSync(join(dir, 'a', '09.png'), pngBytes({ width: size, height: size, colourType: 6, bitDepth: 8, samples: rgba }))
    const note = '1 of 4 images have transparent pixels: composited onto white (rgb 255, 255, 255)'
    const options = cacheOptions()
    for (const folder of [open(dir), open(dir, options), open(dir, options)]) expect(folder.notes[0]).toBe(note)
  })

  it('refuses bad options, all at once', () => {
    const r = openImageFolder(makeFolder(['a'], 1), { size: 0, channels: 2 as 3, memoryBudgetBytes: -1 })
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual(['size', 'channels', 'memoryBudgetBytes'])
  })

  it('puts caches under XDG_CACHE_HOME when it is set', () => {
    expect(defaultImageCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/ganfp/images')
  })
})


describe('streaming, flips and resume', () => {
  const dir = makeFolder(['a', 'b', 'c'], 9)

  it('streams the same batches and images as memory holds, for every seed', async () => {
    const inMemory = open(dir)
    const streamed = open(dir, cacheOptions())
    expect([inMemory.storage, streamed.storage]).toEqual(['memory', 'cache'])
    for (const flip of [false, true]) {
      const [m, s] = [open(dir, { flip }), open(dir, { ...cacheOptions(), flip })]
      for (const seed of [1, 2, 0xdeadbeef]) expect(plain(await epoch(s.dataset, { batchSize: 4, seed }))).toEqual(plain(await epoch(m.dataset, { batchSize: 4, seed })))
    }
    const indices = [26, 0, 13, 13]
    expect({ ...streamed.read(indices), notes: [] }).toEqual({ ...inMemory.read(indices), notes: [] })
  })

  it('leaves batches without flip exactly as before', async () => {
    const images = open(dir).read(Array.from({ length: 27 }, (_, i) => i))
    // The loop imageDataset had before flips, verbatim.
    const before = (seed: number, batchSize: number): ReadonlyArray<ReadonlyArray<number>> => {
      const order = shuffled(images.count, seed)
      const out: Array<ReadonlyArray<number>> = []
      const n = images.height * images.width * images.channels
      for (let start = 0; start + batchSize <= images.count; start += batchSize) {
        const values = new Float32Array(batchSize * n)
        for (let b = 0; b < batchSize; b++) for (let p = 0; p < n; p++) values[b * n + p] = images.pixels[order[start + b]! * n + p]! / 127.5 - 1
        out.push(Array.from(values))
      }
      return out
    }
    expect((await epoch(imageDataset(images), { batchSize: 6, seed: 9 })).map((b) => Array.from(b.values))).toEqual(before(9, 6))
  })

  it('flips a seeded half of the examples left–right, the same for the same seed', async () => {
    const images: LabelledImages = {
      name: 'one',
      count: 1,
      height: 2,
      width: 3,
      channels: 2,
      pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
      labels: new Uint8Array(1),
      classNames: ['all'],
    }
    const scaled = (pixels: ReadonlyArray<number>): ReadonlyArray<number> => Array.from(Float32Array.from(pixels, (p) => p / 127.5 - 1))
    const asIs = scaled(Array.from(images.pixels))
    // Each row's pixels in reverse order, each pixel's channels kept in order.
    const mirrored = scaled([4, 5, 2, 3, 0, 1, 10, 11, 8, 9, 6, 7].map((i) => i * 20))
    const dataset = imageDataset(images, { flip: true })
    const seen = await Promise.all(Array.from({ length: 40 }, async (_, seed) => Array.from((await epoch(dataset, { batchSize: 1, seed }))[0]!.values)))
    expect(seen.every((v) => JSON.stringify(v) === JSON.stringify(asIs) || JSON.stringify(v) === JSON.stringify(mirrored))).toBe(true)
    const flipped = seen.filter((v) => JSON.stringify(v) === JSON.stringify(mirrored)).length
    expect(flipped).toBeGreaterThan(8)
    expect(flipped).toBeLessThan(32)
    expect(plain(await epoch(dataset, { batchSize: 1, seed: 5 }))).toEqual(plain(await epoch(dataset, { batchSize: 1, seed: 5 })))
    // On a folder: every example is either as it is or mirrored, and some of each.
    const folderFlip = open(dir, { flip: true }).dataset
    const [a, b] = [await epoch(open(dir).dataset, { batchSize: 27, seed: 4 }), await epoch(folderFlip, { batchSize: 27, seed: 4 })]
    expect(b[0]!.values).not.toEqual(a[0]!.values)
    expect(b[0]!.labels).toEqual(a[0]!.labels)
  })

  it('skips batches as if it had read them, flips included', async () => {
    const streamed = open(dir, { ...cacheOptions(), flip: true })
    const all = plain(await epoch(streamed.dataset, { batchSize: 4, seed: 11 }))
    expect(plain(await epoch(streamed.dataset, { batchSize: 4, seed: 11, skipBatches: 4 }))).toEqual(all.slice(4))
    expect(await epoch(streamed.dataset, { batchSize: 4, seed: 11, skipBatches: 9 })).toEqual([])
  })

  it('resumes exactly through the trainer’s batch stream, across epochs, skipping or not', async () => {
    const streamed = open(dir, { ...cacheOptions(), flip: true }).dataset
    const expectations = { batchShape: [4, size, size, 3], pairedShape: undefined, classes: 3 }
    const skips: Array<number | undefined> = []
    const watched: Dataset = { ...streamed, batches: (options) => (skips.push(options.skipBatches), streamed.batches(options)) }
    const cannotSkip: Dataset = { name: streamed.name, exampleShape: streamed.exampleShape, numClasses: 3, batches: (options) => streamed.batches({ batchSize: options.batchSize, seed: options.seed }) }
    const rng = Rng.fromSeed(21)
    const whole = realBatches(streamed, 4, rng, expectations, { batchesSeen: 0, cursor: undefined })
    const run: Array<Batch> = []
    let saved: { readonly state: ReturnType<Rng['state']>; readonly cursor: ReturnType<typeof whole.cursor> } | undefined
    for (let i = 0; i < 15; i++) {
      run.push(await whole.next())
      if (i + 1 === 9) saved = { state: rng.state(), cursor: whole.cursor() } // 3 batches into the second epoch (6 an epoch)
    }
    expect(saved?.cursor?.batchesIntoEpoch).toBe(3)
    for (const dataset of [watched, cannotSkip]) {
      const resumed = realBatches(dataset, 4, Rng.fromState(saved!.state), expectations, { batchesSeen: 9, cursor: saved!.cursor })
      const rest: Array<Batch> = []
      for (let i = 9; i < 15; i++) rest.push(await resumed.next())
      expect(plain(rest)).toEqual(plain(run.slice(9)))
    }
    expect(skips[0]).toBe(2) // jumped to the last used batch, which it reads to check the epoch
  })

  it('still refuses a resumed epoch shorter than its cursor', async () => {
    const streamed = open(dir, cacheOptions()).dataset
    const expectations = { batchShape: [4, size, size, 3], pairedShape: undefined, classes: 3 }
    const resumed = realBatches(streamed, 4, Rng.fromSeed(1), expectations, { batchesSeen: 7, cursor: { epochSeed: 3, batchesIntoEpoch: 7 } })
    await expect(resumed.next()).rejects.toThrow('at least 7 batches in the resumed epoch')
  })
})

/** `shuffledIndices` as it was written before it moved, to hold the order fixed. */
const shuffled = (n: number, seed: number): Uint32Array => {
  const rng = Rng.fromSeed(seed)
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return order
}
