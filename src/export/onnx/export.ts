/**
 * A checked network and its parameters as an ONNX model (opset 17), in the inference form ganfp
 * runs (`apply(params, x, { training: false })`): batch norm by its moving statistics, dropout off,
 * spectral norm by its stored estimate. Layout as ganfp's: `input` is `[batch, ...inputShape]`
 * float32 (channels last for images), `labels` int32 `[batch]` for a network with a label input,
 * `output` is `[batch, ...outputShape]`.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GanError } from '../../errors.ts'
import { libraryVersion } from '../../version.ts'
import type { CheckedNetwork } from '../../shape/check.ts'
import { compileNetwork } from '../../compile/network.ts'
import { readParams, type Params } from '../../compile/params.ts'
import { lowerChain } from './chain.ts'
import { graphBuilder, type GraphValue } from './graph.ts'
import { checkParamTensors, checkParamValues } from './params.ts'
import { onnxModelProto } from './schema.ts'

/**
 * What an ONNX export may be told: the graph's name (default: the network's path, `generator`)
 * and a description stored in the model.
 *
 * @since 0.3.0
 * @category model
 */
export interface OnnxExportOptions {
  readonly name?: string
  readonly docString?: string
}

/** Opset 17 has every op the lowerings use; ONNX IR version 8 is the one that goes with it. */
const opsetVersion = 17
const irVersion = 8

/** The examples a network judges at once: a first `pack(k)` makes `batch / k` outputs. */
const packSizeOf = (network: CheckedNetwork): number => {
  const first = network.layers[0]?.layer
  return first?._tag === 'Pack' ? first.packSize : 1
}

const metadata = (network: CheckedNetwork): ReadonlyArray<{ readonly key: string; readonly value: string }> => [
  { key: 'producer', value: 'ganfp' },
  { key: 'ganfp.version', value: libraryVersion },
  { key: 'ganfp.network', value: network.path },
  { key: 'ganfp.layout', value: 'channels last (NHWC for images), as ganfp: input [batch, ...inputShape], output [batch, ...outputShape]' },
  { key: 'ganfp.inputShape', value: JSON.stringify(network.inputShape) },
  { key: 'ganfp.outputShape', value: JSON.stringify(network.outputShape) },
  ...(network.labelClasses === undefined ? [] : [{ key: 'ganfp.labelClasses', value: String(network.labelClasses) }]),
  ...(packSizeOf(network) === 1 ? [] : [{ key: 'ganfp.packSize', value: String(packSizeOf(network)) }]),
]

/**
 * The ONNX model (the bytes of an `.onnx` file) of a checked network with these parameters, by
 * path as `compileNetwork` names them (`layers[0].kernel`; what `readParams`, checkpoints and
 * `Trainer` snapshots hold). Every problem at once: each missing or mis-sized parameter named by
 * its path (`generator.params.layers[0].kernel`), and any layer with no ONNX form. The same
 * network and parameters give the same bytes. Labels must be classes in [0, classes): the model
 * reads label rows with Gather, which refuses others (where ganfp reads a row of zeros).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkNetwork, mlp, networkToOnnx, relu } from 'ganfp'
 * const checked = checkNetwork(mlp([2], [4], relu, 1), 'discriminator')
 * if (E.isRight(checked)) {
 *   const params = { 'layers[0].kernel': new Float32Array(8), 'layers[0].bias': new Float32Array(4), 'layers[2].kernel': new Float32Array(4), 'layers[2].bias': new Float32Array(1) }
 *   const onnx = networkToOnnx(checked.right, params) // right(Uint8Array): write it to discriminator.onnx
 *   networkToOnnx(checked.right, {})._tag // 'Left': InvalidData at discriminator.params.layers[0].kernel, …
 * }
 * @since 0.3.0
 * @category export
 */
export const networkToOnnx = (
  network: CheckedNetwork,
  params: Readonly<Record<string, Float32Array>>,
  options: OnnxExportOptions = {},
): E.Either<ReadonlyArray<GanError>, Uint8Array> => {
  const checked = checkParamValues(compileNetwork(network).paramSpecs, params, network.path)
  if (E.isLeft(checked)) return checked
  const graph = graphBuilder()
  const labels = network.labelClasses === undefined ? undefined : 'labels'
  const lowered = lowerChain(network.layers, 'input', 'layers', { graph, labels, ...checked.right })
  if (E.isLeft(lowered)) return lowered
  const inputs: ReadonlyArray<GraphValue> = [
    { name: 'input', type: 'float', dims: ['batch', ...network.inputShape] },
    ...(labels === undefined ? [] : [{ name: labels, type: 'int32', dims: ['batch'] } as const]),
  ]
  const output: GraphValue = { name: 'output', type: 'float', dims: [packSizeOf(network) === 1 ? 'batch' : 'packs', ...network.outputShape] }
  const model = {
    irVersion,
    opsetImport: [{ domain: '', version: opsetVersion }],
    producerName: 'ganfp',
    producerVersion: libraryVersion,
    ...(options.docString === undefined ? {} : { docString: options.docString }),
    graph: graph.graph({ name: options.name ?? network.path, inputs, output: { value: lowered.right, info: output } }),
    metadataProps: metadata(network),
  }
  const proto = onnxModelProto()
  // A copy: on Node protobufjs writes into a Buffer that may share a pooled ArrayBuffer.
  return E.right(new Uint8Array(proto.encode(proto.fromObject(model)).finish()))
}

/**
 * `networkToOnnx` from tensors (a `Params` record: `compiled.init(seed)`, a trainer's or
 * sampler's parameters). Their shapes are checked first, each problem named by its path; then
 * their values are read (`await t.data()`, so it works on WebGPU too).
 *
 * @example
 * import { builtinGanOf, compileOrThrow, getOrThrow, networkToOnnxFromTensors } from 'ganfp'
 * const compiled = compileOrThrow(getOrThrow(builtinGanOf({ recipe: 'dcgan', config: { width: 8 } })))
 * const params = compiled.generator.init(1) // or a trainer's, or a checkpoint's
 * const onnx = await networkToOnnxFromTensors(compiled.checked.generator, params) // right(Uint8Array)
 * @since 0.3.0
 * @category export
 */
export const networkToOnnxFromTensors = async (
  network: CheckedNetwork,
  params: Params,
  options: OnnxExportOptions = {},
): Promise<E.Either<ReadonlyArray<GanError>, Uint8Array>> => {
  const tensors = checkParamTensors(compileNetwork(network).paramSpecs, params, network.path)
  if (E.isLeft(tensors)) return tensors
  return networkToOnnx(network, await readParams(tensors.right), options)
}
