// Which runtime runs the suite, so runtime-specific tests can say why they skip.
export const runtime: 'deno' | 'bun' | 'node' =
  'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node'
