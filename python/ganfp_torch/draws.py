"""Where a step's random numbers come from: latents, fake classes, dropout seeds, WGAN-GP's
coefficients and instance noise, always drawn for the global batch, in the order ganfp's trainer
draws them, identically on every process (each then keeps its own rows).

- ``GanfpDraws``: ganfp's two streams (latent, noise), ported (``streams.Rng``): a torch step sees
  the numbers ganfp's step would, and the checkpoint carries the streams on (``--draws ganfp``).
  Pure Python: a few microseconds a number.
- ``TorchDraws``: torch generators on the training device, seeded from the run's seed (the
  default): fast at any batch size; the numbers differ from ganfp's, not their distribution.
"""

import numpy as np
import torch

from .streams import Rng


def ganfp_streams(seed):
    """The trainer's streams for a fresh run from ``seed``, as ganfp's initTrainerState forks them."""
    root = Rng.from_seed(seed)
    root.next_uint32()  # the generator's init seed
    root.next_uint32()  # the discriminator's
    return {'latent': root.fork(), 'noise': root.fork(), 'data': root.fork()}


class GanfpDraws:
    def __init__(self, streams, device):
        self.latent, self.noise, self.data = streams['latent'], streams['noise'], streams['data']
        self.device = device

    def states(self):
        return {'latent': self.latent.state(), 'noise': self.noise.state(), 'data': self.data.state()}

    def _tensor(self, values, shape):
        return torch.from_numpy(np.asarray(values)).reshape(shape).to(self.device)

    def latents(self, latent, n):
        if latent['_tag'] == 'Normal':
            values = self.latent.normals(n * latent['dim'], latent['mean'], latent['std'])
        else:
            values = self.latent.uniforms(n * latent['dim'], latent['low'], latent['high'])
        return self._tensor(values, (n, latent['dim']))

    def labels(self, n, classes, paired_halves=False):
        labels = self.latent.ints(n, classes)
        if paired_halves:
            labels[n // 2:] = labels[: n // 2]
        return self._tensor(labels, (n,))

    def seed(self):
        return self.noise.next_uint32()

    def uniforms(self, n):
        return self._tensor(self.noise.uniforms(n), (n,))

    def normals(self, shape, std):
        return self._tensor(self.noise.normals(int(np.prod(shape)), 0.0, std), tuple(shape))


class TorchDraws:
    def __init__(self, seed, device, streams=None):
        self.device = device
        self.generators = {}
        for role, offset in (('latent', 1), ('noise', 2)):
            g = torch.Generator(device=device)
            g.manual_seed(int(seed) * 1000003 + offset)
            self.generators[role] = g
        # The ganfp streams are only carried, for the checkpoint: a resumed ganfp run draws on from them.
        self.carried = streams

    def states(self):
        return None if self.carried is None else {k: r.state() for k, r in self.carried.items()}

    def latents(self, latent, n):
        g = self.generators['latent']
        shape = (n, latent['dim'])
        if latent['_tag'] == 'Normal':
            return torch.randn(shape, generator=g, device=self.device) * latent['std'] + latent['mean']
        return torch.rand(shape, generator=g, device=self.device) * (latent['high'] - latent['low']) + latent['low']

    def labels(self, n, classes, paired_halves=False):
        labels = torch.randint(0, classes, (n,), generator=self.generators['latent'], device=self.device)
        if paired_halves:
            labels[n // 2:] = labels[: n // 2].clone()
        return labels

    def seed(self):
        return int(torch.randint(0, 2 ** 32, (1,), generator=self.generators['noise'], device=self.device).item())

    def uniforms(self, n):
        return torch.rand((n,), generator=self.generators['noise'], device=self.device)

    def normals(self, shape, std):
        return torch.randn(tuple(shape), generator=self.generators['noise'], device=self.device) * std
