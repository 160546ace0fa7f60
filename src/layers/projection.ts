/**
 * The projection discriminator's output (Miyato & Koyama).
 *
 * @since 0.1.0
 */
import { shapeMismatch, type GanError } from '../errors.ts'
import { formatShape } from '../dsl/describe.ts'
import type { LayerKind } from './kind.ts'
import { labelClassesOf, labelsOf, noLabelInput, oneHotRows } from './label.ts'

/**
 * The projection discriminator's output (Miyato & Koyama): for features `h` of shape `[f]`,
 * `dense(1)(h) + ⟨embed(label), h⟩`, one logit. Reads the network's label.
 * @since 0.1.0
 * @category model
 */
export interface Projection {
  readonly _tag: 'Projection'
}

/**
 * @example
 * import { projection } from 'ganfp'
 * projection._tag // 'Projection'
 * @since 0.1.0
 * @category constructors
 */
export const projection: Projection = { _tag: 'Projection' }

/**
 * The projection kind: features `[f]` give `[1]`; `kernel` `[f, 1]`, `bias` `[1]` and a class
 * table `embeddings` `[classes, f]`.
 *
 * @example
 * import { projectionKind } from 'ganfp'
 * projectionKind.tag // 'Projection'
 * @since 0.1.0
 * @category instances
 */
export const projectionKind: LayerKind<Projection> = {
  tag: 'Projection',
  infer: (_layer, input, path, context) => {
    const errors: Array<GanError> = []
    if (context.labelClasses === undefined) errors.push(noLabelInput(path))
    if (input !== undefined && input.length !== 1)
      errors.push(shapeMismatch(path, 'a rank-1 input of features (put flatten() before projection)', `input ${formatShape(input)}`))
    return { errors, outputShape: errors.length === 0 && input !== undefined ? [1] : undefined }
  },
  compile: (shaped, { local, kit: { tf }, kit }) => {
    const features = shaped.inputShape[0]!
    const kernel = `${local}.kernel`
    const bias = `${local}.bias`
    const table = `${local}.embeddings`
    // Only the classes actually given are ever read: the table is sized by the label input.
    const classes = labelClassesOf(shaped)
    return {
      params: [
        { path: kernel, shape: [features, 1], trainable: true, init: { _tag: 'GlorotUniform', fanIn: features, fanOut: 1 } },
        { path: bias, shape: [1], trainable: true, init: { _tag: 'Constant', value: 0 } },
        { path: table, shape: [classes, features], trainable: true, init: { _tag: 'GlorotUniform', fanIn: classes, fanOut: features } },
      ],
      forward: (x, p, _mode, _index, context) => {
        const classVectors = tf.matMul(oneHotRows(kit, labelsOf(context, local), classes), p[table]!)
        const unconditional = tf.add(tf.matMul(x, p[kernel]!), p[bias]!)
        return { output: tf.add(unconditional, tf.sum(tf.mul(classVectors, x), 1, true)), stateUpdates: [] }
      },
    }
  },
}
