/**
 * NumPy `.npy` files (format version 1.0), the lingua franca of evaluation scripts: float32 or
 * int32, little-endian, C order.
 *
 * @since 0.1.0
 */

/**
 * The bytes of a `.npy` file holding `values` with `shape`.
 *
 * @example
 * import { encodeNpy } from 'ganfp'
 * const bytes = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2])
 * bytes.length % 64 // 16: a 64-byte-aligned header, then 16 bytes of data
 *
 * @since 0.1.0
 * @category io
 */
export const encodeNpy = (values: Float32Array | Int32Array, shape: ReadonlyArray<number>): Uint8Array => {
  const size = shape.reduce((a, b) => a * b, 1)
  if (size !== values.length) throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${size} values, given ${values.length}`)
  const descr = values instanceof Float32Array ? '<f4' : '<i4'
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and ending in a
  // newline so that the data starts on a 64-byte boundary.
  const unpadded = 10 + dict.length + 1
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const out = new Uint8Array(10 + header.length + values.byteLength)
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8])
  out.set(new TextEncoder().encode(header), 10)
  const data = new DataView(out.buffer, 10 + header.length)
  for (let i = 0; i < values.length; i++)
    if (values instanceof Float32Array) data.setFloat32(4 * i, values[i]!, true)
    else data.setInt32(4 * i, values[i]!, true)
  return out
}
