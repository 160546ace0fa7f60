// Joining channels (the concat layer's kernel): wasm's transposed route gives exactly tfjs's
// concat, in values and in gradients, on both sides of its size thresholds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useBackend, Rng } from '../src/index.ts'
import { concatChannels } from '../src/compile/channel-concat.ts'
import { tf, type Tensor } from '../src/compile/tf.ts'

const random = (shape: ReadonlyArray<number>, rng: Rng): Tensor => tf.tensor(rng.normals(shape.reduce((a, b) => a * b, 1)), [...shape])

/** Values of the join and the gradients of a weighted sum of it for each input, as plain arrays. */
const joinAndGradients = async (join: (xs: ReadonlyArray<Tensor>) => Tensor, xs: ReadonlyArray<Tensor>, weights: Tensor) => {
  const joined = join(xs)
  const grads = tf.grads((...inputs: Array<Tensor>) => tf.sum(tf.mul(join(inputs), weights)))(xs as Array<Tensor>)
  const result = { shape: joined.shape, values: Array.from(await joined.data()), grads: await Promise.all(grads.map(async (g) => Array.from(await g.data()))) }
  tf.dispose([joined, ...grads])
  return result
}

for (const backend of ['cpu', 'wasm'] as const)
  describe(`concatChannels (${backend})`, () => {
    beforeAll(async () => {
      await useBackend(backend)
    })
    afterAll(async () => {
      await useBackend('cpu')
    })

    const cases: ReadonlyArray<readonly [string, ReadonlyArray<ReadonlyArray<number>>]> = [
      ['an image and a one-channel label map (the transposed route on wasm)', [[2, 16, 16, 1], [2, 16, 16, 1]]],
      ['three inputs of 1, 3 and 2 channels', [[2, 16, 16, 1], [2, 16, 16, 3], [2, 16, 16, 2]]],
      ['rank 2, many rows', [[300, 5], [300, 7]]],
      ['few positions (tf.concat on every backend)', [[2, 3, 3, 1], [2, 3, 3, 2]]],
      ['many channels (tf.concat on every backend)', [[2, 16, 16, 30], [2, 16, 16, 10]]],
    ]
    for (const [name, shapes] of cases)
      it(name, async () => {
        const rng = Rng.fromSeed(shapes.length * 7 + shapes[0]!.length)
        const xs = shapes.map((s) => random(s, rng))
        const channels = shapes.reduce((sum, s) => sum + s[s.length - 1]!, 0)
        const weights = random([...shapes[0]!.slice(0, -1), channels], rng)
        const ours = await joinAndGradients(concatChannels, xs, weights)
        const theirs = await joinAndGradients((inputs) => tf.concat([...inputs], -1), xs, weights)
        expect(ours.shape).toEqual([...shapes[0]!.slice(0, -1), channels])
        expect(ours.values).toEqual(theirs.values)
        expect(ours.grads).toEqual(theirs.grads)
        // A gradient of a weighted sum picks each input's own weights: check one by hand.
        const firstChannels = shapes[0]![shapes[0]!.length - 1]!
        expect(ours.grads[0]!.slice(0, firstChannels)).toEqual(Array.from((await weights.data()).slice(0, firstChannels)))
        tf.dispose([...xs, weights])
      })
  })
