/**
 * Slice and SplitV for the wasm backend that read their input where it lies in wasm memory.
 *
 * tfjs-backend-wasm 4.22's Slice reads its input with `readSync`, which copies the whole tensor
 * out of wasm memory, and its SplitV is one such Slice per piece: splitting a flat vector of n
 * values into k pieces copies k·n values. The optimizer splits every network's flat parameter
 * vector back into its tensors once per update, so this was ≈ 4 ms of the grid GAN's ≈ 35 ms
 * step (34k parameters, 8 pieces) and grows with the square of a network's tensors. These
 * kernels do what tfjs's do, with the input read in place: one copy of each output value.
 *
 * @since 0.3.0
 */
import { tf } from './tf.ts'

/** What the kernels need of tfjs-backend-wasm's backend (its own methods, not a public type). */
type WasmBackend = {
  readonly makeOutput: (shape: ReadonlyArray<number>, dtype: tf.DataType) => tf.TensorInfo
  readonly typedArrayFromHeap: (info: tf.TensorInfo) => tf.TypedArray
}

type SliceArgs = { readonly begin: number | ReadonlyArray<number>; readonly size?: number | ReadonlyArray<number> }

/** Copies the box `begin`…`begin + size` of `x` (row-major `xShape`) into `out`, a run of the last axis at a time. */
const copyBox = (x: tf.TypedArray, xShape: ReadonlyArray<number>, begin: ReadonlyArray<number>, size: ReadonlyArray<number>, out: tf.TypedArray): void => {
  const rank = xShape.length
  const strides = tf.util.computeStrides([...xShape])
  const runLength = size[rank - 1]!
  const runs = out.length / runLength
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0)
  for (let run = 0; run < runs; run++) {
    let offset = begin[rank - 1]!
    for (let axis = 0; axis < rank - 1; axis++) offset += (begin[axis]! + index[axis]!) * strides[axis]!
    out.set(x.subarray(offset, offset + runLength), run * runLength)
    // The next run: count up the leading axes like an odometer.
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < size[axis]!) break
      index[axis] = 0
    }
  }
}

/** `x[begin : begin + size]` into a new wasm tensor; strings go to tfjs's own kernel. */
const sliceInPlace = (x: tf.TensorInfo, attrs: SliceArgs, backend: WasmBackend): tf.TensorInfo => {
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin as number[], attrs.size as number[]) as [number[], number[]]
  // The output first: allocating may grow wasm memory, which detaches views taken before.
  const out = backend.makeOutput(size, x.dtype)
  if (tf.util.sizeFromShape(size) === 0) return out
  const outValues = backend.typedArrayFromHeap(out)
  const xValues = backend.typedArrayFromHeap(x)
  if (x.shape.length === 0) outValues.set(xValues)
  else if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const start = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape))
    outValues.set(xValues.subarray(start, start + outValues.length))
  } else copyBox(xValues, x.shape, begin, size, outValues)
  return out
}

let registered = false

/**
 * Replaces the wasm backend's Slice and SplitV kernels with the in-place ones (once per process;
 * string tensors still go to tfjs's kernels). Call after `@tensorflow/tfjs-backend-wasm` is loaded.
 *
 * @example
 * import { registerWasmSliceKernels } from './src/compile/wasm-slice.ts'
 * registerWasmSliceKernels() // no-op where tfjs-backend-wasm is not loaded
 * @since 0.3.0
 * @category compiler
 */
export const registerWasmSliceKernels = (): void => {
  const tfjsSlice = tf.getKernel('Slice', 'wasm')
  const tfjsSplit = tf.getKernel('SplitV', 'wasm')
  if (registered || tfjsSlice === undefined || tfjsSplit === undefined) return
  registered = true
  const slice: tf.KernelFunc = (args) => {
    const x = args.inputs['x'] as tf.TensorInfo
    if (x.dtype === 'string') return tfjsSlice.kernelFunc(args)
    return sliceInPlace(x, args.attrs as unknown as SliceArgs, args.backend as unknown as WasmBackend)
  }
  const splitV: tf.KernelFunc = (args) => {
    const x = args.inputs['x'] as tf.TensorInfo
    if (x.dtype === 'string') return tfjsSplit.kernelFunc(args)
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number }
    const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0]!
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, splitAxis)
    const begin = new Array<number>(x.shape.length).fill(0)
    return sizes.map((pieceSize) => {
      const size = [...x.shape]
      size[splitAxis] = pieceSize
      const piece = sliceInPlace(x, { begin: [...begin], size }, args.backend as unknown as WasmBackend)
      begin[splitAxis]! += pieceSize
      return piece
    })
  }
  tf.unregisterKernel('Slice', 'wasm')
  tf.unregisterKernel('SplitV', 'wasm')
  tf.registerKernel({ ...tfjsSlice, kernelFunc: slice })
  tf.registerKernel({ ...tfjsSplit, kernelFunc: splitV })
}
