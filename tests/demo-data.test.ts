// The colour demo set that `ganfp demo-data` writes: drawn from a seed with nothing downloaded,
// one folder per class, mixed sizes, PNG (RGB and RGBA) and JPEG, every file decodable and its
// shape visible in the centre; bad options and foreign folders refused as GanErrors (exit 2).
// Also: colour samples come out in colour in sample grids and comparison strips.
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import jpeg from 'jpeg-js'
import pngjs from 'pngjs'
import { afterAll, describe, expect, it } from 'vitest'
import {
  alternating,
  comparisonGrid,
  configCodec,
  defineRecipe,
  demoShapeFiles,
  demoShapeKinds,
  dense,
  flatten,
  gan,
  GanException,
  imageDataset,
  imageGrid,
  leakyRelu,
  relu,
  renderDemoShape,
  renderShape,
  reshape,
  Rng,
  sequential,
  tanh,
  type GanError,
} from '../src/index.ts'
import { sampleGridPng, startRun, writeDemoShapes, type DemoShapesSummary } from '../src/node.ts'
import { cliMain } from '../src/cli/main.ts'
import { demoDataCommand } from '../src/cli/demo-data.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-demo-data-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const written = (dir: string, options: { count: number; seed: number }): DemoShapesSummary => {
  const result = writeDemoShapes(dir, options)
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
  return result.right
}
const problems = (result: E.Either<ReadonlyArray<GanError>, unknown>): ReadonlyArray<GanError> => (E.isLeft(result) ? result.left : [])
/** Every file under `dir` by its path inside it, sorted. */
const tree = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => /\.(png|jpg|json)$/.test(p))
    .sort()

/** A decoded file as RGBA bytes, and which format its bytes say it is. */
const decode = (file: string): { format: 'png' | 'jpeg'; colourType?: number; width: number; height: number; rgba: Uint8Array } => {
  const bytes = readFileSync(file)
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const image = jpeg.decode(bytes, { useTArray: true })
    return { format: 'jpeg', width: image.width, height: image.height, rgba: image.data }
  }
  const png = pngjs.PNG.sync.read(bytes)
  return { format: 'png', colourType: bytes[25]!, width: png.width, height: png.height, rgba: new Uint8Array(png.data) }
}

/** The largest colour step between neighbouring pixels in a box (summed over RGB): an edge, or a smooth gradient. */
const largestStep = (image: { width: number; rgba: Uint8Array }, box: { left: number; top: number; size: number }): number => {
  const at = (x: number, y: number, c: number) => image.rgba[4 * (y * image.width + x) + c]!
  let largest = 0
  for (let y = box.top; y < box.top + box.size; y++)
    for (let x = box.left; x + 1 < box.left + box.size; x++) {
      let step = 0
      for (let c = 0; c < 3; c++) step += Math.abs(at(x + 1, y, c) - at(x, y, c))
      largest = Math.max(largest, step)
    }
  return largest
}

describe('the demo shapes, drawn', () => {
  it('one seed, one picture: same bytes again, another seed differs; RGBA has transparent corners and an opaque centre', () => {
    for (const kind of demoShapeKinds) {
      const a = renderShape(kind, Rng.fromSeed(9), { height: 50, width: 70 })
      expect(a.length).toBe(50 * 70 * 3)
      expect(renderShape(kind, Rng.fromSeed(9), { height: 50, width: 70 })).toEqual(a)
      expect(renderShape(kind, Rng.fromSeed(10), { height: 50, width: 70 })).not.toEqual(a)
      const rgba = renderShape(kind, Rng.fromSeed(9), { height: 60, width: 60, alpha: true })
      expect([rgba[3], rgba[4 * 60 - 1], rgba[4 * 60 * 60 - 1], rgba[4 * (30 * 60 + 30) + 3]]).toEqual([0, 0, 0, 255])
    }
  })

  it('the file list: classes share the count, sizes and aspect ratios vary, each format appears, and a longer list starts the same', () => {
    const files = demoShapeFiles(62, 4)
    expect(demoShapeKinds.map((k) => files.filter((f) => f.kind === k).length)).toEqual([11, 11, 10, 10, 10, 10])
    expect(files.map((f) => f.label)).toEqual(files.map((f) => demoShapeKinds.indexOf(f.kind)))
    const sides = files.flatMap((f) => [f.height, f.width])
    expect(Math.min(...sides)).toBeGreaterThanOrEqual(48)
    expect(Math.max(...sides)).toBeLessThanOrEqual(160)
    expect(new Set(sides).size).toBeGreaterThan(20)
    expect(files.filter((f) => f.height !== f.width).length).toBeGreaterThan(5)
    for (const kind of demoShapeKinds) {
      const ofKind = files.filter((f) => f.kind === kind)
      expect(ofKind.filter((f) => f.format === 'jpeg').length).toBe(3)
      expect(ofKind.filter((f) => f.alpha).length).toBe(2)
    }
    const longer = demoShapeFiles(620, 4)
    expect(longer.filter((f) => f.kind === 'star').slice(0, 10)).toEqual(files.filter((f) => f.kind === 'star'))
  })
})

describe('writeDemoShapes', () => {
  const dir = join(scratch, 'shapes')

  it('writes one folder per class, every file decodable at its size, and says what it wrote', () => {
    const summary = written(dir, { count: 36, seed: 3 })
    expect(readdirSync(dir).sort()).toEqual(['demo-data.json', ...demoShapeKinds].sort())
    for (const kind of demoShapeKinds) expect(readdirSync(join(dir, kind)).length).toBe(6)
    expect(summary).toMatchObject({ count: 36, seed: 3, png: 24, jpeg: 12, transparent: 6 })
    expect(summary.classes).toEqual(demoShapeKinds.map((name) => ({ name, count: 6 })))
    const plan = demoShapeFiles(36, 3)
    let transparentPngs = 0
    for (const file of plan) {
      const image = decode(join(dir, file.path))
      expect([image.format, image.height, image.width]).toEqual([file.format, file.height, file.width])
      expect(file.path.endsWith(file.format === 'jpeg' ? '.jpg' : '.png')).toBe(true)
      if (image.format === 'png') expect(image.colourType).toBe(file.alpha ? 6 : 2)
      if (file.alpha) transparentPngs += image.rgba[3] === 0 ? 1 : 0
      // The shape: an edge inside the centre square's middle, while the corners are a smooth gradient.
      const side = Math.min(image.height, image.width)
      const [left, top] = [(image.width - side) >> 1, (image.height - side) >> 1]
      const middle = Math.round(side * 0.9)
      const centreStep = largestStep(image, { left: left + ((side - middle) >> 1), top: top + ((side - middle) >> 1), size: middle })
      const corner = Math.floor(side * 0.06) + 2
      const cornerStep = Math.max(
        largestStep(image, { left: 0, top: 0, size: corner }),
        largestStep(image, { left: image.width - corner, top: image.height - corner, size: corner }),
      )
      expect({ file: file.path, edge: centreStep > 60, smoothCorners: file.alpha || cornerStep < 40 }).toEqual({ file: file.path, edge: true, smoothCorners: true })
      // The files hold the pictures: PNG exactly, JPEG (the project's own encoder) within a few levels.
      const picture = renderDemoShape(file)
      const channels = file.alpha ? 4 : 3
      let error = 0
      for (let p = 0; p < file.height * file.width; p++) for (let c = 0; c < channels; c++) error += Math.abs(image.rgba[4 * p + c]! - picture[channels * p + c]!)
      expect({ file: file.path, meanError: error / picture.length < (file.format === 'jpeg' ? 3 : 1e-9) }).toEqual({ file: file.path, meanError: true })
    }
    expect(transparentPngs).toBe(6)
    expect(JSON.parse(readFileSync(join(dir, 'demo-data.json'), 'utf8'))).toMatchObject({ generator: 'ganfp demo-data', count: 36, seed: 3 })
  })

  it('the same count and seed write the same bytes', () => {
    const again = join(scratch, 'again')
    written(again, { count: 36, seed: 3 })
    const files = tree(dir)
    expect(tree(again)).toEqual(files)
    for (const file of files) expect(readFileSync(join(again, file)).equals(readFileSync(join(dir, file)))).toBe(true)
  })

  it('replaces a set it wrote before (an empty folder is fine too) and leaves nothing beside it', () => {
    written(dir, { count: 12, seed: 5 })
    expect(tree(dir).length).toBe(13)
    const empty = join(scratch, 'empty')
    mkdirSync(empty)
    written(empty, { count: 6, seed: 0 })
    expect(readdirSync(empty).length).toBe(7)
    expect(readdirSync(scratch).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('refuses a folder of other files, a file, and counts or seeds out of range, all at once, writing nothing', () => {
    const foreign = join(scratch, 'photos')
    mkdirSync(foreign)
    writeFileSync(join(foreign, 'holiday.jpg'), 'x')
    const refused = problems(writeDemoShapes(foreign, { count: 5, seed: 1.5 }))
    expect(refused.map((e) => [e._tag, e.path])).toEqual([
      ['InvalidConfig', 'count'],
      ['InvalidConfig', 'seed'],
      ['InvalidConfig', foreign],
    ])
    expect(refused[2]!.actual).toContain('holiday.jpg')
    expect(readdirSync(foreign)).toEqual(['holiday.jpg'])
    // A demo set with a file of the user's added is theirs now: refused.
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    expect(problems(writeDemoShapes(dir, { count: 6, seed: 0 })).map((e) => e._tag)).toEqual(['InvalidConfig'])
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true)
    expect(problems(writeDemoShapes(join(foreign, 'holiday.jpg'))).map((e) => e.actual)).toEqual(['a file'])
    expect(problems(writeDemoShapes('/proc/ganfp-demo', { count: 6 })).map((e) => e._tag)).toEqual(['FileSystem'])
    expect(problems(writeDemoShapes('', { count: 6 })).map((e) => e._tag)).toEqual(['InvalidConfig'])
    expect(readdirSync(scratch).filter((name) => name.startsWith('.'))).toEqual([])
  })
})

describe('ganfp demo-data', () => {
  const refusal = async (argv: ReadonlyArray<string>): Promise<ReadonlyArray<string>> => {
    try {
      await cliMain(argv)
    } catch (error) {
      if (error instanceof GanException) return error.errors.map((e) => `${e._tag} at ${e.path}`)
      throw error
    }
    throw new Error(`ganfp ${argv.join(' ')} was not refused`)
  }

  it('refuses bad options as GanErrors (exit 2), writing nothing', async () => {
    const target = join(scratch, 'cli')
    expect(await refusal(['demo-data', target, '--count', '0'])).toEqual(['InvalidConfig at --count'])
    expect(await refusal(['demo-data', target, '--count', 'many'])).toEqual(['InvalidConfig at --count'])
    expect(await refusal(['demo-data', target, '--seed', '1.5'])).toEqual(['InvalidConfig at --seed'])
    expect(await refusal(['demo-data', target, '--count', '3'])).toEqual(['InvalidConfig at --count'])
    expect(await refusal(['demo-data', target, '--size', '64'])).toEqual(['InvalidConfig at argv'])
    expect(await refusal(['demo-data'])).toEqual(['InvalidConfig at argv'])
    expect(existsSync(target)).toBe(false)
  })

  it('writes the set and prints what it wrote', async () => {
    const lines: Array<string> = []
    demoDataCommand(join(scratch, 'cli'), { count: 30, seed: 2 }, (line) => lines.push(line))
    expect(lines[0]).toMatch(/^wrote 30 images \(\d+\.\d MB, seed 2\) to /)
    expect(lines.join('\n')).toContain('6 classes, one folder each, 5 images per class: circle, cross, ring, square, star, triangle')
    expect(lines.join('\n')).toContain('ganfp train dcgan --dataset folder --folder')
    // Through the command line too (its output goes to the console).
    const log = console.log
    console.log = () => {}
    try {
      await cliMain(['demo-data', join(scratch, 'cli'), '--count', '12'])
    } finally {
      console.log = log
    }
    expect(readdirSync(join(scratch, 'cli', 'star')).length).toBe(2)
  })
})

describe('colour samples are drawn in colour', () => {
  // Two 4×4 RGB images in [0, 1]: pure red and pure blue.
  const values = new Float32Array(2 * 4 * 4 * 3)
  for (let p = 0; p < 16; p++) (values[3 * p] = 1), (values[48 + 3 * p + 2] = 1)
  const images = { values, count: 2, height: 4, width: 4, channels: 3 }
  const pixel = (rgba: ArrayLike<number>, width: number, x: number, y: number) => Array.from({ length: 3 }, (_, c) => rgba[4 * (y * width + x) + c])

  it('imageGrid and sampleGridPng: red and blue, not grey', () => {
    const grid = imageGrid(values, { ...images, columns: 2 })
    expect([pixel(grid.rgba, grid.width, 3, 3), pixel(grid.rgba, grid.width, 9, 3)]).toEqual([[255, 0, 0], [0, 0, 255]])
    const png = pngjs.PNG.sync.read(Buffer.from(sampleGridPng(values, images, [0, 1])))
    expect([pixel(png.data, png.width, 3, 3), pixel(png.data, png.width, 9, 3)]).toEqual([[255, 0, 0], [0, 0, 255]])
  })

  it('comparisonGrid: a colour column beside a grey one', () => {
    const grey = { values: new Float32Array(2 * 16).fill(0.5), count: 2, height: 4, width: 4, channels: 1 }
    const strip = comparisonGrid([{ title: 'colour', images }, { title: 'grey', images: grey }], 2)
    if (E.isLeft(strip)) throw new Error(JSON.stringify(strip.left))
    const { rgba, width } = strip.right
    expect([pixel(rgba, width, 3, 3), pixel(rgba, width, 3, 9), pixel(rgba, width, 9, 3)]).toEqual([[255, 0, 0], [0, 0, 255], [128, 128, 128]])
  })

  it('a run on colour images writes colour sample grids', async () => {
    const [size, count] = [8, 64]
    const pixels = new Uint8Array(count * size * size * 3)
    for (let i = 0; i < count; i++) pixels.set(renderShape(demoShapeKinds[i % 6]!, Rng.fromSeed(i), { height: size, width: size }), i * size * size * 3)
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 6)
    const images = { name: 'shapes', count, height: size, width: size, channels: 3, pixels, labels, classNames: demoShapeKinds }
    const recipe = defineRecipe({
      name: 'tiny-colour',
      description: 'a tiny dense GAN on 8×8 colour shapes',
      config: configCodec({}),
      runDefaults: { steps: 2, batch: 8, checkpointEvery: 2, sampleEvery: 2, logEvery: 1 },
      build: () =>
        gan({
          generator: sequential([4], [dense(16), relu, dense(size * size * 3), reshape([size, size, 3]), tanh]),
          discriminator: sequential([size, size, 3], [flatten, dense(8), leakyRelu(0.2), dense(1)]),
          schedule: alternating(),
        }),
      data: () => E.right(imageDataset(images)),
    })
    const run = join(scratch, 'colour-run')
    const summary = await startRun(recipe, 'builtin:tiny-colour', ['--out', run, '--backend', 'cpu'])
    if (E.isLeft(summary)) throw new Error(JSON.stringify(summary.left))
    const grid = pngjs.PNG.sync.read(readFileSync(join(run, 'samples', 'latest.png')))
    let coloured = 0
    for (let p = 0; p < grid.width * grid.height; p++) {
      const [r, g, b] = [grid.data[4 * p]!, grid.data[4 * p + 1]!, grid.data[4 * p + 2]!]
      if (Math.max(r, g, b) - Math.min(r, g, b) > 30) coloured++
    }
    // The 64 samples are 8×8 each: thousands of pixels, most of them not grey.
    expect(coloured).toBeGreaterThan(1000)
  }, 60_000)
})
