/**
 * Step reports kept on the device until someone reads them. On WebGPU a read is a round trip
 * that stalls the queue of work; a loop that queues its steps and reads them every N steps, in
 * one transfer, keeps the GPU busy between reads. The numbers wait as one `[n, reportWidth]`
 * tensor that each step extends by a row: always a concatenation of two, so WebGPU compiles its
 * pipeline once, however many steps wait (a concatenation of n pieces is a new shader per n).
 *
 * @since 0.2.0
 */
import { tf, type Tensor } from '../compile/tf.ts'
import { reportFrom, reportWidth, type StepHeader } from './step-report.ts'
import type { StepReport } from './trainer-types.ts'

/**
 * Queued steps: their headers, and their numbers as one `[n, reportWidth]` tensor, oldest first.
 *
 * @since 0.2.0
 * @category model
 */
export interface ReportQueue {
  readonly headers: Array<StepHeader>
  numbers: Tensor | undefined
}

/**
 * An empty queue.
 *
 * @example
 * emptyReportQueue().headers.length // 0
 * @since 0.2.0
 * @category constructors
 */
export const emptyReportQueue = (): ReportQueue => ({ headers: [], numbers: undefined })

/**
 * Adds a step's numbers (a tensor of `reportWidth`, which the queue now owns).
 *
 * @example
 * enqueueReport(queue, header, numbers)
 * @since 0.2.0
 * @category combinators
 */
export const enqueueReport = (queue: ReportQueue, header: StepHeader, numbers: Tensor): void => {
  const row = tf.reshape(numbers, [1, reportWidth])
  numbers.dispose()
  const before = queue.numbers
  queue.numbers = before === undefined ? row : tf.concat([before, row])
  queue.headers.push(header)
  if (before !== undefined) {
    before.dispose()
    row.dispose()
  }
}

/**
 * Every queued step's report, oldest first, read in one transfer; the queue is left empty.
 *
 * @example
 * (await readReportQueue(queue)).map((r) => r.step) // e.g. [11, 12, …, 20]
 * @since 0.2.0
 * @category destructors
 */
export const readReportQueue = async (queue: ReportQueue): Promise<ReadonlyArray<StepReport>> => {
  const { numbers } = queue
  if (numbers === undefined) return []
  const headers = queue.headers.splice(0)
  queue.numbers = undefined
  try {
    const values = await numbers.data()
    return headers.map((header, i) => reportFrom(header, values, i * reportWidth))
  } finally {
    numbers.dispose()
  }
}

/**
 * Frees the queued numbers unread.
 *
 * @example
 * disposeReportQueue(queue)
 * @since 0.2.0
 * @category destructors
 */
export const disposeReportQueue = (queue: ReportQueue): void => {
  queue.numbers?.dispose()
  queue.numbers = undefined
  queue.headers.length = 0
}
