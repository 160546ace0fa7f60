/**
 * NumPy `.npy` files (format version 1.0), the lingua franca of evaluation scripts: float32 or
 * int32, little-endian, C order.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, invalidData, type GanError } from '../errors.ts'
import { shapeSize } from '../dsl/shape.ts'

/**
 * The bytes of a `.npy` file holding `values` with `shape`; a shape that does not hold exactly
 * the values given is an `InvalidData` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { encodeNpy } from 'ganfp'
 * const bytes = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2])
 * E.isRight(bytes) && bytes.right.length % 64 // 16: a 64-byte-aligned header, then 16 bytes of data
 *
 * @since 0.1.0
 * @category io
 */
export const encodeNpy = (values: Float32Array | Int32Array, shape: ReadonlyArray<number>): E.Either<ReadonlyArray<GanError>, Uint8Array> => {
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    return E.left([invalidData('shape', 'dimensions that are integers ≥ 0', `[${shape.join(', ')}]`)])
  const size = shapeSize(shape)
  return size === values.length
    ? E.right(encodeChecked(values, shape))
    : E.left([invalidData('values.length', `${size} (the size of shape [${shape.join(', ')}])`, String(values.length))])
}

/**
 * The throwing twin of `encodeNpy`, for recipes and scripts.
 *
 * @example
 * import { encodeNpyOrThrow } from 'ganfp'
 * encodeNpyOrThrow(new Int32Array([1, 2]), [2]).length // 136: a 128-byte header, then 8 bytes of data
 *
 * @since 0.1.0
 * @category io
 */
export const encodeNpyOrThrow = (values: Float32Array | Int32Array, shape: ReadonlyArray<number>): Uint8Array => getOrThrow(encodeNpy(values, shape))

const encodeChecked = (values: Float32Array | Int32Array, shape: ReadonlyArray<number>): Uint8Array => {
  const header = headerBytes(values instanceof Float32Array ? 'float32' : 'int32', shape)
  const out = new Uint8Array(header.length + values.byteLength)
  out.set(header)
  out.set(encodeNpyValues(values), header.length)
  return out
}

const headerBytes = (dtype: 'float32' | 'int32', shape: ReadonlyArray<number>): Uint8Array => {
  const descr = dtype === 'float32' ? '<f4' : '<i4'
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and ending in a
  // newline so that the data starts on a 64-byte boundary.
  const unpadded = 10 + dict.length + 1
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const out = new Uint8Array(10 + header.length)
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8])
  out.set(new TextEncoder().encode(header), 10)
  return out
}

/**
 * The header of a `.npy` file of `dtype` values with `shape`: the bytes before the data, for a
 * file written in parts (`encodeNpyValues` gives the parts), so that an array larger than memory
 * can be streamed to disk. A shape of anything but whole numbers is an `InvalidData` error.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { encodeNpyHeader } from 'ganfp'
 * const header = encodeNpyHeader('float32', [1000000, 2])
 * E.isRight(header) && header.right.length // 64
 * @since 0.2.0
 * @category io
 */
export const encodeNpyHeader = (dtype: 'float32' | 'int32', shape: ReadonlyArray<number>): E.Either<ReadonlyArray<GanError>, Uint8Array> =>
  shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ? E.right(headerBytes(dtype, shape))
    : E.left([invalidData('shape', 'dimensions that are integers ≥ 0', `[${shape.join(', ')}]`)])

/**
 * Values as `.npy` data: little-endian float32 or int32, whatever the machine's byte order.
 *
 * @example
 * import { encodeNpyValues } from 'ganfp'
 * encodeNpyValues(new Int32Array([1, 256])) // Uint8Array [1, 0, 0, 0, 0, 1, 0, 0]
 * @since 0.2.0
 * @category io
 */
export const encodeNpyValues = (values: Float32Array | Int32Array): Uint8Array => {
  const out = new Uint8Array(values.byteLength)
  const data = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++)
    if (values instanceof Float32Array) data.setFloat32(4 * i, values[i]!, true)
    else data.setInt32(4 * i, values[i]!, true)
  return out
}

/**
 * A decoded `.npy` array.
 *
 * @since 0.1.0
 * @category model
 */
export interface NpyArray {
  readonly shape: ReadonlyArray<number>
  readonly values: Float32Array | Int32Array
}

const npyDescriptors: Record<string, 'f4' | 'i4'> = { '<f4': 'f4', '|f4': 'f4', '<i4': 'i4', '|i4': 'i4' }

/**
 * Parses the bytes of a `.npy` file holding float32 or int32 values in C order (what `encodeNpy`,
 * NumPy and PyTorch's `.numpy()` write). Anything else is an `InvalidData` error naming `file`.
 *
 * @example
 * import { decodeNpy, encodeNpy } from 'ganfp'
 * decodeNpy(encodeNpy(new Int32Array([1, 2]), [2]), 'labels.npy') // { _tag: 'Right', right: { shape: [2], values: Int32Array [1, 2] } }
 * @since 0.1.0
 * @category parsing
 */
export const decodeNpy = (bytes: Uint8Array, file: string): E.Either<ReadonlyArray<GanError>, NpyArray> => {
  const fail = (expected: string, actual: string) => E.left([invalidData(file, expected, actual)])
  const magic = [0x93, ...new TextEncoder().encode('NUMPY')]
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) return fail('a .npy file (magic \\x93NUMPY)', 'other bytes')
  const major = bytes[6]!
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerStart = major === 1 ? 10 : 12
  if (major < 1 || major > 3) return fail('.npy format version 1, 2 or 3', `version ${major}`)
  // Versions 2 and 3 give the header's length in 4 bytes, so they need 12 before it.
  if (bytes.length < headerStart) return fail(`a .npy header of at least ${headerStart} bytes`, `a file of ${bytes.length} bytes`)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  if (headerStart + headerLength > bytes.length) return fail(`a header of ${headerLength} bytes`, `a file of ${bytes.length} bytes`)
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength))
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1]
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (descr === undefined || fortran === undefined || shapeText === undefined) return fail("a header with 'descr', 'fortran_order' and 'shape'", header.trim())
  const kind = npyDescriptors[descr]
  if (kind === undefined) return fail('dtype <f4 or <i4 (float32 or int32, little-endian)', descr)
  if (fortran === 'True') return fail('C order', 'Fortran order')
  const dims = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '')
  // Decimal digits only, as NumPy writes them: Number() would also take '0x4', '1e1' and '-0'.
  if (dims.some((d) => !/^\d+$/.test(d))) return fail('a shape of non-negative integers', `(${shapeText})`)
  const shape = dims.map(Number)
  const count = shapeSize(shape)
  const dataStart = headerStart + headerLength
  if (bytes.length - dataStart !== 4 * count)
    return fail(`${4 * count} bytes of data for shape (${shape.join(', ')})`, `${bytes.length - dataStart} bytes`)
  const values = kind === 'f4' ? new Float32Array(count) : new Int32Array(count)
  for (let i = 0; i < count; i++) values[i] = kind === 'f4' ? view.getFloat32(dataStart + 4 * i, true) : view.getInt32(dataStart + 4 * i, true)
  return E.right({ shape, values })
}

/**
 * The throwing twin of `decodeNpy`, for recipes and scripts.
 *
 * @example
 * import { decodeNpyOrThrow, encodeNpyOrThrow } from 'ganfp'
 * decodeNpyOrThrow(encodeNpyOrThrow(new Int32Array([1, 2]), [2]), 'labels.npy').shape // [2]
 * @since 0.1.0
 * @category parsing
 */
export const decodeNpyOrThrow = (bytes: Uint8Array, file: string): NpyArray => getOrThrow(decodeNpy(bytes, file))
