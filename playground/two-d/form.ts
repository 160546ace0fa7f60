/**
 * The settings form: reads its fields as text, writes settings into it, and marks the fields a
 * decoding error names.
 */
import type { GanError } from '../../src/index.ts'
import type { Settings, SettingsForm } from './settings.ts'
import { formOf } from './settings.ts'

const fieldNames: ReadonlyArray<keyof Settings> = [
  'data',
  'loss',
  'generatorWidths',
  'discriminatorWidths',
  'generatorLearningRate',
  'discriminatorLearningRate',
  'discriminatorStepsPerGeneratorStep',
  'batchSize',
  'seed',
  'generatorAverageDecay',
]

type FieldElement = HTMLInputElement | HTMLSelectElement

const element = (root: HTMLElement, name: keyof Settings): FieldElement => {
  const found = root.querySelector<FieldElement>(`#${name}`)
  if (found === null) throw new Error(`the 2-D layout has no #${name}`)
  return found
}

/** The form's fields as text. */
export const readForm = (root: HTMLElement): SettingsForm =>
  Object.fromEntries(fieldNames.map((name) => [name, element(root, name).value])) as SettingsForm

/** Shows `settings` in the form. */
export const writeForm = (root: HTMLElement, settings: Settings): void => {
  const form = formOf(settings)
  for (const name of fieldNames) element(root, name).value = form[name]
}

/** Marks the fields `errors` name as invalid (and clears the others). */
export const markInvalid = (root: HTMLElement, errors: ReadonlyArray<GanError>): void => {
  for (const name of fieldNames) element(root, name).setAttribute('aria-invalid', String(errors.some((e) => e.path === name)))
}

/** Calls `onChange` when a field is changed: a menu at once, a text field on Enter or on leaving it. */
export const onFormChange = (root: HTMLElement, onChange: () => void): void => {
  for (const name of fieldNames) element(root, name).addEventListener('change', onChange)
}
