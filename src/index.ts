/**
 * ganfp, the core: GANs as typed values. Compose networks, losses and schedules as data; `checkGan`
 * checks them, `compile` compiles them to tfjs-core, `createTrainer` runs the min-max loop;
 * in-memory datasets, metrics and drawing. Nothing here touches a file, a process or the command
 * line, so it runs in a page as well as on Deno, Bun and Node. Files, run directories, bundled
 * data and the CLI pieces are in `ganfp/node` (src/node.ts).
 *
 * Every fallible function returns `Either<ReadonlyArray<GanError>, A>` (a promise of one when
 * async); the ones scripts call have an `…OrThrow` twin that throws `GanException`.
 *
 * @module
 * @since 0.1.0
 */
export * from './errors.ts'
export * from './version.ts'
export * from './random.ts'

// The DSL: networks, latents, losses, optimizers, schedules, penalties, content losses, the GAN.
export * from './dsl/network.ts'
export * from './dsl/latent.ts'
export * from './dsl/loss.ts'
export * from './dsl/optimizer.ts'
export * from './dsl/schedule.ts'
export * from './dsl/penalty.ts'
export * from './dsl/augmentation.ts'
export * from './dsl/content.ts'
export * from './dsl/gan.ts'

// Layers: each kind's value and constructor (its shape and compile rules stay inside the library).
export { layerTags, type Layer } from './layers/registry.ts'
export type { ShapedChain, ShapedLayer } from './layers/kind.ts'
export { dense, type Dense } from './layers/dense.ts'
export { relu, type Relu } from './layers/relu.ts'
export { leakyRelu, type LeakyRelu } from './layers/leaky-relu.ts'
export { tanh, type Tanh } from './layers/tanh.ts'
export { sigmoid, type Sigmoid } from './layers/sigmoid.ts'
export { batchNorm, type BatchNorm } from './layers/batch-norm.ts'
export { conditionalBatchNorm, type ConditionalBatchNorm } from './layers/conditional-batch-norm.ts'
export { dropout, type Dropout } from './layers/dropout.ts'
export { minibatchStddev, type MinibatchStddev } from './layers/minibatch-stddev.ts'
export { pack, packed, packSizeOf, type Pack } from './layers/pack.ts'
export { reshape, type Reshape } from './layers/reshape.ts'
export { flatten, type Flatten } from './layers/flatten.ts'
export type { Padding, Pair } from './layers/conv-geometry.ts'
export type { ConvOptions } from './layers/convolution.ts'
export { conv2d, type Conv2d } from './layers/conv2d.ts'
export { conv2dTranspose, type Conv2dTranspose } from './layers/conv2d-transpose.ts'
export { upsample, type Upsample } from './layers/upsample.ts'
export { avgPool, type AvgPool } from './layers/avg-pool.ts'
export { pixelShuffle, type PixelShuffle } from './layers/pixel-shuffle.ts'
export { prelu, type Prelu } from './layers/prelu.ts'
export { embedding, type Embedding } from './layers/embedding.ts'
export { oneHot, type OneHot } from './layers/one-hot.ts'
export { projection, type Projection } from './layers/projection.ts'
export { tileSpatial, type TileSpatial } from './layers/tile-spatial.ts'
export { residual, type Residual } from './layers/residual.ts'
export { concat, fromLabel, fromTrunk, type Branch, type BranchSource, type Concat } from './layers/concat.ts'
export { spectralNorm, type SpectralNorm } from './layers/spectral-norm.ts'
export { glorotUniform, heNormal, normalInit, withKernelInit, type KernelInit } from './layers/kernel-init.ts'
export { dcganDiscriminatorLayers, dcganGan, dcganGeneratorLayers } from './zoo/dcgan.ts'
export { dcganDiscriminatorLayersOfSize, dcganGeneratorLayersOfSize, dcganSizeProblems, imageShapeOf } from './zoo/dcgan-sizes.ts'
export { imageDataFlags, imageDataProblems, type ImageDataConfig, type ImageDataFlags } from './recipe/image-data.ts'
export { vanillaGan, vanillaLearningRateSchedule, vanillaSettingsFor } from './zoo/mlp-gan.ts'
export { cganGan } from './zoo/cgan.ts'
export { srganDiscriminator, srganGan, srganGenerator, srganMaxBlocks } from './zoo/srgan.ts'
export { builtinGanOf, type BuiltinGanOptions } from './recipe/builtin-gan.ts'
// The built-in recipes' options and the GAN each gives: the recipe modules and builtinGanOf share them.
export { vanillaConfig, vanillaFlags, vanillaLatent, vanillaPacking, vanillaRecipeGan, vanillaRunDefaults, vanillaWidth, type VanillaConfig, type VanillaFlags } from './recipe/builtin/vanilla.ts'
export { dcganClassesOf, dcganConfig, dcganFlags, dcganRecipeGan, dcganTruncationOf, kernelInitFlag, kernelInitOf, truncationOption, type DcganConfig, type DcganFlags } from './recipe/builtin/dcgan.ts'
export { cganConfig, cganFlags, cganRecipeGan, type CganConfig, type CganFlags } from './recipe/builtin/cgan.ts'
export { srganConfig, srganContent, srganCrop, srganFactor, srganFlags, srganHighShape, srganRecipeGan, type SrganConfig, type SrganFlags } from './recipe/builtin/srgan.ts'

// Checking and compiling.
export { checkGan, checkNetwork, type CheckedGan, type CheckedNetwork } from './shape/check.ts'
export {
  activeBackend,
  backendChoices,
  liveTensorCount,
  useBackend,
  useBackendOrThrow,
  type BackendChoice,
  type BackendName,
  type BackendOptions,
  type BackendSelection,
} from './compile/backend.ts'
export { compile, compileOrThrow, sampleLatent, sampleLatentOrThrow, drawLatentsOrThrow, truncateSampledLatents, type CompiledGan, type CompileOptions } from './compile/gan.ts'
export { estimateMemory, formatBytes, summarizeMemoryEstimate, type MemoryContributor, type MemoryEstimate } from './compile/memory-estimate.ts'
export { modeSeekingLoss, modeSeekingRatio } from './compile/mode-seeking.ts'
export { bestRowsMask, topKGeneratorLoss } from './compile/top-k.ts'
export type { CompiledNetwork, Forward } from './compile/network.ts'
export type { ForwardMode, LayerContext } from './compile/forward.ts'
export { readParams, type Initializer, type ParamSpec, type Params } from './compile/params.ts'
export { deviceFence, watchDeviceWork, type DeviceWork, type DeviceWorkWatch } from './compile/device-work.ts'

// Training.
export { createTrainer, createTrainerOrThrow } from './train/trainer.ts'
export { memoryBudget, memoryBudgetErrors, memoryLine, parseByteSize, type MemoryBudget } from './train/memory-budget.ts'
export type { SampleOptions, StepReport, Trainer, TrainerOptions, TrainerParams, TrainerRunOptions } from './train/trainer-types.ts'
export type { DataCursor, PlayerSnapshot, TensorData, TrainerSnapshot } from './train/snapshot.ts'
export * from './train/health.ts'
export * from './train/class-collapse.ts'
export { samplerFromSnapshot, samplerFromSnapshotOrThrow, type Sampler } from './train/sampler.ts'

// Data in memory.
export * from './data/dataset.ts'
export * from './data/mixtures.ts'
export * from './data/slanted-land.ts'
export * from './data/images.ts'
export * from './data/super-resolution.ts'
export * from './data/demo-shapes.ts'
export { centreCropResize } from './data/resize.ts'

// Evaluation.
export * from './eval/mixture-metrics.ts'
export { frechetDistance, frechetDistanceOrThrow, gaussianStatistics, kernelDistance, manifoldMetrics, type Features, type GaussianStatistics } from './eval/feature-metrics.ts'
export * from './eval/classifier.ts'
export * from './eval/classifier-training.ts'
export { judgePerceptual, judgeWeights, loadJudge, type JudgeWeights } from './eval/judge.ts'
export { conditionalAccuracy, evaluateImagesAgainst, formatImageEvaluation, histogramEntropy, labelHistogram, predictedClasses, type ImageEvaluation, type ImageScores } from './eval/image-report.ts'
export { imageSetProblems, randomFeatureDimension, randomFeatures, randomFeatureVersion, type ImageSet } from './eval/random-features.ts'
export { evaluateAgainstReference, formatReferenceEvaluation, referenceProblems, type DistributionScores, type ReferenceEvaluation } from './eval/reference-evaluation.ts'
export * from './eval/image-similarity.ts'
export * from './eval/latent.ts'
export * from './eval/bicubic.ts'

// Drawing and formats that need no file system.
export * from './io/canvas.ts'
export * from './io/grid.ts'
export * from './io/scatter.ts'
export * from './io/comparison-grid.ts'
export * from './io/loss-plot.ts'
export * from './io/npy.ts'
export * from './io/checkpoint-bytes.ts'

// Export to other runtimes: ONNX.
export { networkToOnnx, networkToOnnxFromTensors, type OnnxExportOptions } from './export/onnx/export.ts'

// Export to other runtimes: a PyTorch package that trains the same spec with DistributedDataParallel.
export { ganToTorchPackage, ganToTorchPackageOrThrow, type TorchPackage, type TorchPackageInput, type TorchTrainingData } from './export/torch/package.ts'
export { initialTrainerSnapshot } from './export/torch/snapshot.ts'
export { torchTargetProblems } from './export/torch/support.ts'
export type { TorchDataSpec, TorchExportRun, TorchNetworkSpec, TorchSpec } from './export/torch/spec.ts'

// Recipes as values: their configuration codecs and their definition.
export * from './io/flags.ts'
export * from './io/config.ts'
export { defineRecipe, type EvaluationScores, type Recipe, type RecipeContext, type RecipeResult, type RenderRequest, type RunDefaults } from './recipe/define.ts'
export { recipeProblems } from './recipe/problems.ts'
