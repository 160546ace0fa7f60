/**
 * Parameter values rearranged on the way into a graph: tfjs's filter layouts to ONNX's.
 *
 * @since 0.3.0
 */

/**
 * `values` of `shape` with its axes permuted (`output axis i` is `input axis perm[i]`), row-major
 * as both tfjs and ONNX store tensors.
 *
 * @example
 * import { permute } from './src/export/onnx/values.ts'
 * Array.from(permute(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0])) // [1, 4, 2, 5, 3, 6]
 * @since 0.3.0
 * @category combinators
 */
export const permute = (values: Float32Array, shape: ReadonlyArray<number>, perm: ReadonlyArray<number>): Float32Array => {
  const rank = shape.length
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1))
  const outShape = perm.map((p) => shape[p]!)
  const out = new Float32Array(values.length)
  const index = new Array<number>(rank).fill(0)
  for (let o = 0; o < out.length; o++) {
    let source = 0
    for (let i = 0; i < rank; i++) source += index[i]! * strides[perm[i]!]!
    out[o] = values[source]!
    // The next output index, last axis fastest.
    for (let i = rank - 1; i >= 0; i--) {
      if (++index[i]! < outShape[i]!) break
      index[i] = 0
    }
  }
  return out
}
