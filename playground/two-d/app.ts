/**
 * The 2-D mode: train a GAN on 2-D data live and watch it. One run at a time (a `Session`); work
 * on its trainer is serialised through one queue, so that a reset or a changed setting waits for
 * the training loop to finish its current chunk of steps. The loop sizes its chunks to about
 * `chunkBudgetMs` and yields to the browser between them, so the page stays responsive.
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatGanErrors, type GanError } from '../../src/index.ts'
import type { Host, Mode, ModeHandle } from '../mode.ts'
import { surfaceOf } from '../plot/surface.ts'
import { dataSourceFor, type DataSource } from './data.ts'
import { listenForDrawing } from './drawing.ts'
import { markInvalid, onFormChange, readForm, writeForm } from './form.ts'
import { twoDLayout } from './layout.ts'
import { rateMeter } from './rate.ts'
import { emptyHistory } from '../history.ts'
import { advance, endSession, readout, startSession, type Readout, type Session } from './session.ts'
import { decodeSettings, defaultSettings, type Settings } from './settings.ts'
import { dataFrame, drawDataView, drawLossChart, drawManifoldView, drawScoreChart } from './views.ts'

/** Wall time a chunk of steps should take before the loop yields to the browser. */
const chunkBudgetMs = 40
/** The most steps in one chunk. */
const largestChunk = 256
/**
 * How often the views are read from the networks while training: every 250 ms, or less often
 * where a read is slow (a software WebGPU adapter), so that reads take at most a fifth of the time.
 */
const refreshEveryMs = 250
const refreshShare = 0.2

/** What the root element's `data-state` says, for people reading the DOM and for tests. */
type State = 'starting' | 'ready' | 'training' | 'failed'

/** Resolves in a new task, letting the browser handle input and paint first. */
const nextTask = (): Promise<void> =>
  new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(undefined)
  })

const mount = async (root: HTMLElement, _host: Host): Promise<ModeHandle> => {
  root.classList.add('two-d')
  root.innerHTML = twoDLayout
  const byId = <T extends HTMLElement>(id: string): T => {
    const found = root.querySelector<T>(`#${id}`)
    if (found === null) throw new Error(`the 2-D layout has no #${id}`)
    return found
  }
  const surfaces = {
    data: surfaceOf(byId('data-canvas'), 550, 492),
    manifold: surfaceOf(byId('manifold-canvas'), 292, 292),
    loss: surfaceOf(byId('loss-canvas'), 520, 172),
    score: surfaceOf(byId('score-canvas'), 520, 172),
  }
  const text = (id: string, value: string): void => {
    byId(id).textContent = value
  }
  const buttons = { train: byId<HTMLButtonElement>('train'), step: byId<HTMLButtonElement>('step'), reset: byId<HTMLButtonElement>('reset') }

  let settings: Settings = defaultSettings
  let drawn = new Float32Array(0)
  let source: DataSource = dataSourceFor(settings.data, () => drawn, settings.seed)
  let session: Session | undefined
  let last: Readout | undefined
  let running = false
  /** Rebuilds asked for and not yet done: the page is 'starting' until they are. */
  let rebuilding = 0
  let lastRefresh = 0
  let refreshEvery = refreshEveryMs
  let work: Promise<void> = Promise.resolve()
  const meter = rateMeter()

  const showProblems = (errors: ReadonlyArray<GanError> | string | undefined): void => {
    const box = byId('problems')
    box.hidden = errors === undefined
    box.textContent = errors === undefined ? '' : typeof errors === 'string' ? errors : formatGanErrors(errors)
  }
  const setState = (state: State): void => {
    root.dataset['state'] = state
  }
  const canTrain = (): boolean => session !== undefined && (settings.data !== 'drawn' || drawn.length > 0)
  const updateButtons = (): void => {
    buttons.train.textContent = running ? 'Pause' : 'Train'
    buttons.train.disabled = !running && !canTrain()
    buttons.step.disabled = running || !canTrain()
    setState(rebuilding > 0 ? 'starting' : running ? 'training' : session === undefined ? 'failed' : 'ready')
  }
  /** Runs `task` after all earlier work on the trainer; an exception is shown, not lost. */
  const exclusive = (task: () => Promise<void>): Promise<void> => {
    work = work.then(task).catch((error: unknown) => {
      running = false
      showProblems(error instanceof Error ? `${error.name}: ${error.message}` : String(error))
      updateButtons()
    })
    return work
  }

  const render = (): void => {
    drawDataView(surfaces.data, source, settings.loss, last)
    drawManifoldView(surfaces.manifold, source, last)
    const history = session?.history ?? emptyHistory()
    drawLossChart(surfaces.loss, history)
    drawScoreChart(surfaces.score, history, settings.loss)
    text('discriminator-updates', String(history.discriminatorUpdates))
    const rate = meter.rate()
    text('steps-per-second', running && rate !== undefined ? rate.toFixed(rate < 10 ? 1 : 0) : '–')
    text('step-count', String(session?.trainer.stepCount() ?? 0))
    const quality = last?.quality
    text('q1-modes', quality === undefined ? '–' : `${quality.modesCaptured}/${quality.modes}`)
    text('q1-quality', quality === undefined ? '–' : `${(100 * quality.highQualityFraction).toFixed(1)} %`)
    text(
      'q1-note',
      source.mixture === undefined
        ? 'Q1 does not apply to drawn points: it scores samples against known modes.'
        : last === undefined
          ? ''
          : `${last.generated.length / 2} samples at step ${last.step}; a mode counts with ≥ 20 samples within 3σ.`,
    )
  }
  /** Reads the views from the networks, then draws everything. */
  const refresh = async (): Promise<void> => {
    const started = performance.now()
    if (session !== undefined) {
      const read = await readout(session)
      if (E.isLeft(read)) showProblems(read.left)
      else last = read.right
    }
    render()
    lastRefresh = performance.now()
    refreshEvery = Math.max(refreshEveryMs, (lastRefresh - started) / refreshShare)
  }

  const train = async (): Promise<void> => {
    let chunk = 1
    meter.reset()
    while (running && session !== undefined && canTrain()) {
      const started = performance.now()
      const done = await advance(session, chunk)
      if (E.isLeft(done)) {
        showProblems(done.left)
        running = false
        break
      }
      const now = performance.now()
      meter.record(now, done.right)
      // Toward the chunk that takes the budget, halfway in the log (steady under noisy timing).
      chunk = Math.max(1, Math.min(largestChunk, Math.round(Math.sqrt(chunk * ((chunk * chunkBudgetMs) / Math.max(1, now - started))))))
      if (now - lastRefresh >= refreshEvery) await refresh()
      else text('step-count', String(done.right))
      await nextTask()
    }
    running = false
    await refresh()
    updateButtons()
  }
  const startTraining = (): void => {
    if (running || !canTrain()) return
    running = true
    updateButtons()
    void exclusive(train)
  }

  /** A new run from the current settings (the old one's tensors freed), continuing to train if it was. */
  const rebuild = (): Promise<void> => {
    const resume = running
    running = false
    rebuilding++
    updateButtons()
    return exclusive(async () => {
      try {
        if (session !== undefined) endSession(session)
        session = undefined
        last = undefined
        source = dataSourceFor(settings.data, () => drawn, settings.seed)
        byId('drawn-controls').hidden = settings.data !== 'drawn'
        root.toggleAttribute('data-drawing', settings.data === 'drawn')
        const started = startSession(settings, source)
        if (E.isLeft(started)) showProblems(started.left)
        else {
          session = started.right
          showProblems(undefined)
        }
        render()
        await refresh()
      } finally {
        rebuilding--
        updateButtons()
      }
      if (resume) startTraining()
    })
  }

  onFormChange(root, () => {
    const decoded = decodeSettings(readForm(root))
    markInvalid(root, E.isLeft(decoded) ? decoded.left : [])
    if (E.isLeft(decoded)) return showProblems(decoded.left)
    settings = decoded.right
    void rebuild()
  })
  buttons.train.addEventListener('click', () => {
    if (running) {
      running = false
      buttons.train.disabled = true // until the loop has stopped
    } else startTraining()
  })
  buttons.step.addEventListener('click', () => {
    if (running || !canTrain()) return
    buttons.step.disabled = true
    void exclusive(async () => {
      if (session === undefined) return
      const done = await advance(session, 1)
      if (E.isLeft(done)) showProblems(done.left)
      await refresh()
      updateButtons()
    })
  })
  buttons.reset.addEventListener('click', () => {
    running = false
    void rebuild()
  })
  const pointCount = (): void => {
    text('drawn-count', `${drawn.length / 2} point${drawn.length === 2 ? '' : 's'}`)
  }
  listenForDrawing(
    surfaces.data.canvas,
    () => settings.data === 'drawn',
    () => dataFrame(surfaces.data, source),
    (x, y) => {
      const more = new Float32Array(drawn.length + 2)
      more.set(drawn)
      more.set([x, y], drawn.length)
      drawn = more
      pointCount()
      updateButtons()
      drawDataView(surfaces.data, source, settings.loss, last)
    },
  )
  byId('clear-points').addEventListener('click', () => {
    drawn = new Float32Array(0)
    pointCount()
    running = false
    void rebuild()
  })

  writeForm(root, settings)
  setState('starting')
  await rebuild()
  return {
    suspend: () => {
      running = false
      return exclusive(async () => {
        if (session !== undefined) endSession(session)
        session = undefined
        last = undefined
        setState('starting')
      })
    },
    resume: rebuild,
  }
}

/** The 2-D mode. */
export const twoDMode: Mode = { id: '2d', title: '2-D', mount }
