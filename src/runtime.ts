/**
 * Which runtime runs ganfp (Deno, Bun or Node), for the run manifest, package resolution and the
 * commands `--help` shows. Internal: not part of the public surface.
 *
 * @since 0.1.0
 */

/** The runtime's name and version. */
export const runtimeInfo = (): { readonly name: 'deno' | 'bun' | 'node'; readonly version: string } => {
  // Globals, not `node:process`: the core imports this module, and a browser has no `node:` modules.
  const g = globalThis as { Deno?: { version: { deno: string } }; Bun?: { version: string }; process?: { version?: string } }
  if (g.Deno !== undefined) return { name: 'deno', version: g.Deno.version.deno }
  if (g.Bun !== undefined) return { name: 'bun', version: g.Bun.version }
  return { name: 'node', version: g.process?.version ?? 'unknown' }
}

/** Whether ganfp runs on a server runtime (Deno, Bun or Node) rather than in a page or a worker. */
export const isServerRuntime = (): boolean => {
  const g = globalThis as { Deno?: unknown; Bun?: unknown; process?: { versions?: { node?: string } } }
  return g.Deno !== undefined || g.Bun !== undefined || g.process?.versions?.node !== undefined
}
