/**
 * The IDX format of the original MNIST files (`train-images-idx3-ubyte`, optionally gzipped), so
 * users with the full 60,000-image set can point at their files. Malformed files are an
 * `InvalidData` error naming the file and what is wrong; nothing is half-loaded.
 *
 * Format: two zero bytes, a type byte (0x08: unsigned bytes), a dimension count, one big-endian
 * uint32 per dimension, then the data.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { invalidData, type GanError } from '../errors.ts'
import type { LabelledImages } from '../data/images.ts'
import { readFailure } from './files.ts'
import { shapeSize } from '../dsl/shape.ts'

/**
 * An IDX array of unsigned bytes.
 *
 * @since 0.1.0
 * @category model
 */
export interface IdxArray {
  readonly dims: ReadonlyArray<number>
  readonly data: Uint8Array
}

const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`

/**
 * Parses IDX bytes (gunzipped first when they start with the gzip signature).
 *
 * @example
 * import { parseIdx } from 'ganfp/node'
 * parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]), 'labels') // { _tag: 'Right', right: { dims: [2], data: Uint8Array [7, 9] } }
 * parseIdx(new Uint8Array([1, 2]), 'x.idx') // { _tag: 'Left', left: [an InvalidData error at x.idx] }
 * @since 0.1.0
 * @category parsing
 */
export const parseIdx = (raw: Uint8Array, file: string): E.Either<ReadonlyArray<GanError>, IdxArray> =>
  E.mapLeft((error: GanError) => [error])(parseIdxBytes(raw, file))

/** The first thing wrong with IDX bytes: each check needs the ones before it to pass. */
const parseIdxBytes = (raw: Uint8Array, file: string): E.Either<GanError, IdxArray> => {
  let bytes = raw
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = new Uint8Array(gunzipSync(raw))
    } catch (error) {
      return E.left(invalidData(file, 'a readable gzip stream', error instanceof Error ? error.message : String(error)))
    }
  }
  if (bytes.length < 4) return E.left(invalidData(file, 'an IDX header (4 bytes or more)', `${bytes.length} bytes`))
  if (bytes[0] !== 0 || bytes[1] !== 0)
    return E.left(invalidData(`${file}: magic`, 'two zero bytes (an IDX file)', `${hex(bytes[0]!)} ${hex(bytes[1]!)}`))
  if (bytes[2] !== 0x08)
    return E.left(invalidData(`${file}: type`, '0x08 (unsigned bytes)', hex(bytes[2]!)))
  const rank = bytes[3]!
  const headerSize = 4 + 4 * rank
  if (rank === 0 || bytes.length < headerSize)
    return E.left(invalidData(`${file}: header`, `${rank} dimension sizes after the magic`, `${bytes.length} bytes in all`))
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false))
  const size = shapeSize(dims)
  if (bytes.length !== headerSize + size)
    return E.left(
      invalidData(
        `${file}: data`,
        `${size} bytes for dimensions [${dims.join(', ')}]`,
        `${bytes.length - headerSize} bytes${bytes.length < headerSize + size ? ' (truncated)' : ''}`,
      ),
    )
  return E.right({ dims, data: bytes.subarray(headerSize) })
}

const readIdx = (file: string): E.Either<GanError, IdxArray> => {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(readFileSync(file))
  } catch (error) {
    return E.left(readFailure(file, 'a readable file', error, (message) => invalidData(file, 'a readable file', message)))
  }
  return parseIdxBytes(bytes, file)
}

/**
 * Labelled images from an IDX image file (`[n, rows, cols]`) and an IDX label file (`[n]`).
 * Every problem with either file is reported.
 *
 * @example
 * import { loadIdx } from 'ganfp/node'
 * const r = loadIdx('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz')
 *
 * @since 0.1.0
 * @category constructors
 */
export const loadIdx = (imagesFile: string, labelsFile: string): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  const images = readIdx(imagesFile)
  const labels = readIdx(labelsFile)
  const errors: Array<GanError> = []
  if (E.isLeft(images)) errors.push(images.left)
  else if (images.right.dims.length !== 3)
    errors.push(invalidData(`${imagesFile}: dimensions`, '3 ([count, rows, columns])', String(images.right.dims.length)))
  if (E.isLeft(labels)) errors.push(labels.left)
  else if (labels.right.dims.length !== 1)
    errors.push(invalidData(`${labelsFile}: dimensions`, '1 ([count])', String(labels.right.dims.length)))
  if (errors.length > 0 || E.isLeft(images) || E.isLeft(labels)) return E.left(errors)
  const [count, height, width] = images.right.dims as [number, number, number]
  if (labels.right.dims[0] !== count)
    return E.left([invalidData(`${labelsFile}: count`, `${count} labels (one per image in ${imagesFile})`, String(labels.right.dims[0]))])
  const classes = labels.right.data.reduce((m, l) => Math.max(m, l), 0) + 1
  return E.right({
    name: imagesFile,
    count,
    height,
    width,
    channels: 1,
    pixels: images.right.data,
    labels: labels.right.data,
    classNames: Array.from({ length: classes }, (_, i) => String(i)),
  })
}
