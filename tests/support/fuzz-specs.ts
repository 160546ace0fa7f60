// GAN specs for the fuzz properties: well-formed bases to mutate, and every DSL constructor called
// with junk where its numbers, options and lists go (constructors accept anything; compile reports it).
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { expect } from 'vitest'
import {
  adam,
  adversarial,
  alternating,
  avgPool,
  batchNorm,
  concat,
  conv2d,
  conv2dTranspose,
  cosineDecay,
  dense,
  dropout,
  embedding,
  featureMatching,
  flatten,
  fromLabel,
  fromTrunk,
  gan,
  gradientPenalty,
  hinge,
  input,
  l1,
  leakyRelu,
  linearDecay,
  minibatchStddev,
  minimax,
  mlp,
  mse,
  nonSaturating,
  normalLatent,
  oneHot,
  pixelShuffle,
  prelu,
  pretrain,
  r1,
  r2,
  relu,
  reshape,
  residual,
  rmsProp,
  sequential,
  sgd,
  spectralNorm,
  tanh,
  tileSpatial,
  uniformLatent,
  upsample,
  warmUp,
  wasserstein,
  weightedSum,
  withLabelInput,
  compile,
  createTrainer,
  fromLabelledSampler,
  fromPairedSampler,
  fromSampler,
  liveTensorCount,
  type CompiledGan,
  type Dataset,
  type Gan,
  type Layer,
  type ShapedLayer,
  dcganGan,
  cganGan,
  srganGan,
} from '../../src/index.ts'
import { assertOutcome, junk, noThrow, plausible, reach } from './fuzz.ts'

/** Well-formed GANs of every kind of part: convolutions, graphs with labels, residual blocks, phases. */
export const specBases = (): ReadonlyArray<Gan> => [
  dcganGan({ width: 4, latentDim: 8 }),
  gan({
    generator: mlp([4], [16, 16], relu, 2),
    discriminator: sequential([2], [dense(8), leakyRelu(0.2), dropout(0.1), dense(1)]),
    loss: hinge(),
    schedule: alternating({ discriminatorStepsPerGeneratorStep: 2, generatorAverageDecay: 0.99 }),
    optimizers: { generator: adam({ learningRate: 1e-3, schedule: warmUp({ steps: 10, then: cosineDecay({ steps: 100 }) }) }), discriminator: rmsProp() },
    penalties: [r1({ gamma: 1, every: 2 })],
  }),
  gan({ generator: mlp([3], [8], relu, 16), discriminator: sequential([4, 4, 1], [conv2d(2, 3), relu, flatten, dense(1)]), latent: uniformLatent(3) }),
  cganGan({ width: 2, latentDim: 8, embeddingDim: 4, labelIn: 'both', learningRate: 1e-3, beta1: 0.5, generatorAverageDecay: 0.99 }),
  srganGan({ highShape: [8, 8, 1], filters: 2, blocks: 1, pretrainSteps: 10, content: weightedSum([[mse(), 1], [l1(), 0.5]]), adversarialWeight: 1e-3, learningRate: 1e-3 }),
]

/** A constructor call, made when the property runs it (so a throw is the property's failure, not the generator's). */
type Made = (() => unknown) & { readonly [made]: string }
const made = Symbol('made')
const call = (text: string, f: () => unknown): Made => Object.assign(f, { [made]: text, [fc.toStringMethod]: () => text, toString: () => text })
/** A value, or what a constructor call makes. */
export const force = (v: unknown): unknown => (typeof v === 'function' && made in v ? (v as Made)() : v)
const t = (...args: ReadonlyArray<unknown>): string => args.map((a) => fc.stringify(a)).join(', ')

/** A number where a number goes: a fine value or junk, so that some specs get past the checks. */
const num = fc.oneof({ weight: 1, arbitrary: junk }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 8 }) })
/** An options object: known keys (now and then an unknown one) with plausible or junk values, or junk in its place. */
const options = (keys: ReadonlyArray<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.dictionary(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }) }), fc.oneof({ weight: 1, arbitrary: junk }, { weight: 3, arbitrary: plausible }), { maxKeys: 2 }) },
    { weight: 1, arbitrary: junk },
  )
const list = fc.oneof(fc.array(num, { maxLength: 4 }), junk)
/** Mostly `arbitrary`, now and then junk in its place. */
const orJunk = <A>(arbitrary: fc.Arbitrary<A>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: junk })
const n = (v: unknown) => v as never

const fraction = fc.oneof({ weight: 1, arbitrary: junk }, { weight: 4, arbitrary: fc.double({ min: 0, max: 0.9, noNaN: true }) })

/** A layer made by a constructor from junk arguments (or junk itself); mostly ones a dense network takes, so some specs compile. */
const layer: fc.Arbitrary<unknown> = orJunk(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.oneof(
        num.map((u) => call(`dense(${t(u)})`, () => dense(n(u)))),
        fraction.map((a) => call(`leakyRelu(${t(a)})`, () => leakyRelu(n(a)))),
        options(['momentum', 'epsilon']).map((o) => call(`batchNorm(${t(o)})`, () => batchNorm(n(o)))),
        fraction.map((r) => call(`dropout(${t(r)})`, () => dropout(n(r)))),
        options(['initialAlpha']).map((o) => call(`prelu(${t(o)})`, () => prelu(n(o)))),
        fc.tuple(num, options(['powerIterations'])).map(([u, o]) => call(`spectralNorm(dense(${t(u)}), ${t(o)})`, () => spectralNorm(dense(n(u)), n(o)))),
        fc.tuple(num, options(['shortcut'])).map(([u, o]) => call(`residual([dense(${t(u)}), relu], ${t(o)})`, () => residual([dense(n(u)), relu], n(o)))),
        fc.constantFrom<unknown>(relu, tanh),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.tuple(num, num, options(['stride', 'padding', 'useBias'])).map(([f, k, o]) => call(`conv2d(${t(f, k, o)})`, () => conv2d(n(f), n(k), n(o)))),
        fc.tuple(num, num, options(['stride', 'padding', 'useBias'])).map(([f, k, o]) => call(`conv2dTranspose(${t(f, k, o)})`, () => conv2dTranspose(n(f), n(k), n(o)))),
        list.map((s) => call(`reshape(${t(s)})`, () => reshape(n(s)))),
        num.map((f) => call(`upsample(${t(f)})`, () => upsample(n(f)))),
        fc.tuple(num, options(['stride', 'padding'])).map(([s, o]) => call(`avgPool(${t(s, o)})`, () => avgPool(n(s), n(o)))),
        num.map((f) => call(`pixelShuffle(${t(f)})`, () => pixelShuffle(n(f)))),
        fc.tuple(num, num).map(([c, d]) => call(`embedding(${t(c, d)})`, () => embedding(n(c), n(d)))),
        num.map((c) => call(`oneHot(${t(c)})`, () => oneHot(n(c)))),
        num.map((g) => call(`minibatchStddev(${t(g)})`, () => minibatchStddev(n(g)))),
        fc.tuple(num, num).map(([h, w]) => call(`tileSpatial(${t(h, w)})`, () => tileSpatial(n(h), n(w)))),
        fc.tuple(list, options(['shortcut'])).map(([b, o]) => call(`residual(${t(b, o)})`, () => residual(n(b), n(o)))),
        fc.tuple(num, num).map(([a, b]) => call(`concat(trunk dense(${t(a)}), label embedding(3, ${t(b)}))`, () => concat([fromTrunk([dense(n(a))]), fromLabel([embedding(3, n(b)), flatten])]))),
        fc.constantFrom<unknown>(flatten, { _tag: 'NoSuchLayer' }),
      ),
    },
  ),
)

const schedule = orJunk(
  fc.oneof(
    options(['steps', 'final']).map((o) => call(`cosineDecay(${t(o)})`, () => cosineDecay(n(o)))),
    options(['steps', 'final']).map((o) => call(`linearDecay(${t(o)})`, () => linearDecay(n(o)))),
    fc.tuple(num, num).map(([steps, s]) => call(`warmUp(${t(steps)}, cosineDecay(${t(s)}))`, () => warmUp(n({ steps, then: cosineDecay(n({ steps: s })) })))),
  ),
)
const optimizer = orJunk(
  fc.oneof(
    fc.tuple(options(['learningRate', 'beta1', 'beta2', 'epsilon']), schedule).map(([o, s]) => call(`adam(${t(o)} with schedule ${t(s)})`, () => adam(n(typeof o === 'object' && o !== null ? { ...o, schedule: force(s) } : o)))),
    options(['learningRate', 'momentum', 'nesterov']).map((o) => call(`sgd(${t(o)})`, () => sgd(n(o)))),
    options(['learningRate', 'decay', 'epsilon']).map((o) => call(`rmsProp(${t(o)})`, () => rmsProp(n(o)))),
  ),
)
const content = orJunk(
  fc.oneof(
    fc.constantFrom<unknown>(mse(), l1()),
    options(['layer']).map((o) => call(`featureMatching(${t(o)})`, () => featureMatching(n(o)))),
    fc.tuple(num, num).map(([a, b]) => call(`weightedSum(mse ${t(a)}, l1 ${t(b)})`, () => weightedSum(n([[mse(), a], [l1(), b]])))),
  ),
)
const phase = fc.oneof(
  fc.tuple(num, content).map(([steps, loss]) => call(`pretrain(${t(steps, loss)})`, () => pretrain(n({ steps, loss: force(loss) })))),
  fc.tuple(options(['steps', 'contentWeight', 'adversarialWeight']), content).map(([o, c]) =>
    call(`adversarial(${t(o, c)})`, () => adversarial(n(typeof o === 'object' && o !== null ? { ...o, content: force(c) } : o))),
  ),
)
const scheduleOf = orJunk(
  fc.oneof(
    fc.tuple(num, num, fc.array(phase, { maxLength: 3 })).map(([k, decay, p]) =>
      call(`alternating(k ${t(k)}, decay ${t(decay)}, ${p.length} phases)`, () =>
        alternating(n({ discriminatorStepsPerGeneratorStep: k, generatorAverageDecay: decay, phases: p.length > 0 ? p.map(force) : undefined })),
      ),
    ),
  ),
)
const loss = orJunk(
  fc.oneof(
    options(['labelSmoothing']).map((o) => call(`minimax(${t(o)})`, () => minimax(n(o)))),
    options(['labelSmoothing']).map((o) => call(`nonSaturating(${t(o)})`, () => nonSaturating(n(o)))),
    options(['weightClip']).map((o) => call(`wasserstein(${t(o)})`, () => wasserstein(n(o)))),
  ),
)
const penalty = orJunk(
  fc.oneof(
    options(['weight', 'target', 'every']).map((o) => call(`gradientPenalty(${t(o)})`, () => gradientPenalty(n(o)))),
    options(['gamma', 'every']).map((o) => call(`r1(${t(o)})`, () => r1(n(o)))),
    options(['gamma', 'every']).map((o) => call(`r2(${t(o)})`, () => r2(n(o)))),
  ),
)
/** Mostly the generator's input size, 4. */
const latentDim = fc.oneof({ weight: 3, arbitrary: fc.constant(4) }, { weight: 1, arbitrary: num })
const latent = orJunk(
  fc.oneof(
    fc.tuple(latentDim, options(['mean', 'std'])).map(([d, o]) => call(`normalLatent(${t(d, o)})`, () => normalLatent(n(d), n(o)))),
    fc.tuple(latentDim, options(['low', 'high'])).map(([d, o]) => call(`uniformLatent(${t(d, o)})`, () => uniformLatent(n(d), n(o)))),
  ),
)

/**
 * A GAN made from constructors fed junk (layers spliced into a generator, an optimizer, a
 * schedule, a loss, a penalty, a latent, a label input), as a call the property makes.
 */
export const constructedGan: fc.Arbitrary<() => unknown> = fc
  .record({
    layers: fc.array(layer, { maxLength: 2 }),
    at: fc.nat(),
    optimizer,
    schedule: scheduleOf,
    loss,
    penalty,
    latent,
    label: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: num }),
    shape: fc.oneof({ weight: 4, arbitrary: fc.constant([4] as unknown) }, { weight: 1, arbitrary: list }),
    // Which parts get the junk; the last two are always wrong (no layers; an optimizer for a GAN).
    which: fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(4, 5) }),
  })
  .map((c) =>
    call(`gan from ${fc.stringify(c)}`, () => {
      // Spliced in before the last layer, so that the output is still the discriminator's [2].
      const trunk: Array<unknown> = [dense(8), relu, dense(2)]
      trunk.splice(c.at % trunk.length, 0, ...c.layers.map(force))
      const generator = sequential(n(c.shape), n(trunk))
      const conditioned = c.label === undefined ? generator : withLabelInput(n(c.label))(generator)
      const discriminator = c.which === 0 ? mlp([2], [8], relu, 1) : sequential([2], [dense(8), leakyRelu(), dense(1)])
      const parts = [
        { generator: conditioned, discriminator },
        { generator: conditioned, discriminator, optimizers: { generator: force(c.optimizer), discriminator: force(c.optimizer) } },
        { generator: conditioned, discriminator, schedule: force(c.schedule), loss: force(c.loss) },
        { generator: conditioned, discriminator, penalties: [force(c.penalty)], latent: force(c.latent) },
        { generator: input(n(c.shape)), discriminator, latent: force(c.latent) },
        force(c.optimizer),
      ][c.which]
      return gan(n(parts))
    }),
  )

/** Examples a compiled GAN's discriminator takes, with labels or paired inputs when it needs them. */
const datasetFor = (compiled: CompiledGan): Dataset => {
  const shape = compiled.discriminator.inputShape
  const size = shape.reduce((a, b) => a * b, 1)
  const values = (n: number) => Float32Array.from({ length: n * size }, (_, i) => Math.sin(i))
  if (compiled.spec.latent._tag === 'Paired')
    return fromPairedSampler('fuzz', compiled.generator.inputShape, shape, (n) => ({ inputs: new Float32Array(n * compiled.generator.inputShape.reduce((a, b) => a * b, 1)), targets: values(n) }))
  const classes = compiled.discriminator.labelClasses ?? compiled.generator.labelClasses
  return classes === undefined ? fromSampler('fuzz', shape, values) : fromLabelledSampler('fuzz', shape, classes, (n) => ({ values: values(n), labels: Int32Array.from({ length: n }, (_, i) => i % classes) }))
}

/** The largest number under any of `keys` anywhere in `value`. */
const largestAt = (value: unknown, keys: ReadonlyArray<string>): number =>
  typeof value !== 'object' || value === null
    ? 0
    : Math.max(0, ...Object.entries(value).map(([key, child]) => (keys.includes(key) && typeof child === 'number' ? child : largestAt(child, keys))))

/** The sizes of a compiled GAN's tensors per example: its parameters and every layer's output. */
const sizes = (compiled: CompiledGan): { readonly largest: number; readonly parameters: number } => {
  const size = (s: ReadonlyArray<number>) => s.reduce((a, b) => a * b, 1)
  const layers = (ls: ReadonlyArray<ShapedLayer>): Array<number> => ls.flatMap((l) => [size(l.outputShape), ...(l.chains ?? []).flatMap((c) => layers(c.layers))])
  const parameters = [...compiled.generator.paramSpecs, ...compiled.discriminator.paramSpecs].map((p) => size(p.shape))
  const { generator, discriminator } = compiled.checked
  return { largest: Math.max(...parameters, ...layers(generator.layers), ...layers(discriminator.layers)), parameters: parameters.reduce((a, b) => a + b, 0) }
}

/**
 * The spec property: compile makes no tensor and gives GanErrors or a GAN. A small GAN then trains
 * one step; one too large for any machine (2^40 parameters) must be refused by createTrainer's
 * memory budget before it allocates; sizes in between (and slow steps) are not run here.
 */
export const compileAndStep = async (spec: unknown, what: string): Promise<void> => {
  const before = liveTensorCount()
  const compiled = assertOutcome(await noThrow(what, () => compile(spec as never)), what)
  expect(liveTensorCount()).toBe(before)
  if (E.isLeft(compiled)) return
  reach('compiled')
  const { largest, parameters } = sizes(compiled.right)
  // A step makes k discriminator updates and each spectral norm its power iterations: thousands are valid, only slow.
  const small = largest <= 50_000 && largestAt(compiled.right.spec, ['discriminatorStepsPerGeneratorStep', 'powerIterations']) <= 16
  if (!small && !(parameters > 2 ** 40)) return
  const trainer = assertOutcome(await noThrow(`createTrainer for ${what}`, () => createTrainer(compiled.right, datasetFor(compiled.right), { seed: 1, batchSize: 4 })), what)
  if (!small) {
    if (E.isRight(trainer)) throw new Error(`createTrainer accepted ${parameters} parameters: ${what}`)
    return reach('refused as too large')
  }
  if (E.isLeft(trainer)) return
  try {
    if (E.isRight(assertOutcome(await noThrow(`a step of ${what}`, () => trainer.right.step()), what))) reach('trained a step')
  } finally {
    trainer.right.dispose()
  }
  expect(liveTensorCount()).toBe(before)
}
