import * as E from 'fp-ts/lib/Either.js'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pngjs from 'pngjs'
import { describe, expect, it } from 'vitest'
import {
  decodeNpy,
  decodeNpyOrThrow,
  encodeNpy,
  encodeNpyOrThrow,
  flag,
  GanException,
  intFlag,
  mixtureScatter,
  pointsScatter,
  oneOfFlag,
  positiveIntFlag,
  nonNegativeNumberFlag,
  nonNegativeNumberOrAutoFlag,
  positiveNumberFlag,
  positiveNumberOrAutoFlag,
  ringMixture,
  unitIntervalFlag,
  unitIntervalOrAutoFlag,
} from '../src/index.ts'
import { encodePng, parseFlags, pointsToCsv, writeFileAtomic, writeFileAtomicOrThrow } from '../src/node.ts'

describe('files', () => {
  it('writes atomically, leaving no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganfp-io-'))
    const path = join(dir, 'nested', 'a.csv')
    writeFileAtomicOrThrow(path, pointsToCsv(new Float32Array([1, 2, 3.5, -4])))
    expect(readFileSync(path, 'utf8')).toBe('x,y\n1,2\n3.5,-4\n')
    expect(readdirSync(join(dir, 'nested'))).toEqual(['a.csv'])
    rmSync(dir, { recursive: true })
  })

  it('a file that cannot be written is a FileSystem error naming it, and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ganfp-io-'))
    const file = join(dir, 'a-file')
    writeFileSync(file, 'not a folder')
    // A file where a folder should be (permissions cannot be tested reliably: tests may run as root).
    const under = join(file, 'out.csv')
    const r = writeFileAtomic(under, 'x,y\n')
    expect(E.isLeft(r) && r.left).toEqual([expect.objectContaining({ _tag: 'FileSystem', path: under, expected: 'a writable file' })])
    expect(E.isLeft(r) && r.left[0]!.actual).toContain(file)
    expect(() => writeFileAtomicOrThrow(under, 'x,y\n')).toThrow(GanException)
    // A folder where the file should be: the rename fails, and the temporary file is removed.
    const folder = join(dir, 'folder.csv')
    mkdirSync(join(folder, 'inside'), { recursive: true })
    const over = writeFileAtomic(folder, 'x,y\n')
    expect(E.isLeft(over) && over.left[0]).toMatchObject({ _tag: 'FileSystem', path: folder })
    expect(readdirSync(dir).sort()).toEqual(['a-file', 'folder.csv'])
    rmSync(dir, { recursive: true })
  })

  it('encodes a scatter plot as a PNG that decodes back to the same pixels', () => {
    const c = mixtureScatter(ringMixture, new Float32Array([1, 0, 0, 1]), 64)
    const decoded = pngjs.PNG.sync.read(Buffer.from(encodePng(c)))
    expect([decoded.width, decoded.height]).toEqual([64, 64])
    expect(new Uint8Array(decoded.data)).toEqual(c.rgba)
  })

  it('frames 2-D points by their own extent when there is no mixture to draw', () => {
    // Points at (±2, 0): the view is [−2.4, 2.4]², so they sit 1/12 of the width from each side.
    const c = pointsScatter(new Float32Array([2, 0, -2, 0]), 121)
    const pixel = (x: number, y: number) => Array.from(c.rgba.subarray(4 * (y * 121 + x), 4 * (y * 121 + x) + 3))
    expect(pixel(110, 60)).toEqual([40, 90, 200])
    expect(pixel(10, 60)).toEqual([40, 90, 200])
    expect(pixel(60, 10)).toEqual([225, 225, 225]) // the vertical axis
    expect(pixel(30, 30)).toEqual([255, 255, 255])
    // Non-finite points are left out rather than stretching the view.
    expect(pointsScatter(new Float32Array([2, 0, Number.NaN, Number.POSITIVE_INFINITY]), 121).rgba).toEqual(pointsScatter(new Float32Array([2, 0]), 121).rgba)
    // A diverged generator's samples (±∞, huge) draw nothing and return at once, over a mixture too.
    const far = new Float32Array([Number.POSITIVE_INFINITY, 0, -1e30, 5, Number.NaN, 0])
    expect(mixtureScatter(ringMixture, far, 64).rgba).toEqual(mixtureScatter(ringMixture, new Float32Array(0), 64).rgba)
  })
})

describe('npy', () => {
  it('writes a 64-byte-aligned version 1.0 header and little-endian values', () => {
    const bytes = encodeNpyOrThrow(new Float32Array([0.5, -2, 3]), [3])
    const headerLength = bytes[8]! | (bytes[9]! << 8)
    expect((10 + headerLength) % 64).toBe(0)
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLength))).toMatch(
      /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/,
    )
    expect(Array.from(new Float32Array(bytes.slice(10 + headerLength).buffer))).toEqual([0.5, -2, 3])
    const ints = encodeNpyOrThrow(new Int32Array([7, -1, 2, 4]), [2, 2])
    expect(new TextDecoder().decode(ints.subarray(10, 80))).toContain("'descr': '<i4', 'fortran_order': False, 'shape': (2, 2)")
    const mismatch = encodeNpy(new Float32Array(3), [2, 2])
    expect(E.isLeft(mismatch) && mismatch.left.map((e) => [e._tag, e.path, e.actual])).toEqual([['InvalidData', 'values.length', '3']])
    expect(() => encodeNpyOrThrow(new Float32Array(3), [2, 2])).toThrow(new GanException(E.isLeft(mismatch) ? mismatch.left : []).message)
    const negative = encodeNpy(new Float32Array(0), [-1, 0])
    expect(E.isLeft(negative) && negative.left.map((e) => e.path)).toEqual(['shape'])
  })

  it('decodes what it writes, and what NumPy writes', () => {
    expect(decodeNpy(encodeNpyOrThrow(new Float32Array([0.5, -2, 3, 4, 5, 6]), [2, 3]), 'a.npy')).toEqual(
      E.right({ shape: [2, 3], values: new Float32Array([0.5, -2, 3, 4, 5, 6]) }),
    )
    // numpy.save(f, numpy.array([[1, 2]], dtype='<i4')), byte for byte.
    const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }"
    const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n'
    const bytes = new Uint8Array([0x93, 78, 85, 77, 80, 89, 1, 0, padded.length, 0, ...new TextEncoder().encode(padded), 1, 0, 0, 0, 2, 0, 0, 0])
    expect(decodeNpy(bytes, 'numpy.npy')).toEqual(E.right({ shape: [1, 2], values: new Int32Array([1, 2]) }))
  })

  it('names the file and the problem for a malformed file', () => {
    const good = encodeNpyOrThrow(new Float32Array([1, 2, 3, 4]), [4])
    const problem = (bytes: Uint8Array) => {
      const r = decodeNpy(bytes, 'samples.npy')
      if (E.isRight(r)) throw new Error('expected a rejection')
      expect(r.left).toMatchObject([{ _tag: 'InvalidData', path: 'samples.npy' }])
      expect(() => decodeNpyOrThrow(bytes, 'samples.npy')).toThrow(new GanException(r.left).message)
      return `${r.left[0]!.expected} / ${r.left[0]!.actual}`
    }
    expect(problem(new TextEncoder().encode('not an npy file'))).toMatch(/magic/)
    expect(problem(good.subarray(0, good.length - 4))).toBe('16 bytes of data for shape (4) / 12 bytes')
    const float64 = good.slice()
    float64.set(new TextEncoder().encode("'<f8'"), 10 + "{'descr': ".length)
    expect(problem(float64)).toMatch(/float32 or int32.*\/ <f8$/)
  })
})

describe('flags', () => {
  const flags = {
    steps: flag(positiveIntFlag, 10, 'steps'),
    seed: flag(intFlag, 1, 'seed'),
    rate: flag(positiveNumberFlag, 0.1, 'rate'),
    dataset: flag(oneOfFlag(['ring', 'grid'] as const), 'ring', 'dataset'),
  }

  it('fills defaults and decodes given values, naming the given ones', () => {
    expect(parseFlags(flags, ['--seed=-3', '--dataset', 'grid'])).toEqual(
      E.right({ help: false, values: { steps: 10, seed: -3, rate: 0.1, dataset: 'grid' }, given: ['seed', 'dataset'] }),
    )
    // A value equal to the default still counts as given.
    expect(parseFlags(flags, ['--steps', '10'])).toEqual(E.right({ help: false, values: { steps: 10, seed: 1, rate: 0.1, dataset: 'ring' }, given: ['steps'] }))
  })

  it('reports every bad value at once, by flag', () => {
    const r = parseFlags(flags, ['--steps', '2.5', '--rate=-1', '--dataset', 'moon'])
    expect(E.isLeft(r) && r.left.map((e) => e.path)).toEqual(['--steps', '--rate', '--dataset'])
  })

  it('rejects unknown flags and stray arguments, every one, once each, with the flag a typo meant', () => {
    const r = parseFlags(flags, ['--stpes', '5', '--sed', '2', 'extra', '--colour=red', '--rate', '0.5', '--x'])
    expect(E.isLeft(r) && r.left.map((e) => [e.path, e.actual])).toEqual([
      ['argv', 'unknown flag "--stpes" (did you mean --steps?)'],
      ['argv', 'unknown flag "--sed" (did you mean --seed?)'],
      ['argv', 'stray argument "extra"'],
      ['argv', 'unknown flag "--colour=red"'],
      ['argv', 'unknown flag "--x"'],
    ])
  })

  it('gives a negative value after a space to the codec, which names the flag', () => {
    const r = parseFlags(flags, ['--rate', '-1'])
    expect(E.isLeft(r) && r.left).toEqual([{ _tag: 'InvalidConfig', path: '--rate', expected: 'a number > 0', actual: '"-1"' }])
  })

  it('number codecs take a written finite number in their range, and the …OrAuto ones `auto` as well', () => {
    const accepted = (codec: { decode: (s: string) => E.Either<unknown, unknown> }) =>
      ['0', '0.5', '1', '2e-3', '-1', '', ' ', 'NaN', 'Infinity', 'auto', '1x'].filter((s) => E.isRight(codec.decode(s)))
    expect(accepted(positiveNumberFlag)).toEqual(['0.5', '1', '2e-3'])
    expect(accepted(nonNegativeNumberFlag)).toEqual(['0', '0.5', '1', '2e-3'])
    expect(accepted(unitIntervalFlag)).toEqual(['0', '0.5', '2e-3'])
    expect(accepted(positiveNumberOrAutoFlag)).toEqual(['0.5', '1', '2e-3', 'auto'])
    expect(accepted(nonNegativeNumberOrAutoFlag)).toEqual(['0', '0.5', '1', '2e-3', 'auto'])
    expect(accepted(unitIntervalOrAutoFlag)).toEqual(['0', '0.5', '2e-3', 'auto'])
    expect(nonNegativeNumberOrAutoFlag.decode('2e-3')).toEqual(E.right(0.002))
  })
})
