/**
 * The image mode: a checkpoint of `ganfp train dcgan`, `cgan`, `srgan` (or `vanilla`) loaded from
 * files or a URL and sampled, or a small MNIST DCGAN trained in the page. Work on the networks is
 * serialised through one queue, as in the 2-D mode, so that a load, a reset or a backend change
 * waits for the training loop's current chunk of steps. Problems are shown in the page with their
 * paths, never thrown to the console.
 */
import * as E from 'fp-ts/lib/Either.js'
import { formatGanErrors, type GanError } from '../../src/index.ts'
import type { Host, Mode, ModeHandle } from '../mode.ts'
import { surfaceOf } from '../plot/surface.ts'
import { rateMeter } from '../two-d/rate.ts'
import { drawLossChart, drawScoreChart } from '../two-d/views.ts'
import { loadRun, openFiles, openUrl, type LoadedRun, type OpenedCheckpoint } from './checkpoint.ts'
import { loadImageSlice } from './data-slice.ts'
import { exposeShown, type Shown } from './debug.ts'
import { readInteger, readIntegers } from './form.ts'
import { imageLayout } from './layout.ts'
import { classNamesOf, showViews, type SampleChoices, type Source } from './show.ts'
import { dataNote } from './sizes.ts'
import { advance, checkpointOf, defaultTrainingSettings, endTraining, startTraining, trainingWidths, type TrainingSession, type TrainingSettings } from './training.ts'
import { fillDetails } from './views.ts'

/** Wall time a chunk of training steps should take before the loop yields to the browser. */
const chunkBudgetMs = 100
const largestChunk = 32
/** Views are read at most every second while training, and take at most a fifth of the time. */
const refreshEveryMs = 1000
const refreshShare = 0.2

/** What the root's `data-state` says, for people reading the DOM and for tests. */
type State = 'starting' | 'loading' | 'ready' | 'training'

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

const mount = async (root: HTMLElement, host: Host): Promise<ModeHandle> => {
  root.classList.add('image-mode')
  root.innerHTML = imageLayout
  const byId = <T extends HTMLElement>(id: string): T => {
    const found = root.querySelector<T>(`#${id}`)
    if (found === null) throw new Error(`the image layout has no #${id}`)
    return found
  }
  const places = {
    grid: { canvas: byId<HTMLCanvasElement>('grid-canvas'), width: 540, maxHeight: 640 },
    strip: { canvas: byId<HTMLCanvasElement>('strip-canvas'), width: 540, maxHeight: 160 },
  }
  const surfaces = {
    loss: surfaceOf(byId('train-loss-canvas'), 540, 200),
    score: surfaceOf(byId('train-score-canvas'), 540, 200),
  }
  const fields = {
    files: byId<HTMLInputElement>('checkpoint-files'),
    url: byId<HTMLInputElement>('checkpoint-url'),
    seed: byId<HTMLInputElement>('sample-seed'),
    stripTo: byId<HTMLInputElement>('strip-to'),
    stripClass: byId<HTMLSelectElement>('strip-class'),
    width: byId<HTMLSelectElement>('train-width'),
    batch: byId<HTMLInputElement>('train-batch'),
    trainSeed: byId<HTMLInputElement>('train-seed'),
  }
  const buttons = {
    train: byId<HTMLButtonElement>('train'),
    step: byId<HTMLButtonElement>('step'),
    reset: byId<HTMLButtonElement>('reset'),
    save: byId<HTMLButtonElement>('save-checkpoint'),
  }
  const text = (id: string, value: string): void => {
    byId(id).textContent = value
  }

  let source: Source = 'checkpoint'
  let opened: OpenedCheckpoint | undefined
  let loaded: LoadedRun | undefined
  let session: TrainingSession | undefined
  let settings: TrainingSettings = defaultTrainingSettings
  let samples: SampleChoices = { seed: 1, stripTo: 2, stripClass: 0 }
  let running = false
  let busy = 0
  let busyState: State = 'starting'
  let shown: Shown = { view: 'empty', source }
  let lastRefresh = 0
  let refreshEvery = refreshEveryMs
  let work: Promise<void> = Promise.resolve()
  const meter = rateMeter()
  exposeShown(() => shown)

  const showProblems = (errors: ReadonlyArray<GanError> | string | undefined): void => {
    const box = byId('image-problems')
    box.hidden = errors === undefined
    box.textContent = errors === undefined ? '' : typeof errors === 'string' ? errors : formatGanErrors(errors)
  }
  const updateButtons = (): void => {
    const canTrain = session !== undefined
    buttons.train.textContent = running ? 'Pause' : 'Train'
    buttons.train.disabled = !running && !canTrain
    buttons.step.disabled = running || !canTrain
    buttons.save.disabled = running || !canTrain
    root.dataset['state'] = running ? 'training' : busy > 0 ? busyState : 'ready'
  }
  /**
   * Runs `task` after all earlier work on the networks, the page saying `state` until it is done
   * (the training loop says 'training' by itself); an exception is shown, not lost.
   */
  const exclusive = (state: State | undefined, task: () => Promise<void>): Promise<void> => {
    if (state !== undefined) {
      busy++
      busyState = state
    }
    updateButtons()
    work = work
      .then(task)
      .catch((error: unknown) => {
        running = false
        showProblems(error instanceof Error ? `${error.name}: ${error.message}` : String(error))
      })
      .finally(() => {
        if (state !== undefined) busy--
        updateButtons()
      })
    return work
  }

  /** The run card (a checkpoint's details) or the training card (readouts and curves). */
  const drawSide = (): void => {
    byId('run-card').hidden = source !== 'checkpoint'
    byId('train-card').hidden = source !== 'train'
    if (source === 'train') {
      const history = session?.history
      text('train-step', String(session?.trainer.stepCount() ?? 0))
      const rate = meter.rate()
      text('train-rate', running && rate !== undefined ? rate.toFixed(rate < 10 ? 2 : 0) : '–')
      text('train-backend', host.backend().name)
      if (history !== undefined) {
        drawLossChart(surfaces.loss, history)
        drawScoreChart(surfaces.score, history, 'nonSaturating')
      }
      return
    }
    text('run-title', loaded === undefined ? 'No checkpoint loaded' : `${loaded.recipe} at step ${loaded.contents.step}`)
    const written = loaded === undefined ? '' : loaded.contents.createdAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')
    text('run-source', loaded === undefined ? '' : `From ${loaded.source}, written ${written} by ganfp ${loaded.contents.libraryVersion}. Its configuration:`)
    fillDetails(byId('run-details'), loaded === undefined ? [] : Object.entries(loaded.config))
  }

  /** Reads what the views show from the current generator and draws it all. */
  const refresh = async (): Promise<void> => {
    const started = performance.now()
    byId('strip-class-field').hidden = !(source === 'checkpoint' && loaded?.recipe === 'cgan')
    const drawn = await showViews({
      source,
      generator: source === 'checkpoint' ? loaded?.sampler : session?.trainer,
      run: loaded,
      training: session === undefined ? undefined : { width: session.settings.width, step: session.trainer.stepCount() },
      samples,
      places,
    })
    if (E.isLeft(drawn)) return showProblems(drawn.left)
    shown = drawn.right.shown
    text('grid-caption', drawn.right.caption)
    drawSide()
    lastRefresh = performance.now()
    refreshEvery = Math.max(refreshEveryMs, (lastRefresh - started) / refreshShare)
  }

  const showDataNote = async (): Promise<void> => {
    const note = await dataNote()
    if (note !== undefined) text('data-note', note)
  }

  /** Starts the page's run at step 0 (the old one's tensors freed) from the current settings. */
  const restartTraining = async (): Promise<void> => {
    running = false
    if (session !== undefined) endTraining(session)
    session = undefined
    const images = await loadImageSlice('mnist')
    if (E.isLeft(images)) return showProblems(images.left)
    const started = startTraining(settings, images.right)
    if (E.isLeft(started)) return showProblems(started.left)
    session = started.right
    showProblems(undefined)
    void showDataNote()
  }

  const train = async (): Promise<void> => {
    let chunk = 1
    meter.reset()
    while (running && session !== undefined) {
      const started = performance.now()
      const done = await advance(session, chunk)
      if (E.isLeft(done)) {
        showProblems(done.left)
        break
      }
      const now = performance.now()
      meter.record(now, done.right)
      chunk = Math.max(1, Math.min(largestChunk, Math.round(Math.sqrt(chunk * ((chunk * chunkBudgetMs) / Math.max(1, now - started))))))
      if (now - lastRefresh >= refreshEvery) await refresh()
      else text('train-step', String(done.right))
      await nextTask()
    }
    running = false
    await refresh()
  }

  const setSource = (next: Source): void => {
    source = next
    byId<HTMLInputElement>(`source-${next}`).checked = true
    byId('checkpoint-controls').hidden = next !== 'checkpoint'
    byId('train-controls').hidden = next !== 'train'
    root.dataset['source'] = next
  }

  /** Opens a checkpoint and shows it; on a problem the run shown before stays. */
  const load = (open: () => Promise<E.Either<ReadonlyArray<GanError>, OpenedCheckpoint>>): Promise<void> => {
    running = false
    return exclusive('loading', async () => {
      const read = await open()
      if (E.isLeft(read)) return showProblems(read.left)
      const run = loadRun(read.right)
      if (E.isLeft(run)) return showProblems(run.left)
      loaded?.sampler.dispose()
      opened = read.right
      loaded = run.right
      const names = classNamesOf(loaded) ?? []
      fields.stripClass.innerHTML = names.map((name, i) => `<option value="${i}">${name}</option>`).join('')
      fields.stripClass.value = String(Math.min(samples.stripClass, names.length - 1))
      showProblems(undefined)
      setSource('checkpoint')
      await refresh()
    })
  }

  /** Reads the sample controls and draws again (while training, at the loop's next refresh). */
  const redraw = (): void => {
    const read = readIntegers({ seed: [fields.seed, 0, 2 ** 31 - 1], stripTo: [fields.stripTo, 0, 2 ** 31 - 1] })
    // The class menu has entries once a run with classes is loaded.
    const stripClass = fields.stripClass.options.length === 0 ? E.right(samples.stripClass) : readInteger(fields.stripClass, 0, 999)
    if (E.isLeft(read) || E.isLeft(stripClass)) return showProblems([...(E.isLeft(read) ? read.left : []), ...(E.isLeft(stripClass) ? [stripClass.left] : [])])
    samples = { ...read.right, stripClass: stripClass.right }
    showProblems(undefined)
    if (running) lastRefresh = 0
    else void exclusive('starting', refresh)
  }

  fields.files.addEventListener('change', () => {
    const picked = Array.from(fields.files.files ?? [])
    fields.files.value = ''
    void load(() => openFiles(picked))
  })
  const loadFromUrl = (): void => void load(() => openUrl(fields.url.value))
  byId('load-url').addEventListener('click', loadFromUrl)
  fields.url.addEventListener('keydown', (event) => event.key === 'Enter' && loadFromUrl())
  for (const input of [fields.seed, fields.stripTo, fields.stripClass]) input.addEventListener('change', redraw)
  byId('new-samples').addEventListener('click', () => {
    const current = readInteger(fields.seed, 0, 2 ** 31 - 1)
    const seed = E.isRight(current) ? current.right + 1 : samples.seed + 1
    fields.seed.value = String(seed)
    fields.stripTo.value = String(seed + 1)
    redraw()
  })
  for (const input of Array.from(root.querySelectorAll<HTMLInputElement>('input[name="image-source"]')))
    input.addEventListener('change', () => {
      if (!input.checked) return
      running = false
      setSource(input.value as Source)
      void exclusive('starting', async () => {
        if (source === 'train' && session === undefined) await restartTraining()
        await refresh()
      })
    })
  for (const input of [fields.width, fields.batch, fields.trainSeed])
    input.addEventListener('change', () => {
      const read = readIntegers({ width: [fields.width, 1, 64], batchSize: [fields.batch, 1, 512], seed: [fields.trainSeed, 0, 2 ** 31 - 1] })
      if (E.isLeft(read)) return showProblems(read.left)
      const width = trainingWidths.find((w) => w === read.right.width) ?? settings.width
      settings = { width, batchSize: read.right.batchSize, seed: read.right.seed }
      running = false
      void exclusive('starting', async () => {
        await restartTraining()
        await refresh()
      })
    })
  buttons.train.addEventListener('click', () => {
    if (running) {
      running = false
      buttons.train.disabled = true // until the loop has stopped
      return
    }
    if (session === undefined) return
    running = true
    void exclusive(undefined, train)
  })
  buttons.step.addEventListener('click', () => {
    if (running || session === undefined) return
    buttons.step.disabled = true
    void exclusive('starting', async () => {
      if (session === undefined) return
      const done = await advance(session, 1)
      if (E.isLeft(done)) showProblems(done.left)
      await refresh()
    })
  })
  buttons.save.addEventListener('click', () => {
    if (running || session === undefined) return
    void exclusive('starting', async () => {
      if (session === undefined) return
      const bytes = await checkpointOf(session)
      if (E.isLeft(bytes)) return showProblems(bytes.left)
      const link = document.createElement('a')
      link.href = URL.createObjectURL(new Blob([bytes.right as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }))
      link.download = `ganfp-dcgan-step-${String(session.trainer.stepCount()).padStart(8, '0')}.ganfp`
      link.click()
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
    })
  })
  buttons.reset.addEventListener('click', () => {
    running = false
    void exclusive('starting', async () => {
      await restartTraining()
      await refresh()
    })
  })

  fields.seed.value = String(samples.seed)
  fields.stripTo.value = String(samples.stripTo)
  fields.width.value = String(settings.width)
  fields.batch.value = String(settings.batchSize)
  fields.trainSeed.value = String(settings.seed)
  setSource(new URLSearchParams(location.search).get('source') === 'train' ? 'train' : 'checkpoint')
  await exclusive('starting', async () => {
    if (source === 'train') await restartTraining()
    await refresh()
  })
  return {
    suspend: () => {
      running = false
      return exclusive('starting', async () => {
        loaded?.sampler.dispose()
        loaded = undefined
        if (session !== undefined) endTraining(session)
        session = undefined
      })
    },
    resume: () =>
      exclusive('starting', async () => {
        if (opened !== undefined) {
          const run = loadRun(opened)
          if (E.isLeft(run)) showProblems(run.left)
          else loaded = run.right
        }
        if (source === 'train') await restartTraining()
        await refresh()
      }),
  }
}

/** The image mode. */
export const imageMode: Mode = { id: 'image', title: 'Images', mount }
