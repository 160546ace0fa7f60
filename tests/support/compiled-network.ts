// One network checked and compiled on its own (no GAN around it), failing loudly with the
// check's errors: shared by the tests that look at a single network's parameters or graph.
import * as E from 'fp-ts/lib/Either.js'
import { checkNetwork, type Network } from '../../src/index.ts'
import { compileNetwork } from '../../src/compile/network.ts'

export const compiledNetwork = (network: Network, path = 'net') => {
  const checked = checkNetwork(network, path)
  if (E.isLeft(checked)) throw new Error(JSON.stringify(checked.left))
  return compileNetwork(checked.right)
}
