// Deno runs the vitest-style suite through this shim: deno.json maps `vitest` here. It covers the
// part of vitest's API the suite uses, over `node:test` and the npm `expect` package.
import { after, afterEach, before, beforeEach, describe as nodeDescribe, it as nodeIt } from 'node:test'
import { expect } from 'expect'

type Body = () => unknown | Promise<unknown>

const it = Object.assign(
  (name: string, body: Body, timeout?: number): void => {
    nodeIt(name, { timeout: timeout ?? 60_000 }, async () => {
      await body()
    })
  },
  {
    skip: (name: string, _body?: Body, _timeout?: number): void => {
      nodeIt(name, { skip: true }, () => {})
    },
    skipIf:
      (condition: boolean) =>
      (name: string, body: Body, timeout?: number): void =>
        condition ? it.skip(name) : it(name, body, timeout),
  },
)

const describe = Object.assign((name: string, body: () => void): void => void nodeDescribe(name, body), {
  skip: (name: string, _body?: () => void): void => void nodeDescribe(name, { skip: true }, () => {}),
  skipIf:
    (condition: boolean) =>
    (name: string, body: () => void): void =>
      condition ? describe.skip(name) : describe(name, body),
})

const beforeAll = (body: Body, _timeout?: number): void => void before(async () => void (await body()))
const afterAll = (body: Body, _timeout?: number): void => void after(async () => void (await body()))

export { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, it as test }
