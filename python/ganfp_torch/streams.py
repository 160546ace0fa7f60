"""Random streams as ganfp draws them, ported bit for bit.

Two generators live here:

- ``Rng``: ganfp's own stream (src/random.ts), xoshiro128** seeded through splitmix32, with its
  Box-Muller normals and its uniforms. Latents, dropout seeds, penalty coefficients and instance
  noise come from two such streams in a ganfp run, so a torch run that draws from them (``--draws
  ganfp``) sees exactly the numbers ganfp's trainer would, and the streams' states go into the
  checkpoint for ``ganfp resume`` to continue.
- ``tfjs_dropout_mask``: the mask ``tf.dropout(x, rate, undefined, seed)`` multiplies by, from
  seedrandom's Alea generator as tfjs seeds it. Pure Python and slow (a few microseconds a value):
  for checking a torch step against ganfp's, not for training at scale.
"""

import math

import numpy as np

_MASK32 = 0xFFFFFFFF


def _splitmix32(seed):
    state = [seed & _MASK32]

    def next_word():
        state[0] = (state[0] + 0x9E3779B9) & _MASK32
        z = state[0]
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & _MASK32
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & _MASK32
        return (z ^ (z >> 16)) & _MASK32

    return next_word


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & _MASK32


class Rng:
    """ganfp's ``Rng``: the same seed or state gives the same numbers as src/random.ts."""

    def __init__(self, state):
        self.s = [int(w) & _MASK32 for w in state]

    @staticmethod
    def from_seed(seed):
        next_word = _splitmix32(int(seed))
        return Rng([next_word() for _ in range(4)])

    def state(self):
        return list(self.s)

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & _MASK32, 7) * 9) & _MASK32
        t = (s1 << 9) & _MASK32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        return self.next_uint32() / 4294967296

    def normal(self):
        u = 0.0
        while u == 0.0:
            u = self.uniform()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * self.uniform())

    def int(self, n):
        return math.floor(self.uniform() * n)

    def fork(self):
        a = self.next_uint32()
        b = self.next_uint32()
        return Rng.from_seed((a ^ ((b * 0x9E3779B1) & _MASK32)) & _MASK32)

    def normals(self, n, mean=0.0, std=1.0):
        """``n`` draws as float32, each rounded from a double as a Float32Array stores it."""
        return np.array([mean + std * self.normal() for _ in range(n)], dtype=np.float64).astype(np.float32)

    def uniforms(self, n, low=0.0, high=1.0):
        return np.array([low + (high - low) * self.uniform() for _ in range(n)], dtype=np.float64).astype(np.float32)

    def ints(self, n, classes):
        return np.array([self.int(classes) for _ in range(n)], dtype=np.int64)


def _to_uint32(x):
    return int(x) % 4294967296


class _Mash:
    """Baagoe's Mash as seedrandom has it: one running state across calls."""

    def __init__(self):
        self.n = float(0xEFC8249D)

    def __call__(self, data):
        n = self.n
        for ch in str(data):
            n += ord(ch)
            h = 0.02519603282416938 * n
            n = float(_to_uint32(h))
            h -= n
            h *= n
            n = float(_to_uint32(h))
            h -= n
            n += h * 4294967296.0
        self.n = n
        return _to_uint32(n) * 2.3283064365386963e-10


class Alea:
    """seedrandom's ``alea(seed)``: what tfjs's ``randomUniform`` draws from when given a seed."""

    def __init__(self, seed):
        mash = _Mash()
        self.c = 1
        self.s0 = mash(' ')
        self.s1 = mash(' ')
        self.s2 = mash(' ')
        key = str(seed)
        self.s0 -= mash(key)
        if self.s0 < 0:
            self.s0 += 1
        self.s1 -= mash(key)
        if self.s1 < 0:
            self.s1 += 1
        self.s2 -= mash(key)
        if self.s2 < 0:
            self.s2 += 1

    def next(self):
        t = 2091639 * self.s0 + self.c * 2.3283064365386963e-10
        self.s0 = self.s1
        self.s1 = self.s2
        self.c = int(t)
        self.s2 = t - self.c
        return self.s2


def tfjs_dropout_mask(shape, rate, seed):
    """``floor(u + keep) / keep`` in float32, u tfjs's seeded uniforms in row-major order."""
    size = int(np.prod(shape))
    alea = Alea(seed)
    u = np.array([alea.next() for _ in range(size)], dtype=np.float64).astype(np.float32)
    keep = np.float32(1 - rate)
    return (np.floor(u + keep) / keep).astype(np.float32).reshape(shape)
