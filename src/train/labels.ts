/**
 * Class labels of a conditional GAN: how many classes it has, and the labels a caller asks for
 * when sampling, checked against that count.
 *
 * @since 0.1.0
 */
import { GanException, invalidData, type GanError } from '../errors.ts'
import type { CompiledGan } from '../compile/gan.ts'

/**
 * The class count of a conditional GAN (either network has a label input), else `undefined`.
 *
 * @example
 * import { compileOrThrow, gan, mlp, relu, labelClasses } from 'ganfp'
 * labelClasses(compileOrThrow(gan({ generator: mlp([4], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))) // undefined
 * @since 0.1.0
 * @category model
 */
export const labelClasses = (compiled: CompiledGan): number | undefined =>
  compiled.generator.labelClasses ?? compiled.discriminator.labelClasses

/**
 * Labels for `n` samples from what a caller asked (one class for all, or one per sample), every
 * one checked against the class count; `undefined` asks for 0, 1, …, k − 1 in turn.
 *
 * @example
 * import { requestedLabels } from 'ganfp'
 * Array.from(requestedLabels(undefined, 5, 3)) // [0, 1, 2, 0, 1]
 * @since 0.1.0
 * @category sampling
 */
export const requestedLabels = (labels: number | ArrayLike<number> | undefined, n: number, classes: number): Int32Array => {
  const out =
    labels === undefined
      ? Int32Array.from({ length: n }, (_, i) => i % classes)
      : typeof labels === 'number'
        ? new Int32Array(n).fill(labels)
        : Int32Array.from(labels)
  const problems: Array<GanError> = []
  if (out.length !== n) problems.push(invalidData('labels.length', String(n), String(out.length)))
  out.forEach((label, i) => {
    const asked = typeof labels === 'object' ? labels[i] : labels
    if (problems.length < 10 && (!Number.isInteger(asked ?? label) || label < 0 || label >= classes))
      problems.push(invalidData(typeof labels === 'object' ? `labels[${i}]` : 'label', `a class in [0, ${classes})`, String(asked)))
  })
  if (problems.length > 0) throw new GanException(problems)
  return out
}
