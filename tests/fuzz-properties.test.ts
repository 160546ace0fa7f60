// Property-based fuzzing of every boundary (fast-check): GAN specs, recipe configurations and
// command lines, checkpoints and run manifests, data files, and file-system faults. The property
// everywhere: success, or GanErrors (a Left, or a GanException from an …OrThrow), never another
// exception, and nothing half-written left on disk. Each property prints its seed; set
// GANFP_FUZZ_SEED to replay one. The `ganfp` command itself is fuzzed in tests/fuzz-cli.test.ts.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  builtinGanOf,
  checkpointFilesToBytes,
  checkpointFromBytes,
  checkpointToFiles,
  compile,
  createTrainer,
  createTrainerOrThrow,
  decodeConfig,
  decodeNpy,
  getOrThrow,
  liveTensorCount,
  ring,
  samplerFromSnapshot,
  useBackend,
  type CompiledGan,
  type GanError,
  type Recipe,
} from '../src/index.ts'
import { createRunDirectory, loadIdx, loadImageFolder, loadImageFolderCrops, openRunDirectory, parseIdx, parseRecipeArgs, readCheckpoint, readPng, restoreRun, startRun, writeCheckpoint, writeFileAtomic } from '../src/node.ts'
import { recipeResult } from '../src/recipe/define.ts'
import vanilla from '../recipes/vanilla.ts'
import dcgan from '../recipes/dcgan.ts'
import cgan from '../recipes/cgan.ts'
import srgan from '../recipes/srgan.ts'
import slantedLand from '../recipes/slanted-land.ts'
import { assertOutcome, casesRun, check, halfWritten, junk, listTree, mutate, mutations, noThrow, only, reach, show, toJson } from './support/fuzz.ts'
import { compileAndStep, constructedGan, force, specBases } from './support/fuzz-specs.ts'
import { argvFor, checkpointDamage, damageCheckpoint, faultKinds, idxBytes, idxPair, makeFault, npyBytes, pngBytes } from './support/fuzz-inputs.ts'
import { smallGan } from './support/small-gan.ts'

const recipes: ReadonlyArray<Recipe> = [vanilla, dcgan, cgan, srgan, slantedLand]
let scratch = ''
let compiled: CompiledGan
let checkpointFiles: { readonly manifest: Uint8Array; readonly tensors: Uint8Array }
let checkpointDir = ''
let runDir = ''
let caseNumber = 0
const freshDir = () => join(scratch, `case-${caseNumber++}`)

describe('fuzzing the boundaries with properties (fast-check)', () => {
  beforeAll(async () => {
    await useBackend('cpu')
    scratch = mkdtempSync(join(tmpdir(), 'ganfp-fuzz-properties-'))
    compiled = smallGan()
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
    await trainer.stepOrThrow()
    const snapshot = await trainer.snapshotOrThrow()
    trainer.dispose()
    checkpointFiles = checkpointToFiles(snapshot, { run: { recipe: 'fuzz' } })
    const written = writeCheckpoint(join(scratch, 'checkpoints'), snapshot)
    if (E.isLeft(written)) throw new Error(show(written.left))
    checkpointDir = written.right
    runDir = join(scratch, 'run')
    const run = await startRun(vanilla, 'builtin:vanilla', ['--steps', '2', '--width', '2', '--batch', '8', '--backend', 'cpu', '--checkpoint-every', '1', '--out', runDir])
    if (E.isLeft(run)) throw new Error(show(run.left))
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('GAN specs with fields replaced by junk: GanErrors with paths, or a GAN that trains', async () => {
    const bases = specBases()
    await check('mutated specs', fc.tuple(fc.nat(bases.length - 1), mutations), 400, async ([b, drawn]) => {
      const spec = mutate(bases[b], drawn)
      await compileAndStep(spec, `compile(${show(spec)})`)
    })
  }, 600_000)

  it('DSL constructors fed junk (layers, optimizers, schedules, losses, penalties, latents): they accept it and compile reports it', async () => {
    await check('constructed specs', constructedGan, 400, async (make) => {
      const spec = await noThrow(String(make), () => force(make))
      await compileAndStep(spec, String(make))
    })
  }, 600_000)

  it("run records of built-in recipes: builtinGanOf gives InvalidConfig errors or a GAN that compiles", async () => {
    const record = fc.record({ recipe: fc.oneof(fc.constantFrom('vanilla', 'dcgan', 'cgan', 'srgan'), junk), config: fc.oneof(fc.dictionary(fc.oneof(fc.constantFrom('width', 'latent-dim', 'lr', 'beta1', 'loss', 'penalty', 'penalty-every', 'crop', 'dataset', 'channels', 'content', 'filters', 'blocks', 'label-in', 'minibatch-stddev', 'average-decay'), fc.string({ maxLength: 5 })), junk, { maxKeys: 4 }), junk) })
    await check('run records', fc.oneof(record, junk), 150, async (run) => {
      const built = assertOutcome(await noThrow(`builtinGanOf(${show(run)})`, () => builtinGanOf(run)), 'builtinGanOf')
      only(built, ['InvalidConfig'], 'builtinGanOf')
      if (E.isRight(built)) {
        reach('built a GAN')
        if (E.isRight(assertOutcome(await noThrow('compile', () => compile(built.right)), 'compile of a built-in GAN'))) reach('compiled')
      }
    })
  }, 600_000)

  it('recipe configurations as values: InvalidConfig at --option, or a GAN that compiles', async () => {
    const input = (r: Recipe) => fc.oneof({ weight: 4, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...Object.keys(r.config.options)), fc.string({ maxLength: 5 })), junk, { maxKeys: 4 }) }, { weight: 1, arbitrary: junk })
    await check('recipe configs', fc.nat(recipes.length - 1).chain((i) => fc.tuple(fc.constant(i), input(recipes[i]!))), 200, async ([i, config]) => {
      const recipe = recipes[i]!
      const what = `decodeConfig(${recipe.name}, ${show(config)})`
      const decoded = assertOutcome(await noThrow(what, () => decodeConfig(recipe.config, config)), what)
      only(decoded, ['InvalidConfig'], what)
      if (E.isLeft(decoded)) return
      reach('decoded')
      const built = assertOutcome(await noThrow(`build of ${what}`, () => recipeResult(() => recipe.build(decoded.right))), what)
      if (E.isRight(built) && E.isRight(assertOutcome(await noThrow(`compile of ${what}`, () => compile(built.right as never)), what))) reach('compiled')
    })
  }, 600_000)

  it('command lines of every recipe: InvalidConfig errors, or options of the right types (integers exact)', async () => {
    const runInts = ['steps', 'batch', 'seed', 'threads', 'checkpoint-every', 'keep', 'sample-every', 'log-every']
    // Lines of integer options only (most are valid, so the decoded values get checked), some past 2^53.
    const integers = fc
      .array(fc.tuple(fc.constantFrom(...runInts), fc.oneof(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.bigInt({ min: 0n, max: 2n ** 60n }), fc.nat().map(BigInt))), { maxLength: 4 })
      .map((pieces) => pieces.flatMap(([name, value]) => [`--${name}`, String(value)]))
    const line = fc.nat(recipes.length - 1).chain((i) => fc.tuple(fc.constant(i), fc.oneof(argvFor([...Object.keys(recipes[i]!.config.options), ...runInts, 'out', 'backend', 'minutes']), integers)))
    await check('command lines', line, 300, async ([i, argv]) => {
      const what = `ganfp train ${recipes[i]!.name} ${argv.join(' ')}`
      const parsed = assertOutcome(await noThrow(what, () => parseRecipeArgs(recipes[i]!, argv)), what)
      only(parsed, ['InvalidConfig'], what)
      if (E.isLeft(parsed) || parsed.right.help) return
      reach('parsed')
      const { run, recipeConfig } = parsed.right
      for (const key of ['steps', 'batch', 'checkpoint-every', 'keep', 'sample-every', 'log-every'] as const)
        if (!(Number.isSafeInteger(run[key]) && run[key] > 0)) throw new Error(`${what}: --${key} decoded to ${run[key]}`)
      for (const key of ['seed', 'threads'] as const) if (!Number.isSafeInteger(run[key])) throw new Error(`${what}: --${key} decoded to ${run[key]}`)
      if (!(Number.isFinite(run.minutes) && run.minutes >= 0)) throw new Error(`${what}: --minutes decoded to ${run.minutes}`)
      for (const [key, value] of Object.entries(recipeConfig))
        if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${what}: --${key} decoded to ${value}`)
    })
  }, 600_000)

  it('command lines with a certain mistake start no run: GanErrors, and no directory appears', async () => {
    const mistake = fc.oneof(fc.constantFrom(['--steps', '0'], ['--batch', '-1'], ['--seed', '1.5'], ['--minutes', 'NaN'], ['--no-such-flag', '1'], ['stray'], ['--width', '1e400'], ['--backend', 'tpu']))
    await check('bad command lines', fc.tuple(fc.nat(recipes.length - 1), argvFor(['width', 'steps', 'lr', 'seed']), mistake, fc.nat()), 60, async ([i, noise, bad, at]) => {
      const out = freshDir()
      const argv = [...noise, ...bad]
      argv.splice(at % (argv.length + 1), 0, '--out', out)
      const outcome = assertOutcome(await noThrow(show(argv), () => startRun(recipes[i]!, `builtin:${recipes[i]!.name}`, argv)), show(argv))
      expect(E.isLeft(outcome)).toBe(true)
      expect(listTree(scratch).some((p) => p.startsWith(out.slice(scratch.length + 1)))).toBe(false)
    })
  }, 600_000)

  it("a trainer's arguments (sample, generate, discriminate, run, createTrainer's options, a snapshot to resume) given junk: GanErrors or results", async () => {
    const trainer = createTrainerOrThrow(compiled, ring(), { seed: 1, batchSize: 8 })
    const snapshot = await trainer.snapshotOrThrow()
    const sampler = getOrThrow(samplerFromSnapshot(compiled, snapshot))
    // A count that is valid but huge (a million samples, a billion steps) is slow, not wrong: left out.
    const count = fc.oneof(fc.nat(16), junk.filter((v) => !(typeof v === 'number' && Number.isSafeInteger(v) && v > 1e5)))
    // Reports are read every `readEvery` steps: more than a few is as slow as that many steps.
    const smallJunk = junk.filter((v) => !(typeof v === 'number' && Number.isSafeInteger(v) && v > 8))
    const floats = fc.oneof(fc.float32Array({ maxLength: 12 }), junk)
    const labels = fc.oneof(fc.constant(undefined), fc.array(fc.oneof(fc.integer({ min: -1, max: 4 }), junk), { maxLength: 6 }), junk)
    const sampleOptions = fc.oneof(fc.constant(undefined), fc.record({ seed: fc.oneof(fc.integer(), junk), labels }), junk)
    const call = fc.oneof(
      fc.record({ op: fc.constant('sample' as const), n: count, options: sampleOptions }),
      fc.record({ op: fc.constant('sampler.sample' as const), n: count, options: sampleOptions }),
      fc.record({ op: fc.constant('sampler.generate' as const), values: floats, labels }),
      fc.record({ op: fc.constant('generate' as const), values: floats, labels }),
      fc.record({ op: fc.constant('discriminate' as const), values: floats, labels }),
      fc.record({ op: fc.constant('run' as const), options: fc.oneof(fc.record({ steps: count, readEvery: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 4 }), smallJunk) }), junk) }),
      fc.record({ op: fc.constant('create' as const), seed: fc.oneof(fc.integer(), junk), batchSize: fc.oneof(fc.integer({ min: 1, max: 64 }), junk), memoryBudget: fc.oneof(fc.constant(undefined), junk), resume: fc.oneof(fc.constant(undefined), mutations.map((drawn) => ({ drawn })), junk) }),
    )
    await check('trainer arguments', call, 200, async (c) => {
      const what = `trainer.${c.op}(${show(c)})`
      const before = liveTensorCount()
      const reached = (outcome: E.Either<ReadonlyArray<GanError>, unknown>) => (assertOutcome(outcome, what), E.isRight(outcome) && reach(`${c.op} gave a result`))
      if (c.op === 'sample') reached(await noThrow(what, () => trainer.sample(c.n as never, c.options as never)))
      else if (c.op === 'sampler.sample') reached(await noThrow(what, () => sampler.sample(c.n as never, c.options as never)))
      else if (c.op === 'sampler.generate') reached(await noThrow(what, () => sampler.generate(c.values as never, c.labels as never)))
      else if (c.op === 'generate') reached(await noThrow(what, () => trainer.generate(c.values as never, c.labels as never)))
      else if (c.op === 'discriminate') reached(await noThrow(what, () => trainer.discriminate(c.values as never, c.labels as never)))
      else if (c.op === 'run')
        await noThrow(what, async () => {
          let taken = 0
          for await (const report of trainer.run(c.options as never)) if ((assertOutcome(report, what), ++taken >= 2)) break
        })
      else {
        const resumeFrom = typeof c.resume === 'object' && c.resume !== null && 'drawn' in c.resume ? mutate(snapshot, c.resume.drawn as never) : c.resume
        const options = { seed: c.seed, batchSize: c.batchSize, ...(c.memoryBudget === undefined ? {} : { memoryBudget: c.memoryBudget }), ...(resumeFrom === undefined ? {} : { resumeFrom }) }
        const made = assertOutcome(await noThrow(what, () => createTrainer(compiled, ring(), options as never)), what)
        reached(made)
        if (E.isRight(made)) {
          if (typeof c.batchSize === 'number' && c.batchSize <= 4096) assertOutcome(await noThrow(`a step of ${what}`, () => made.right.step()), what)
          made.right.dispose()
        }
      }
      if (c.op === 'create') expect(liveTensorCount()).toBe(before)
    })
    trainer.dispose()
    sampler.dispose()
  }, 600_000)

  it('checkpoint bytes damaged (cut, flipped, header fields, manifest fields, re-signed tensors): checkpoint errors, or a snapshot that resumes or is refused', async () => {
    await check('checkpoint bytes', checkpointDamage, 300, async (d) => {
      const bytes = damageCheckpoint(checkpointFiles, d)
      const what = `checkpoint damaged by ${show(d)}`
      const read = assertOutcome(await noThrow(what, () => checkpointFromBytes(bytes)), what)
      only(read, ['CheckpointCorrupt', 'CheckpointMismatch'], what)
      if (E.isLeft(read)) return
      reach('read back')
      const before = liveTensorCount()
      const sampler = assertOutcome(await noThrow(`sampler of ${what}`, () => samplerFromSnapshot(compiled, read.right.snapshot)), what)
      if (E.isRight(sampler)) {
        if (E.isRight(assertOutcome(await noThrow(`sample of ${what}`, () => sampler.right.sample(4)), what))) reach('sampled')
        sampler.right.dispose()
      }
      const trainer = assertOutcome(await noThrow(`resume of ${what}`, () => createTrainer(compiled, ring(), { seed: 1, batchSize: 8, resumeFrom: read.right.snapshot })), what)
      if (E.isRight(trainer)) {
        if (E.isRight(assertOutcome(await noThrow(`a resumed step of ${what}`, () => trainer.right.step()), what))) reach('resumed a step')
        trainer.right.dispose()
      }
      expect(liveTensorCount()).toBe(before)
    })
  }, 600_000)

  it('checkpoint directories damaged on disk: checkpoint or file-system errors, and reading changes nothing', async () => {
    const damage = fc.record({
      manifest: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, mutations, fc.nat(), fc.constantFrom('delete', 'folder')),
      tensors: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, fc.integer({ min: -64, max: 64 }), fc.constantFrom('delete', 'folder')),
    })
    await check('checkpoint directories', damage, 60, async ({ manifest, tensors }) => {
      const copy = freshDir()
      cpSync(checkpointDir, copy, { recursive: true })
      const damageFile = (name: string, how: unknown, change: (bytes: Buffer) => string | Uint8Array) => {
        const path = join(copy, name)
        if (how === undefined) return
        rmSync(path, { force: true })
        if (how === 'folder') mkdirSync(path)
        else if (how !== 'delete') writeFileSync(path, change(readFileSync(join(checkpointDir, name))))
      }
      damageFile('manifest.json', manifest, (b) => (typeof manifest === 'number' ? b.subarray(0, manifest % b.length) : toJson(mutate(JSON.parse(b.toString('utf8')), manifest as never))))
      damageFile('tensors.bin', tensors, (b) => (typeof tensors === 'number' && tensors < 0 ? b.subarray(0, b.length + tensors) : Buffer.concat([b, Buffer.alloc(Number(tensors))])))
      const before = listTree(copy)
      const what = `readCheckpoint with ${show({ manifest, tensors })}`
      const read = assertOutcome(await noThrow(what, () => readCheckpoint(copy)), what)
      only(read, ['CheckpointCorrupt', 'CheckpointMismatch', 'FileSystem'], what)
      if (E.isRight(read)) reach('read')
      expect(listTree(copy)).toEqual(before)
    })
  }, 600_000)

  it('run directories with a damaged manifest.json or metrics.jsonl: GanErrors, or a run that restores', async () => {
    const manifest: unknown = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'))
    const damage = fc.record({ manifest: fc.oneof(fc.constant(undefined), mutations, fc.nat()), metrics: fc.option(fc.tuple(fc.nat(), fc.string({ maxLength: 8 })), { nil: undefined }) })
    await check('run manifests', damage, 80, async (d) => {
      const copy = freshDir()
      cpSync(runDir, copy, { recursive: true })
      if (typeof d.manifest === 'number') writeFileSync(join(copy, 'manifest.json'), readFileSync(join(runDir, 'manifest.json')).subarray(0, d.manifest % 400))
      else if (d.manifest !== undefined) writeFileSync(join(copy, 'manifest.json'), toJson(mutate(manifest, d.manifest)))
      if (d.metrics !== undefined) {
        const text = readFileSync(join(copy, 'metrics.jsonl'), 'utf8')
        const at = d.metrics[0] % (text.length + 1)
        writeFileSync(join(copy, 'metrics.jsonl'), text.slice(0, at) + d.metrics[1] + text.slice(at + d.metrics[1].length))
      }
      const before = listTree(copy)
      const what = `a run directory damaged by ${show(d)}`
      assertOutcome(await noThrow(what, () => openRunDirectory(copy)), what)
      const restored = assertOutcome(await noThrow(what, () => restoreRun(copy, async () => vanilla, { backend: 'cpu' })), what)
      if (E.isRight(restored)) {
        reach('restored')
        assertOutcome(await noThrow(`metrics of ${what}`, () => restored.right.directory.readMetrics()), what)
        restored.right.trainer.dispose()
      }
      expect(listTree(copy)).toEqual(before)
    })
  }, 600_000)

  it('IDX bytes (magic, type, rank, sizes, data length, gzip): InvalidData, or dimensions that fit the data', async () => {
    await check('IDX bytes', idxBytes, 200, async (bytes) => {
      const what = `parseIdx(${show(Array.from(bytes.subarray(0, 40)))}…)`
      const parsed = assertOutcome(await noThrow(what, () => parseIdx(bytes, 'fuzz.idx')), what)
      only(parsed, ['InvalidData'], what)
      if (E.isRight(parsed)) reach('parsed')
      if (E.isRight(parsed)) expect(parsed.right.dims.reduce((a, b) => a * b, 1)).toBe(parsed.right.data.length)
    })
    await check('IDX files', idxPair, 60, async ([images, labels]) => {
      const dir = freshDir()
      mkdirSync(dir)
      writeFileSync(join(dir, 'images'), images)
      writeFileSync(join(dir, 'labels'), labels)
      const loaded = assertOutcome(await noThrow('loadIdx', () => loadIdx(join(dir, 'images'), join(dir, 'labels'))), 'loadIdx')
      only(loaded, ['InvalidData'], 'loadIdx')
      if (E.isRight(loaded)) {
        reach('loaded')
        const { count, height, width, pixels, labels: classes } = loaded.right
        expect([pixels.length, classes.length]).toEqual([count * height * width, count])
      }
    })
  }, 600_000)

  it('.npy bytes (version, dtype, order, shape, header and data lengths): InvalidData, or values that fit the shape', async () => {
    await check('npy bytes', npyBytes, 200, async (bytes) => {
      const what = `decodeNpy(${JSON.stringify(new TextDecoder().decode(bytes.subarray(0, 90)))})`
      const decoded = assertOutcome(await noThrow(what, () => decodeNpy(bytes, 'fuzz.npy')), what)
      only(decoded, ['InvalidData'], what)
      if (E.isRight(decoded)) reach('decoded')
      if (E.isRight(decoded)) expect(decoded.right.shape.reduce((a, b) => a * b, 1)).toBe(decoded.right.values.length)
    })
  }, 600_000)

  it('PNG files (any colour type and depth, damaged headers, cuts, flipped bytes): InvalidData, or pixels that fit the size', async () => {
    const dir = freshDir()
    mkdirSync(dir)
    await check('PNG bytes', fc.tuple(pngBytes, fc.constantFrom(1 as const, 3 as const)), 150, async ([bytes, channels]) => {
      const file = join(dir, 'image.png')
      writeFileSync(file, bytes)
      const read = assertOutcome(await noThrow(`readPng of ${bytes.length} bytes`, () => readPng(file, channels)), 'readPng')
      only(read, ['InvalidData'], 'readPng')
      if (E.isRight(read)) reach('decoded')
      if (E.isRight(read)) expect(read.right.pixels.length).toBe(read.right.width * read.right.height * channels)
    })
  }, 600_000)

  it('folders of PNGs (flat or by class, some damaged) with sizes and crops given as junk: GanErrors naming the file or option, or images that fit', async () => {
    const size = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: junk })
    // A count the loader accepts (2 GiB of 1-pixel crops at most) but takes minutes over is slow, not wrong: left out.
    const crops = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: junk.filter((v) => !(typeof v === 'number' && v > 1e5 && v <= 2 ** 31)) })
    const folder = fc.record({
      files: fc.array(fc.tuple(fc.constantFrom('', 'a/', 'b/'), pngBytes), { minLength: 1, maxLength: 3 }),
      channels: fc.constantFrom(1 as const, 3 as const),
      height: size,
      width: size,
      cropSize: size,
      cropsPerImage: crops,
    })
    await check('PNG folders', folder, 80, async (f) => {
      const dir = freshDir()
      f.files.forEach(([sub, bytes], i) => {
        mkdirSync(join(dir, sub), { recursive: true })
        writeFileSync(join(dir, sub, `${i}.png`), bytes)
      })
      const what = `a folder of ${f.files.length} PNGs, ${show({ ...f, files: undefined })}`
      const whole = assertOutcome(await noThrow(what, () => loadImageFolder(dir, { height: f.height as number, width: f.width as number, channels: f.channels })), what)
      const cropped = assertOutcome(await noThrow(what, () => loadImageFolderCrops(dir, { cropSize: f.cropSize as number, cropsPerImage: f.cropsPerImage as number, channels: f.channels, seed: 1 })), what)
      for (const loaded of [whole, cropped]) {
        only(loaded, ['InvalidData', 'InvalidConfig'], what)
        if (E.isLeft(loaded)) continue
        reach('loaded')
        const { count, height, width, channels, pixels, labels } = loaded.right
        expect([pixels.length, labels.length]).toEqual([count * height * width * channels, count])
      }
    })
  }, 600_000)

  it('file-system faults (a file, under a file, /proc, /sys, /dev/null, NUL bytes, long names, missing parents, non-empty and read-only folders): GanErrors naming the path, nothing half-written', async () => {
    const operations = ['writeFileAtomic', 'writeCheckpoint', 'createRunDirectory', 'startRun'] as const
    const snapshot = checkpointFiles
    const read = checkpointFromBytes(checkpointFilesToBytes(snapshot))
    if (E.isLeft(read)) throw new Error(show(read.left))
    const runManifest: unknown = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'))
    const arbitrary = fc
      .tuple(fc.constantFrom(...faultKinds), fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...operations.slice(0, 3)) }, { weight: 1, arbitrary: fc.constant('startRun' as const) }))
      // writeFileAtomic renames over its target: never aim it at a device.
      .filter(([kind, operation]) => !(kind === 'dev-null' && operation === 'writeFileAtomic'))
    await check('file-system faults', arbitrary, 120, async ([kind, operation]) => {
      const dir = freshDir()
      const target = makeFault(kind, dir)
      const before = listTree(dir)
      const what = `${operation}(${JSON.stringify(target)}) [${kind}]`
      const outcome = assertOutcome<unknown>(
        await noThrow(what, async (): Promise<E.Either<ReadonlyArray<GanError>, unknown>> =>
          operation === 'writeFileAtomic'
            ? writeFileAtomic(target, 'x\n')
            : operation === 'writeCheckpoint'
              ? writeCheckpoint(target, read.right.snapshot)
              : operation === 'createRunDirectory'
                ? createRunDirectory(target, runManifest as never)
                : startRun(vanilla, 'builtin:vanilla', ['--steps', '1', '--width', '2', '--batch', '8', '--backend', 'cpu', '--out', target]),
        ),
        what,
      )
      only(outcome, ['FileSystem', 'InvalidConfig'], what)
      expect(halfWritten(dir)).toEqual([])
      reach(`${E.isRight(outcome) ? 'succeeded' : 'refused'} (${kind})`)
      if (E.isLeft(outcome)) {
        // The error names where: the target or a folder on its way.
        for (const e of outcome.left) if (e._tag === 'FileSystem' && !target.startsWith(e.path) && !e.path.startsWith(target)) throw new Error(`${what}: ${show(e)} names another path`)
        expect(listTree(dir)).toEqual(before)
      }
    })
  }, 600_000)

  it('runs at least 1,000 cases in all', () => {
    console.log(`fuzz: ${casesRun.count} cases in all`)
    expect(casesRun.count).toBeGreaterThanOrEqual(1000)
  })
})
