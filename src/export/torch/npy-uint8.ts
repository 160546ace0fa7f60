/**
 * `.npy` files of bytes (`|u1`), for image data as it is stored: src/io/npy.ts writes float32 and
 * int32, and images exported as float32 would be four times the size.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../../errors.ts'
import { encodeNpyHeader } from '../../io/npy.ts'

const int32 = new TextEncoder().encode("'<i4'")
const uint8 = new TextEncoder().encode("'|u1'")

/**
 * The bytes of a `.npy` file of uint8 `values` in `shape` (C order). The header is npy.ts's with
 * its dtype `<i4` made `|u1` (as long, so the data stays 64-byte aligned); a shape of anything but
 * whole numbers is npy.ts's `InvalidData` error.
 *
 * @example
 * import { encodeUint8Npy } from './src/export/torch/npy-uint8.ts'
 * encodeUint8Npy(new Uint8Array([0, 255]), [2]) // Right: a 128-byte header, then the 2 bytes
 * @since 0.3.0
 * @category io
 */
export const encodeUint8Npy = (values: Uint8Array, shape: ReadonlyArray<number>): E.Either<ReadonlyArray<GanError>, Uint8Array> =>
  E.map((header: Uint8Array) => {
    const at = header.findIndex((_, i) => int32.every((byte, j) => header[i + j] === byte))
    const out = new Uint8Array(header.length + values.length)
    out.set(header)
    out.set(uint8, at)
    out.set(values, header.length)
    return out
  })(encodeNpyHeader('int32', shape))
