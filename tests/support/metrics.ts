// A run's metrics.jsonl as the numbers exact resume promises: step, losses and scores per row.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Each logged row of `dir`'s metrics.jsonl: step, both losses, D(x) and D(G(z)). */
export const lossColumns = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { step, discriminatorLoss, generatorLoss, realScore, fakeScore } = JSON.parse(line)
      return { step, discriminatorLoss, generatorLoss, realScore, fakeScore }
    })
