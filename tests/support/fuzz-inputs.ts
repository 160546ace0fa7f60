// Inputs for the fuzz properties beyond specs: command-line tokens, data file bytes (IDX, .npy,
// PNG) built from header fields, and file-system faults (paths the system refuses).
import fc from 'fast-check'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import pngjs from 'pngjs'
import { checkpointFilesToBytes, type CheckpointFiles } from '../../src/index.ts'
import { sha256Hex } from '../../src/io/sha256.ts'
import { mutations, mutate, toJson } from './fuzz.ts'
import { crc32 } from './png-bytes.ts'

/** Option values as typed on a command line: huge, zero, negative, fractional, non-finite, words, empty. */
export const flagValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '0', '-1', '1', '2', '1.5', '0.5', '1e400', '-1e400', 'NaN', 'Infinity', '-Infinity', '1e9', '4294967297', '9007199254740993', '99999999999999999999999',
    'null', 'undefined', '', ' ', 'abc', '0x10', '1_000', '1e-3', '-0', '{}', '[]', 'ring', 'grid', 'mnist', 'fashion', 'folder', 'cpu', 'wasm', 'auto', 'webgpu', 'hinge', 'gp', 'both', '--',
  ),
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.double().map(String),
  fc.string({ maxLength: 6 }),
)

/** Command-line tokens for a recipe whose flags are `names`: known and unknown flags, `--flag=value`, values, strays. */
export const argvFor = (names: ReadonlyArray<string>, value: fc.Arbitrary<string> = flagValue): fc.Arbitrary<ReadonlyArray<string>> => {
  const flagName = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) })
  const piece = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(flagName, value).map(([n, v]) => [`--${n}`, v]) },
    { weight: 1, arbitrary: fc.tuple(flagName, value).map(([n, v]) => [`--${n}=${v}`]) },
    { weight: 1, arbitrary: flagName.map((n) => [`--${n}`]) },
    { weight: 1, arbitrary: fc.constantFrom(['-x'], ['---'], ['-'], ['--='], ['stray']) },
  )
  return fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.flat())
}

/** Usually nothing (the field as it should be), now and then a value from `arbitrary`. */
const rarely = <A>(arbitrary: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary })
/** Usually `usual`, now and then a value from `arbitrary`. */
const mostly = <A>(usual: A, arbitrary: fc.Arbitrary<A>): fc.Arbitrary<A> => fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary })

const u32 = (n: number): Array<number> => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]

/** IDX bytes from header fields: magic, type, rank (possibly not the dimensions'), dimensions, data near the right size, gzipped or not. */
export const idxBytes: fc.Arbitrary<Uint8Array> = fc
  .record({
    magic: mostly([0, 0], fc.tuple(fc.nat(255), fc.nat(255))),
    type: mostly(8, fc.nat(255)),
    dims: fc.array(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(2 ** 32 - 1, 2 ** 31, 60_000, 28) }), { maxLength: 4 }),
    rank: rarely(fc.nat(255)),
    extra: mostly(0, fc.integer({ min: -8, max: 8 })),
    cut: rarely(fc.nat(40)),
    gzip: fc.constantFrom('no', 'no', 'yes', 'truncated'),
  })
  .map(({ magic, type, dims, rank, extra, cut, gzip }) => {
    const exact = dims.reduce((a, b) => a * b, 1)
    const length = Math.max(0, Math.min(exact <= 4096 ? exact + extra : 16 + extra, 4096))
    const body = [...magic, type, rank ?? dims.length, ...dims.flatMap(u32), ...Array.from({ length }, (_, i) => i % 251)]
    const raw = new Uint8Array(cut === undefined ? body : body.slice(0, cut))
    if (gzip === 'no') return raw
    const zipped = new Uint8Array(gzipSync(raw))
    return gzip === 'yes' ? zipped : zipped.subarray(0, Math.max(2, zipped.length >> 1))
  })

const idxFile = (dims: ReadonlyArray<number>, data: ReadonlyArray<number>): Uint8Array => new Uint8Array([0, 0, 8, dims.length, ...dims.flatMap(u32), ...data])

/** An IDX image file and label file that mostly belong together (counts, ranks), now and then one replaced by other IDX bytes. */
export const idxPair: fc.Arbitrary<readonly [Uint8Array, Uint8Array]> = fc
  .record({
    count: fc.integer({ min: 0, max: 4 }),
    rows: fc.integer({ min: 1, max: 4 }),
    columns: fc.integer({ min: 1, max: 4 }),
    labelCount: rarely(fc.integer({ min: 0, max: 5 })),
    labels: fc.array(fc.nat(255), { minLength: 5, maxLength: 5 }),
    images: rarely(idxBytes),
    labelBytes: rarely(idxBytes),
    gzip: fc.boolean(),
  })
  .map(({ count, rows, columns, labelCount, labels, images, labelBytes, gzip }) => {
    const zip = (bytes: Uint8Array) => (gzip ? new Uint8Array(gzipSync(bytes)) : bytes)
    const n = labelCount ?? count
    return [
      images ?? zip(idxFile([count, rows, columns], Array.from({ length: count * rows * columns }, (_, i) => (i * 7) & 255))),
      labelBytes ?? zip(idxFile([n], Array.from({ length: n }, (_, i) => labels[i]!))),
    ] as const
  })

/** .npy bytes from header fields: version, dtype, order, shape entries (some not integers), header length and data length off by some. */
export const npyBytes: fc.Arbitrary<Uint8Array> = fc
  .record({
    version: mostly(1, fc.nat(4)),
    descr: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('<f4', '<i4', '|f4', '|i4') }, { weight: 1, arbitrary: fc.constantFrom('>f4', '<f8', '|u1') }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }),
    fortran: mostly('False', fc.constantFrom('True', 'maybe')),
    shape: fc.array(
      fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('1e400', '-1', '2.5', '-0', 'NaN', '4294967296', '9007199254740993', '', ' ', 'x', '0x4') }),
      { maxLength: 4 },
    ),
    omit: rarely(fc.constantFrom('descr', 'fortran_order', 'shape')),
    headerDelta: mostly(0, fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constant(60_000))),
    dataDelta: mostly(0, fc.integer({ min: -8, max: 8 })),
    cut: rarely(fc.nat(16)),
  })
  .map(({ version, descr, fortran, shape, omit, headerDelta, dataDelta, cut }) => {
    const fields = { descr: `'descr': '${descr}'`, fortran_order: `'fortran_order': ${fortran}`, shape: `'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''})` }
    const dict = `{${Object.entries(fields).filter(([k]) => k !== omit).map(([, v]) => v).join(', ')}, }\n`
    const header = new TextEncoder().encode(dict)
    const lengthBytes = version === 1 ? 2 : 4
    const declared = Math.max(0, header.length + headerDelta)
    const count = shape.map(Number).reduce((a, b) => a * b, 1)
    const dataLength = Math.max(0, (Number.isFinite(count) && count <= 1024 ? 4 * count : 8) + dataDelta)
    const bytes = [0x93, ...new TextEncoder().encode('NUMPY'), version, 0]
    for (let i = 0; i < lengthBytes; i++) bytes.push((declared >>> (8 * i)) & 255)
    const all = new Uint8Array([...bytes, ...header, ...new Array<number>(dataLength).fill(0)])
    return cut === undefined ? all : all.subarray(0, cut)
  })

/** PNG bytes: a small valid image of any colour type and depth, then damaged (IHDR fields with a fixed CRC, cuts, flipped bytes). */
export const pngBytes: fc.Arbitrary<Uint8Array> = fc
  .record({
    width: fc.integer({ min: 1, max: 6 }),
    height: fc.integer({ min: 1, max: 6 }),
    colorType: fc.constantFrom(0, 2, 4, 6),
    bitDepth: fc.constantFrom(8, 16),
    // Width and height together: a huge one beside a small one would make the decoder allocate gigabytes.
    ihdr: rarely(fc.record({ size: fc.constantFrom([0, 0], [0, 5], [4096, 4096], [2 ** 31, 2 ** 31], [2 ** 32 - 1, 2 ** 32 - 1]), depth: fc.nat(255), colour: fc.nat(255), interlace: fc.nat(2) })),
    cut: rarely(fc.nat(200)),
    flips: mostly<ReadonlyArray<readonly [number, number]>>([], fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 })),
  })
  .map(({ width, height, colorType, bitDepth, ihdr, cut, flips }) => {
    const png = new pngjs.PNG({ width, height })
    for (let i = 0; i < png.data.length; i++) png.data[i] = (i * 37) & 255
    const bytes = new Uint8Array(pngjs.PNG.sync.write(png, { colorType, bitDepth, inputHasAlpha: true } as never))
    const view = new DataView(bytes.buffer)
    if (ihdr !== undefined) {
      // IHDR's data is bytes 16–28 and its CRC 29–32: changed fields keep a valid CRC, so the decoder reads them.
      view.setUint32(16, ihdr.size[0]!)
      view.setUint32(20, ihdr.size[1]!)
      bytes[24] = ihdr.depth
      bytes[25] = ihdr.colour
      bytes[28] = ihdr.interlace
      view.setUint32(29, crc32(bytes.subarray(12, 29)))
    }
    for (const [at, value] of flips) bytes[at % bytes.length] = value
    return cut === undefined ? bytes : bytes.subarray(0, cut)
  })

/** A 2×2 RGBA PNG whose header declares `width` × `height` instead (CRC fixed): a file that cannot hold the image it declares. */
export const pngDeclaring = (width: number, height: number): Uint8Array => {
  const bytes = new Uint8Array(pngjs.PNG.sync.write(new pngjs.PNG({ width: 2, height: 2 })))
  const view = new DataView(bytes.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  view.setUint32(29, crc32(bytes.subarray(12, 29)))
  return bytes
}

/** Where a fault is: a kind of path the system refuses (or, for some, accepts), made under `dir`. */
export const faultKinds = ['file', 'under-file', 'proc', 'proc-deep', 'sys', 'dev-null', 'under-dev-null', 'nul-byte', 'long-name', 'missing-parent', 'non-empty', 'read-only'] as const
export type FaultKind = (typeof faultKinds)[number]

/** Makes the fault of `kind` under `dir` (a fresh folder) and returns the path to write to. */
export const makeFault = (kind: FaultKind, dir: string): string => {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'a-file')
  switch (kind) {
    case 'file':
      writeFileSync(file, 'not a folder\n')
      return file
    case 'under-file':
      writeFileSync(file, 'not a folder\n')
      return join(file, 'run')
    case 'proc':
      return `/proc/ganfp-fuzz-${process.pid}`
    case 'proc-deep':
      return `/proc/ganfp-fuzz-${process.pid}/a/b`
    case 'sys':
      return `/sys/ganfp-fuzz-${process.pid}`
    case 'dev-null':
      return '/dev/null'
    case 'under-dev-null':
      return '/dev/null/run'
    case 'nul-byte':
      return join(dir, 'a\0b')
    case 'long-name':
      return join(dir, 'n'.repeat(300))
    case 'missing-parent':
      return join(dir, 'missing', 'parent', 'run')
    case 'non-empty':
      mkdirSync(join(dir, 'full'))
      writeFileSync(join(dir, 'full', 'x'), 'x')
      return join(dir, 'full')
    case 'read-only':
      // Root writes here anyway: then the property's success branch holds instead.
      mkdirSync(join(dir, 'locked'))
      chmodSync(join(dir, 'locked'), 0o555)
      return join(dir, 'locked', 'run')
  }
}

/** Damage to a checkpoint's bytes: cut, flipped bytes, header fields, manifest fields, or altered tensors with a matching digest. */
export const checkpointDamage = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('header' as const), at: fc.constantFrom(8, 12, 16, 20), value: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1)) }),
  fc.record({ kind: fc.constant('manifest' as const), drawn: mutations }),
  fc.record({ kind: fc.constant('tensors' as const), flips: fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }) }),
)

/** The bytes of `files` (as `checkpointToBytes` frames them) with damage `d`. */
export const damageCheckpoint = (files: CheckpointFiles, d: typeof checkpointDamage extends fc.Arbitrary<infer D> ? D : never): Uint8Array => {
  const manifest: unknown = JSON.parse(new TextDecoder().decode(files.manifest))
  const bytes = checkpointFilesToBytes(files)
  if (d.kind === 'cut') return bytes.subarray(0, d.at % bytes.length)
  if (d.kind === 'flip') for (const [at, v] of d.flips) bytes[at % bytes.length] = v
  if (d.kind === 'header') new DataView(bytes.buffer).setUint32(d.at, d.value, true)
  if (d.kind === 'manifest') return checkpointFilesToBytes({ manifest: new TextEncoder().encode(toJson(mutate(manifest, d.drawn))), tensors: files.tensors })
  if (d.kind !== 'tensors') return bytes
  // Altered values with a matching digest: what reads back is whatever the floats now are.
  const tensors = files.tensors.slice()
  for (const [at, v] of d.flips) tensors[at % tensors.length] = v
  return checkpointFilesToBytes({ manifest: new TextEncoder().encode(toJson({ ...(manifest as object), sha256: sha256Hex(tensors) })), tensors })
}
