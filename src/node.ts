/**
 * ganfp's Node-side entry (`ganfp/node`): files, run directories, bundled data, running recipes.
 * For now the whole library, while the core entry is pruned.
 *
 * @module
 * @since 0.1.0
 */
export * from './index.ts'
