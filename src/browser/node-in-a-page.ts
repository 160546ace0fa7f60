/**
 * What a bundler gives a page that imports `ganfp/node` (package.json's `browser` condition):
 * files, processes and the command line do not exist there, so importing it fails at once with
 * the way out, instead of deep inside a bundle that reaches for `node:fs`.
 *
 * @since 0.2.0
 */
throw new Error(
  "ganfp/node is for Deno, Bun and Node (files, run directories, bundled data, the CLI). In a page, import 'ganfp': it trains, samples and reads checkpoints from bytes (checkpointFromBytes).",
)
