/**
 * `ganfp demo-data DIR [--count N] [--seed S]`: writes the colour demo image set (`writeDemoShapes`)
 * and says what it wrote and how to train on it.
 *
 * @since 0.3.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { getOrThrow, type GanError } from '../errors.ts'
import { writeDemoShapes, type DemoShapesSummary } from '../node/demo-folder.ts'

const thousands = (n: number): string => n.toLocaleString('en-US')
/** A path as one word of a shell command: quoted where it has spaces or other special characters. */
const shellWord = (path: string): string => (/^[\w./,:@%+=-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`)

/** What was written, in a few lines. */
const describeSummary = (s: DemoShapesSummary): ReadonlyArray<string> => {
  const perClass = [...new Set(s.classes.map((c) => c.count))].join(' or ')
  return [
    `wrote ${thousands(s.count)} images (${(s.bytes / 1e6).toFixed(1)} MB, seed ${s.seed}) to ${s.directory}`,
    `  ${s.classes.length} classes, one folder each, ${perClass} images per class: ${s.classes.map((c) => c.name).join(', ')}`,
    `  sides ${s.smallestSide} to ${s.largestSide} px, ${thousands(s.nonSquare)} not square; ` +
      `${thousands(s.png)} PNG (${thousands(s.transparent)} with transparent corners), ${thousands(s.jpeg)} JPEG`,
    `train on it: ganfp train dcgan --dataset folder --folder ${shellWord(s.directory)} --size 32 --channels 3`,
  ]
}

/**
 * The command's work: write the set, print the summary; a bad option or folder throws a
 * `GanException` (exit 2) and writes nothing.
 */
export const demoDataCommand = (dir: string, options: { readonly count: number; readonly seed: number }, log: (line: string) => void = console.log): void => {
  // The options' problems named by their flags, as the command line says them.
  const flagged = E.mapLeft((errors: ReadonlyArray<GanError>) => errors.map((e) => (e.path === 'count' || e.path === 'seed' ? { ...e, path: `--${e.path}` } : e)))
  const summary = getOrThrow(flagged(writeDemoShapes(dir, options)))
  for (const line of describeSummary(summary)) log(line)
}
