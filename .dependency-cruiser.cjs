/**
 * Who may import whom in ganfp (docs/ARCHITECTURE.md draws it). `npm test` runs
 * `npm run check:deps`, and tests/architecture.test.ts proves each rule fires on a violation.
 *
 * Stages, lowest first; a module may import its own stage and the stages before it, never a later
 * one. Type-only imports are erased at run time and may point anywhere (a residual layer holds
 * layers, so its type and the layer union name each other); the rules count run-time imports.
 */
const stages = [
  ['root', '^src/(errors|random|version|runtime)\\.ts$'],
  ['dsl', '^src/dsl/'],
  ['layers', '^src/layers/'],
  ['shape', '^src/shape/'],
  ['compile', '^src/compile/'],
  ['data', '^src/data/'],
  ['train', '^src/train/'],
  ['eval', '^src/eval/'],
  ['zoo', '^src/zoo/'],
  ['io', '^src/io/'],
  ['export', '^src/export/'],
  ['recipe', '^src/recipe/'],
  ['node', '^src/node/'],
  ['run', '^src/run/'],
  ['cli', '^src/cli/'],
]

/** The Node-side tier: files, processes, the CLI. Nothing in the core may reach it. */
const nodeTier = '^src/(node|run|cli)/|^src/(node|cli)\\.ts$'
/** Packages only the Node-side tier may use. */
const nodeOnlyPackages = '(^|/)node_modules/(commander|cli-progress|pngjs|jpeg-js)/'
/** The one core module allowed node builtins: wasm's thread start-up on server runtimes, loaded lazily. */
const serverThreadStartup = '^src/compile/wasm-threads-server\\.ts$'

const runTime = { dependencyTypesNot: ['type-only'] }

const stageRules = stages.slice(0, -1).map(([name, path], i) => ({
  name: `stage-${name}`,
  comment: `${name} imports only earlier stages (${stages.slice(0, i).map(([n]) => n).join(', ') || 'none'})`,
  severity: 'error',
  from: { path },
  to: { path: stages.slice(i + 1).map(([, p]) => p).join('|'), ...runTime },
}))

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'no import cycles (run-time imports; type-only cycles are erased)',
      severity: 'error',
      from: { path: '^(src|recipes|examples)/' },
      to: { circular: true, viaOnly: runTime },
    },
    ...stageRules,
    {
      name: 'no-tfjs-before-compile',
      comment: 'dsl, layers and shape never load tfjs: specs are checked before any tensor exists',
      severity: 'error',
      from: { path: '^src/(dsl|layers|shape)/|^src/(errors|random|version|runtime)\\.ts$' },
      to: { path: '(^|/)node_modules/@tensorflow/', ...runTime },
    },
    {
      name: 'core-no-node-tier',
      comment: 'the core (everything but src/node, src/run, src/cli) never imports the Node-side tier',
      severity: 'error',
      from: { path: '^src/', pathNot: nodeTier },
      to: { path: `${nodeTier}|${nodeOnlyPackages}|^recipes/`, ...runTime },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'the core runs in a page: no node:* imports, except the lazily loaded server thread start-up',
      severity: 'error',
      from: { path: '^src/', pathNot: `${nodeTier}|${serverThreadStartup}` },
      to: { dependencyTypes: ['core'], ...runTime },
    },
    {
      name: 'core-entry-reaches-no-node-tier',
      comment: "import 'ganfp' loads no CLI, recipe, file-system module or Node-only package",
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { reachable: true, path: `${nodeTier}|${nodeOnlyPackages}|^recipes/` },
    },
    {
      name: 'nothing-imports-the-executable',
      comment: 'src/cli.ts is the ganfp command; it imports, nothing imports it',
      severity: 'error',
      from: {},
      to: { path: '^src/cli\\.ts$' },
    },
    {
      name: 'only-the-executable-imports-recipes',
      comment: 'built-in recipes are loaded by the ganfp command alone',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli(/|\\.ts$)' },
      to: { path: '^recipes/' },
    },
    {
      name: 'recipes-import-the-public-package',
      comment: "recipes and examples read like user code: 'ganfp' and 'ganfp/node', no internals, no other recipe",
      severity: 'error',
      from: { path: '^(recipes|examples)/' },
      to: { path: '^src/|^recipes/', pathNot: '^src/(index|node)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^examples/.*/(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
