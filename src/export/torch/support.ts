/**
 * What the PyTorch target implements of a spec, and the refusals of what it does not, each at its
 * path. The Python package (python/ganfp_torch) implements every layer kind, every adversarial
 * loss, every penalty (with lazy regularisation), every optimizer and learning-rate schedule,
 * `k` discriminator steps, phases with MSE, L1 and weighted-sum content losses, the generator's
 * moving average, instance noise, label smoothing, the mode-seeking term and top-k updates. It
 * refuses what needs another network or randomness it does not reproduce: DiffAugment, feature
 * matching and perceptual content losses.
 *
 * @since 0.3.0
 */
import { invalidConfig, type GanError } from '../../errors.ts'
import type { ContentLoss } from '../../dsl/content.ts'
import type { Gan } from '../../dsl/gan.ts'

const notYet = (path: string, found: string): GanError =>
  invalidConfig(
    path,
    'a feature the PyTorch target implements (every layer, loss, penalty, optimizer and schedule; MSE, L1 and weighted-sum content losses)',
    found,
    'the torch package would train another GAN than the spec: export refused',
  )

/** The content terms the Python side cannot compute: they read another network's features. */
const contentProblems = (loss: ContentLoss | undefined, path: string): ReadonlyArray<GanError> => {
  if (loss === undefined) return []
  switch (loss._tag) {
    case 'Mse':
    case 'L1':
      return []
    case 'WeightedSum':
      return loss.terms.flatMap((term, j) => contentProblems(term.loss, `${path}.terms[${j}].loss`))
    case 'FeatureMatching':
      return [notYet(path, 'featureMatching (the discriminator\'s features as a content loss)')]
    case 'Perceptual':
      return [notYet(path, 'a perceptual content loss (a frozen network\'s features)')]
  }
}

/**
 * Every feature of `gan` the PyTorch target cannot express, each an `InvalidConfig` at its path
 * under `gan.` (`gan.augmentation`, `gan.schedule.phases[1].content.terms[1].loss`); none for a
 * spec it trains as ganfp does. `gan` should have passed `checkGan`.
 *
 * @example
 * import { dcganGan, diffAugment, torchTargetProblems } from 'ganfp'
 * torchTargetProblems(dcganGan({ width: 8, latentDim: 32 })) // []
 * torchTargetProblems({ ...dcganGan({ width: 8, latentDim: 32 }), augmentation: diffAugment() }).map((e) => e.path) // ['gan.augmentation']
 * @since 0.3.0
 * @category export
 */
export const torchTargetProblems = (gan: Gan): ReadonlyArray<GanError> => [
  ...(gan.augmentation === undefined ? [] : [notYet('gan.augmentation', 'DiffAugment (its random transforms are not implemented in torch yet)')]),
  ...gan.schedule.phases.flatMap((phase, i) =>
    phase._tag === 'Pretrain'
      ? contentProblems(phase.loss, `gan.schedule.phases[${i}].loss`)
      : contentProblems(phase.content, `gan.schedule.phases[${i}].content`),
  ),
]
