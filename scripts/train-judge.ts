/**
 * Trains the judge classifier (`judgeArchitecture()`) on the training split of a bundled image set
 * (protocol Q2: MNIST 8,000 images, Fashion-MNIST 68,000), prints its accuracy on the 2,000
 * held-out images after each epoch, and writes the weights as `src/eval/judges/DATASET.generated.ts`.
 *
 * Run: `deno run -A scripts/train-judge.ts --dataset mnist` (or `--dataset fashion`).
 */
import { join } from 'node:path'
import {
  flag,
  flagsHelp,
  getOrThrow,
  intFlag,
  judgeArchitecture,
  nonNegativeIntFlag,
  oneOfFlag,
  positiveIntFlag,
  splitHeldOut,
  trainImageClassifierOrThrow,
  useBackendOrThrow,
  conditionalAccuracy,
} from '../src/index.ts'
import { isMain, loadBundledImagesOrThrow, parseFlags, runMain, writeFileAtomicOrThrow } from '../src/node.ts'
import { judgeModuleText } from '../src/eval/judge.ts'

const judgeFlags = {
  dataset: flag(oneOfFlag(['mnist', 'fashion'] as const), 'mnist', 'bundled image set'),
  epochs: flag(positiveIntFlag, 30, 'passes over the training split'),
  shift: flag(nonNegativeIntFlag, 2, 'random translation of training images, in pixels'),
  seed: flag(intFlag, 1, 'seed'),
  threads: flag(nonNegativeIntFlag, 0, 'wasm threads (0: every core)'),
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values } = getOrThrow(parseFlags(judgeFlags, argv))
  if (help) return console.log(flagsHelp('train-judge', 'train and write the judge classifier', judgeFlags))
  const backend = await useBackendOrThrow('wasm', values.threads > 0 ? { wasmThreads: values.threads } : {})
  const { train, heldOut } = splitHeldOut(loadBundledImagesOrThrow(values.dataset))
  console.log(`judge on ${values.dataset}: ${train.count} training images, ${heldOut.count} held out, ${backend.name} (${backend.reason})`)
  const started = performance.now()
  const judge = await trainImageClassifierOrThrow(train, {
    seed: values.seed,
    epochs: values.epochs,
    architecture: judgeArchitecture(),
    augmentShift: values.shift,
    onEpoch: (epoch) => console.log(`epoch ${epoch}/${values.epochs}  ${((performance.now() - started) / 1000).toFixed(0)} s`),
  })
  const heldOutAccuracy = await conditionalAccuracy(judge, Float32Array.from(heldOut.pixels, (p) => p / 255), heldOut.labels)
  console.log(`held-out accuracy ${(heldOutAccuracy * 100).toFixed(2)}%  (${((performance.now() - started) / 1000).toFixed(0)} s)`)
  const path = join(import.meta.dirname ?? '.', '..', 'src', 'eval', 'judges', `${values.dataset}.generated.ts`)
  writeFileAtomicOrThrow(
    path,
    judgeModuleText(
      { dataset: values.dataset, training: { images: train.count, epochs: values.epochs, seed: values.seed, augmentShift: values.shift }, heldOutAccuracy },
      await judge.weights(),
    ),
  )
  console.log(`wrote ${path}`)
  judge.dispose()
}

if (isMain(import.meta)) await runMain(main)
