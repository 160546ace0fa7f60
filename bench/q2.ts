/**
 * Protocol Q2 with the shipped judge (`src/eval/judge.ts`): scores each `--samples` file (float32
 * N×28×28 in [0, 1], e.g. a DCGAN run's `samples.npy` or the PyTorch reference's) against the
 * 2,000 held-out images: Fréchet distance on the judge's penultimate features (and as a multiple
 * of the real-vs-real floor), KID, precision/recall (k = 3), density/coverage (k = 5), the label
 * histogram and its entropy. (`ganfp eval` does the same for one run or file.)
 *
 * Run: `bun run bench/q2.ts --samples runs/dcgan/samples.npy,out/torch/samples.npy`
 * (`--write-train out/data/mnist-train.npy` also writes the training split for the PyTorch reference.)
 */
import { readFileSync } from 'node:fs'
import {
  backendChoices,
  decodeNpyOrThrow,
  encodeNpyOrThrow,
  flag,
  flagsHelp,
  formatImageEvaluation,
  getOrThrow,
  judgeWeights,
  loadJudge,
  oneOfFlag,
  splitHeldOut,
  stringFlag,
  useBackendOrThrow,
} from '../src/index.ts'
import { evaluateImages, isMain, loadBundledImagesOrThrow, parseFlags, runMain, writeFileAtomicOrThrow } from '../src/node.ts'

const q2Flags = {
  samples: flag(stringFlag, '', 'comma-separated .npy files of generated images (N×28×28, [0, 1])'),
  dataset: flag(oneOfFlag(['mnist', 'fashion'] as const), 'mnist', 'bundled image set'),
  backend: flag(oneOfFlag(backendChoices), 'wasm', 'tfjs backend'),
  'write-train': flag(stringFlag, '', 'also write the training split here as .npy (for the PyTorch reference)'),
}

const loadSamples = (file: string): { readonly values: Float32Array; readonly count: number } => {
  const array = decodeNpyOrThrow(new Uint8Array(readFileSync(file)), file)
  const perImage = array.shape.slice(1).reduce((a, b) => a * b, 1)
  if (perImage !== 784 || !(array.values instanceof Float32Array))
    throw new RangeError(`${file}: expected float32 N×28×28 images, found ${array.values.constructor.name} of shape (${array.shape.join(', ')})`)
  const count = Math.min(array.shape[0]!, 2000)
  return { values: array.values.subarray(0, count * 784), count }
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values: config } = getOrThrow(parseFlags(q2Flags, argv))
  if (help) return console.log(flagsHelp('q2', 'protocol Q2 with the shipped judge', q2Flags))
  if (config['write-train'] !== '') {
    const { train } = splitHeldOut(loadBundledImagesOrThrow(config.dataset))
    writeFileAtomicOrThrow(config['write-train'], encodeNpyOrThrow(Float32Array.from(train.pixels, (p) => p / 255), [train.count, 28, 28]))
    console.log(`wrote the training split (${train.count} images) to ${config['write-train']}`)
  }
  const backend = await useBackendOrThrow(config.backend)
  const weights = await judgeWeights(config.dataset)
  console.log(`judge: shipped ${config.dataset} weights, held-out accuracy ${(100 * weights.heldOutAccuracy).toFixed(2)}%, backend ${backend.name}`)
  const judge = await loadJudge(config.dataset)
  for (const file of config.samples.split(',').filter((f) => f !== '')) {
    const { values, count } = loadSamples(file)
    const evaluation = getOrThrow(await evaluateImages(values, count, { dataset: config.dataset, judge }))
    console.log(`\n${file}\n${formatImageEvaluation(evaluation)}`)
  }
  judge.dispose()
}

if (isMain(import.meta)) await runMain(main)
