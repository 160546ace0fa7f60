// `deno run -A tests/support/torchrun-cli.ts ARGS…`: `torchrun ARGS…` through runTorchrun, for
// tests/readme.test.ts, which runs README's `torchrun` commands through it; exits with its status.
import process from 'node:process'
import { runTorchrun } from './torchrun.ts'

const r = runTorchrun(process.argv.slice(2))
process.stdout.write(r.stdout)
process.stderr.write(r.stderr)
process.exit(r.status ?? 1)
