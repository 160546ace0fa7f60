// ONNX export: for every layer kind a small network, and the built-in recipes' networks, run by
// ganfp (`apply(…, { training: false })`) and by ONNX Runtime (onnxruntime-web's wasm, one thread)
// on the same batch and labels, within 1e-4; parameters from a seed, then perturbed so that batch
// norm's moving statistics, spectral norm's u and every bias are far from their initial values.
// Plus: problems named by path, deterministic bytes, the model's inputs, outputs and metadata.
import * as E from 'fp-ts/lib/Either.js'
import * as ort from 'onnxruntime-web'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  avgPool,
  batchNorm,
  builtinGanOf,
  checkGan,
  checkNetwork,
  concat,
  conditionalBatchNorm,
  conv2d,
  conv2dTranspose,
  dense,
  dropout,
  embedding,
  flatten,
  fromLabel,
  getOrThrow,
  layerTags,
  leakyRelu,
  minibatchStddev,
  networkToOnnx,
  networkToOnnxFromTensors,
  oneHot,
  pack,
  pixelShuffle,
  prelu,
  projection,
  relu,
  reshape,
  residual,
  sequential,
  sigmoid,
  spectralNorm,
  tanh,
  tileSpatial,
  upsample,
  useBackend,
  withLabelInput,
  type CheckedNetwork,
  type Layer,
  type Network,
} from '../src/index.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { tf } from '../src/compile/tf.ts'
import { onnxLowerings } from '../src/export/onnx/chain.ts'
import { onnxModelProto } from '../src/export/onnx/schema.ts'
import { Rng } from '../src/random.ts'

ort.env.wasm.numThreads = 1

const tolerance = 1e-4

interface Case {
  readonly network: Network
  /** Batch sizes to run the one exported model on (default [3]). */
  readonly batches?: ReadonlyArray<number>
}

const plain = (shape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>, batches?: ReadonlyArray<number>): Case => ({
  network: sequential(shape, layers),
  ...(batches === undefined ? {} : { batches }),
})
const labelled = (classes: number, shape: ReadonlyArray<number>, layers: ReadonlyArray<Layer>): Case => ({ network: withLabelInput(classes)(sequential(shape, layers)) })

// One entry per layer kind: a kind added to ganfp without a case here is a type error.
const cases: { readonly [T in Layer['_tag']]: ReadonlyArray<Case> } = {
  Dense: [plain([6], [dense(5)]), plain([6], [dense(4, { useBias: false }), dense(2)])],
  Relu: [plain([6], [dense(5), relu, dense(2)]), plain([2, 2, 3], [relu, flatten, dense(2)])],
  LeakyRelu: [plain([6], [dense(5), leakyRelu(0.2)]), plain([4, 4, 2], [conv2d(3, 3), leakyRelu(0.1)])],
  Tanh: [plain([6], [dense(5), tanh])],
  Sigmoid: [plain([6], [dense(5), sigmoid]), plain([4, 4, 2], [conv2d(3, 3), sigmoid])],
  BatchNorm: [
    plain([6], [dense(5), batchNorm(), relu]),
    plain([4, 4, 2], [conv2d(3, 3, { useBias: false }), batchNorm({ epsilon: 1e-5 }), leakyRelu(0.2)]),
  ],
  ConditionalBatchNorm: [labelled(3, [6], [dense(5), conditionalBatchNorm(), relu]), labelled(3, [4, 4, 2], [conv2d(3, 3), conditionalBatchNorm()])],
  Dropout: [plain([6], [dense(5), dropout(0.5), dense(2)]), plain([3], [dropout(0.3)])],
  MinibatchStddev: [
    plain([4, 4, 2], [conv2d(3, 3), minibatchStddev(2), flatten, dense(1)], [4, 3, 1]),
    plain([5], [minibatchStddev(4), dense(2)], [8, 6]),
  ],
  Pack: [plain([3], [pack(2), dense(2)], [4]), plain([2, 2, 2], [pack(3), conv2d(2, 1)], [6])],
  Reshape: [plain([12], [reshape([2, 2, 3]), conv2d(2, 1)]), plain([12], [reshape([-1, 2, 3]), flatten, dense(2)])],
  Flatten: [plain([2, 3, 2], [flatten, dense(3)])],
  Conv2d: [
    plain([6, 6, 2], [conv2d(4, 3, { stride: 2 })]),
    plain([5, 5, 2], [conv2d(2, 4)]),
    plain([6, 6, 1], [conv2d(3, 5, { stride: 2 })]),
    plain([6, 5, 2], [conv2d(3, [3, 2], { stride: [2, 1], padding: 'valid', useBias: false })]),
  ],
  Conv2dTranspose: [
    plain([3, 3, 2], [conv2dTranspose(3, 5, { stride: 2 })]),
    plain([3, 3, 2], [conv2dTranspose(2, 4, { stride: 2 })]),
    plain([3, 3, 2], [conv2dTranspose(2, 3, { stride: 2, padding: 'valid' })]),
    plain([3, 3, 2], [conv2dTranspose(2, 1, { stride: 2, padding: 'valid' })]),
    plain([3, 3, 2], [conv2dTranspose(2, 1, { stride: 2 })]),
    plain([3, 2, 2], [conv2dTranspose(2, [4, 3], { stride: [2, 1], useBias: false })]),
  ],
  Upsample: [plain([2, 3, 2], [upsample(2)]), plain([2, 3, 2], [upsample([2, 3])])],
  AvgPool: [
    plain([4, 4, 2], [avgPool(2)]),
    plain([4, 4, 2], [avgPool(3, { stride: 1, padding: 'same' })]),
    plain([4, 4, 2], [avgPool(3, { stride: 2, padding: 'same' })]),
    plain([4, 5, 2], [avgPool([2, 3], { stride: 1 })]),
  ],
  PixelShuffle: [plain([3, 3, 8], [pixelShuffle(2)]), plain([2, 2, 9], [pixelShuffle(3)])],
  Prelu: [plain([6], [dense(5), prelu()]), plain([3, 3, 2], [conv2d(3, 3), prelu({ initialAlpha: 0.1 })])],
  Embedding: [labelled(3, [4], [concat([[], fromLabel([embedding(3, 5)])]), dense(2)])],
  OneHot: [labelled(4, [4], [concat([[], fromLabel([oneHot(4)])]), dense(2)])],
  Projection: [labelled(3, [6], [dense(5), leakyRelu(0.2), projection])],
  TileSpatial: [
    labelled(3, [4, 4, 2], [concat([[], fromLabel([embedding(3, 2), tileSpatial(4, 4)])]), conv2d(2, 3)]),
    plain([3], [tileSpatial(2, 2), conv2d(2, 1)]),
  ],
  Residual: [
    plain([6], [residual([dense(6), relu, dense(6)])]),
    plain([4, 4, 2], [residual([conv2d(3, 3), batchNorm()], { shortcut: [conv2d(3, 1)] })]),
  ],
  Concat: [
    plain([6], [concat([[dense(3)], [dense(2), tanh], []])]),
    labelled(3, [4], [residual([concat([[dense(2)], fromLabel([embedding(3, 2)])]), dense(4)])]),
  ],
  SpectralNorm: [
    plain([6], [spectralNorm(dense(4)), leakyRelu(0.2), spectralNorm(dense(1))]),
    plain([4, 4, 2], [spectralNorm(conv2d(3, 3, { stride: 2, useBias: false })), flatten, dense(1)]),
    plain([2, 2, 3], [spectralNorm(conv2dTranspose(2, 3, { stride: 2 }))]),
  ],
}

const checkedOf = (network: Network, path = 'net'): CheckedNetwork => {
  const checked = checkNetwork(network, path)
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return checked.right
}

/** Parameters from a seed, perturbed: moving statistics, u, biases and tables all away from their starting values. */
const perturbedParams = async (checked: CheckedNetwork, seed: number): Promise<Record<string, Float32Array>> => {
  const compiled = compileNetwork(checked)
  const initial = compiled.init(seed)
  const rng = Rng.fromSeed(seed + 1)
  const values: Record<string, Float32Array> = {}
  for (const spec of compiled.paramSpecs) {
    const start = (await initial[spec.path]!.data()) as Float32Array
    values[spec.path] = spec.path.endsWith('.movingVariance')
      ? rng.uniforms(start.length, 0.5, 1.5)
      : spec.path.endsWith('.movingMean')
        ? rng.uniforms(start.length, -0.5, 0.5)
        : spec.path.endsWith('.u')
          ? rng.normals(start.length, 0, 1)
          : start.map((v) => v + 0.1 * (2 * rng.uniform() - 1))
  }
  compiled.dispose(initial)
  return values
}

const maxAbsDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

/** Initializers no node reads (a runtime would warn of each). */
const unusedInitializers = (bytes: Uint8Array): ReadonlyArray<string> => {
  const graph = onnxModelProto().toObject(onnxModelProto().decode(bytes), { arrays: true }).graph as {
    initializer: Array<{ name: string }>
    node: Array<{ input: Array<string> }>
  }
  const read = new Set(graph.node.flatMap((n) => n.input))
  return graph.initializer.map((i) => i.name).filter((name) => !read.has(name))
}

/** ganfp's inference output and ONNX Runtime's for the same batch; the largest difference per batch size. */
const compare = async (checked: CheckedNetwork, batches: ReadonlyArray<number>, seed = 7): Promise<ReadonlyArray<number>> => {
  const values = await perturbedParams(checked, seed)
  const bytes = networkToOnnx(checked, values)
  if (E.isLeft(bytes)) throw new Error(JSON.stringify(bytes.left))
  expect(unusedInitializers(bytes.right)).toEqual([])
  const session = await ort.InferenceSession.create(bytes.right)
  const compiled = compileNetwork(checked)
  const params = Object.fromEntries(compiled.paramSpecs.map((s) => [s.path, tf.tensor(values[s.path]!, [...s.shape], 'float32')]))
  const rng = Rng.fromSeed(seed + 2)
  const differences: Array<number> = []
  try {
    for (const n of batches) {
      const x = rng.normals(n * checked.inputShape.reduce((a, b) => a * b, 1))
      const classes = checked.labelClasses
      const labels = classes === undefined ? undefined : Int32Array.from({ length: n }, () => rng.int(classes))
      const expected = tf.tidy(() =>
        compiled.apply(params, tf.tensor(x, [n, ...checked.inputShape]), { training: false }, labels === undefined ? undefined : tf.tensor1d(labels, 'int32')),
      )
      const ours = { shape: expected.shape, data: (await expected.data()) as Float32Array }
      expected.dispose()
      const feeds: Record<string, ort.Tensor> = { input: new ort.Tensor('float32', x, [n, ...checked.inputShape]) }
      if (labels !== undefined) feeds['labels'] = new ort.Tensor('int32', labels, [n])
      const result = (await session.run(feeds))['output']!
      expect([...result.dims]).toEqual(ours.shape)
      differences.push(maxAbsDifference(result.data as Float32Array, ours.data))
    }
  } finally {
    compiled.dispose(params)
    await session.release()
  }
  return differences
}

describe('ONNX export', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('has a lowering for every layer kind', () => {
    expect(Object.keys(onnxLowerings).sort()).toEqual([...layerTags].sort())
  })

  for (const tag of layerTags)
    it(`${tag}: ONNX Runtime gives ganfp's inference output`, async () => {
      for (const [i, c] of cases[tag].entries()) {
        const differences = await compare(checkedOf(c.network), c.batches ?? [3], 10 + i)
        for (const d of differences) expect(d).toBeLessThanOrEqual(tolerance)
      }
    })
})

/** The built-in recipes' networks, small where the recipe allows. */
const recipeNetworks: ReadonlyArray<readonly [string, Record<string, unknown>, 'generator' | 'discriminator', number]> = [
  ['vanilla ring generator', { recipe: 'vanilla', config: { dataset: 'ring' } }, 'generator', 16],
  ['vanilla grid discriminator (packed)', { recipe: 'vanilla', config: { dataset: 'grid', width: 16 } }, 'discriminator', 4],
  ['dcgan mnist generator', { recipe: 'dcgan', config: { width: 8, 'latent-dim': 16 } }, 'generator', 4],
  ['dcgan mnist discriminator', { recipe: 'dcgan', config: { width: 8, 'latent-dim': 16 } }, 'discriminator', 4],
  ['cgan mnist generator (labels)', { recipe: 'cgan', config: { width: 8, 'latent-dim': 16 } }, 'generator', 4],
  ['cgan mnist discriminator (labels, projection)', { recipe: 'cgan', config: { width: 8, 'latent-dim': 16 } }, 'discriminator', 4],
  ['cgan conditional-batch-norm generator', { recipe: 'cgan', config: { width: 8, 'latent-dim': 16, 'generator-norm': 'conditional' } }, 'generator', 4],
  ['srgan generator (a low-resolution batch)', { recipe: 'srgan', config: { filters: 8, blocks: 2 } }, 'generator', 2],
  ['folder dcgan 32×32×3 generator', { recipe: 'dcgan', config: { dataset: 'folder', size: 32, channels: '3', width: 8, 'latent-dim': 16 } }, 'generator', 2],
]

describe('ONNX export of the built-in recipes', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  for (const [name, run, network, batch] of recipeNetworks)
    it(`${name}: within ${tolerance} of ganfp`, async () => {
      const checked = getOrThrow(checkGan(getOrThrow(builtinGanOf(run))))[network]
      const [difference] = await compare(checked, [batch])
      expect(difference).toBeLessThanOrEqual(tolerance)
    })
})

describe('ONNX export: problems, bytes and metadata', () => {
  const checked = checkedOf(sequential([4], [dense(3), relu, dense(2)]), 'generator')

  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('names a missing and a mis-sized parameter by path, both at once', async () => {
    const values = await perturbedParams(checked, 1)
    const { ['layers[0].kernel']: _missing, ...rest } = values
    const r = networkToOnnx(checked, { ...rest, 'layers[2].bias': new Float32Array(3) })
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path])).toEqual([
      ['InvalidData', 'generator.params.layers[0].kernel'],
      ['ShapeMismatch', 'generator.params.layers[2].bias'],
    ])
    expect(E.isLeft(r) && r.left[1]!.expected).toBe('a Float32Array of 2 values (shape [2])')
  })

  it('checks tensors by shape before reading them', async () => {
    const compiled = compileNetwork(checked)
    const params = compiled.init(1)
    const wrong = { ...params, 'layers[0].kernel': tf.zeros([3, 4]) }
    const r = await networkToOnnxFromTensors(checked, wrong)
    expect(E.isLeft(r) && r.left.map((e) => [e._tag, e.path, e.expected, e.actual])).toEqual([
      ['ShapeMismatch', 'generator.params.layers[0].kernel', 'shape [4, 3]', 'shape [3, 4]'],
    ])
    wrong['layers[0].kernel'].dispose()
    const fromTensors = await networkToOnnxFromTensors(checked, params)
    const fromValues = networkToOnnx(checked, Object.fromEntries(await Promise.all(Object.entries(params).map(async ([p, t]) => [p, (await t.data()) as Float32Array]))))
    compiled.dispose(params)
    expect(E.isRight(fromTensors) && E.isRight(fromValues) && [...fromTensors.right]).toEqual(E.isRight(fromValues) && [...fromValues.right])
  })

  it('writes the same bytes for the same network and parameters', async () => {
    const values = await perturbedParams(checked, 2)
    const a = getOrThrow(networkToOnnx(checked, values))
    const b = getOrThrow(networkToOnnx(checked, { ...values }))
    expect(a.constructor).toBe(Uint8Array)
    expect(a.length === b.length && a.every((byte, i) => byte === b[i])).toBe(true)
  })

  it('declares its inputs, output, opset and metadata', async () => {
    const conditional = checkedOf(labelled(3, [4, 4, 1], [concat([[], fromLabel([embedding(3, 2), tileSpatial(4, 4)])]), conv2d(2, 3)]).network, 'generator')
    const bytes = getOrThrow(networkToOnnx(conditional, await perturbedParams(conditional, 3), { name: 'g', docString: 'a test' }))
    const model = onnxModelProto().toObject(onnxModelProto().decode(bytes), { longs: Number }) as {
      producerName: string
      docString: string
      opsetImport: Array<{ version: number }>
      graph: { name: string; input: Array<{ name: string }>; output: Array<{ name: string }> }
      metadataProps: Array<{ key: string; value: string }>
    }
    expect(model.producerName).toBe('ganfp')
    expect(model.docString).toBe('a test')
    expect(model.opsetImport.map((o) => o.version)).toEqual([17])
    expect(model.graph.name).toBe('g')
    expect(model.graph.input.map((i) => i.name)).toEqual(['input', 'labels'])
    expect(model.graph.output.map((o) => o.name)).toEqual(['output'])
    const metadata = Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value]))
    expect(metadata).toMatchObject({ producer: 'ganfp', 'ganfp.inputShape': '[4,4,1]', 'ganfp.outputShape': '[4,4,2]', 'ganfp.labelClasses': '3' })
    const session = await ort.InferenceSession.create(bytes)
    expect([session.inputNames, session.outputNames]).toEqual([['input', 'labels'], ['output']])
    await session.release()
  })
})
