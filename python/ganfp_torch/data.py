"""The exported training data, served as each process's share of every global batch.

Images are kept as the exported uint8 bytes ``[N, H, W, C]`` and scaled as ganfp scales them,
x / 127.5 − 1 (through a 256-entry table: the same float32 values). For a paired latent
(super-resolution), the generator's inputs are ganfp's box downsample of the scaled images. The
order of an epoch comes from ``DistributedSampler`` (shuffled from the run's seed and the epoch,
the last partial batch dropped): process r of n takes rows r, r + n, … of the permutation, so the
n processes' batches of B/n together are one global batch of B, the same examples whatever n.
"""

import os

import numpy as np
import torch
from torch.utils.data.distributed import DistributedSampler

_SCALE = (np.arange(256, dtype=np.float64) / 127.5 - 1).astype(np.float32)


class _Indices(torch.utils.data.Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i


def box_downsample(x, factor):
    """ganfp's boxDownsample of NHWC float32 values: sums in float64, then the mean as float32."""
    n, h, w, c = x.shape
    blocks = x.double().reshape(n, h // factor, factor, w // factor, factor, c)
    return (blocks.sum(dim=(2, 4)) / (factor * factor)).float()


class TrainingData:
    """``spec_data``: spec.json's ``data`` entry; files are read relative to ``root``."""

    def __init__(self, spec_data, root, device):
        self.kind = spec_data['kind']
        raw = np.load(os.path.join(root, spec_data['file']))
        self.examples = torch.from_numpy(raw)
        self.labels = None if spec_data.get('labels') is None else torch.from_numpy(np.load(os.path.join(root, spec_data['labels'])).astype(np.int64))
        self.flip = bool(spec_data.get('flip', False))
        self.paired_factor = spec_data.get('pairedFactor')
        self.scale = torch.from_numpy(_SCALE)
        self.device = device

    def __len__(self):
        return self.examples.shape[0]

    def values(self, indices):
        rows = self.examples[indices]
        return (self.scale[rows.long()] if self.kind == 'images' else rows.float()).to(self.device)

    def batches(self, global_batch, rank, world, seed, flip_generator=None):
        """Endless local batches ``{values, labels, pairedInput}``, epoch after epoch."""
        if global_batch % world != 0:
            raise ValueError(f'--batch-size {global_batch} must be a multiple of the {world} processes')
        if len(self) < global_batch:
            raise ValueError(f'the data has {len(self)} examples, fewer than one batch of {global_batch}')
        local = global_batch // world
        sampler = DistributedSampler(_Indices(len(self)), num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=True)
        epoch = 0
        while True:
            sampler.set_epoch(epoch)
            order = list(iter(sampler))
            for start in range(0, len(order) - local + 1, local):
                indices = torch.tensor(order[start:start + local])
                x = self.values(indices)
                if self.flip:
                    mirrored = torch.rand(local, generator=flip_generator) < 0.5
                    x = torch.where(mirrored.to(x.device).reshape(-1, 1, 1, 1), x.flip(2), x)
                batch = {'values': x, 'labels': None if self.labels is None else self.labels[indices].to(self.device)}
                if self.paired_factor is not None:
                    batch['pairedInput'] = box_downsample(x, self.paired_factor)
                yield batch
            epoch += 1
