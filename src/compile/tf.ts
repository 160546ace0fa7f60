/**
 * The one module that imports tfjs-core. Everything else in `src/compile` and `src/train` imports
 * `tf` from here, so the gradient registrations below are always in place before any op runs.
 *
 * @since 0.1.0
 */
import * as tf from '@tensorflow/tfjs-core'
// The cpu backend is the fallback on every runtime; importing it registers it.
import '@tensorflow/tfjs-backend-cpu'
// tfjs-core registers no gradients by itself, and its own registration module cannot be loaded
// by Deno or native Node ESM; this generated bundle registers them into the shared registries.
import './tfjs-gradients.generated.js'

// PROD silences tfjs's "install tfjs-node" banner and its per-op debug checks; ganfp does its own
// checking at the boundary.
tf.env().set('PROD', true)

export { tf }
export type Tensor = tf.Tensor
