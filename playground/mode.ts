/**
 * What the page's shell (main.ts) asks of a mode: to build itself in an element, and to let go of
 * the backend while it changes. The 2-D mode is one; an image mode is another module of the same
 * shape, added to main.ts's list.
 */
import type { PageBackend } from './backend.ts'

/** What the shell gives a mode: the backend running now. */
export interface Host {
  readonly backend: () => PageBackend
}

/** A mounted mode. */
export interface ModeHandle {
  /** Stops any training and frees the mode's tensors (the backend is about to change). */
  readonly suspend: () => Promise<void>
  /** Builds its tensors again, on the backend now running. */
  readonly resume: () => Promise<void>
}

/** A mode of the playground: its id (the URL's `mode` parameter), its title, and how it mounts. */
export interface Mode {
  readonly id: string
  readonly title: string
  readonly mount: (root: HTMLElement, host: Host) => Promise<ModeHandle>
}
