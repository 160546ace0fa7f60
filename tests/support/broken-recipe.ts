// A default export that is not a recipe in several ways at once (the loader lists them all),
// among them a configuration whose default its own codec rejects.
import { configCodec, flag, positiveIntFlag } from '../../src/index.ts'

export default {
  name: 'Broken Recipe',
  config: configCodec({ width: flag(positiveIntFlag, 0, 'hidden units') }),
  build: 'not a function',
  runDefaults: { steps: 0, epochs: 3 },
}
