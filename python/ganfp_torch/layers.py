"""Every ganfp layer kind as a ``torch.nn`` module, built from the spec's JSON.

Each module follows its kind's compile rule in ganfp (src/layers/*.ts) exactly: the same
parameters under the same names and shapes (``kernel``, ``bias``, ``gamma``, ``movingMean``, …,
in TensorFlow's layouts), the same arithmetic, NHWC activations. State that ganfp keeps but does
not train (batch norm's moving statistics, spectral norm's ``u``) is a buffer. A module's
``forward(x, run, index)`` takes the pass it belongs to (``Pass``: training or not, the labels,
the dropout seed, whether state is updated) and its place in its chain, which seeds its dropout
mask as ganfp seeds it (``seed + index``). The layers that hold layers (residual, concat,
spectral norm) and the table of every kind are in ``chains.py``.
"""

from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import ops
from .streams import tfjs_dropout_mask


@dataclass(frozen=True)
class Pass:
    """How one forward pass runs (ganfp's ForwardMode and LayerContext).

    ``update_state``: whether batch norm's moving statistics and spectral norm's ``u`` are stored
    (ganfp keeps a pass's state updates only where its trainer says so). ``dropout``: ``torch``
    draws masks from torch's generator seeded by ``seed + index``; ``tfjs`` reproduces the masks
    tfjs draws for that seed (slow; for checks). ``shard``: this process's rows of the global
    batch, ``(index, count)``: rows ``index::count``, so that masks drawn for the global batch are
    the same whatever the number of processes.
    """

    training: bool = False
    labels: Optional[torch.Tensor] = None
    seed: int = 0
    update_state: bool = False
    dropout: str = 'torch'
    shard: Tuple[int, int] = (0, 1)


class ParamTable:
    """The parameters ganfp's compiled network has, by path: each layer takes its own."""

    def __init__(self, specs):
        self.specs = {s['path']: s for s in specs}
        self.taken = []

    def take(self, module, name, local):
        path = f'{local}.{name}'
        spec = self.specs.get(path)
        if spec is None:
            raise ValueError(f'{path}: not a parameter of the exported network (its specs: {", ".join(self.specs)})')
        value = torch.zeros(spec['shape'], dtype=torch.float32)
        if spec['trainable']:
            module.register_parameter(name, nn.Parameter(value))
        else:
            module.register_buffer(name, value)
        self.taken.append(path)

    def check_all_taken(self):
        missing = [p for p in self.specs if p not in self.taken]
        if missing:
            raise ValueError(f'parameters no module took: {", ".join(missing)}')


def _labels(run, where):
    if run.labels is None:
        raise ValueError(f'{where}: this layer reads the network\'s labels; the network was called without them')
    return run.labels.long()


class _KernelLayer(nn.Module):
    """A layer with a ``kernel`` and, unless ``useBias`` is false, a ``bias``; ``apply_kernel`` is
    separate from ``forward`` so spectral normalisation can apply a rescaled kernel."""

    def __init__(self, spec, local, table):
        super().__init__()
        table.take(self, 'kernel', local)
        self.use_bias = spec['useBias']
        if self.use_bias:
            table.take(self, 'bias', local)

    def forward(self, x, run, index):
        return self.apply_kernel(x, self.kernel, self.bias if self.use_bias else None)


class Dense(_KernelLayer):
    def apply_kernel(self, x, kernel, bias):
        y = x @ kernel
        return y if bias is None else y + bias


class Conv2d(_KernelLayer):
    def __init__(self, spec, local, table):
        super().__init__(spec, local, table)
        self.strides, self.padding = list(spec['strides']), spec['padding']
        self.transposed = spec['_tag'] == 'Conv2dTranspose'

    def apply_kernel(self, x, kernel, bias):
        op = ops.conv2d_transpose if self.transposed else ops.conv2d
        return op(x, kernel, bias, self.strides, self.padding)


def _batch_statistics(x):
    axes = tuple(range(x.dim() - 1))
    mean = x.mean(axes)
    centered = x - mean
    return centered, mean, (centered * centered).mean(axes)


def _blend(old, batch, momentum):
    return old * momentum + batch * (1 - momentum)


class BatchNorm(nn.Module):
    """Statistics over every axis but the last; the variance is the biased one, for the moving average too."""

    def __init__(self, spec, local, table, conditional=False):
        super().__init__()
        for name in ('gamma', 'beta', 'movingMean', 'movingVariance'):
            table.take(self, name, local)
        self.momentum, self.epsilon = spec['momentum'], spec['epsilon']
        self.conditional = conditional
        self.where = local

    def forward(self, x, run, index):
        if self.conditional:
            gamma = beta = None
        else:
            gamma, beta = self.gamma, self.beta
        if not run.training:
            scale = torch.rsqrt(self.movingVariance + self.epsilon)
            scale = scale if gamma is None else scale * gamma
            shift = -self.movingMean * scale if beta is None else beta - self.movingMean * scale
            z = x * scale + shift
        else:
            centered, mean, variance = _batch_statistics(x)
            r = torch.rsqrt(variance + self.epsilon)
            z = centered * (r if gamma is None else gamma * r)
            z = z if beta is None else z + beta
            if run.update_state:
                with torch.no_grad():
                    self.movingMean.copy_(_blend(self.movingMean, mean, self.momentum))
                    self.movingVariance.copy_(_blend(self.movingVariance, variance, self.momentum))
        if not self.conditional:
            return z
        labels = _labels(run, self.where)
        shape = [-1] + [1] * (x.dim() - 2) + [x.shape[-1]]
        return z * self.gamma[labels].reshape(shape) + self.beta[labels].reshape(shape)


class Dropout(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.rate = spec['rate']

    def forward(self, x, run, index):
        if not run.training or self.rate == 0:
            return x
        seed = run.seed + index
        part, count = run.shard
        shape = (x.shape[0] * count, *x.shape[1:])
        if run.dropout == 'tfjs':
            mask = torch.from_numpy(tfjs_dropout_mask(shape, self.rate, seed)).to(x.device)
        else:
            generator = torch.Generator(device=x.device)
            generator.manual_seed(int(seed))
            keep = 1 - self.rate
            mask = torch.floor(torch.rand(shape, generator=generator, device=x.device) + keep) / keep
        return x * mask[part::count]


class MinibatchStddev(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.group_size = spec['groupSize']

    def forward(self, x, run, index):
        n = x.shape[0]
        g = min(self.group_size, n) if n % self.group_size == 0 else n
        m = n // g
        rest = list(x.shape[1:])
        size = int(np.prod(rest))
        grouped = x.reshape(g, m * size)
        centred = grouped - grouped.mean(0)
        deviation = torch.sqrt((centred * centred).mean(0) + 1e-8)
        per_group = deviation.reshape(m, size).mean(1).reshape(1, m, 1)
        spread = per_group.expand(g, m, size // rest[-1])
        return torch.cat([x, spread.reshape(n, *rest[:-1], 1)], dim=-1)


class Pack(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.pack_size = spec['packSize']

    def forward(self, x, run, index):
        k = self.pack_size
        n = x.shape[0]
        if n % k != 0:
            raise ValueError(f'pack({k}) needs a multiple of {k} examples, got {n}')
        if x.dim() == 2:
            return x.reshape(n // k, k * x.shape[1])
        _, h, w, c = x.shape
        side = x.reshape(n // k, k, h * w, c).permute(0, 2, 1, 3)
        return side.reshape(n // k, h, w, k * c)


class Reshape(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.shape = list(spec['shape'])

    def forward(self, x, run, index):
        return x.reshape(x.shape[0], *self.shape)


class Flatten(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()

    def forward(self, x, run, index):
        return x.reshape(x.shape[0], -1)


class Upsample(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.factor = list(spec['factor'])

    def forward(self, x, run, index):
        return ops.upsample_nearest(x, self.factor)


class AvgPool(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.pool, self.strides, self.padding = list(spec['poolSize']), list(spec['strides']), spec['padding']

    def forward(self, x, run, index):
        return ops.avg_pool(x, self.pool, self.strides, self.padding)


class PixelShuffle(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.factor = spec['factor']

    def forward(self, x, run, index):
        return ops.depth_to_space(x, self.factor)


class Prelu(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        table.take(self, 'alpha', local)

    def forward(self, x, run, index):
        return torch.where(x < 0, x * self.alpha, x)


class Activation(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.tag = spec['_tag']
        self.alpha = spec.get('alpha', 0.0)

    def forward(self, x, run, index):
        if self.tag == 'Relu':
            return F.relu(x)
        if self.tag == 'LeakyRelu':
            return F.leaky_relu(x, self.alpha)
        if self.tag == 'Tanh':
            return torch.tanh(x)
        return torch.sigmoid(x)


class Embedding(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        table.take(self, 'embeddings', local)
        self.where = local

    def forward(self, x, run, index):
        return self.embeddings[_labels(run, self.where)]


class OneHot(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.classes = spec['numClasses']
        self.where = local

    def forward(self, x, run, index):
        return F.one_hot(_labels(run, self.where), self.classes).to(torch.float32)


class Projection(nn.Module):
    """``x · kernel + bias + ⟨embeddings[label], x⟩`` (Miyato & Koyama's projection discriminator)."""

    def __init__(self, spec, local, table):
        super().__init__()
        for name in ('kernel', 'bias', 'embeddings'):
            table.take(self, name, local)
        self.where = local

    def forward(self, x, run, index):
        class_vectors = self.embeddings[_labels(run, self.where)]
        return x @ self.kernel + self.bias + (class_vectors * x).sum(1, keepdim=True)


class TileSpatial(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.height, self.width = spec['height'], spec['width']

    def forward(self, x, run, index):
        return x.reshape(x.shape[0], 1, 1, x.shape[1]).expand(-1, self.height, self.width, -1)
