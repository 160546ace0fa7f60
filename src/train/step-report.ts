/**
 * A step's numbers as the device holds them (`reportWidth` floats in a fixed order) and as the
 * trainer reports them (`StepReport`), with what the step knows without a read (`StepHeader`).
 *
 * @since 0.2.0
 */
import type { StepReport } from './trainer-types.ts'

/**
 * What a step knows without reading the device: its number, phase and discriminator updates.
 *
 * @since 0.2.0
 * @category model
 */
export interface StepHeader {
  readonly step: number
  readonly phase: number
  readonly discriminatorUpdates: number
  /** The step trained with a mode-seeking term: its report carries `modeSeeking`. */
  readonly modeSeeking?: boolean
}

/** How many numbers a step leaves on the device (`reportFrom`'s order). */
export const reportWidth = 9

/**
 * The report of the step `header` names, from its `reportWidth` numbers at `offset` of `values`.
 *
 * @example
 * reportFrom({ step: 1, phase: 0, discriminatorUpdates: 1 }, new Float32Array(9), 0).generatorLoss // 0
 * @since 0.2.0
 * @category constructors
 */
export const reportFrom = (header: StepHeader, values: ArrayLike<number>, offset: number): StepReport => {
  const at = (i: number): number => values[offset + i]!
  return {
    // metrics.jsonl keeps this key order.
    step: header.step,
    phase: header.phase,
    discriminatorUpdates: header.discriminatorUpdates,
    contentLoss: at(7),
    discriminatorLoss: at(0),
    generatorLoss: at(5),
    realScore: at(2),
    fakeScore: at(3),
    discriminatorPenalty: at(4),
    discriminatorGradientNorm: at(1),
    generatorGradientNorm: at(6),
    // Only when on, so the reports and metrics rows of runs without the term keep their keys.
    ...(header.modeSeeking === true ? { modeSeeking: at(8) } : {}),
  }
}

