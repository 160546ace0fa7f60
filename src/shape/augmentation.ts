/**
 * Checks a GAN's differentiable augmentation: its fields, and that the discriminator reads images.
 *
 * @since 0.3.0
 */
import { invalidConfig, shapeMismatch, type GanError } from '../errors.ts'
import type { DiffAugment } from '../dsl/augmentation.ts'
import { describeValue, formatShape, isFiniteNumber, isShape } from '../dsl/describe.ts'

/**
 * Every problem with `augmentation` (none when it is absent): bad fields by path, and a
 * discriminator input that is not an image `[h, w, c]` (translation and cutout move and cut along
 * h and w; colour reads the channels of a pixel).
 *
 * @example
 * import { diffAugment } from 'ganfp'
 * checkAugmentation(diffAugment(), [8, 8, 3]) // []
 * checkAugmentation(diffAugment({ cutout: 2 }), [8, 8, 3])[0].path // 'augmentation.cutout'
 * @since 0.3.0
 * @category validation
 */
export const checkAugmentation = (augmentation: DiffAugment | undefined, discriminatorInput: unknown): ReadonlyArray<GanError> => {
  if (augmentation === undefined) return []
  if (typeof augmentation !== 'object' || augmentation === null || augmentation._tag !== 'DiffAugment')
    return [invalidConfig('augmentation', 'diffAugment({ color, translation, cutout })', describeValue(augmentation))]
  const errors: Array<GanError> = []
  if (typeof augmentation.color !== 'boolean') errors.push(invalidConfig('augmentation.color', 'true or false', describeValue(augmentation.color)))
  for (const key of ['translation', 'cutout'] as const) {
    const value = augmentation[key]
    if (!(isFiniteNumber(value) && value >= 0 && value <= 1))
      errors.push(invalidConfig(`augmentation.${key}`, 'a fraction of the image size in [0, 1] (0: off)', describeValue(value)))
  }
  // An unreadable input shape is reported at discriminator.inputShape already.
  if (isShape(discriminatorInput) && discriminatorInput.length !== 3)
    errors.push(
      shapeMismatch(
        'augmentation',
        'a discriminator input of rank 3, an image [h, w, c]',
        `discriminator.inputShape ${formatShape(discriminatorInput)}`,
        'augmentation transforms images; remove it for other inputs',
      ),
    )
  return errors
}
