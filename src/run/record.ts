/**
 * What a run keeps in each checkpoint besides the trainer's state, and the check that a checkpoint
 * belongs to the run directory it is resumed from. Internal: the format is the checkpoints'.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { checkpointMismatch, type GanError } from '../errors.ts'
import { NonNegativeInt } from '../io/decode.ts'
import type { RunManifest } from '../node/run-directory.ts'

/**
 * The run's record in a checkpoint: the recipe and its validated configuration (the run options
 * that may change on resume, `out` and `steps`, left out), the schedule phase of the checkpoint's
 * step, and the alarm monitor's state.
 */
export const RunRecordCodec = t.type({
  recipe: t.string,
  config: t.record(t.string, t.unknown),
  phase: NonNegativeInt,
  health: t.type({
    wonStreak: NonNegativeInt,
    peakSpread: t.number,
    gradientNormAverage: t.type({ generator: t.number, discriminator: t.number }),
    averagedSteps: t.type({ generator: NonNegativeInt, discriminator: NonNegativeInt }),
    active: t.readonlyArray(t.keyof({ NonFinite: null, DiscriminatorWon: null, Collapse: null, ClassCollapse: null, ExplodingGradients: null })),
  }),
})

/** A decoded run record. */
export type RunRecord = t.TypeOf<typeof RunRecordCodec>

/** The configuration a checkpoint must agree with to be resumed: all but `out` and `steps`. */
export const resumableConfig = (config: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'out' && key !== 'steps'))

/** A checkpoint written by another recipe or configuration than the run directory's is not resumed. */
export const checkRecord = (record: RunRecord, manifest: RunManifest, where: string): ReadonlyArray<GanError> => {
  const errors: Array<GanError> = []
  if (record.recipe !== manifest.recipe.name) errors.push(checkpointMismatch(`${where}.recipe`, manifest.recipe.name, record.recipe))
  const expected = resumableConfig(manifest.config)
  for (const key of new Set([...Object.keys(expected), ...Object.keys(record.config)]))
    if (JSON.stringify(expected[key]) !== JSON.stringify(record.config[key]))
      // A key on one side only is `nothing` on the other (JSON.stringify gives undefined for it).
      errors.push(checkpointMismatch(`${where}.config.${key}`, `${JSON.stringify(expected[key]) ?? 'nothing'} (manifest.json)`, JSON.stringify(record.config[key]) ?? 'nothing'))
  return errors
}
