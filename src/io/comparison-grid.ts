/**
 * Side-by-side comparisons as one canvas: one row per example, one column per way of producing
 * it (for super-resolution: the input shown nearest-upsampled, bicubic, the model, the original).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { ImageBatch } from '../eval/image-similarity.ts'
import { canvas, type Canvas } from './canvas.ts'

/**
 * One column of a comparison: images in [0, 1] with 1 or 3 channels, and an optional title used
 * to name the column in errors.
 *
 * @since 0.1.0
 * @category model
 */
export interface ComparisonColumn {
  readonly title?: string
  readonly images: ImageBatch
}

const gutter = 2

const columnErrors = (columns: ReadonlyArray<ComparisonColumn>, count: number): ReadonlyArray<GanError> => {
  if (columns.length === 0) return [invalidConfig('columns', 'at least one column', 'none')]
  const errors: Array<GanError> = []
  if (!(Number.isInteger(count) && count > 0)) errors.push(invalidConfig('count', 'a positive integer', String(count)))
  const [first] = columns
  columns.forEach(({ title, images }, i) => {
    const path = `columns[${i}]`
    const note = title === undefined ? undefined : `"${title}"`
    if (images.height !== first!.images.height || images.width !== first!.images.width)
      errors.push(
        shapeMismatch(
          `${path}.images`,
          `${first!.images.height}×${first!.images.width} (height×width, as columns[0])`,
          `${images.height}×${images.width}`,
          note,
        ),
      )
    if (images.channels !== 1 && images.channels !== 3)
      errors.push(invalidConfig(`${path}.images.channels`, '1 or 3', String(images.channels), note))
    if (images.count < count) errors.push(invalidConfig(`${path}.images.count`, `at least ${count} images`, String(images.count), note))
  })
  return errors
}

/**
 * Draws the first `count` images of every column as rows of a grid, with a 2-pixel gutter (as
 * `imageGrid`). All columns must have the same height and width and at least `count` images.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { comparisonGrid } from 'ganfp'
 * const images = { values: new Float32Array(2 * 28 * 28), count: 2, height: 28, width: 28, channels: 1 }
 * const grid = comparisonGrid([{ title: 'bicubic', images }, { title: 'original', images }], 2)
 * E.isRight(grid) && grid.right.width // 62
 * @since 0.1.0
 * @category drawing
 */
export const comparisonGrid = (columns: ReadonlyArray<ComparisonColumn>, count: number): E.Either<ReadonlyArray<GanError>, Canvas> => {
  const errors = columnErrors(columns, count)
  if (errors.length > 0) return E.left(errors)
  const { height, width } = columns[0]!.images
  const c = canvas(columns.length * (width + gutter) + gutter, count * (height + gutter) + gutter, [40, 40, 40])
  const byte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)))
  columns.forEach(({ images: { values, channels } }, column) => {
    const left = gutter + column * (width + gutter)
    for (let n = 0; n < count; n++) {
      const top = gutter + n * (height + gutter)
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const at = ((n * height + y) * width + x) * channels
          const [r, g, b] = channels === 3 ? [values[at]!, values[at + 1]!, values[at + 2]!] : [values[at]!, values[at]!, values[at]!]
          c.rgba.set([byte(r), byte(g), byte(b), 255], 4 * ((top + y) * c.width + left + x))
        }
    }
  })
  return E.right(c)
}
