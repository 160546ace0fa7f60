/**
 * The library's version, recorded in run manifests and checkpoints (a test keeps it equal to
 * package.json's).
 *
 * @since 0.1.0
 */

/**
 * @example
 * import { libraryVersion } from 'ganfp'
 * libraryVersion.split('.').length // 3
 * @since 0.1.0
 * @category model
 */
export const libraryVersion = '0.1.0'
