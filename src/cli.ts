#!/usr/bin/env node
/**
 * The `ganfp` executable: `deno run -A src/cli.ts …`, `bun run src/cli.ts …`, or `ganfp …` from
 * the built package. See `src/cli/main.ts` for the commands.
 *
 * @since 0.1.0
 */
import { cliMain } from './cli/main.ts'
import { runMain } from './node/main.ts'

await runMain(cliMain)
