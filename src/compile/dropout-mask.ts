/**
 * Inverted dropout, with its mask made where the tensor lives. tfjs draws a dropout mask on the
 * CPU and uploads it: on WebGPU that is a batch-sized upload per dropout layer per pass (3.6 MB a
 * step for the DCGAN discriminator, 16 times its batch of data). There the mask is made on the
 * device instead, by one compute shader: a counter-based PCG hash of the element index and the
 * seed gives each element a uniform u, and the shader writes the kept elements' scale 1/(1 − rate)
 * and zeros; one multiply applies it. Same seed, same mask, on the same backend. The cpu and wasm
 * backends keep tfjs's own dropout (its masks are the runs' history, checkpoints included).
 *
 * @since 0.2.0
 */
import { tf, type Tensor } from './tf.ts'

/** The few members of tfjs-backend-webgpu's backend a custom program needs. */
interface WebGpuBackend {
  readonly runWebGPUProgram: (
    program: object,
    inputs: ReadonlyArray<unknown>,
    dtype: 'float32',
    uniforms: ReadonlyArray<{ readonly type: 'uint32' | 'float32'; readonly data: ReadonlyArray<number> }>,
  ) => tf.TensorInfo
}

const workgroup = 64

/** The shader: PCG (O'Neill) over index ^ seed, twice, then the scale of a kept element or 0. */
const maskProgram = (size: number): object => ({
  variableNames: [],
  outputShape: [size],
  uniforms: 'seedLow : u32, seedHigh : u32, rate : f32,',
  workgroupSize: [workgroup, 1, 1],
  size: true,
  dispatchLayout: { x: [0] },
  dispatch: [Math.ceil(size / workgroup), 1, 1],
  shaderKey: 'ganfpDropoutMask',
  getUserCode: () => `
    fn pcg(v : u32) -> u32 {
      let state = v * 747796405u + 2891336453u;
      let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
      return (word >> 22u) ^ word;
    }
    fn main(index : i32) {
      if (index < uniforms.size) {
        let h = pcg(pcg(u32(index) ^ uniforms.seedLow) ^ uniforms.seedHigh);
        let u = f32(h >> 8u) / 16777216.0;
        setOutputAtIndex(index, select(0.0, 1.0 / (1.0 - uniforms.rate), u >= uniforms.rate));
      }
    }
  `,
})

/**
 * x with each element zeroed with probability `rate` and the rest scaled by 1/(1 − rate); the
 * mask is drawn from `seed` on the device on WebGPU, by tfjs elsewhere.
 *
 * @example
 * dropout(tf.ones([4, 8]), 0.5, 7).shape // [4, 8]
 * @since 0.2.0
 * @category compiler
 */
export const dropout = (x: Tensor, rate: number, seed: number): Tensor => {
  if (tf.getBackend() !== 'webgpu') return tf.dropout(x, rate, undefined, seed)
  const backend = tf.backend() as unknown as WebGpuBackend
  // The seed as two 32-bit words (seeds are below 2^53).
  const seedLow = seed >>> 0
  const seedHigh = Math.floor(seed / 2 ** 32) >>> 0
  const info = backend.runWebGPUProgram(maskProgram(x.size), [], 'float32', [
    { type: 'uint32', data: [seedLow] },
    { type: 'uint32', data: [seedHigh ^ 0x9e3779b9] },
    { type: 'float32', data: [rate] },
  ])
  const mask = tf.reshape(tf.engine().makeTensorFromTensorInfo(info), x.shape)
  return tf.mul(x, mask)
}
