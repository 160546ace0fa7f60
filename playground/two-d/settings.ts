/**
 * The 2-D playground's settings as data: their defaults (protocol Q1's ring GAN), their labels,
 * and the decoding of the form's text fields, which reports every bad field at once.
 */
import { sequenceS } from 'fp-ts/lib/Apply.js'
import * as E from 'fp-ts/lib/Either.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import { invalidConfig, type GanError } from '../../src/index.ts'

/** Where the real data comes from: Q1's ring or grid, or points drawn with the mouse. */
export type DataChoice = 'ring' | 'grid' | 'drawn'

/** The adversarial games the page offers; WGAN-GP is the Wasserstein loss with a gradient penalty. */
export type LossChoice = 'nonSaturating' | 'leastSquares' | 'wassersteinGp' | 'hinge'

/** Everything that decides a run; changing any of it starts a new one. */
export interface Settings {
  readonly data: DataChoice
  readonly loss: LossChoice
  readonly generatorWidths: ReadonlyArray<number>
  readonly discriminatorWidths: ReadonlyArray<number>
  readonly generatorLearningRate: number
  readonly discriminatorLearningRate: number
  readonly discriminatorStepsPerGeneratorStep: number
  readonly batchSize: number
  readonly seed: number
  /** The generator's moving average that samples come from; 0 keeps none. */
  readonly generatorAverageDecay: number
}

/** Protocol Q1's ring GAN: three hidden layers of 64 in each network, Adam 1e-3, batch 128. */
export const defaultSettings: Settings = {
  data: 'ring',
  loss: 'nonSaturating',
  generatorWidths: [64, 64, 64],
  discriminatorWidths: [64, 64, 64],
  generatorLearningRate: 1e-3,
  discriminatorLearningRate: 1e-3,
  discriminatorStepsPerGeneratorStep: 1,
  batchSize: 128,
  seed: 1,
  generatorAverageDecay: 0.999,
}

/** The menus' entries: value and label. */
export const dataChoices: ReadonlyArray<readonly [DataChoice, string]> = [
  ['ring', 'ring: 8 modes'],
  ['grid', 'grid: 25 modes'],
  ['drawn', 'drawn points'],
]

export const lossChoices: ReadonlyArray<readonly [LossChoice, string]> = [
  ['nonSaturating', 'non-saturating'],
  ['leastSquares', 'LSGAN (least squares)'],
  ['wassersteinGp', 'WGAN-GP'],
  ['hinge', 'hinge'],
]

/** The form's fields as text, by setting name. */
export type SettingsForm = Readonly<Record<keyof Settings, string>>

/** The settings as the form shows them. */
export const formOf = (settings: Settings): SettingsForm => ({
  data: settings.data,
  loss: settings.loss,
  generatorWidths: settings.generatorWidths.join(','),
  discriminatorWidths: settings.discriminatorWidths.join(','),
  generatorLearningRate: String(settings.generatorLearningRate),
  discriminatorLearningRate: String(settings.discriminatorLearningRate),
  discriminatorStepsPerGeneratorStep: String(settings.discriminatorStepsPerGeneratorStep),
  batchSize: String(settings.batchSize),
  seed: String(settings.seed),
  generatorAverageDecay: String(settings.generatorAverageDecay),
})

type Field<A> = E.Either<ReadonlyArray<GanError>, A>

const problem = <A>(error: GanError): Field<A> => E.left([error])

const choice = <A extends string>(key: keyof Settings, choices: ReadonlyArray<readonly [A, string]>, text: string): Field<A> => {
  const found = choices.find(([value]) => value === text)
  return found === undefined ? problem(invalidConfig(key, `one of ${choices.map(([v]) => v).join(', ')}`, JSON.stringify(text))) : E.right(found[0])
}

const integer = (key: keyof Settings, text: string, low: number, high: number): Field<number> => {
  const value = Number(text.trim())
  return text.trim() !== '' && Number.isInteger(value) && value >= low && value <= high
    ? E.right(value)
    : problem(invalidConfig(key, `a whole number from ${low} to ${high}`, JSON.stringify(text)))
}

const real = (key: keyof Settings, text: string, low: number, high: number, what: string): Field<number> => {
  const value = Number(text.trim())
  return text.trim() !== '' && Number.isFinite(value) && value >= low && value <= high ? E.right(value) : problem(invalidConfig(key, what, JSON.stringify(text)))
}

const widths = (key: keyof Settings, text: string): Field<ReadonlyArray<number>> => {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '')
  const values = parts.map(Number)
  return parts.length >= 1 && parts.length <= 8 && values.every((v) => Number.isInteger(v) && v >= 1 && v <= 1024)
    ? E.right(values)
    : problem(invalidConfig(key, '1 to 8 layer widths from 1 to 1024, separated by commas (e.g. 64,64,64)', JSON.stringify(text)))
}

// Fields decode independently and their errors add up, so that every bad field is reported at once.
const allFields = sequenceS(E.getApplicativeValidation(RA.getSemigroup<GanError>()))

/** Decodes the form: the settings, or one error per bad field (path: the setting's name). */
export const decodeSettings = (form: SettingsForm): E.Either<ReadonlyArray<GanError>, Settings> =>
  allFields({
    data: choice('data', dataChoices, form.data),
    loss: choice('loss', lossChoices, form.loss),
    generatorWidths: widths('generatorWidths', form.generatorWidths),
    discriminatorWidths: widths('discriminatorWidths', form.discriminatorWidths),
    generatorLearningRate: real('generatorLearningRate', form.generatorLearningRate, 1e-7, 1, 'a learning rate in (0, 1], e.g. 0.001'),
    discriminatorLearningRate: real('discriminatorLearningRate', form.discriminatorLearningRate, 1e-7, 1, 'a learning rate in (0, 1], e.g. 0.001'),
    discriminatorStepsPerGeneratorStep: integer('discriminatorStepsPerGeneratorStep', form.discriminatorStepsPerGeneratorStep, 1, 20),
    batchSize: integer('batchSize', form.batchSize, 1, 4096),
    seed: integer('seed', form.seed, 0, 2 ** 31 - 1),
    generatorAverageDecay: real('generatorAverageDecay', form.generatorAverageDecay, 0, 0.99999, 'a decay in [0, 1) (0: no moving average)'),
  })
