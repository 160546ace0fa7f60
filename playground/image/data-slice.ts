/**
 * The image sets the page ships (scripts/playground.mjs writes them beside the bundle): gzipped
 * slices of protocol Q2's held-out images, read here with the browser's own gzip decoder. MNIST's
 * 2,000 held-out digits (200 per class) are what the page trains its DCGAN on and super-resolves;
 * 100 held-out Fashion-MNIST images (10 per class) serve SRGAN runs trained on Fashion.
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidData, type GanError, type LabelledImages } from '../../src/index.ts'

/** The slices the build writes: file, and the names of their classes. */
export const imageSlices = {
  mnist: { file: 'mnist-heldout.bin.gz', classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  fashion: {
    file: 'fashion-heldout.bin.gz',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
} as const

/** Which shipped slice. */
export type SliceName = keyof typeof imageSlices

const magic = 'GANFPIMG'
const headerLength = 20

/** Decodes a slice's (already gunzipped) bytes: the header, the labels, the pixels; every problem named at `where`. */
export const decodeImageSlice = (bytes: Uint8Array, name: SliceName, where: string): E.Either<ReadonlyArray<GanError>, LabelledImages> => {
  if (bytes.length < headerLength || new TextDecoder().decode(bytes.subarray(0, 8)) !== magic)
    return E.left([invalidData(`${where}[0..7]`, `the magic ${magic}`, bytes.length < 8 ? `${bytes.length} bytes` : JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 8))))])
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const count = view.getUint32(8, true)
  const [height, width, channels, classes] = [view.getUint16(12, true), view.getUint16(14, true), view.getUint8(16), view.getUint8(17)]
  const expected = headerLength + count + count * height * width * channels
  if (bytes.length !== expected) return E.left([invalidData(`${where}.length`, `${expected} bytes for ${count} images of ${height}×${width}×${channels}`, `${bytes.length} bytes`)])
  const labels = bytes.slice(headerLength, headerLength + count)
  const wrong = labels.findIndex((l) => l >= classes)
  if (wrong >= 0) return E.left([invalidData(`${where}.labels[${wrong}]`, `a class below ${classes}`, String(labels[wrong]))])
  return E.right({
    name,
    count,
    height,
    width,
    channels,
    pixels: bytes.slice(headerLength + count),
    labels,
    classNames: imageSlices[name].classNames,
  })
}

/** A shipped slice's images, and the bytes the page fetched for them (gzipped). */
export type ShippedImages = LabelledImages & { readonly shippedBytes: number }

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

const loaded = new Map<SliceName, Promise<Result<ShippedImages>>>()

/** Fetches and decodes a shipped slice, once per page; a failed fetch or a broken file is an `InvalidData` error naming the URL. */
export const loadImageSlice = (name: SliceName): Promise<Result<ShippedImages>> => {
  const cached = loaded.get(name)
  if (cached !== undefined) return cached
  const url = new URL(`./${imageSlices[name].file}`, import.meta.url).href
  const reading = (async (): Promise<Result<ShippedImages>> => {
    try {
      const response = await fetch(url)
      if (!response.ok) return E.left([invalidData(url, 'the image slice the build writes', `HTTP ${response.status}`)])
      const shipped = await response.blob()
      const unzipped = new Uint8Array(await new Response(shipped.stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
      return E.map((images: LabelledImages) => ({ ...images, shippedBytes: shipped.size }))(decodeImageSlice(unzipped, name, url))
    } catch (error) {
      return E.left([invalidData(url, 'a readable gzip file', error instanceof Error ? error.message : String(error))])
    }
  })()
  loaded.set(name, reading)
  // A failure is not kept: the next call tries again.
  void reading.then((r) => E.isLeft(r) && loaded.delete(name))
  return reading
}
