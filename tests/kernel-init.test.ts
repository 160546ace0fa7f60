// Kernel initialisers (src/layers/kernel-init.ts): N(0, 0.02) kernels drawn with the mean, spread
// and shape of a normal for dense and both convolutions; no option is the Glorot-uniform ParamSpec
// and the very parameters it always was; `withKernelInit` reaches every kernel nested in
// residual, concat (label branches too), spectral norm and packed networks and nothing else; bad
// values are GanErrors at their paths, all at once; a DCGAN with N(0, 0.02) trains leak-free.
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  batchNorm,
  checkGan,
  checkNetwork,
  compile,
  compileOrThrow,
  concat,
  conv2d,
  conv2dTranspose,
  createTrainerOrThrow,
  dcganGan,
  dense,
  embedding,
  flatten,
  fromLabel,
  gan,
  glorotUniform,
  heNormal,
  imageDataset,
  leakyRelu,
  liveTensorCount,
  networkToOnnx,
  normalInit,
  packed,
  prelu,
  projection,
  readParams,
  relu,
  reshape,
  residual,
  sequential,
  spectralNorm,
  torchTargetProblems,
  useBackend,
  withKernelInit,
  withLabelInput,
  type GanError,
  type KernelInit,
  type Layer,
  type Network,
  type ParamSpec,
} from '../src/index.ts'
import { compiledNetwork } from './support/compiled-network.ts'

const compiled = (network: Network) => compiledNetwork(network)

/** Every parameter of `network` as drawn from `seed`, read out, the tensors freed. */
const initialValues = async (network: Network, seed: number): Promise<Record<string, Float32Array>> => {
  const net = compiled(network)
  const params = net.init(seed)
  const values = await readParams(params)
  net.dispose(params)
  return values
}

/** Mean, standard deviation and the share within one standard deviation of the mean. */
const moments = (values: Float32Array) => {
  const n = values.length
  const mean = values.reduce((s, v) => s + v, 0) / n
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n)
  const withinOne = values.filter((v) => Math.abs(v - mean) < std).length / n
  return { n, mean, std, withinOne }
}

/**
 * `values` look like n draws of N(0, σ²): the mean within 5 standard errors of 0 (σ/√n), the
 * standard deviation within 5 of σ (σ/√(2n)), and 68.27% of them within one σ (a uniform of the
 * same spread has 57.7%), within 5 binomial standard errors.
 */
const expectNormal = (values: Float32Array, sigma: number) => {
  const { n, mean, std, withinOne } = moments(values)
  expect(n).toBeGreaterThanOrEqual(50_000)
  expect(Math.abs(mean)).toBeLessThan((5 * sigma) / Math.sqrt(n))
  expect(Math.abs(std - sigma)).toBeLessThan((5 * sigma) / Math.sqrt(2 * n))
  const p = 0.6827
  expect(Math.abs(withinOne - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n))
}

const N002 = normalInit(0.02)

describe('kernel initialisers: the values drawn', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('normalInit(0.02): dense, conv2d and conv2dTranspose kernels are N(0, 0.02), their biases 0', async () => {
    const layers: ReadonlyArray<readonly [string, Network, number]> = [
      ['dense', sequential([256], [dense(256, { kernelInit: N002 })]), 256 * 256],
      ['conv2d', sequential([4, 4, 64], [conv2d(64, 4, { kernelInit: N002 })]), 4 * 4 * 64 * 64],
      ['conv2dTranspose', sequential([4, 4, 64], [conv2dTranspose(64, 4, { stride: 2, kernelInit: N002 })]), 4 * 4 * 64 * 64],
    ]
    for (const [name, network, size] of layers) {
      const values = await initialValues(network, 3)
      expect({ name, size: values['layers[0].kernel']!.length }).toEqual({ name, size })
      expectNormal(values['layers[0].kernel']!, 0.02)
      expect(Array.from(values['layers[0].bias']!).every((b) => b === 0)).toBe(true)
    }
  })

  it('Glorot-uniform draws from U(−l, l): no normal (the check above fails on it)', async () => {
    const values = (await initialValues(sequential([256], [dense(256)]), 3))['layers[0].kernel']!
    const limit = Math.sqrt(6 / 512)
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit)
    // A uniform's share within one standard deviation: 1/√3.
    expect(Math.abs(moments(values).withinOne - 1 / Math.sqrt(3))).toBeLessThan(0.01)
  })

  it('heNormal: N(0, 2 / fanIn), a convolution counting its window (kh·kw·in)', async () => {
    const values = await initialValues(sequential([4, 4, 32], [conv2d(64, 5, { kernelInit: heNormal() })]), 4)
    expectNormal(values['layers[0].kernel']!, Math.sqrt(2 / (5 * 5 * 32)))
  })

  it('no option: the Glorot-uniform ParamSpec over the fans, as before the option existed', () => {
    const net = compiled(sequential([4, 4, 2], [conv2d(3, 3), conv2dTranspose(5, 2, { stride: 2, useBias: false }), flatten, dense(7)]))
    expect(net.paramSpecs).toEqual([
      { path: 'layers[0].kernel', shape: [3, 3, 2, 3], trainable: true, init: { _tag: 'GlorotUniform', fanIn: 18, fanOut: 27 } },
      { path: 'layers[0].bias', shape: [3], trainable: true, init: { _tag: 'Constant', value: 0 } },
      { path: 'layers[1].kernel', shape: [2, 2, 5, 3], trainable: true, init: { _tag: 'GlorotUniform', fanIn: 12, fanOut: 20 } },
      { path: 'layers[3].kernel', shape: [8 * 8 * 5, 7], trainable: true, init: { _tag: 'GlorotUniform', fanIn: 320, fanOut: 7 } },
      { path: 'layers[3].bias', shape: [7], trainable: true, init: { _tag: 'Constant', value: 0 } },
    ])
  })

  it('glorotUniform(), given or by withKernelInit, gives bit for bit the parameters of no option', async () => {
    const plain = sequential([6, 6, 2], [conv2d(4, 3, { stride: 2 }), batchNorm(), relu, conv2dTranspose(3, 3, { stride: 2 }), flatten, dense(5), relu, dense(1)])
    const given = sequential([6, 6, 2], [
      conv2d(4, 3, { stride: 2, kernelInit: glorotUniform() }),
      batchNorm(),
      relu,
      conv2dTranspose(3, 3, { stride: 2, kernelInit: glorotUniform() }),
      flatten,
      dense(5, { kernelInit: glorotUniform() }),
      relu,
      dense(1, { kernelInit: glorotUniform() }),
    ])
    const expected = await initialValues(plain, 11)
    expect(Object.keys(expected).length).toBe(12)
    expect(await initialValues(given, 11)).toEqual(expected)
    expect(await initialValues(withKernelInit(glorotUniform())(plain), 11)).toEqual(expected)
    // Another initialiser does change them (the comparison can fail).
    expect((await initialValues(withKernelInit(N002)(plain), 11))['layers[0].kernel']).not.toEqual(expected['layers[0].kernel'])
  })

  it('no option leaves the layer values as they were: no kernelInit key', () => {
    expect(dense(128)).toEqual({ _tag: 'Dense', units: 128, useBias: true })
    expect(Object.keys(dense(128, { useBias: false }))).toEqual(['_tag', 'units', 'useBias'])
    expect(Object.keys(conv2d(8, 3, { stride: 2 }))).toEqual(['_tag', 'filters', 'kernelSize', 'strides', 'padding', 'useBias'])
    expect(Object.keys(conv2dTranspose(8, 3, { kernelInit: undefined }))).toEqual(['_tag', 'filters', 'kernelSize', 'strides', 'padding', 'useBias'])
    expect(JSON.stringify(dcganGan({ width: 4, latentDim: 8 }))).not.toContain('kernelInit')
    expect(JSON.stringify(dcganGan({ width: 4, latentDim: 8, size: 32, channels: 3 }))).not.toContain('kernelInit')
  })
})

/** Every layer inside `layers`, containers' inner layers too. */
const allLayers = (layers: ReadonlyArray<Layer>): ReadonlyArray<Layer> =>
  layers.flatMap((layer): ReadonlyArray<Layer> => {
    switch (layer._tag) {
      case 'Residual':
        return [layer, ...allLayers(layer.block), ...allLayers(layer.shortcut)]
      case 'Concat':
        return [layer, ...layer.branches.flatMap((b) => allLayers(b.layers))]
      case 'SpectralNorm':
        return [layer, ...allLayers([layer.layer])]
      default:
        return [layer]
    }
  })

const hasKernel = (layer: Layer): boolean => layer._tag === 'Dense' || layer._tag === 'Conv2d' || layer._tag === 'Conv2dTranspose'

describe('withKernelInit', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  // A labelled network holding every container: a concat with a label branch, a residual block
  // with a shortcut, spectral norms around a dense and a convolution, and a projection output
  // (a kernel of its own, not a dense layer's: left alone).
  const labelled = withLabelInput(3)(
    sequential([6], [
      concat([[dense(10)], fromLabel([embedding(3, 4), dense(6)])]),
      reshape([2, 2, 4]),
      residual([conv2d(4, 3), batchNorm(), prelu()], { shortcut: [conv2d(4, 1, { useBias: false })] }),
      spectralNorm(conv2dTranspose(2, 3, { stride: 2 })),
      flatten,
      spectralNorm(dense(8)),
      leakyRelu(0.2),
      projection,
    ]),
  )
  // A packed critic: pack(2) in front, then dense and batch norm.
  const packedCritic = packed(2)(sequential([5], [dense(16), batchNorm(), leakyRelu(0.2), residual([dense(16)]), dense(1)]))

  it('sets every dense and convolution kernel, however deep, and leaves every other layer as it was', () => {
    for (const [network, kernels] of [
      [labelled, 6],
      [packedCritic, 3],
    ] as const) {
      const before = allLayers(network.layers)
      const after = allLayers(withKernelInit(N002)(network).layers)
      expect(after.length).toBe(before.length)
      expect(after.filter(hasKernel).length).toBe(kernels)
      after.forEach((layer, i) => {
        const old = before[i]!
        if (hasKernel(layer)) expect(layer).toEqual({ ...old, kernelInit: N002 })
        else if (!['Residual', 'Concat', 'SpectralNorm'].includes(layer._tag)) expect(layer).toBe(old)
      })
      // The network it was made from is untouched.
      expect(allLayers(network.layers).filter((l) => 'kernelInit' in l)).toEqual([])
    }
    const relabelled = withKernelInit(heNormal())(withKernelInit(N002)(labelled))
    expect(allLayers(relabelled.layers).filter(hasKernel).every((l) => JSON.stringify((l as { kernelInit?: KernelInit }).kernelInit) === '{"_tag":"HeNormal"}')).toBe(true)
    expect(withKernelInit(N002)(labelled).labelInput).toEqual(labelled.labelInput)
  })

  it("compiles to N(0, 0.02) kernels and leaves biases, batch norms, embeddings, prelu, the projection and spectral norm's u as they were", async () => {
    for (const network of [labelled, packedCritic]) {
      const plain = compiled(network).paramSpecs
      const normal = compiled(withKernelInit(N002)(network)).paramSpecs
      expect(normal.map((s) => [s.path, s.shape])).toEqual(plain.map((s) => [s.path, s.shape]))
      const projectionKernel = network === labelled ? 'layers[7].kernel' : ''
      const changed = normal.filter((s, i) => JSON.stringify(s) !== JSON.stringify(plain[i]))
      const kernels = plain.filter((s: ParamSpec) => s.path.endsWith('.kernel') && s.path !== projectionKernel)
      expect(changed.map((s) => s.path)).toEqual(kernels.map((s) => s.path))
      expect(changed.every((s) => JSON.stringify(s.init) === JSON.stringify({ _tag: 'Normal', std: 0.02 }))).toBe(true)
    }
    // The paths of the labelled network's N(0, 0.02) kernels, nested as deep as the containers go
    // (the embedding keeps its own N(0, 1)).
    const kernelPaths = compiled(withKernelInit(N002)(labelled))
      .paramSpecs.filter((s) => s.init._tag === 'Normal' && s.init.std === 0.02)
      .map((s) => s.path)
    expect(kernelPaths).toEqual([
      'layers[0].branches[0].layers[0].kernel',
      'layers[0].branches[1].layers[1].kernel',
      'layers[2].block[0].kernel',
      'layers[2].shortcut[0].kernel',
      'layers[3].kernel',
      'layers[5].kernel',
    ])
    const values = await initialValues(withKernelInit(N002)(labelled), 5)
    expect(Array.from(values['layers[2].block[1].gamma']!).every((g) => g === 1)).toBe(true)
    expect(Array.from(values['layers[2].block[0].bias']!).every((b) => b === 0)).toBe(true)
    const u = values['layers[5].u']!
    expect(Math.abs(Math.hypot(...u) - 1)).toBeLessThan(1e-6)
  })
})

describe('kernel initialisers: bad values', () => {
  const bad = (value: unknown) => value as KernelInit

  it('are GanErrors at their paths, every one at once, from checkGan and compile', () => {
    const spec = gan({
      generator: sequential([4], [dense(8, { kernelInit: normalInit(0) }), relu, dense(2, { kernelInit: normalInit(-1) })]),
      discriminator: sequential([2], [
        dense(8, { kernelInit: normalInit(Number.NaN) }),
        residual([dense(8, { kernelInit: bad('normal') })]),
        spectralNorm(dense(1, { kernelInit: bad({ _tag: 'Uniform' }) })),
      ]),
    })
    const expected = [
      ['generator.layers[0].kernelInit.std', 'a finite number > 0', '0'],
      ['generator.layers[2].kernelInit.std', 'a finite number > 0', '-1'],
      ['discriminator.layers[0].kernelInit.std', 'a finite number > 0', 'NaN'],
      ['discriminator.layers[1].block[0].kernelInit', 'a kernel initialiser: glorotUniform(), normalInit(std) or heNormal()', '"normal"'],
      ['discriminator.layers[2].layer.kernelInit', 'a kernel initialiser: glorotUniform(), normalInit(std) or heNormal()', 'Uniform'],
    ]
    const problems = (result: E.Either<ReadonlyArray<GanError>, unknown>) =>
      E.isLeft(result) ? result.left.map((e) => [e.path, e.expected, e.actual]) : []
    expect(problems(checkGan(spec))).toEqual(expected)
    expect(problems(compile(spec))).toEqual(expected)
    const checked = checkGan(spec)
    expect(E.isLeft(checked) && checked.left.every((e) => e._tag === 'InvalidConfig')).toBe(true)
  })

  it('convolutions too: an infinite std, a missing one, a number for the initialiser', () => {
    const checked = checkNetwork(
      sequential([8, 8, 1], [
        conv2d(4, 3, { kernelInit: normalInit(Number.POSITIVE_INFINITY) }),
        conv2dTranspose(2, 3, { kernelInit: bad({ _tag: 'Normal' }) }),
        conv2d(2, 3, { kernelInit: bad(0.02) }),
        conv2d(2, 3, { kernelInit: heNormal() }),
      ]),
      'g',
    )
    expect(E.isLeft(checked) ? checked.left.map((e) => [e.path, e.actual]) : []).toEqual([
      ['g.layers[0].kernelInit.std', 'Infinity'],
      ['g.layers[1].kernelInit.std', 'undefined'],
      ['g.layers[2].kernelInit', '0.02'],
    ])
  })
})

describe('a DCGAN with N(0, 0.02) kernels', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('has them in both networks, and trains 3 steps leak-free', async () => {
    const spec = dcganGan({ width: 2, latentDim: 8, kernelInit: N002 })
    const plainSpec = dcganGan({ width: 2, latentDim: 8 })
    const network = compileOrThrow(spec)
    const plain = compileOrThrow(plainSpec)
    for (const player of ['generator', 'discriminator'] as const) {
      const specs = network[player].paramSpecs
      expect(specs.map((s) => s.path)).toEqual(plain[player].paramSpecs.map((s) => s.path))
      const kernels = specs.filter((s) => s.path.endsWith('.kernel'))
      expect(kernels.length).toBe(player === 'generator' ? 4 : 3)
      expect(kernels.every((s) => s.init._tag === 'Normal' && s.init.std === 0.02)).toBe(true)
      expect(specs.filter((s) => !s.path.endsWith('.kernel'))).toEqual(plain[player].paramSpecs.filter((s) => !s.path.endsWith('.kernel')))
    }
    const count = 16
    const pixels = new Uint8Array(count * 28 * 28).map((_, i) => (i * 53) % 256)
    const images = imageDataset({ name: 'tiny', count, height: 28, width: 28, channels: 1, pixels, labels: new Uint8Array(count), classNames: ['x'] })
    const before = liveTensorCount()
    const trainer = createTrainerOrThrow(network, images, { seed: 1, batchSize: 8 })
    const counts: Array<number> = []
    const losses: Array<number> = []
    for await (const r of trainer.runOrThrow({ steps: 3 })) {
      counts.push(liveTensorCount())
      losses.push(r.discriminatorLoss, r.generatorLoss)
    }
    expect(losses.length).toBe(6)
    expect(losses.every(Number.isFinite)).toBe(true)
    expect(counts[2]).toBe(counts[1])
    trainer.dispose()
    expect(liveTensorCount()).toBe(before)
  }, 120_000)
})

describe('the exporters read parameters, not initialisers', () => {
  beforeAll(async () => {
    await useBackend('cpu')
  })

  it('the PyTorch target takes a GAN with kernelInit; ONNX writes the same bytes for the same parameter values', async () => {
    expect(torchTargetProblems(dcganGan({ width: 2, latentDim: 8, kernelInit: N002 }))).toEqual([])
    expect(torchTargetProblems(dcganGan({ width: 2, latentDim: 8, kernelInit: N002, size: 32, channels: 3 }))).toEqual([])
    const plain = sequential([4, 4, 1], [conv2d(2, 3, { stride: 2 }), leakyRelu(0.2), conv2dTranspose(1, 3, { stride: 2 }), flatten, spectralNorm(dense(1))])
    const values = await initialValues(withKernelInit(N002)(plain), 2)
    const onnx = (network: Network) => {
      const checked = checkNetwork(network, 'g')
      if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
      return networkToOnnx(checked.right, values)
    }
    const withInit = onnx(withKernelInit(N002)(plain))
    expect(E.isRight(withInit) && withInit.right.length > 0).toBe(true)
    expect(withInit).toEqual(onnx(plain))
  })
})
