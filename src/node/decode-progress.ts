/**
 * A progress bar for decoding an image folder, ready to pass as `openImageFolder`'s `onProgress`:
 * drawn with cli-progress on a terminal; elsewhere (CI, a log file) a line at each tenth.
 *
 * @since 0.3.0
 */
import cliProgress from 'cli-progress'
import process from 'node:process'
import type { WriteStream } from 'node:tty'

/**
 * `onProgress` for `openImageFolder`, drawing `decoding images ▓▓░░ done/total`; the bar ends by
 * itself at the last file, and `stop` ends it early (a failed open).
 *
 * @example
 * import { decodeProgressBar, openImageFolder } from 'ganfp/node'
 * const bar = decodeProgressBar()
 * try { openImageFolder('my-faces', { size: 64, channels: 3, onProgress: bar.onProgress }) } finally { bar.stop() }
 * @since 0.3.0
 * @category io
 */
export const decodeProgressBar = (
  options: { readonly stream?: WriteStream; readonly label?: string } = {},
): { readonly onProgress: (done: number, total: number) => void; readonly stop: () => void } => {
  const stream = options.stream ?? process.stdout
  const label = options.label ?? 'decoding images'
  let bar: cliProgress.SingleBar | undefined
  let printedTenth = -1
  const stop = (): void => {
    bar?.stop()
    bar = undefined
  }
  const onProgress = (done: number, total: number): void => {
    if (stream.isTTY !== true) {
      // Without a terminal the bar's timer never fires inside a synchronous decode: print lines.
      const tenth = total === 0 ? 10 : Math.floor((10 * done) / total)
      if (tenth > printedTenth) stream.write(`${label} ${done}/${total}\n`)
      printedTenth = done === total ? -1 : Math.max(printedTenth, tenth)
      return
    }
    if (bar === undefined) {
      bar = new cliProgress.SingleBar({ stream, format: `${label} {bar} {value}/{total} | ETA {eta_formatted}`, barsize: 24, hideCursor: true }, cliProgress.Presets.shades_classic)
      bar.start(total, done)
    } else bar.update(done)
    if (done === total) stop()
  }
  return { onProgress, stop }
}
