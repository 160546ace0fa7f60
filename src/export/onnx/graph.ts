/**
 * A small builder of ONNX graphs: unique value names, initializers from typed arrays, nodes with
 * typed attributes, and the NHWC ↔ NCHW transposes around the ops ONNX defines channels-first.
 * It makes plain objects in protobufjs's shape (`onnx.GraphProto`); schema.ts encodes them.
 *
 * @since 0.3.0
 */
import { onnxAttributeType, onnxDataType } from './schema.ts'

/**
 * A node attribute, typed as ONNX types it.
 *
 * @since 0.3.0
 * @category model
 */
export type OnnxAttribute =
  | { readonly _tag: 'Float'; readonly value: number }
  | { readonly _tag: 'Int'; readonly value: number }
  | { readonly _tag: 'String'; readonly value: string }
  | { readonly _tag: 'Floats'; readonly value: ReadonlyArray<number> }
  | { readonly _tag: 'Ints'; readonly value: ReadonlyArray<number> }

/**
 * Attribute constructors.
 *
 * @example
 * import { attribute } from './src/export/onnx/graph.ts'
 * attribute.ints([1, 1]) // { _tag: 'Ints', value: [1, 1] }
 * @since 0.3.0
 * @category constructors
 */
export const attribute = {
  float: (value: number): OnnxAttribute => ({ _tag: 'Float', value }),
  int: (value: number): OnnxAttribute => ({ _tag: 'Int', value }),
  string: (value: string): OnnxAttribute => ({ _tag: 'String', value }),
  floats: (value: ReadonlyArray<number>): OnnxAttribute => ({ _tag: 'Floats', value: [...value] }),
  ints: (value: ReadonlyArray<number>): OnnxAttribute => ({ _tag: 'Ints', value: [...value] }),
} as const

/**
 * The values of an initializer: float32, int32 or int64.
 *
 * @since 0.3.0
 * @category model
 */
export type TensorValues = Float32Array | Int32Array | BigInt64Array

/**
 * A graph input or output: its name, element type and dimensions (a string is a symbolic one).
 *
 * @since 0.3.0
 * @category model
 */
export interface GraphValue {
  readonly name: string
  readonly type: 'float' | 'int32'
  readonly dims: ReadonlyArray<number | string>
}

/**
 * A graph under construction.
 *
 * @since 0.3.0
 * @category model
 */
export interface GraphBuilder {
  /** A constant tensor, named after `hint` (made unique). */
  readonly initializer: (hint: string, values: TensorValues, dims: ReadonlyArray<number>) => string
  /** A 1-D int64 constant (shapes, axes, repeats); equal ones are shared. */
  readonly int64s: (values: ReadonlyArray<number>) => string
  /** A float32 scalar-or-vector constant; equal ones are shared. */
  readonly floats: (values: ReadonlyArray<number>) => string
  /** One node with one output, named `${at}/${opType}` (made unique); its output's name. */
  readonly node: (opType: string, inputs: ReadonlyArray<string>, at: string, attributes?: Readonly<Record<string, OnnxAttribute>>) => string
  /** An NHWC value as NCHW; a value this builder just turned NCHW → NHWC comes back as it was. */
  readonly toChannelsFirst: (value: string, at: string) => string
  /** An NCHW value as NHWC. */
  readonly toChannelsLast: (value: string, at: string) => string
  /**
   * The finished graph, as an `onnx.GraphProto` object: `output.value` is copied to the graph
   * output `output.info.name` (an Identity node, which runtimes drop).
   */
  readonly graph: (options: {
    readonly name: string
    readonly docString?: string
    readonly inputs: ReadonlyArray<GraphValue>
    readonly output: { readonly value: string; readonly info: GraphValue }
  }) => Record<string, unknown>
}

/** Fixed-width little-endian bytes, as `raw_data` wants them whatever the platform's order. */
const rawBytes = (values: TensorValues): Uint8Array => {
  const bytes = new Uint8Array(values.length * values.BYTES_PER_ELEMENT)
  const view = new DataView(bytes.buffer)
  if (values instanceof Float32Array) values.forEach((v, i) => view.setFloat32(i * 4, v, true))
  else if (values instanceof Int32Array) values.forEach((v, i) => view.setInt32(i * 4, v, true))
  else values.forEach((v, i) => view.setBigInt64(i * 8, v, true))
  return bytes
}

const dataTypeOf = (values: TensorValues): number =>
  values instanceof Float32Array ? onnxDataType.float : values instanceof Int32Array ? onnxDataType.int32 : onnxDataType.int64

const attributeProto = (name: string, a: OnnxAttribute): Record<string, unknown> => {
  switch (a._tag) {
    case 'Float':
      return { name, type: onnxAttributeType.float, f: a.value }
    case 'Int':
      return { name, type: onnxAttributeType.int, i: a.value }
    case 'String':
      return { name, type: onnxAttributeType.string, s: new TextEncoder().encode(a.value) }
    case 'Floats':
      return { name, type: onnxAttributeType.floats, floats: [...a.value] }
    case 'Ints':
      return { name, type: onnxAttributeType.ints, ints: [...a.value] }
  }
}

const valueInfo = ({ name, type, dims }: GraphValue): Record<string, unknown> => ({
  name,
  type: {
    tensorType: {
      elemType: type === 'float' ? onnxDataType.float : onnxDataType.int32,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  },
})

const nhwcToNchw = [0, 3, 1, 2]
const nchwToNhwc = [0, 2, 3, 1]

/**
 * An empty graph builder.
 *
 * @example
 * import { graphBuilder } from './src/export/onnx/graph.ts'
 * const g = graphBuilder()
 * g.node('Relu', ['input'], 'layers[0]') // 'layers[0]/Relu'
 * @since 0.3.0
 * @category constructors
 */
export const graphBuilder = (): GraphBuilder => {
  const taken = new Set<string>(['input', 'labels', 'output'])
  const nodes: Array<Record<string, unknown>> = []
  const initializers: Array<Record<string, unknown>> = []
  const shared = new Map<string, string>()
  // NHWC values made by a transpose from NCHW ones, so that a following channels-first op reads the original.
  const channelsFirstOf = new Map<string, string>()
  const unique = (hint: string): string => {
    let name = hint
    for (let k = 2; taken.has(name); k++) name = `${hint}_${k}`
    taken.add(name)
    return name
  }
  const initializer = (hint: string, values: TensorValues, dims: ReadonlyArray<number>): string => {
    const name = unique(hint)
    initializers.push({ name, dims: [...dims], dataType: dataTypeOf(values), rawData: rawBytes(values) })
    return name
  }
  const constant = (kind: string, values: ReadonlyArray<number>, make: () => TensorValues): string => {
    const key = `${kind}[${values.join(',')}]`
    const known = shared.get(key)
    if (known !== undefined) return known
    const name = initializer(key, make(), [values.length])
    shared.set(key, name)
    return name
  }
  const node = (opType: string, inputs: ReadonlyArray<string>, at: string, attributes: Readonly<Record<string, OnnxAttribute>> = {}): string => {
    const output = unique(`${at}/${opType}`)
    nodes.push({
      input: [...inputs],
      output: [output],
      name: output,
      opType,
      attribute: Object.entries(attributes).map(([name, a]) => attributeProto(name, a)),
    })
    return output
  }
  return {
    initializer,
    int64s: (values) => constant('int64', values, () => BigInt64Array.from(values.map((v) => BigInt(v)))),
    floats: (values) => constant('float', values, () => Float32Array.from(values)),
    node,
    toChannelsFirst: (value, at) => channelsFirstOf.get(value) ?? node('Transpose', [value], at, { perm: attribute.ints(nhwcToNchw) }),
    toChannelsLast: (value, at) => {
      const output = node('Transpose', [value], at, { perm: attribute.ints(nchwToNhwc) })
      channelsFirstOf.set(output, value)
      return output
    },
    graph: ({ name, docString, inputs, output }) => ({
      node: [...nodes, { input: [output.value], output: [output.info.name], name: output.info.name, opType: 'Identity', attribute: [] }],
      name,
      initializer: initializers,
      input: inputs.map(valueInfo),
      output: [valueInfo(output.info)],
      ...(docString === undefined ? {} : { docString }),
    }),
  }
}
