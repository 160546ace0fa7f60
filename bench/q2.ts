/**
 * Protocol Q2 with the provisional judge: trains the DSL classifier of `src/eval/classifier.ts` on
 * the training split (printing its held-out accuracy), then scores each `--samples` file (float32
 * N×28×28 in [0, 1], e.g. `out/dcgan/samples.npy` or the PyTorch reference's) against the 2,000
 * held-out images: Fréchet distance on the penultimate features (and as a multiple of the
 * real-vs-real floor), KID, precision/recall (k = 3), density/coverage (k = 5), and the label
 * histogram.
 *
 * Run: `bun run bench/q2.ts --samples out/dcgan/samples.npy`
 * (`--write-train out/data/mnist-train.npy` also writes the training split for the PyTorch reference.)
 */
import { readFileSync } from 'node:fs'
import {
  backendChoices,
  decodeNpy,
  encodeNpy,
  flag,
  flagsHelp,
  frechetDistance,
  gaussianStatistics,
  getOrThrow,
  intFlag,
  isMain,
  kernelDistance,
  loadBundledImages,
  manifoldMetrics,
  oneOfFlag,
  parseFlags,
  positiveIntFlag,
  runMain,
  selectImages,
  shuffledIndices,
  splitHeldOut,
  stringFlag,
  trainImageClassifier,
  useBackendOrThrow,
  writeFileAtomic,
  GanException,
  type Features,
  type ImageClassifier,
  type LabelledImages,
} from '../src/index.ts'

const q2Flags = {
  samples: flag(stringFlag, '', 'comma-separated .npy files of generated images (N×28×28, [0, 1])'),
  dataset: flag(oneOfFlag(['mnist', 'fashion'] as const), 'mnist', 'bundled image set'),
  epochs: flag(positiveIntFlag, 4, 'classifier training epochs'),
  seed: flag(intFlag, 1, 'classifier seed'),
  backend: flag(oneOfFlag(backendChoices), 'auto', 'tfjs backend'),
  'write-train': flag(stringFlag, '', 'also write the training split here as .npy (for the PyTorch reference)'),
}

const unitPixels = (images: LabelledImages): Float32Array => Float32Array.from(images.pixels, (p) => p / 255)

const score = async (judge: ImageClassifier, heldOut: Features, values: Float32Array, count: number) => {
  const features = await judge.features(values, count)
  const probabilities = await judge.probabilities(values, count)
  const histogram = new Array<number>(judge.classes).fill(0)
  for (let i = 0; i < count; i++) {
    const row = probabilities.subarray(i * judge.classes, (i + 1) * judge.classes)
    histogram[row.indexOf(Math.max(...row))]! += 1 / count
  }
  return {
    fd: frechetDistance(gaussianStatistics(features), gaussianStatistics(heldOut)),
    kid: kernelDistance(features, heldOut),
    ...manifoldMetrics(heldOut, features),
    histogram,
  }
}

const loadSamples = (file: string): { readonly values: Float32Array; readonly count: number } => {
  const decoded = decodeNpy(new Uint8Array(readFileSync(file)), file)
  if (decoded._tag === 'Left') throw new GanException([decoded.left])
  const array = decoded.right
  const perImage = array.shape.slice(1).reduce((a, b) => a * b, 1)
  if (perImage !== 784 || !(array.values instanceof Float32Array))
    throw new RangeError(`${file}: expected float32 N×28×28 images, found ${array.values.constructor.name} of shape (${array.shape.join(', ')})`)
  return { values: array.values, count: Math.min(array.shape[0]!, 2000) }
}

export const main = async (argv: ReadonlyArray<string>): Promise<void> => {
  const { help, values: config } = getOrThrow(parseFlags(q2Flags, argv))
  if (help) return console.log(flagsHelp('q2', 'protocol Q2 with the provisional judge', q2Flags))
  const loaded = loadBundledImages(config.dataset)
  if (loaded._tag === 'Left') throw new GanException([loaded.left])
  const { train, heldOut } = splitHeldOut(loaded.right)
  if (config['write-train'] !== '') {
    writeFileAtomic(config['write-train'], encodeNpy(unitPixels(train), [train.count, 28, 28]))
    console.log(`wrote the training split (${train.count} images) to ${config['write-train']}`)
  }
  const backend = await useBackendOrThrow(config.backend)
  const started = performance.now()
  const judge = await trainImageClassifier(train, { seed: config.seed, epochs: config.epochs })
  const heldOutPixels = unitPixels(heldOut)
  const probabilities = await judge.probabilities(heldOutPixels, heldOut.count)
  let correct = 0
  for (let i = 0; i < heldOut.count; i++) {
    const row = probabilities.subarray(i * judge.classes, (i + 1) * judge.classes)
    if (row.indexOf(Math.max(...row)) === heldOut.labels[i]) correct++
  }
  console.log(
    `provisional judge (${config.epochs} epochs, backend ${backend.name}, ${((performance.now() - started) / 1000).toFixed(0)} s): ` +
      `held-out accuracy ${((100 * correct) / heldOut.count).toFixed(2)}% on ${heldOut.count} ${config.dataset} images`,
  )
  const heldOutFeatures = await judge.features(heldOutPixels, heldOut.count)
  // The floor: 2,000 training images (a seeded draw) against the held-out 2,000.
  const floorImages = selectImages(train, Array.from(shuffledIndices(train.count, 7).subarray(0, heldOut.count)))
  const rows: Array<[string, Awaited<ReturnType<typeof score>>]> = [
    ['real-vs-real floor', await score(judge, heldOutFeatures, unitPixels(floorImages), floorImages.count)],
  ]
  for (const file of config.samples.split(',').filter((f) => f !== '')) {
    const { values, count } = loadSamples(file)
    rows.push([file, await score(judge, heldOutFeatures, values, count)])
  }
  const floor = rows[0]![1].fd
  console.log('\n| samples | FD | FD / floor | KID | precision | recall | density | coverage | smallest class share |')
  console.log('|---|---|---|---|---|---|---|---|---|')
  for (const [name, r] of rows)
    console.log(
      `| ${name} | ${r.fd.toFixed(3)} | ${(r.fd / floor).toFixed(1)} | ${r.kid.toFixed(4)} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ` +
        `${r.density.toFixed(3)} | ${r.coverage.toFixed(3)} | ${(100 * Math.min(...r.histogram)).toFixed(1)}% |`,
    )
  for (const [name, r] of rows.slice(1)) console.log(`label histogram of ${name}: ${r.histogram.map((h) => (100 * h).toFixed(1) + '%').join(' ')}`)
  judge.dispose()
}

if (isMain(import.meta)) await runMain(main)
