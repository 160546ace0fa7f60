/**
 * Users' own images: a folder of PNG and JPEG files (decoded by pngjs and jpeg-js), either flat
 * (one class) or with one sub-folder per class. Every file is checked against the declared size; all problems are
 * reported, each naming its file.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { describeValue } from '../dsl/describe.ts'
import { invalidConfig, invalidData, type GanError } from '../errors.ts'
import { Rng } from '../random.ts'
import type { LabelledImages } from '../data/images.ts'
import { backgroundErrors } from './background.ts'
import { decodeImageFile, listImageClasses, type DecodedImage } from './image-files.ts'
import { defaultBackground, transparencyNote } from './png-files.ts'

/**
 * What every image must be: its size, and the channels to keep (1: luminance, 3: RGB).
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageFolderOptions {
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
  /** What transparent pixels are composited onto, as RGB bytes (default white). */
  readonly background?: readonly [number, number, number]
}

/** The most pixel bytes one load allocates: sizes past it are refused before the allocation, which would throw a RangeError. */
const maxPixelBytes = 2 ** 31

/** One decoded image's channels-last bytes, or what is wrong with the file. */
const decodeSized = (file: string, options: ImageFolderOptions): E.Either<ReadonlyArray<GanError>, DecodedImage> => {
  const decoded = decodeImageFile(file, options.channels, options.background)
  if (E.isLeft(decoded)) return decoded
  const { height, width } = decoded.right
  return height === options.height && width === options.width
    ? decoded
    : E.left([invalidData(file, `an image of ${options.height}×${options.width} (height×width)`, `${height}×${width}`)])
}

/** What the transparency note counts: PNGs, or images where there are JPEGs too. */
const noun = (files: ReadonlyArray<string>): string => (files.every((f) => f.toLowerCase().endsWith('.png')) ? 'PNGs' : 'images')

/**
 * Loads a folder of PNG and JPEG images, all of the given size, as labelled images.
 *
 * @example
 * import { loadImageFolder } from 'ganfp/node'
 * const r = loadImageFolder('my-faces', { height: 64, width: 64, channels: 3 })
 *
 * @since 0.1.0
 * @category constructors
 */
export const loadImageFolder = (
  dir: string,
  options: ImageFolderOptions,
): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  const listed = listImageClasses(dir)
  if (E.isLeft(listed)) return listed
  const classes = listed.right
  const total = classes.reduce((n, c) => n + c.files.length, 0)
  const sizeErrors = (['height', 'width'] as const)
    .filter((key) => !isPositiveInteger(options[key]))
    .map((key) => invalidConfig(key, 'a positive integer', describeValue(options[key])))
  if (options.channels !== 1 && options.channels !== 3) sizeErrors.push(invalidConfig('channels', '1 (luminance) or 3 (RGB)', describeValue(options.channels)))
  if (sizeErrors.length > 0) return E.left(sizeErrors)
  const size = options.height * options.width * options.channels
  if (!(total * size <= maxPixelBytes))
    return E.left([invalidConfig('height × width × channels', `images that fit in ${maxPixelBytes} bytes in all`, `${total} images of ${options.height}×${options.width}×${options.channels}`)])
  const pixels = new Uint8Array(total * size)
  const labels = new Uint8Array(total)
  const errors: Array<GanError> = [...backgroundErrors(options.background)]
  if (errors.length > 0) return E.left(errors)
  let index = 0
  let transparent = 0
  classes.forEach(({ files }, label) => {
    for (const file of files) {
      const decoded = decodeSized(file, options)
      if (E.isLeft(decoded)) errors.push(...decoded.left)
      else {
        pixels.set(decoded.right.pixels, index * size)
        if (decoded.right.transparent) transparent += 1
      }
      labels[index++] = label
    }
  })
  if (errors.length > 0) return E.left(errors)
  const note = transparencyNote(transparent, total, options.background ?? defaultBackground, noun(classes.flatMap((c) => c.files)))
  return E.right({
    name: dir,
    count: total,
    height: options.height,
    width: options.width,
    channels: options.channels,
    pixels,
    labels,
    classNames: classes.map((c) => c.name),
    ...(note === undefined ? {} : { notes: [note] }),
  })
}

const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0

/**
 * How to cut training images out of PNG and JPEG images of any size: `cropsPerImage` square
 * crops of side `cropSize` at seeded random positions, as luminance (1) or RGB (3).
 *
 * @since 0.1.0
 * @category model
 */
export interface ImageCropOptions {
  readonly cropSize: number
  readonly channels: 1 | 3
  readonly cropsPerImage: number
  readonly seed: number
  /** What transparent pixels are composited onto, as RGB bytes (default white). */
  readonly background?: readonly [number, number, number]
}

const optionErrors = (options: ImageCropOptions): ReadonlyArray<GanError> => [
  ...(['cropSize', 'cropsPerImage'] as const)
    .filter((key) => !isPositiveInteger(options[key]))
    .map((key) => invalidConfig(key, 'a positive integer', describeValue(options[key]))),
  ...(options.channels === 1 || options.channels === 3 ? [] : [invalidConfig('channels', '1 (luminance) or 3 (RGB)', describeValue(options.channels))]),
  ...(Number.isInteger(options.seed) ? [] : [invalidConfig('seed', 'an integer', describeValue(options.seed))]),
  ...backgroundErrors(options.background),
]

/**
 * Loads a folder of PNG and JPEG images of any size (flat, or one sub-folder per class) as
 * square crops: the crops of each file in turn, each file's crops labelled with its class. A
 * file smaller than the crop, an unreadable file or folder, and a folder without images are
 * errors; all are reported, each naming its file.
 *
 * @example
 * import { loadImageFolderCrops } from 'ganfp/node'
 * const r = loadImageFolderCrops('my-photos', { cropSize: 96, channels: 3, cropsPerImage: 8, seed: 1 })
 * @since 0.1.0
 * @category constructors
 */
export const loadImageFolderCrops = (
  dir: string,
  options: ImageCropOptions,
): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  const invalid = optionErrors(options)
  if (invalid.length > 0) return E.left(invalid)
  const listed = listImageClasses(dir)
  if (E.isLeft(listed)) return listed
  const { cropSize, channels, cropsPerImage } = options
  const files = listed.right.flatMap((c, label) => c.files.map((file) => ({ file, label })))
  const count = files.length * cropsPerImage
  const rowSize = cropSize * channels
  if (!(count * cropSize * rowSize <= maxPixelBytes))
    return E.left([invalidConfig('cropSize × cropsPerImage', `crops that fit in ${maxPixelBytes} bytes in all`, `${count} crops of ${cropSize}×${cropSize}×${channels}`)])
  const pixels = new Uint8Array(count * cropSize * rowSize)
  const labels = new Uint8Array(count)
  const rng = Rng.fromSeed(options.seed)
  const errors: Array<GanError> = []
  let transparent = 0
  files.forEach(({ file, label }, f) => {
    const decoded = decodeImageFile(file, channels, options.background)
    if (E.isLeft(decoded)) return void errors.push(...decoded.left)
    const { height, width } = decoded.right
    if (decoded.right.transparent) transparent += 1
    if (height < cropSize || width < cropSize)
      return void errors.push(
        invalidData(file, `an image of at least ${cropSize}×${cropSize} (height×width)`, `${height}×${width}`),
      )
    for (let k = 0; k < cropsPerImage; k++) {
      const [top, left] = [rng.int(height - cropSize + 1), rng.int(width - cropSize + 1)]
      const index = f * cropsPerImage + k
      for (let y = 0; y < cropSize; y++) {
        const from = ((top + y) * width + left) * channels
        pixels.set(decoded.right.pixels.subarray(from, from + rowSize), (index * cropSize + y) * rowSize)
      }
      labels[index] = label
    }
  })
  if (errors.length > 0) return E.left(errors)
  const note = transparencyNote(transparent, files.length, options.background ?? defaultBackground, noun(files.map((f) => f.file)))
  return E.right({
    name: dir,
    count,
    height: cropSize,
    width: cropSize,
    channels,
    pixels,
    labels,
    classNames: listed.right.map((c) => c.name),
    ...(note === undefined ? {} : { notes: [note] }),
  })
}
