/**
 * Ctrl-C for a training run: the first SIGINT asks the run to stop after the step in flight and
 * checkpoint; a second one quits at once. A step is one synchronous stretch of wasm or cpu work,
 * and a signal listener on the main thread runs only between steps, so:
 * - on Deno a worker thread listens too: it prints the notice the moment the signal comes and sets a
 *   flag in shared memory that the run reads between steps (Deno hands a signal to the main thread
 *   only when its event loop polls for it, which a busy run may not do for several steps); on the
 *   second it kills the process (checkpoints are written by rename, so the newest complete one
 *   stays intact, as after kill -9);
 * - everywhere, the main listener is removed once it has run, which gives SIGINT back to the OS:
 *   a later Ctrl-C ends the process at once even in the middle of a step (status 130).
 *
 * @since 0.2.0
 */
import process from 'node:process'

/** The notice printed on the first Ctrl-C. */
const interruptNotice = 'interrupted: writing a checkpoint after this step (Ctrl-C again to quit at once)'

// The worker's source, inlined as a blob so it needs no file beside a bundle. Deno only: Node and
// Bun deliver signals to the main thread alone.
const watcherSource = `
let count = 0
const say = (line) => Deno.stdout.writeSync(new TextEncoder().encode('\\n' + line + '\\n'))
self.onmessage = (event) => {
  const stopRequested = new Int32Array(event.data.stopRequested)
  Deno.addSignalListener('SIGINT', () => {
    count += 1
    if (count === 1) {
      Atomics.store(stopRequested, 0, 1)
      say(event.data.notice)
      return
    }
    say('quitting at once; the newest complete checkpoint is intact')
    Deno.kill(Deno.pid, 'SIGKILL')
  })
  self.postMessage('listening')
}
`

type DenoWorkerHost = { readonly Deno?: unknown; readonly Worker?: new (url: string, options: { type: 'module' }) => Worker }

/** Starts the Deno watcher thread, which sets `stopRequested[0]`; undefined elsewhere or when it cannot start. */
const startWatcher = async (notice: string, stopRequested: Int32Array): Promise<Worker | undefined> => {
  const host = globalThis as DenoWorkerHost
  if (host.Deno === undefined || host.Worker === undefined) return undefined
  try {
    const url = URL.createObjectURL(new Blob([watcherSource], { type: 'text/javascript' }))
    const worker = new host.Worker(url, { type: 'module' })
    const ready = new Promise<boolean>((resolve) => {
      worker.onmessage = () => resolve(true)
      worker.onerror = (event) => {
        event.preventDefault()
        resolve(false)
      }
    })
    worker.postMessage({ notice, stopRequested: stopRequested.buffer })
    URL.revokeObjectURL(url)
    if (await ready) return worker
    worker.terminate()
  } catch {
    // No watcher: the main listener still stops the run between steps.
  }
  return undefined
}

/**
 * `controller`'s signal, whose `aborted` first aborts it when `flag[0]` is set: the run reads
 * `aborted` between steps, so it sees the watcher's flag with no turn of the event loop.
 */
const abortingOnFlag = (controller: AbortController, flag: Int32Array): AbortSignal => {
  const signal = controller.signal
  const aborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get
  if (aborted === undefined) return signal
  // Once only: `abort()` itself reads `aborted` (Deno's does).
  let flagSeen = false
  Object.defineProperty(signal, 'aborted', {
    get: (): boolean => {
      if (!flagSeen && Atomics.load(flag, 0) !== 0) {
        flagSeen = true
        controller.abort()
      }
      return aborted.call(signal) === true
    },
  })
  return signal
}

/**
 * Watches for Ctrl-C while `run` runs: `signal` aborts on the first SIGINT, `print` shows the
 * notice (on Deno the watcher thread does); a second SIGINT ends the process at once.
 *
 * @example
 * import { withInterrupts } from './interrupt.ts'
 * await withInterrupts(console.log, async (signal) => signal.aborted) // false: nobody pressed Ctrl-C
 * @since 0.2.0
 * @category cli
 */
export const withInterrupts = async <A>(print: (line: string) => void, run: (signal: AbortSignal) => Promise<A>): Promise<A> => {
  const stop = new AbortController()
  const stopRequested = new Int32Array(new SharedArrayBuffer(4))
  const watcher = await startWatcher(interruptNotice, stopRequested)
  const signal = watcher === undefined ? stop.signal : abortingOnFlag(stop, stopRequested)
  let signals = 0
  const onInterrupt = (): void => {
    // Two signals during one step reach a busy main thread together: the second still quits.
    // (Counted here: with the watcher's flag the run may have stopped before this listener ran.)
    signals += 1
    if (signals > 1) process.exit(130)
    stop.abort()
    // The Deno watcher printed it the moment the signal came.
    if (watcher === undefined) print(interruptNotice)
    // With no listener left the OS ends the process on the next SIGINT, mid-step or not.
    process.off('SIGINT', onInterrupt)
  }
  process.on('SIGINT', onInterrupt)
  try {
    return await run(signal)
  } finally {
    process.off('SIGINT', onInterrupt)
    watcher?.terminate()
  }
}
