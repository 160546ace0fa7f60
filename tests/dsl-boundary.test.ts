// The DSL's constructors accept anything (JSON, untyped JavaScript) and `compile` reports what is
// wrong, with paths (issue 18, item 10): `gan({ generator: null })` was a TypeError from inside gan().
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { compile, gan, mlp, relu } from '../src/index.ts'

describe('gan() with parts that are not networks', () => {
  it('builds a value, and compile names every bad part', () => {
    const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<readonly [string, string]>]> = [
      [{ generator: null, discriminator: mlp([2], [8], relu, 1) }, [['generator', 'null']]],
      [null, [['generator', 'undefined'], ['discriminator', 'undefined']]],
      [{ generator: mlp([2], [8], relu, 2) }, [['discriminator', 'undefined']]],
      [{ generator: 'x', discriminator: 3 }, [['generator', '"x"'], ['discriminator', '3']]],
    ]
    for (const [parts, expected] of cases) {
      const built = gan(parts as Parameters<typeof gan>[0])
      const compiled = compile(built)
      expect({ parts, errors: E.isLeft(compiled) && compiled.left.map((e) => [e.path, e.actual]) }).toEqual({ parts, errors: expected })
    }
  })
})

describe('a network from hand-written JSON', () => {
  it('whose layers are an object, not a list: the error names the layers and shows what they are', () => {
    const network = { ...mlp([2], [8], relu, 2), layers: { first: 1 } }
    const compiled = compile(gan({ generator: network as unknown as ReturnType<typeof mlp>, discriminator: mlp([2], [8], relu, 1) }))
    expect(E.isLeft(compiled) && compiled.left.map((e) => [e.path, e.expected, e.actual])).toEqual([['generator.layers', 'a list of layers', '{"first":1}']])
  })
})

