// Fuzzing the boundaries: malformed GAN specs, command lines and checkpoint manifests, generated
// from a seed. Each must come back as GanErrors (values or a GanException), never as another
// exception from deep inside, and nothing may be written to disk.
import * as E from 'fp-ts/lib/Either.js'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adam,
  adversarial,
  alternating,
  avgPool,
  batchNorm,
  builtinGanOf,
  checkNetwork,
  compile,
  compileOrThrow,
  concat,
  configCodec,
  conv2d,
  cosineDecay,
  createTrainer,
  createTrainerOrThrow,
  decodeConfig,
  decodeNpy,
  dense,
  flag,
  flatten,
  gan,
  hinge,
  input,
  intFlag,
  invalidConfig,
  l1,
  mse,
  nonNegativeIntFlag,
  normalLatent,
  positiveIntFlag,
  prelu,
  pretrain,
  r1,
  reshape,
  residual,
  samplerFromSnapshot,
  sgd,
  spectralNorm,
  upsample,
  wasserstein,
  weightedSum,
  warmUp,
  mlp,
  relu,
  ring,
  Rng,
  sequential,
  useBackend,
  type GanError,
} from '../src/index.ts'
import { loadImageFolder, loadImageFolderCrops, parseRecipeArgs, readCheckpoint, readPng, restoreRun, startRun, writeCheckpoint, writeCheckpointOrThrow, writeFileAtomic } from '../src/node.ts'
import { compileNetwork } from '../src/compile/network.ts'
import { tf } from '../src/compile/tf.ts'
import { pngDeclaring } from './support/fuzz-inputs.ts'
import { paths, replaceAt } from './support/fuzz.ts'
import dcgan, { dcganGan } from '../recipes/dcgan.ts'
import vanilla from '../recipes/vanilla.ts'
import { cganGan } from '../recipes/cgan.ts'
import { srganGan } from '../recipes/srgan.ts'

/** Values no field of a spec accepts: wrong types, NaN, infinities. */
const junk: ReadonlyArray<unknown> = [Number.NaN, 'bogus', null, {}, Number.NEGATIVE_INFINITY, [Number.NaN], () => 1]

const isGanError = (e: GanError): boolean =>
  typeof e._tag === 'string' && typeof e.path === 'string' && typeof e.expected === 'string' && typeof e.actual === 'string'

let scratch = ''

describe('fuzzing the boundaries', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-fuzz-'))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('500 malformed specs: each is a Left of GanErrors naming a path, never a throw', () => {
    const bases = [
      dcganGan({ width: 4, latentDim: 8 }),
      gan({
        generator: mlp([4], [16, 16], relu, 2),
        discriminator: sequential([2], [{ _tag: 'Dense', units: 8, useBias: true }, relu, { _tag: 'Dense', units: 1, useBias: true }]),
        loss: hinge(),
        schedule: alternating({ discriminatorStepsPerGeneratorStep: 2, generatorAverageDecay: 0.99 }),
        optimizers: { generator: adam({ learningRate: 1e-3, schedule: warmUp({ steps: 10, then: cosineDecay({ steps: 100 }) }) }) },
      }),
      gan({ generator: mlp([3], [8], relu, 16), discriminator: sequential([4, 4, 1], [conv2d(2, 3), relu, flatten, { _tag: 'Dense', units: 1, useBias: true }]) }),
      // Graphs: label inputs, embeddings, concatenated branches, a projection output …
      cganGan({ width: 2, latentDim: 8, embeddingDim: 4, labelIn: 'both', learningRate: 1e-3, beta1: 0.5, generatorAverageDecay: 0.99 }),
      // … residual blocks inside a global skip, PReLU, pixel shuffle, phases with a weighted content loss.
      srganGan({ highShape: [28, 28, 1], filters: 4, blocks: 2, pretrainSteps: 10, content: weightedSum([[mse(), 1], [l1(), 0.5]]), adversarialWeight: 1e-3, learningRate: 1e-3 }),
    ]
    const rng = Rng.fromSeed(2026)
    let accepted = 0
    for (let i = 0; i < 500; i++) {
      const base = bases[i % bases.length]!
      const candidates = paths(base).filter((p) => p.length > 0)
      // One to three nodes replaced by junk.
      let spec: unknown = base
      const mutations = 1 + rng.int(3)
      for (let m = 0; m < mutations; m++) spec = replaceAt(spec, candidates[rng.int(candidates.length)]!, junk[rng.int(junk.length)])
      let result: ReturnType<typeof compile>
      try {
        result = compile(spec as never)
      } catch (error) {
        throw new Error(`case ${i} threw ${String(error)} for ${JSON.stringify(spec).slice(0, 300)}`)
      }
      if (E.isRight(result)) throw new Error(`case ${i} was accepted: ${JSON.stringify(spec).slice(0, 300)}`)
      expect(result.left.length).toBeGreaterThan(0)
      expect(result.left.every(isGanError)).toBe(true)
      accepted++
    }
    expect(accepted).toBe(500)
  })

  it('200 malformed command lines: each is a Left of GanErrors and no run directory appears', async () => {
    const rng = Rng.fromSeed(7)
    const flagNames = ['dataset', 'batch', 'width', 'latent-dim', 'lr', 'beta1', 'average-decay', 'steps', 'seed', 'backend', 'threads', 'minutes', 'checkpoint-every', 'keep', 'sample-every', 'log-every']
    // Invalid for every flag above (none of them is free text).
    const badValues = ['abc', '', 'NaN', '1e400', '-1.5', '{}', '0x', '--', ' ']
    const anyValues = [...badValues, '1', '0', '-1', '64', '0.5', 'mnist', 'cpu', '1e-3']
    for (let i = 0; i < 200; i++) {
      const out = join(scratch, `argv-${i}`)
      const argv: Array<string> = []
      // Noise that may or may not be valid, then at least one thing that is certainly not.
      for (let n = rng.int(4); n > 0; n--) argv.push(`--${flagNames[rng.int(flagNames.length)]}`, anyValues[rng.int(anyValues.length)]!)
      const certain = rng.int(3)
      if (certain === 0) argv.push(`--${flagNames[rng.int(flagNames.length)]}`, badValues[rng.int(badValues.length)]!)
      else if (certain === 1) argv.push(`--no-such-flag-${i}`, '1')
      else argv.push(`stray-${i}`)
      argv.splice(rng.int(argv.length + 1), 0, '--out', out)
      const outcome = await startRun(dcgan, 'builtin:dcgan', argv)
      if (E.isRight(outcome)) throw new Error(`case ${i} (${JSON.stringify(argv)}) gave ${JSON.stringify(outcome.right)}`)
      expect(outcome.left.length).toBeGreaterThan(0)
      expect(outcome.left.every(isGanError)).toBe(true)
      expect(existsSync(out)).toBe(false)
    }
  })

  it('100 corrupted checkpoint manifests: each is refused with checkpoint errors when read or resumed, never a throw', async () => {
    const compiled = compile(gan({ generator: mlp([2], [8], relu, 2), discriminator: mlp([2], [8], relu, 1) }))
    if (E.isLeft(compiled)) throw new Error('base spec')
    const trainer = createTrainerOrThrow(compiled.right, ring(), { seed: 1, batchSize: 8 })
    await trainer.stepOrThrow()
    const original = writeCheckpointOrThrow(join(scratch, 'checkpoints'), await trainer.snapshotOrThrow())
    trainer.dispose()
    const manifest: unknown = JSON.parse(readFileSync(join(original, 'manifest.json'), 'utf8'))
    // `run` is the caller's record and `createdAt` is informational: neither is the trainer's state.
    const candidates = paths(manifest).filter((p) => p.length > 0 && p[0] !== 'run' && p[0] !== 'createdAt')
    const rng = Rng.fromSeed(11)
    for (let i = 0; i < 100; i++) {
      const copy = join(scratch, `corrupt-${i}`)
      cpSync(original, copy, { recursive: true })
      const where = candidates[rng.int(candidates.length)]!
      // null is a legal data cursor (none yet), and JSON writes NaN and ±∞ as null: use a value
      // that is junk there too.
      const drawn = junk[rng.int(junk.length)]
      const what = where.join('.') === 'trainer.dataCursor' ? 'bogus' : drawn
      const mutated = replaceAt(manifest, where, what)
      writeFileSync(join(copy, 'manifest.json'), JSON.stringify(mutated) ?? 'undefined')
      const before = readdirSync(copy).sort()
      let errors: ReadonlyArray<GanError>
      try {
        const read = readCheckpoint(copy)
        // What reads back must still fit the GAN (a renamed tensor is caught here).
        const resumed = E.isLeft(read) ? read : createTrainer(compiled.right, ring(), { seed: 1, batchSize: 8, resumeFrom: read.right.snapshot })
        if (E.isRight(resumed)) {
          resumed.right.dispose()
          throw new Error(`case ${i} was accepted: ${where.join('.')} = ${String(what)}`)
        }
        errors = resumed.left
      } catch (error) {
        throw new Error(`case ${i} threw ${String(error)}`)
      }
      expect(errors.every((e) => isGanError(e) && (e._tag === 'CheckpointCorrupt' || e._tag === 'CheckpointMismatch'))).toBe(true)
      expect(readdirSync(copy).sort()).toEqual(before)
    }
  })
})

// What the property fuzzing (tests/fuzz-properties.test.ts, tests/fuzz-cli.test.ts) found, each
// pinned by the input that showed it: every one threw, hung or accepted junk before its fix.
describe('found by the property fuzzing', () => {
  const left = (outcome: E.Either<ReadonlyArray<GanError>, unknown>): ReadonlyArray<GanError> => (E.isLeft(outcome) ? outcome.left : [])
  const paths = (outcome: E.Either<ReadonlyArray<GanError>, unknown>): ReadonlyArray<string> => left(outcome).map((e) => `${e._tag} ${e.path}`)

  it('a folder under /proc is a FileSystem error, not an endless loop (Node: mkdir -p never returned)', async () => {
    await useBackend('cpu')
    expect(paths(writeFileAtomic('/proc/ganfp-fuzz/a/b.txt', 'x\n'))).toEqual(['FileSystem /proc/ganfp-fuzz/a/b.txt'])
    const trainer = createTrainerOrThrow(compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [4], relu, 1) })), ring(), { seed: 1, batchSize: 4 })
    const written = writeCheckpoint('/proc/ganfp-fuzz/checkpoints', await trainer.snapshotOrThrow())
    trainer.dispose()
    expect(paths(written)).toEqual(['FileSystem /proc/ganfp-fuzz/checkpoints/step-00000000'])
  })

  it('writing over a pipe or a device is refused, not renamed over it (as root, `--out /dev/null` replaced /dev/null)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ganfp-fuzz-found-'))
    const pipe = join(folder, 'pipe')
    spawnSync('mkfifo', [pipe])
    expect(paths(writeFileAtomic(pipe, 'x\n'))).toEqual([`FileSystem ${pipe}`])
    expect(readdirSync(folder)).toEqual(['pipe'])
    rmSync(folder, { recursive: true, force: true })
  })

  it("a run manifest with a configuration key its checkpoint lacks names the key, with 'nothing' on the missing side", async () => {
    await useBackend('cpu')
    const run = join(mkdtempSync(join(tmpdir(), 'ganfp-fuzz-found-')), 'run')
    expect(E.isRight(await startRun(vanilla, 'builtin:vanilla', ['--steps', '1', '--width', '2', '--batch', '8', '--backend', 'cpu', '--out', run]))).toBe(true)
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'))
    writeFileSync(join(run, 'manifest.json'), JSON.stringify({ ...manifest, config: { ...manifest.config, '': 0 } }))
    const restored = await restoreRun(run, async () => vanilla, { backend: 'cpu' })
    expect(left(restored).map((e) => [e._tag, e.path.replace(/^.*manifest\.json\./, ''), e.expected, e.actual])).toEqual([['CheckpointMismatch', 'run.config.', '0 (manifest.json)', 'nothing']])
    rmSync(join(run, '..'), { recursive: true, force: true })
  })

  it('.npy: a version-2 header cut short, and shape entries that are not decimal digits, are InvalidData', () => {
    const npy = (header: string, version = 1) => {
      const text = new TextEncoder().encode(header)
      return new Uint8Array([0x93, ...new TextEncoder().encode('NUMPY'), version, 0, text.length & 255, text.length >> 8, ...text])
    }
    expect(paths(decodeNpy(new Uint8Array([0x93, 78, 85, 77, 80, 89, 2, 0, 152, 234]), 'a.npy'))).toEqual(['InvalidData a.npy'])
    for (const shape of ['0x1', '-0', '1e0'])
      expect(paths(decodeNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': (${shape},), }\n`), 'b.npy'))).toEqual(['InvalidData b.npy'])
  })

  it('values with no JSON (a symbol, a function, a bigint) are named in the error, not thrown on or left out', () => {
    const config = configCodec({ width: flag(positiveIntFlag, 8, 'units') })
    const fn = () => 1
    for (const [value, shown] of [[Symbol('w'), 'Symbol(w)'], [10n, '10'], [fn, String(fn)]] as const) {
      expect(left(decodeConfig(config, { width: value }))).toEqual([invalidConfig('--width', 'a positive integer', shown)])
      // builtinGanOf shows values with describeValue: whatever its wording, a string.
      const built = left(builtinGanOf({ recipe: 'dcgan', config: { width: value } }))
      expect(built.map((e) => [e.path, typeof e.actual === 'string' && e.actual !== ''])).toEqual([['run.config.width', true]])
    }
    expect(left(builtinGanOf({ recipe: 10n, config: {} })).map((e) => [e.path, typeof e.actual])).toEqual([['run.recipe', 'string']])
  })

  it('integer options past 2^53 are refused, not rounded (--steps 9007199254740993 trained 9007199254740992)', () => {
    for (const codec of [positiveIntFlag, nonNegativeIntFlag, intFlag]) {
      expect(E.isLeft(codec.decode('9007199254740993'))).toBe(true)
      expect(codec.decode('9007199254740991')).toEqual(E.right(9007199254740991))
    }
    expect(E.isLeft(intFlag.decode('-99999999999999999999'))).toBe(true)
    expect(paths(parseRecipeArgs(dcgan, ['--steps', '99999999999999999999999', '--seed', '12345678901234567890']))).toEqual(['InvalidConfig --steps', 'InvalidConfig --seed'])
  })

  it('DSL constructors given null or a non-list take it, and compile names it (they threw TypeErrors)', () => {
    const n = (v: unknown) => v as never
    const d = mlp([2], [4], relu, 1)
    const made = [
      () => gan({ generator: sequential(n(0), n(null)), discriminator: d }),
      () => gan({ generator: input(n(undefined)), discriminator: d }),
      () => gan({ generator: mlp([4], n(5), relu, 2), discriminator: d }),
      () => gan({ generator: sequential([4], [dense(4, n(null)), batchNorm(n(null)), prelu(n(null)), reshape(n(5)), upsample(n(undefined))]), discriminator: d }),
      () => gan({ generator: sequential([4], [conv2d(2, n(null), n(null)), avgPool(n(null), n(null)), residual(n(null), n(null)), concat(n(null)), spectralNorm(dense(2), n(null))]), discriminator: d }),
      () => gan({ generator: mlp([4], [8], relu, 2), discriminator: d, optimizers: { generator: adam(n(null)), discriminator: sgd(n(undefined)) }, loss: wasserstein(n(null)) }),
      () => gan({ generator: mlp([4], [8], relu, 2), discriminator: d, schedule: alternating({ phases: [pretrain(n(null)), adversarial({ content: weightedSum(n(null)) })] }) }),
      () => gan({ generator: mlp([4], [8], relu, 2), discriminator: d, optimizers: { generator: adam({ schedule: cosineDecay(n(undefined)) }) } }),
    ]
    for (const make of made) {
      const compiled = compile(make())
      expect(E.isLeft(compiled) && compiled.left.length > 0 && compiled.left.every(isGanError)).toBe(true)
    }
    // Options of null read as none, as undefined does: the defaults.
    expect(E.isRight(compile(gan({ generator: mlp([4], [8], relu, 2), discriminator: d, schedule: alternating(n(null)), penalties: [r1(n(null))], latent: normalLatent(4, n(null)) })))).toBe(true)
  })

  it('a player with no trainable parameters is InvalidConfig at compile, with the other problems (a step threw a TypeError on a disposed tensor)', () => {
    const d = sequential([2], [dense(8), relu, dense(1)])
    // Found by the constructed-specs property (seed 1070334518): an identity generator's fakes were its latents, disposed twice.
    const identity = compile(gan({ generator: input([2]), discriminator: d, latent: normalLatent(2) }))
    expect(E.isLeft(identity) && identity.left.map((e) => `${e._tag} ${e.path}`)).toEqual(['InvalidConfig generator'])
    const both = compile(gan({ generator: input([2]), discriminator: d, latent: normalLatent(2), optimizers: { generator: adam({ learningRate: -1 }) } }))
    expect(E.isLeft(both) && both.left.map((e) => `${e._tag} ${e.path}`).sort()).toEqual(['InvalidConfig generator', 'InvalidConfig optimizers.generator.learningRate'])
    // A network of no layers still hands back a tensor of its own, so callers may dispose input and output apart.
    const network = compileNetwork(E.getOrElseW(() => { throw new Error('checkNetwork') })(checkNetwork(sequential([2], []), 'g')))
    const x = tf.tensor2d([[1, 2]])
    const y = network.apply({}, x, { training: true, seed: 1 }, undefined)
    expect(y).not.toBe(x)
    x.dispose()
    expect(Array.from(y.dataSync())).toEqual([1, 2])
    y.dispose()
  })

  it('image sizes past memory are refused before the allocation, and a PNG whose data cannot fill its declared size is InvalidData at once', () => {
    const folder = mkdtempSync(join(tmpdir(), 'ganfp-fuzz-found-'))
    writeFileSync(join(folder, 'a.png'), pngDeclaring(2, 2))
    expect(paths(loadImageFolderCrops(folder, { cropSize: 70_000, cropsPerImage: 1, channels: 3, seed: 1 }))).toEqual(['InvalidConfig cropSize × cropsPerImage'])
    expect(paths(loadImageFolderCrops(folder, { cropSize: 2, cropsPerImage: 1e12, channels: 3, seed: 1 }))).toEqual(['InvalidConfig cropSize × cropsPerImage'])
    expect(paths(loadImageFolder(folder, { height: 70_000, width: 70_000, channels: 3 }))).toEqual(['InvalidConfig height × width × channels'])
    expect(paths(loadImageFolder(folder, { height: n(10n), width: 2, channels: 3 }))).toEqual(['InvalidConfig height'])
    // 90 bytes declaring 2^31 × 2^31 kept Node's decoder busy for 29 s; one declaring 8192 × 8192 decoded as a black image.
    for (const [width, height] of [[2 ** 31, 2 ** 31], [8192, 8192]] as const) {
      writeFileSync(join(folder, 'a.png'), pngDeclaring(width, height))
      expect(paths(readPng(join(folder, 'a.png'), 1))).toEqual([`InvalidData ${join(folder, 'a.png')}`])
    }
    rmSync(folder, { recursive: true, force: true })
  })

  it("a trainer's and a sampler's junk arguments are GanErrors (they threw TypeErrors and RangeErrors)", async () => {
    const compiled = compileOrThrow(gan({ generator: mlp([2], [4], relu, 2), discriminator: mlp([2], [4], relu, 1) }))
    expect(left(createTrainer(compiled, ring(), { seed: 1, batchSize: 4, resumeFrom: n(0) })).map((e) => e.path)).toEqual(['snapshot'])
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 4 })
    const snapshot = await trainer.snapshotOrThrow()
    const plain = { ...snapshot, generator: { ...snapshot.generator, params: { 'layers[0].kernel': { shape: [2, 4], values: [0, 0] } } } }
    expect(left(createTrainer(compiled, ring(), { seed: 1, batchSize: 4, resumeFrom: n(plain) })).map((e) => e._tag)).toEqual(['CheckpointCorrupt'])
    const firstRun: Array<E.Either<ReadonlyArray<GanError>, unknown>> = []
    for await (const report of trainer.run(n(null))) firstRun.push(report)
    expect(firstRun.map(paths)).toEqual([['InvalidConfig options']])
    expect(paths(await trainer.sample(4, n(null)))).toEqual(['InvalidConfig options'])
    expect(paths(await trainer.generate(n('')))).toEqual(['InvalidData latents'])
    expect(paths(await trainer.discriminate(n(null)))).toEqual(['InvalidData examples'])
    const sampler = samplerFromSnapshot(compiled, snapshot)
    if (E.isLeft(sampler)) throw new Error('sampler')
    for (const count of [2 ** 53, -1, 1.5, Number.NaN]) expect(paths(await sampler.right.sample(count)).every((p) => p === 'InvalidConfig n')).toBe(true)
    expect(paths(await sampler.right.generate(n(undefined)))).toEqual(['InvalidData latents'])
    sampler.right.dispose()
    trainer.dispose()
  })
})

const n = (v: unknown) => v as never
