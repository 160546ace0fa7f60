// The step reports of `steps` more steps of a trainer, in order: what the training tests compare.
import type { StepReport, Trainer } from '../../src/index.ts'

export const stepReports = async (trainer: Trainer, steps: number): Promise<Array<StepReport>> => {
  const out: Array<StepReport> = []
  for await (const r of trainer.runOrThrow({ steps })) out.push(r)
  return out
}
