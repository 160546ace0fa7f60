/**
 * The image mode's number fields: read as integers in a range, a bad one marked and reported as an
 * `InvalidConfig` error naming the field.
 */
import * as E from 'fp-ts/lib/Either.js'
import { invalidConfig, type GanError } from '../../src/index.ts'

/**
 * The integer in `input` (its id names it in errors), within [min, max]; the field is marked
 * invalid when it is not one.
 */
export const readInteger = (input: HTMLInputElement | HTMLSelectElement, min: number, max: number): E.Either<GanError, number> => {
  const text = input.value.trim()
  const value = Number(text)
  const ok = text !== '' && Number.isInteger(value) && value >= min && value <= max
  input.setAttribute('aria-invalid', String(!ok))
  return ok ? E.right(value) : E.left(invalidConfig(input.id, `an integer from ${min} to ${max}`, JSON.stringify(text)))
}

/** Reads several fields at once: every value, or every problem. */
export const readIntegers = <K extends string>(
  fields: Readonly<Record<K, readonly [HTMLInputElement | HTMLSelectElement, number, number]>>,
): E.Either<ReadonlyArray<GanError>, Record<K, number>> => {
  const errors: Array<GanError> = []
  const values = {} as Record<K, number>
  for (const key of Object.keys(fields) as Array<K>) {
    const [input, min, max] = fields[key]
    const read = readInteger(input, min, max)
    if (E.isLeft(read)) errors.push(read.left)
    else values[key] = read.right
  }
  return errors.length > 0 ? E.left(errors) : E.right(values)
}
