/**
 * How big what the page ships is: the MNIST slice it trains on (as fetched), the built page (as
 * scripts/playground.mjs measured it in build.json), and what this page has fetched so far (as
 * the browser counts it). The image mode says all three under its training controls.
 */
import * as E from 'fp-ts/lib/Either.js'
import { loadImageSlice } from './data-slice.ts'

/** The built page's size in bytes, with and without source maps; undefined when it cannot be read. */
const buildSizes = async (): Promise<{ readonly bytes: number; readonly withoutMaps: number } | undefined> => {
  try {
    const response = await fetch(new URL('./build.json', import.meta.url))
    const sizes: unknown = response.ok ? await response.json() : undefined
    const { bytes, withoutMaps } = (sizes ?? {}) as { bytes?: unknown; withoutMaps?: unknown }
    return typeof bytes === 'number' && typeof withoutMaps === 'number' ? { bytes, withoutMaps } : undefined
  } catch {
    return undefined
  }
}

/** The bytes this page has fetched so far (bodies as sent, compressed where they were). */
const fetchedBytes = (): number =>
  performance.getEntriesByType('resource').reduce((sum, e) => sum + ((e as PerformanceResourceTiming).encodedBodySize || 0), 0)

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`

/** The sentence on the shipped data and the page's size; undefined until the MNIST slice is loaded. */
export const dataNote = async (): Promise<string | undefined> => {
  const slice = await loadImageSlice('mnist')
  if (E.isLeft(slice)) return undefined
  const built = await buildSizes()
  return (
    `Data: MNIST's ${slice.right.count.toLocaleString('en')} held-out digits, shipped as ${slice.right.shippedBytes.toLocaleString('en')} bytes (gzip; ` +
    `${slice.right.pixels.length.toLocaleString('en')} bytes of pixels). ` +
    (built === undefined ? '' : `The built page is ${megabytes(built.withoutMaps)} (${megabytes(built.bytes)} with source maps); `) +
    `this page has fetched ${megabytes(fetchedBytes())} of it.`
  )
}
