/**
 * Which runtime runs ganfp (Deno, Bun or Node), for the run manifest, package resolution and the
 * commands `--help` shows. Internal: not part of the public surface.
 *
 * @since 0.1.0
 */
import process from 'node:process'

/** The runtime's name and version. */
export const runtimeInfo = (): { readonly name: 'deno' | 'bun' | 'node'; readonly version: string } => {
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string } }
  if (g.Deno !== undefined) return { name: 'deno', version: g.Deno.version.deno }
  if (g.Bun !== undefined) return { name: 'bun', version: g.Bun.version }
  return { name: 'node', version: process.version }
}
