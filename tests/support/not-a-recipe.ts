// A module that exports a recipe by name only: `ganfp train` wants the default export.
export const recipe = { name: 'not-default' }
