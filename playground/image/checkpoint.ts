/**
 * A checkpoint brought into the page: from files a person picks (a checkpoint folder's
 * `manifest.json` and `tensors.bin`, or one `.ganfp` container made by `checkpointToBytes`) or
 * from a URL (a checkpoint folder, or a container), checked as on disk, its built-in recipe's GAN
 * rebuilt from the run record (`builtinGanOf`) and a sampler made over its generator. Every
 * problem comes back as a `GanError` with its path; nothing here throws.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  builtinGanOf,
  checkpointFromBytes,
  checkpointFromFiles,
  compile,
  invalidData,
  samplerFromSnapshot,
  type CheckpointContents,
  type CompiledGan,
  type GanError,
  type Sampler,
} from '../../src/index.ts'

type Result<A> = E.Either<ReadonlyArray<GanError>, A>

/** The built-in recipes the page knows how to show. */
export type RecipeName = 'vanilla' | 'dcgan' | 'cgan' | 'srgan'

/** A checkpoint read and checked, and where it came from (a file name or a URL). */
export interface OpenedCheckpoint {
  readonly source: string
  readonly contents: CheckpointContents
}

/** A checkpoint's run rebuilt: its recipe and configuration, the compiled GAN, and a sampler on the backend now running. */
export interface LoadedRun extends OpenedCheckpoint {
  readonly recipe: RecipeName
  readonly config: Readonly<Record<string, unknown>>
  readonly compiled: CompiledGan
  readonly sampler: Sampler
}

const whereOf = (source: string): string => `checkpoint(${source})`

const bytesOf = async (file: File): Promise<Uint8Array> => new Uint8Array(await file.arrayBuffer())

/**
 * Reads picked files: exactly `manifest.json` and `tensors.bin` (a checkpoint folder's), or one
 * container file. Anything else is an `InvalidData` error saying what to pick.
 */
export const openFiles = async (files: ReadonlyArray<File>): Promise<Result<OpenedCheckpoint>> => {
  const names = files.map((f) => f.name)
  const manifest = files.find((f) => f.name === 'manifest.json')
  const tensors = files.find((f) => f.name === 'tensors.bin')
  if (files.length === 2 && manifest !== undefined && tensors !== undefined) {
    const source = 'manifest.json + tensors.bin'
    const read = checkpointFromFiles({ manifest: await bytesOf(manifest), tensors: await bytesOf(tensors) }, { source })
    return E.map((contents: CheckpointContents) => ({ source, contents }))(read)
  }
  if (files.length === 1 && manifest === undefined && tensors === undefined) {
    const source = files[0]!.name
    return E.map((contents: CheckpointContents) => ({ source, contents }))(checkpointFromBytes(await bytesOf(files[0]!), { source }))
  }
  const expected = 'manifest.json and tensors.bin of a checkpoint folder, or one .ganfp file'
  return E.left([invalidData('files', expected, names.length === 0 ? 'no file' : names.map((n) => JSON.stringify(n)).join(', '))])
}

const fetchBytes = async (url: string): Promise<Result<Uint8Array>> => {
  try {
    const response = await fetch(url)
    if (!response.ok) return E.left([invalidData(url, 'a file the server sends (HTTP 200)', `HTTP ${response.status} ${response.statusText}`.trim())])
    return E.right(new Uint8Array(await response.arrayBuffer()))
  } catch (error) {
    // A network failure, or a server that does not allow this page (CORS).
    return E.left([invalidData(url, 'a file the page can fetch', error instanceof Error ? error.message : String(error))])
  }
}

/**
 * Reads a checkpoint from a URL: a container when it ends in `.ganfp`, else a checkpoint folder
 * (`URL/manifest.json` and `URL/tensors.bin`; a URL to the folder's `manifest.json` works too).
 * Relative URLs are read against the page's.
 */
export const openUrl = async (text: string): Promise<Result<OpenedCheckpoint>> => {
  const trimmed = text.trim()
  let url: URL
  try {
    url = new URL(trimmed, location.href)
  } catch {
    return E.left([invalidData('url', 'a URL of a checkpoint folder or a .ganfp file', JSON.stringify(trimmed))])
  }
  if (trimmed === '') return E.left([invalidData('url', 'a URL of a checkpoint folder or a .ganfp file', 'nothing')])
  const source = trimmed
  if (url.pathname.endsWith('.ganfp')) {
    const bytes = await fetchBytes(url.href)
    return E.isLeft(bytes) ? bytes : E.map((contents: CheckpointContents) => ({ source, contents }))(checkpointFromBytes(bytes.right, { source }))
  }
  const folder = url.href.replace(/\/manifest\.json$/, '').replace(/\/+$/, '')
  const [manifest, tensors] = await Promise.all([fetchBytes(`${folder}/manifest.json`), fetchBytes(`${folder}/tensors.bin`)])
  if (E.isLeft(manifest) || E.isLeft(tensors)) return E.left([...(E.isLeft(manifest) ? manifest.left : []), ...(E.isLeft(tensors) ? tensors.left : [])])
  return E.map((contents: CheckpointContents) => ({ source, contents }))(checkpointFromFiles({ manifest: manifest.right, tensors: tensors.right }, { source }))
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Rebuilds the checkpoint's run on the backend now running: the GAN of its built-in recipe, compiled,
 * and a sampler over the checkpoint's generator (each parameter checked against the GAN).
 */
export const loadRun = (opened: OpenedCheckpoint): Result<LoadedRun> => {
  const { run } = opened.contents
  // A folder CGAN's class count is its run's classes.json, which a page is not given; its
  // generator's label embedding has one row per class.
  const embedding = Object.entries(opened.contents.snapshot.generator.params).find(([path]) => path.endsWith('.embeddings'))
  const labelClasses = embedding === undefined ? {} : { labelClasses: embedding[1].shape[0]! }
  const spec = builtinGanOf(run, { path: `${whereOf(opened.source)}.manifest.json.run`, ...labelClasses })
  if (E.isLeft(spec)) return spec
  const compiled = compile(spec.right)
  if (E.isLeft(compiled)) return compiled
  const sampler = samplerFromSnapshot(compiled.right, opened.contents.snapshot)
  if (E.isLeft(sampler)) return sampler
  // builtinGanOf has checked both: a record with a known recipe and a configuration object.
  const record = run as { readonly recipe: RecipeName; readonly config: unknown }
  return E.right({ ...opened, recipe: record.recipe, config: isRecord(record.config) ? record.config : {}, compiled: compiled.right, sampler: sampler.right })
}
