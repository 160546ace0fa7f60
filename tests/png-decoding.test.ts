// Users' PNG files as they come: 16-bit samples, palettes with transparency, grey with alpha and
// RGBA, decoded to the bytes a run trains on. Transparent pixels are composited onto a stated
// background (white unless told), and the run's log says how many files had any.
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { alternating, configCodec, defineRecipe, dense, flatten, gan, imageDataset, leakyRelu, relu, reshape, sequential, tanh } from '../src/index.ts'
import { encodePng, loadImageFolder, loadImageFolderCrops, readPng, startRun, type DecodedPng } from '../src/node.ts'
import { pngBytes } from './support/png-bytes.ts'
import srgan from '../recipes/srgan.ts'

const scratch = mkdtempSync(join(tmpdir(), 'ganfp-png-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const write = (name: string, bytes: Uint8Array): string => {
  const file = join(scratch, name)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, bytes)
  return file
}
const decoded = (result: E.Either<unknown, DecodedPng>): DecodedPng => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
  return result.right
}

// One half-transparent orange pixel (200, 100, 50, alpha 128) and one fully transparent black one.
const rgba = pngBytes({ width: 2, height: 1, colourType: 6, bitDepth: 8, samples: [200, 100, 50, 128, 0, 0, 0, 0] })

describe('PNG decoding', () => {
  it('scales 16-bit grey and RGB samples to bytes', () => {
    const grey = decoded(readPng(write('grey16.png', pngBytes({ width: 4, height: 1, colourType: 0, bitDepth: 16, samples: [0, 65535, 32896, 2570] })), 1))
    expect([...grey.pixels]).toEqual([0, 255, 128, 10])
    expect(grey.transparent).toBe(false)
    const rgb = decoded(readPng(write('rgb16.png', pngBytes({ width: 1, height: 1, colourType: 2, bitDepth: 16, samples: [65535, 0, 32896] })), 3))
    expect([...rgb.pixels]).toEqual([255, 0, 128])
  })

  it('expands a palette, compositing its transparent entries onto white', () => {
    const file = write('palette.png', pngBytes({ width: 2, height: 1, colourType: 3, bitDepth: 8, samples: [0, 1], palette: [[255, 0, 0], [0, 0, 255]], alphas: [0, 255] }))
    const image = decoded(readPng(file, 3))
    expect([...image.pixels]).toEqual([255, 255, 255, 0, 0, 255])
    expect(image.transparent).toBe(true)
  })

  it('composites RGBA and grey-with-alpha pixels onto the background (white, or as given)', () => {
    const file = write('rgba.png', rgba)
    // a = 128/255: 0.502 × 200 + 0.498 × 255 = 227.4, and so on; the transparent pixel is the background.
    expect([...decoded(readPng(file, 3)).pixels]).toEqual([227, 177, 152, 255, 255, 255])
    expect([...decoded(readPng(file, 3, [0, 0, 0])).pixels]).toEqual([100, 50, 25, 0, 0, 0])
    // Luminance of the composited colour: 0.299 × 227 + 0.587 × 177 + 0.114 × 152 = 189.1.
    expect([...decoded(readPng(file, 1)).pixels]).toEqual([189, 255])
    const greyAlpha = write('grey-alpha.png', pngBytes({ width: 2, height: 1, colourType: 4, bitDepth: 8, samples: [100, 255, 100, 0] }))
    expect([...decoded(readPng(greyAlpha, 1, [10, 10, 10])).pixels]).toEqual([100, 10])
  })

  it('refuses a background that is not three bytes, naming it', () => {
    const file = write('rgba-again.png', rgba)
    const r = readPng(file, 3, [256, 0, 0])
    expect(E.isLeft(r) && r.left.map((e) => `${e._tag} at ${e.path}`)).toEqual(['InvalidConfig at background'])
  })
})

describe('image folders with transparency', () => {
  const folder = join(scratch, 'folder')
  write('folder/a.png', rgba)
  write('folder/b.png', pngBytes({ width: 2, height: 1, colourType: 6, bitDepth: 8, samples: [1, 2, 3, 255, 4, 5, 6, 255] }))

  it('say how many files had transparency and what they were composited onto', () => {
    const images = loadImageFolder(folder, { height: 1, width: 2, channels: 3 })
    expect(E.isRight(images) && images.right.notes).toEqual(['1 of 2 PNGs have transparent pixels: composited onto white (rgb 255, 255, 255)'])
    expect(E.isRight(images) && [...images.right.pixels]).toEqual([227, 177, 152, 255, 255, 255, 1, 2, 3, 4, 5, 6])
    const crops = loadImageFolderCrops(folder, { cropSize: 1, channels: 1, cropsPerImage: 2, seed: 1, background: [0, 0, 0] })
    expect(E.isRight(crops) && crops.right.notes).toEqual(['1 of 2 PNGs have transparent pixels: composited onto black (rgb 0, 0, 0)'])
    const bad = loadImageFolderCrops(folder, { cropSize: 1, channels: 1, cropsPerImage: 2, seed: 1, background: [0, 0] as never })
    expect(E.isLeft(bad) && bad.left.map((e) => e.path)).toEqual(['background'])
  })

  it('options that are not what they say are errors naming them, whatever their values convert to', () => {
    const junk = { toString: '' } as never // String(junk) throws: the message must not
    const images = loadImageFolder(folder, { height: 1, width: junk, channels: 2 as never })
    expect(E.isLeft(images) && images.left.map((e) => `${e.path}: ${e.actual}`)).toEqual(['width: {"toString":""}', 'channels: 2'])
    const crops = loadImageFolderCrops(folder, { cropSize: junk, channels: 3, cropsPerImage: 1, seed: Number.NaN })
    expect(E.isLeft(crops) && crops.left.map((e) => `${e.path}: ${e.actual}`)).toEqual(['cropSize: {"toString":""}', 'seed: NaN'])
    const one = readPng(join(folder, 'a.png'), 4 as never)
    expect(E.isLeft(one) && one.left.map((e) => e.path)).toEqual(['channels'])
  })

  it('and a run trained on them logs it when it starts', async () => {
    const images = loadImageFolder(folder, { height: 1, width: 2, channels: 3 })
    if (E.isLeft(images)) throw new Error('folder did not load')
    const recipe = defineRecipe({
      name: 'tiny-folder',
      description: 'a tiny dense GAN on a folder of 1×2 RGB images',
      config: configCodec({}),
      runDefaults: { steps: 2, batch: 2, checkpointEvery: 2, sampleEvery: 2, logEvery: 1 },
      build: () =>
        gan({
          generator: sequential([4], [dense(8), relu, dense(6), reshape([1, 2, 3]), tanh]),
          discriminator: sequential([1, 2, 3], [flatten, dense(8), leakyRelu(0.2), dense(1)]),
          schedule: alternating(),
        }),
      data: () => E.right(imageDataset(images.right)),
      render: () => encodePng({ width: 1, height: 1, rgba: new Uint8Array(4) }),
    })
    const lines: Array<string> = []
    const summary = await startRun(recipe, 'builtin:tiny-folder', ['--out', join(scratch, 'run'), '--backend', 'cpu'], { message: (line) => lines.push(line) })
    expect(E.isRight(summary)).toBe(true)
    expect(lines).toContain('1 of 2 PNGs have transparent pixels: composited onto white (rgb 255, 255, 255)')
  })

  it('too few images for the run\'s 64-sample grids: an error naming the data, and no run directory', async () => {
    const few = join(scratch, 'few')
    for (let i = 0; i < 3; i++)
      write(`few/${i}.png`, pngBytes({ width: 8, height: 8, colourType: 2, bitDepth: 8, samples: Array.from({ length: 192 }, (_, k) => (k * (i + 3)) % 256) }))
    const out = join(scratch, 'few-run')
    const r = await startRun(srgan, 'builtin:srgan', ['--dataset', 'folder', '--folder', few, '--crop', '8', '--crops-per-image', '2', '--steps', '1', '--backend', 'cpu', '--out', out])
    expect(E.isLeft(r) && r.left.map((e) => `${e._tag} at ${e.path}: expected ${e.expected}, found ${e.actual}`)).toEqual([
      `InvalidConfig at data(${few}-sr4): expected at least 64 paired examples, for a first batch of 64, found fewer`,
    ])
    expect(existsSync(out)).toBe(false)
  })
})
