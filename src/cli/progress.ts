/**
 * The live progress of a run on the terminal, drawn with cli-progress: step/total, steps per
 * second, ETA, the current losses and scores, and the active alarms; alarms and messages print
 * above the bar. Where the output is not a terminal (CI, a log file) the same line is printed
 * every few seconds instead of redrawn.
 *
 * @since 0.1.0
 */
import cliProgress from 'cli-progress'
import process from 'node:process'
import type { WriteStream } from 'node:tty'
import type { RunEvents } from '../run/execute.ts'

const format = (n: number, digits = 3): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n))

/**
 * Run events that draw a progress bar, and `stop` to finish it.
 *
 * @example
 * import { progressBar, startRun } from 'ganfp/node'
 * import vanilla from './recipes/vanilla.ts'
 * const events = progressBar()
 * try { await startRun(vanilla, 'builtin:vanilla', ['--steps', '500'], events) } finally { events.stop() }
 *
 * @since 0.1.0
 * @category io
 */
export const progressBar = (options: { readonly stream?: WriteStream } = {}): RunEvents & { readonly stop: () => void } => {
  const stream = options.stream ?? process.stdout
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format:
        '{bar} {value}/{total} | {speed} steps/s | ETA {eta_formatted} | D {d} G {g} | D(x) {real} D(G(z)) {fake}{alarms}',
      barsize: 24,
      etaBuffer: 200,
      fps: 5,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  )
  let bar: cliProgress.SingleBar | undefined
  const print = (line: string): void => {
    if (bar === undefined) stream.write(`${line}\n`)
    else bars.log(`${line}\n`)
  }
  return {
    started: (info) => {
      print(
        `${info.resumed ? 'resuming' : 'training'} into ${info.directory} on ${info.backend.name} (${info.backend.reason}), ` +
          `steps ${info.firstStep + 1}–${info.totalSteps}`,
      )
      bar = bars.create(info.totalSteps, info.firstStep, { speed: '-', d: '-', g: '-', real: '-', fake: '-', alarms: '' })
    },
    step: (report, info) => {
      bar?.update(report.step, {
        speed: info.stepsPerSecond.toFixed(1),
        d: format(report.discriminatorLoss),
        g: format(report.generatorLoss),
        real: format(report.realScore, 2),
        fake: format(report.fakeScore, 2),
        alarms: info.activeAlarms.length === 0 ? '' : ` | ALARM ${info.activeAlarms.join(', ')}`,
      })
    },
    alarm: (alarm) => print(`${alarm.fatal ? 'FATAL ' : ''}alarm ${alarm.kind} at step ${alarm.step}: ${alarm.message}`),
    message: print,
    stop: () => {
      // Lines logged since the last redraw are flushed by one more redraw.
      if (bar !== undefined) bars.update()
      bars.stop()
      bar = undefined
    },
  }
}
