/**
 * The parameters an export reads, checked against what the compiled network declares: every one
 * present and sized, each problem named by its path (`generator.params.layers[0].kernel`).
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidData, shapeMismatch, type GanError } from '../../errors.ts'
import { describeValue, formatShape } from '../../dsl/describe.ts'
import { sameShape, shapeSize } from '../../dsl/shape.ts'
import type { ParamSpec, Params } from '../../compile/params.ts'

/**
 * The checked values and their shapes, by parameter path.
 *
 * @since 0.3.0
 * @category model
 */
export interface CheckedParams {
  readonly values: ReadonlyMap<string, Float32Array>
  readonly shapes: ReadonlyMap<string, ReadonlyArray<number>>
}

/** What was given instead of a Float32Array, short (a long array is not spelled out). */
const describeGiven = (value: unknown): string =>
  value === undefined
    ? 'none'
    : ArrayBuffer.isView(value) && 'length' in value
      ? `${value.constructor.name} of ${String(value.length)} values`
      : Array.isArray(value)
        ? `an array of ${value.length} values`
        : describeValue(value)

const expectedValues = (spec: ParamSpec): string => `a Float32Array of ${shapeSize(spec.shape)} values (shape ${formatShape(spec.shape)})`

/**
 * Every declared parameter's values, or every missing or mis-sized one; `at` is the network's
 * path (`generator`). Values the network does not declare are ignored.
 *
 * @example
 * import { checkParamValues } from './src/export/onnx/params.ts'
 * const specs = [{ path: 'layers[0].bias', shape: [2], trainable: true, init: { _tag: 'Constant', value: 0 } }]
 * checkParamValues(specs, {}, 'generator')._tag // 'Left': InvalidData at generator.params.layers[0].bias
 * @since 0.3.0
 * @category validation
 */
export const checkParamValues = (
  specs: ReadonlyArray<ParamSpec>,
  params: Readonly<Record<string, Float32Array>>,
  at: string,
): E.Either<ReadonlyArray<GanError>, CheckedParams> => {
  const errors: Array<GanError> = []
  const values = new Map<string, Float32Array>()
  const shapes = new Map<string, ReadonlyArray<number>>()
  const given = typeof params === 'object' && params !== null ? params : {}
  for (const spec of specs) {
    const path = `${at}.params.${spec.path}`
    const value: unknown = Object.hasOwn(given, spec.path) ? given[spec.path] : undefined
    if (!(value instanceof Float32Array)) errors.push(invalidData(path, expectedValues(spec), describeGiven(value)))
    else if (value.length !== shapeSize(spec.shape)) errors.push(shapeMismatch(path, expectedValues(spec), `${value.length} values`))
    else {
      values.set(spec.path, value)
      shapes.set(spec.path, spec.shape)
    }
  }
  return errors.length > 0 ? E.left(errors) : E.right({ values, shapes })
}

/**
 * Every declared parameter present as a tensor of its shape, or every problem; the tensors the
 * network reads, by path.
 *
 * @example
 * import { checkParamTensors } from './src/export/onnx/params.ts'
 * const specs = [{ path: 'layers[0].bias', shape: [2], trainable: true, init: { _tag: 'Constant', value: 0 } }]
 * checkParamTensors(specs, {}, 'generator')._tag // 'Left'
 * @since 0.3.0
 * @category validation
 */
export const checkParamTensors = (specs: ReadonlyArray<ParamSpec>, params: Params, at: string): E.Either<ReadonlyArray<GanError>, Params> => {
  const errors: Array<GanError> = []
  const given = typeof params === 'object' && params !== null ? params : {}
  const read: Record<string, Params[string]> = {}
  for (const spec of specs) {
    const path = `${at}.params.${spec.path}`
    const tensor = Object.hasOwn(given, spec.path) ? given[spec.path] : undefined
    if (tensor === undefined) errors.push(invalidData(path, `a tensor of shape ${formatShape(spec.shape)}`, 'none'))
    else if (!sameShape(tensor.shape, spec.shape)) errors.push(shapeMismatch(path, `shape ${formatShape(spec.shape)}`, `shape ${formatShape(tensor.shape)}`))
    else read[spec.path] = tensor
  }
  return errors.length > 0 ? E.left(errors) : E.right(read)
}
