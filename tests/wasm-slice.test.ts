// wasm's Slice and SplitV as ganfp registers them (src/compile/wasm-slice.ts): the same values as
// a slice written out by hand and as the cpu backend's, for every rank and dtype, without copying
// the input out of wasm memory (tfjs's own kernels read it whole once per piece).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBackend } from '../src/index.ts'
import { tf } from '../src/compile/tf.ts'

/** x[begin : begin + size] of a row-major array, by index arithmetic. */
const sliceByHand = (values: ArrayLike<number>, shape: ReadonlyArray<number>, begin: ReadonlyArray<number>, size: ReadonlyArray<number>): Array<number> => {
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1))
  const count = size.reduce((a, b) => a * b, 1)
  const out: Array<number> = []
  for (let flat = 0; flat < count; flat++) {
    let rest = flat
    let offset = 0
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      offset += ((rest % size[axis]!) + begin[axis]!) * strides[axis]!
      rest = Math.floor(rest / size[axis]!)
    }
    out.push(values[offset]!)
  }
  return out
}

const iota = (shape: ReadonlyArray<number>, dtype: 'float32' | 'int32'): tf.Tensor =>
  tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (dtype === 'float32' ? i * 0.5 - 3 : i)), [...shape], dtype)

const sliceCases: ReadonlyArray<readonly [string, ReadonlyArray<number>, ReadonlyArray<number>, ReadonlyArray<number>]> = [
  ['a run of a vector', [50], [7], [20]],
  ['a scalar-sized piece', [5], [4], [1]],
  ['rows of a matrix (contiguous)', [6, 4], [2, 0], [3, 4]],
  ['columns of a matrix', [6, 4], [1, 1], [4, 2]],
  ['a box of a rank-3 tensor', [3, 4, 5], [1, 1, 2], [2, 3, 2]],
  ['a box of an image batch', [2, 5, 5, 3], [1, 1, 0, 1], [1, 3, 4, 2]],
  ['a box of a rank-5 tensor', [2, 3, 2, 3, 2], [0, 1, 1, 0, 1], [2, 2, 1, 3, 1]],
  ['an empty slice', [4, 4], [1, 1], [0, 2]],
]

describe('wasm Slice and SplitV (read in place)', () => {
  beforeAll(async () => {
    await useBackend('wasm', { wasmThreads: 1 })
  })
  afterAll(async () => {
    await useBackend('cpu')
  })

  for (const dtype of ['float32', 'int32'] as const)
    for (const [name, shape, begin, size] of sliceCases)
      it(`slice: ${name} (${dtype})`, async () => {
        const x = iota(shape, dtype)
        const piece = tf.slice(x, [...begin], [...size])
        expect(piece.dtype).toBe(dtype)
        expect(piece.shape).toEqual(size)
        expect(Array.from(await piece.data())).toEqual(sliceByHand(await x.data(), shape, begin, size))
        tf.dispose([x, piece])
      })

  it('slice: bool and a size of -1 (to the end)', async () => {
    const x = tf.tensor2d([true, false, true, true, false, false], [2, 3], 'bool')
    const piece = tf.slice(x, [0, 1], [-1, 2])
    expect(piece.shape).toEqual([2, 2])
    expect(Array.from(await piece.data())).toEqual([0, 1, 0, 0])
    tf.dispose([x, piece])
  })

  it('slice: strings still go to tfjs', async () => {
    const x = tf.tensor1d(['a', 'b', 'c', 'd'], 'string')
    const piece = tf.slice(x, [1], [2])
    expect(await piece.data()).toEqual(['b', 'c'])
    tf.dispose([x, piece])
  })

  it('split: a flat parameter vector into its tensors, and along an inner axis', async () => {
    const sizes = [256, 128, 1, 4096, 3]
    const flat = iota([sizes.reduce((a, b) => a + b)], 'float32')
    const pieces = tf.split(flat, sizes)
    const values = await flat.data()
    let start = 0
    for (const [i, piece] of pieces.entries()) {
      expect(Array.from(await piece.data())).toEqual(Array.from(values.slice(start, start + sizes[i]!)))
      start += sizes[i]!
    }
    const image = iota([2, 3, 3, 5], 'float32')
    const channels = tf.split(image, [2, 3], -1)
    expect(channels.map((c) => c.shape)).toEqual([[2, 3, 3, 2], [2, 3, 3, 3]])
    expect(Array.from(await channels[1]!.data())).toEqual(sliceByHand(await image.data(), [2, 3, 3, 5], [0, 0, 0, 2], [2, 3, 3, 3]))
    tf.dispose([flat, image, ...pieces, ...channels])
  })

  it('split and slice never copy their input out of wasm memory', async () => {
    const backend = tf.backend() as unknown as { readSync: (...args: Array<unknown>) => unknown }
    const readSync = backend.readSync
    let reads = 0
    backend.readSync = (...args) => {
      reads++
      return readSync.apply(backend, args)
    }
    try {
      const flat = tf.randomNormal([40_000])
      tf.dispose([...tf.split(flat, [10_000, 20_000, 10_000]), tf.slice(tf.reshape(flat, [200, 200]), [5, 5], [100, 100]), flat])
    } finally {
      backend.readSync = readSync
    }
    expect(reads).toBe(0)
  })

  it('a slice whose output grows wasm memory reads its input after the growth', async () => {
    // 24 MB in and nearly as much out: the output's allocation grows the heap, which detaches
    // any view of the input taken before it.
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength
    const x = tf.range(0, 6_000_000, 1, 'float32')
    const before = heapBytes()
    const piece = tf.slice(x, [1], [5_999_998])
    expect(heapBytes()).toBeGreaterThan(before)
    const values = await piece.data()
    expect([values[0], values[2_999_999], values[5_999_997]]).toEqual([1, 3_000_000, 5_999_998])
    tf.dispose([x, piece])
  })

  it('gives the cpu backend’s values and gradients', async () => {
    const run = async () => {
      const x = tf.tensor3d(Array.from({ length: 60 }, (_, i) => Math.sin(i)), [3, 4, 5])
      const weights = tf.tensor3d(Array.from({ length: 24 }, (_, i) => Math.cos(i)), [3, 4, 2])
      const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, [3, 2], 2)[1]!, weights))
      const [value, grad] = [f(x), tf.grad(f)(x)]
      const result = { value: Array.from(await value.data()), grad: Array.from(await grad.data()) }
      tf.dispose([x, weights, value, grad])
      return result
    }
    const onWasm = await run()
    await useBackend('cpu')
    const onCpu = await run()
    await useBackend('wasm', { wasmThreads: 1 })
    expect(onWasm.grad).toEqual(onCpu.grad)
    expect(onWasm.value[0]).toBeCloseTo(onCpu.value[0]!, 5)
  })
})
