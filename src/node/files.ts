/**
 * Writing files so that nothing half-written is ever left on disk: write a temporary file beside
 * the target, flush it, then rename it over the target (atomic on POSIX file systems).
 *
 * @since 0.1.0
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'

/**
 * @example
 * import { writeFileAtomic } from 'ganfp/node'
 * writeFileAtomic('/tmp/ganfp-example.txt', 'hello\n')
 * @since 0.1.0
 * @category io
 */
export const writeFileAtomic = (path: string, contents: string | Uint8Array): void => {
  mkdirSync(dirname(path), { recursive: true })
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`)
  try {
    writeAndFlush(temporary, typeof contents === 'string' ? new TextEncoder().encode(contents) : contents)
    renameSync(temporary, path)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
}

/**
 * Writes `bytes` to `path` (created or truncated) and flushes them to disk before returning.
 *
 * @example
 * import { writeAndFlush } from 'ganfp/node'
 * writeAndFlush('/tmp/ganfp-example.bin', new Uint8Array([1, 2, 3]))
 * @since 0.1.0
 * @category io
 */
export const writeAndFlush = (path: string, bytes: Uint8Array): void => {
  const fd = openSync(path, 'w')
  try {
    let written = 0
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * 2-D points as CSV with an `x,y` header.
 *
 * @example
 * import { pointsToCsv } from 'ganfp/node'
 * pointsToCsv(new Float32Array([1, 2, 3, 4])) // 'x,y\n1,2\n3,4\n'
 * @since 0.1.0
 * @category io
 */
export const pointsToCsv = (points: ArrayLike<number>): string => {
  const lines = ['x,y']
  for (let i = 0; i + 1 < points.length; i += 2) lines.push(`${points[i]},${points[i + 1]}`)
  return `${lines.join('\n')}\n`
}
