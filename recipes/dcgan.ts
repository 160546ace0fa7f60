/**
 * DCGAN (Radford et al.). On the bundled 28×28 MNIST or Fashion-MNIST training split (protocol
 * Q2): dense → reshape 7×7 → transposed convolutions with batch norm and leaky ReLU → tanh, as in
 * TensorFlow's DCGAN tutorial; a strided-convolution discriminator with leaky ReLU and dropout.
 * On your own images (`--dataset folder --folder DIR --size S --channels 1|3`, PNG or JPEG of any
 * size, centre-cropped and resized to S×S): the layout of PyTorch's DCGAN example (4×4 transposed
 * convolutions doubling from 4×4 to S, batch norm and ReLU; strided 4×4 convolutions with batch
 * norm and leaky ReLU), log2(S) − 2 blocks. Trains for `--steps` or `--minutes`, whichever ends
 * first, and samples from a moving average of the generator.
 *
 * On the bundled sets the networks also read each image's class (`--labels auto`, the default):
 * the same networks conditioned as the `cgan` recipe conditions them, with its mode-seeking term,
 * and the final samples draw the ten classes evenly at truncation ψ 0.8 (MNIST) or 0.9
 * (Fashion-MNIST). The samples are the
 * unconditional task's (any class, in the data's proportions); `--labels none` trains the
 * unconditional DCGAN, which a folder always gets (class sub-folders: the `cgan` recipe).
 *
 * The run directory (`--out`) fills as any run's does (manifest, metrics.jsonl, loss.svg,
 * samples/, checkpoints/); a completed run adds `samples.png` and `samples.npy` (2,000 samples,
 * float32 in [0, 1]: N×28×28 on the bundled sets, N×S×S for one channel, N×S×S×3 for colour).
 *
 * `--width` scales every layer's channels: the classic sizes (TensorFlow's tutorial: 256/128/64
 * channels, 5×5 kernels; PyTorch's example: ngf = ndf = 64) are `--width 64`; the default is
 * sized for a CPU budget.
 *
 * Run: `ganfp train dcgan --dataset fashion --steps 2000 --out runs/f`, or
 * `ganfp train dcgan --dataset folder --folder faces --size 64 --out runs/faces`, or
 * `deno run -A recipes/dcgan.ts --dataset mnist --minutes 20 --out out/dcgan` (or `bun run`).
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { join } from 'node:path'
import { dcganConfig, dcganRecipeGan, dcganTruncationOf, defineRecipe, encodeNpyOrThrow, imageShapeOf, toUnitRange, type Dataset, type DcganConfig } from 'ganfp'
import { openImageData, runIfMain, sampleGridPng, writeFileAtomicOrThrow } from 'ganfp/node'

/**
 * The recipe's options and the GAN a configuration gives live in the library (`dcganFlags`,
 * `dcganConfig`, `dcganRecipeGan`), where `builtinGanOf` rebuilds a run's GAN from them too;
 * re-exported here where scripts have found them.
 */
export { dcganFlags, dcganGan, type DcganConfig } from 'ganfp'

/** An image's layout for sample grids, and the shape of `samples.npy` (the bundled sets' N×28×28 as before). */
const layoutOf = (config: DcganConfig) => {
  const { size, channels } = imageShapeOf(config)
  return { layout: { height: size, width: size, channels }, npyShape: (n: number) => (channels === 1 ? [n, size, size] : [n, size, size, channels]) }
}

/**
 * The recipe: `ganfp train dcgan [options]`, or `deno run -A recipes/dcgan.ts [options]`. Besides
 * the run directory's grids, a completed run writes `OUT/samples.png` and `OUT/samples.npy`
 * (2,000 samples, float32 in [0, 1]) for protocol Q2 and `ganfp eval`.
 */
const recipe = defineRecipe({
  name: 'dcgan',
  description: 'DCGAN on bundled MNIST / Fashion-MNIST (28×28; its networks read the classes there), or your own folder of images at a power-of-two size, grey or colour',
  config: dcganConfig,
  settings: [
    // bun run bench/quality.ts --protocols q2 --image-seeds 1, then the run re-sampled at other ψ (README, Quality report).
    '--labels auto: on MNIST and Fashion-MNIST both networks read the class (the cgan recipe’s conditioning, mode seeking 0.05) and the samples draw all ten evenly; Q2’s 20 minutes, seed 1: MNIST FD 2.3× floor, precision 0.79, recall 0.64 (--labels none: 7.3×, 0.38, 0.78); Fashion-MNIST 4.7×, 0.73, 0.51',
    '--truncation auto: 0.8 on MNIST, 0.9 on Fashion-MNIST (there 0.8 took recall to 0.44), 1 for the unconditional DCGAN; the price of precision is variety',
    '--width 16: the TensorFlow-tutorial size, sized for a 20-minute CPU budget (366,914 parameters at 28×28 with the classes, 292,658 without; ≈ 7.8 and 8.8 steps/s on two cores); 64 is the classic DCGAN',
    // Measured alone by bench/b2.ts (deno, wasm, 2 threads, batch 64, median of 5).
    '--dataset folder: PyTorch’s DCGAN layout, log2(S) − 2 blocks; at --width 16, 32×32×3 has 150,849 parameters (181 ms/step) and 64×64×3 480,577 (1.02 s/step) on this 2-core machine; --width 64 (the example’s ngf = ndf = 64): 1.04 s and 4.67 s a step',
    // Measured by ganfp eval on the demo shapes (3,000 images), 4,000 steps, seed 1 (README, Your own images).
    '--augment translation-cutout --init normal: on a folder of a few thousand images the critic memorises the real ones (D(x) → 1); together they gave 17.9× the real-vs-real FD floor against 51.5× (normal alone) and 70.0× (augmentation alone); not the default, as PyTorch export refuses DiffAugment',
    '--average-decay 0.999: samples come from the moving average of the generator (Yazıcı et al.), which beats the generator itself',
    '--lr 2e-4, --beta1 0.5: the DCGAN paper’s Adam settings',
  ],
  runDefaults: { steps: 2000, batch: 64, sampleEvery: 200, checkpointEvery: 500, logEvery: 10 },
  build: dcganRecipeGan,
  data: (config) => E.map((images: { readonly dataset: Dataset }) => images.dataset)(openImageData(config)),
  evaluate: async ({ config, trainer, out, log }) => {
    const { layout, npyShape } = layoutOf(config)
    const exampleSize = layout.height * layout.width * layout.channels
    // Unlabelled requests draw the classes in turn: each batch of 250 holds 25 of each of a conditional run's ten.
    const truncation = dcganTruncationOf(config)
    writeFileAtomicOrThrow(join(out, 'samples.png'), sampleGridPng(await trainer.sampleOrThrow(64, { seed: 1, truncation }), { count: 64, ...layout }))
    const samples = new Float32Array(2000 * exampleSize)
    for (let i = 0; i < 2000; i += 250) samples.set(toUnitRange(await trainer.sampleOrThrow(250, { seed: 2 + i, truncation })), i * exampleSize)
    writeFileAtomicOrThrow(join(out, 'samples.npy'), encodeNpyOrThrow(samples, npyShape(2000)))
    log(`wrote ${join(out, 'samples.png')} and ${join(out, 'samples.npy')} (2,000 samples; score their quality against held-out images with ganfp eval)`)
  },
})
export default recipe

runIfMain(import.meta, recipe)
