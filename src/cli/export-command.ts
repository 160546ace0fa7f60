/**
 * `ganfp export RUN_DIR --format onnx [--network generator|discriminator] [--weights average|trained]
 * [--out FILE.onnx]`: a trained network as an ONNX model (`networkToOnnx`), read from the run's
 * newest checkpoint, for ONNX Runtime and other serving runtimes.
 *
 * The generator's moving average is exported by default where the run keeps one: it is what
 * `ganfp sample` draws from. The file is written atomically; nothing is written on an error.
 *
 * @since 0.3.0
 */
import { join } from 'node:path'
import { GanException, getOrThrow, invalidConfig } from '../errors.ts'
import { networkToOnnx } from '../export/onnx/export.ts'
import { checkGan } from '../shape/check.ts'
import type { TensorData } from '../train/snapshot.ts'
import { writeFileAtomicOrThrow } from '../node/files.ts'
import { restoreRunOrThrow, type RecipeLoader } from '../run/start.ts'

/** Which network, and which of its weights. */
export interface OnnxExportRequest {
  readonly network: 'generator' | 'discriminator'
  /** `average`: the generator's moving average where the run keeps one; `trained`: the optimizer's weights. */
  readonly weights: 'average' | 'trained'
  /** Default: `RUN_DIR/<network>.onnx`. */
  readonly out: string | undefined
}

const valuesOf = (tensors: Readonly<Record<string, TensorData>>): Record<string, Float32Array> =>
  Object.fromEntries(Object.entries(tensors).map(([path, tensor]) => [path, tensor.values]))

const shapeText = (shape: ReadonlyArray<number>): string => `[batch, ${shape.join(', ')}]`

/**
 * The command's work for `--format onnx`: prints what it wrote (the inputs and output by name and
 * shape); every problem is a `GanException` (exit 2).
 */
export const onnxExportCommand = async (path: string, request: OnnxExportRequest, loadRecipe: RecipeLoader, log: (line: string) => void = console.log): Promise<void> => {
  if (request.network === 'discriminator' && request.weights === 'average')
    throw new GanException([invalidConfig('--weights', 'trained for the discriminator (only the generator has a moving average)', 'average')])
  // The CPU backend: exporting computes nothing, and an idle wasm or WebGPU start-up is wasted.
  const run = await restoreRunOrThrow(path, loadRecipe, { backend: 'cpu' })
  try {
    const checked = getOrThrow(checkGan(run.setup.gan))
    const snapshot = run.checkpoint.snapshot
    const average = request.network === 'generator' && request.weights === 'average' ? snapshot.generatorAverage : undefined
    if (request.network === 'generator' && request.weights === 'average' && average === undefined)
      log('note: this run keeps no moving average of the generator; exporting its trained weights')
    const params = valuesOf(average ?? snapshot[request.network].params)
    const network = checked[request.network]
    const recipe = run.setup.recipe.name
    const bytes = getOrThrow(
      networkToOnnx(network, params, {
        name: `${recipe} ${request.network}`,
        docString: `ganfp ${recipe} run ${path}, step ${run.checkpoint.step}, ${average === undefined ? 'trained' : 'moving-average'} weights`,
      }),
    )
    const out = request.out ?? join(path, `${request.network}.onnx`)
    writeFileAtomicOrThrow(out, bytes)
    const labels = network.labelClasses === undefined ? '' : `, labels int32 [batch] in [0, ${network.labelClasses})`
    log(`wrote ${out} (${(bytes.length / 1e6).toFixed(2)} MB): the ${request.network} at step ${run.checkpoint.step}${average === undefined ? '' : ' (moving average)'}`)
    log(`  inputs: input float32 ${shapeText(network.inputShape)}${labels}; output: output float32 ${shapeText(network.outputShape)} (ganfp's layout: NHWC for images)`)
  } finally {
    run.trainer.dispose()
  }
}
