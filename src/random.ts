/**
 * Seeded randomness with no hidden global state: xoshiro128** seeded through splitmix32.
 *
 * Everything random in ganfp (parameter init, latents, data order, dropout seeds) draws from an
 * `Rng` derived from the run's seed, in plain JavaScript, so a seed gives the same numbers on every
 * backend and runtime, and the state is four integers a checkpoint can store.
 *
 * @since 0.1.0
 */

/**
 * The whole state of a generator: four 32-bit words.
 *
 * @since 0.1.0
 * @category model
 */
export type RngState = readonly [number, number, number, number]

const splitmix32 = (seed: number): (() => number) => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0

/**
 * A mutable random stream. Mutability is contained: each owner forks its own stream.
 *
 * @example
 * import { Rng } from 'ganfp'
 * const a = Rng.fromSeed(7), b = Rng.fromSeed(7)
 * a.uniform() === b.uniform() // true
 *
 * @since 0.1.0
 * @category model
 */
export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  private constructor(state: RngState) {
    ;[this.s0, this.s1, this.s2, this.s3] = state
  }

  /** A stream from an integer seed. */
  static fromSeed(seed: number): Rng {
    const next = splitmix32(seed)
    return new Rng([next(), next(), next(), next()])
  }

  /** Resumes a stream from a saved state. */
  static fromState(state: RngState): Rng {
    return new Rng(state)
  }

  /** The state, for checkpoints; `Rng.fromState(r.state())` continues the same sequence. */
  state(): RngState {
    return [this.s0, this.s1, this.s2, this.s3]
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0
    const t = (this.s1 << 9) >>> 0
    this.s2 = (this.s2 ^ this.s0) >>> 0
    this.s3 = (this.s3 ^ this.s1) >>> 0
    this.s1 = (this.s1 ^ this.s2) >>> 0
    this.s0 = (this.s0 ^ this.s3) >>> 0
    this.s2 = (this.s2 ^ t) >>> 0
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296
  }

  /**
   * Standard normal, by Box–Muller. The pair's second value is dropped so that the four state
   * words are the whole state.
   */
  normal(): number {
    let u = 0
    while (u === 0) u = this.uniform()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform())
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n)
  }

  /** A child stream whose numbers do not overlap this one's in practice; advances this stream. */
  fork(): Rng {
    return Rng.fromSeed(this.nextUint32() ^ Math.imul(this.nextUint32(), 0x9e3779b1))
  }

  /** `n` normal draws with the given mean and standard deviation. */
  normals(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = mean + std * this.normal()
    return out
  }

  /** `n` uniform draws in [low, high). */
  uniforms(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n)
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.uniform()
    return out
  }
}
