// Fuzzing the boundaries: malformed GAN specs, command lines and checkpoint manifests, generated
// from a seed. Each must come back as GanErrors (values or a GanException), never as another
// exception from deep inside, and nothing may be written to disk.
import * as E from 'fp-ts/lib/Either.js'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adam,
  alternating,
  compile,
  conv2d,
  cosineDecay,
  createTrainer,
  createTrainerOrThrow,
  flatten,
  gan,
  hinge,
  l1,
  mse,
  weightedSum,
  mlp,
  relu,
  ring,
  Rng,
  sequential,
  useBackend,
  warmUp,
  type GanError,
} from '../src/index.ts'
import { readCheckpoint, startRun, writeCheckpointOrThrow } from '../src/node.ts'
import dcgan, { dcganGan } from '../recipes/dcgan.ts'
import { cganGan } from '../recipes/cgan.ts'
import { srganGan } from '../recipes/srgan.ts'

/** Values no field of a spec accepts: wrong types, NaN, infinities. */
const junk: ReadonlyArray<unknown> = [Number.NaN, 'bogus', null, {}, Number.NEGATIVE_INFINITY, [Number.NaN], () => 1]

/** Every path into a value (object keys and array indices), with the node there. */
const paths = (value: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  if (typeof value !== 'object' || value === null) return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))]
}

/** A deep copy of `value` with the node at `path` replaced. */
const replaceAt = (value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown => {
  if (path.length === 0) return replacement
  // An earlier mutation may have replaced an ancestor: the path is gone, nothing to replace.
  if (typeof value !== 'object' || value === null) return value
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v))
  const record = value as Record<string, unknown>
  return { ...record, [head!]: replaceAt(record[head!], rest, replacement) }
}

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
