"""The layers that hold layers (residual, concat, spectral norm), chains of layers, and the table
of every ganfp layer kind (src/layers/registry.ts): ``build_layer`` makes a layer's module from its
JSON, ``build_chain`` a chain's. A nested chain's layers are seeded for dropout at
``parent·1009 + (k + 1)·101 + i``, as ganfp's (src/layers/chains.ts).
"""

import torch
import torch.nn as nn

from . import ops
from .layers import (
    Activation, AvgPool, BatchNorm, Conv2d, Dense, Dropout, Embedding, Flatten, MinibatchStddev, OneHot, Pack, PixelShuffle,
    Prelu, Projection, Reshape, TileSpatial, Upsample,
)


def nested_index(parent, chain):
    """Dropout seeds of a nested chain: far from its parent's and its siblings' (src/layers/chains.ts)."""
    return parent * 1009 + (chain + 1) * 101


def run_chain(layers, x, run, base):
    for i, layer in enumerate(layers):
        x = layer(x, run, base + i)
    return x


class Residual(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.block = build_chain(spec['block'], f'{local}.block', table)
        self.shortcut = build_chain(spec['shortcut'], f'{local}.shortcut', table)

    def forward(self, x, run, index):
        block = run_chain(self.block, x, run, nested_index(index, 0))
        return block + run_chain(self.shortcut, x, run, nested_index(index, 1))


class Branch(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.from_label = spec['source'] == 'label'
        self.layers = build_chain(spec['layers'], f'{local}.layers', table)


class Concat(nn.Module):
    def __init__(self, spec, local, table):
        super().__init__()
        self.branches = nn.ModuleList([Branch(b, f'{local}.branches[{k}]', table) for k, b in enumerate(spec['branches'])])

    def forward(self, x, run, index):
        outputs = [
            run_chain(b.layers, run.labels if b.from_label else x, run, nested_index(index, k))
            for k, b in enumerate(self.branches)
        ]
        return torch.cat(outputs, dim=-1)


class SpectralNorm(nn.Module):
    """The inner layer's kernel divided by σ, estimated by power iteration from the stored ``u``.

    The inner layer's parameters are this module's own (``layers[2].kernel``, as ganfp names them);
    ``u`` and ``v`` are constants for the gradient, so dσ/dW = v uᵀ (src/layers/spectral-norm.ts).
    """

    _kernel_output_axis = {'Dense': 1, 'Conv2d': 3, 'Conv2dTranspose': 2}

    def __init__(self, spec, local, table):
        super().__init__()
        inner = build_layer(spec['layer'], local, table)
        # Not a submodule: its parameters are registered here, under the inner layer's own names.
        object.__setattr__(self, 'inner', inner)
        self.kernel = inner.kernel
        self.use_bias = inner.use_bias
        if self.use_bias:
            self.bias = inner.bias
        table.take(self, 'u', local)
        self.iterations = spec['powerIterations']
        self.output_axis = self._kernel_output_axis[spec['layer']['_tag']]

    def _matrix(self, w):
        axes = [a for a in range(w.dim()) if a != self.output_axis] + [self.output_axis]
        return w.permute(*axes).reshape(-1, w.shape[self.output_axis])

    def forward(self, x, run, index):
        w = self.kernel
        wm = self._matrix(w)
        iterations = self.iterations if run.training else 0
        with torch.no_grad():
            u = self.u.reshape(1, -1)
            for _ in range(1, iterations):
                u = ops.normalize(ops.normalize(u @ wm.t()) @ wm)
            v = ops.normalize(u @ wm.t())
            if iterations > 0:
                u = ops.normalize(v @ wm)
        sigma = ((v @ wm) * u).sum()
        if iterations > 0 and run.update_state:
            with torch.no_grad():
                self.u.copy_(u.reshape(-1))
        return self.inner.apply_kernel(x, w / sigma, self.bias if self.use_bias else None)


_kinds = {
    'Dense': Dense,
    'Conv2d': Conv2d,
    'Conv2dTranspose': Conv2d,
    'BatchNorm': BatchNorm,
    'ConditionalBatchNorm': lambda spec, local, table: BatchNorm(spec, local, table, conditional=True),
    'Dropout': Dropout,
    'MinibatchStddev': MinibatchStddev,
    'Pack': Pack,
    'Reshape': Reshape,
    'Flatten': Flatten,
    'Upsample': Upsample,
    'AvgPool': AvgPool,
    'PixelShuffle': PixelShuffle,
    'Prelu': Prelu,
    'Relu': Activation,
    'LeakyRelu': Activation,
    'Tanh': Activation,
    'Sigmoid': Activation,
    'Embedding': Embedding,
    'OneHot': OneHot,
    'Projection': Projection,
    'TileSpatial': TileSpatial,
    'Residual': Residual,
    'Concat': Concat,
    'SpectralNorm': SpectralNorm,
}

layer_tags = sorted(_kinds)


def build_layer(spec, local, table):
    kind = _kinds.get(spec.get('_tag'))
    if kind is None:
        raise ValueError(f'{local}: no torch module for layer {spec.get("_tag")!r}')
    return kind(spec, local, table)


def build_chain(specs, prefix, table):
    return nn.ModuleList([build_layer(s, f'{prefix}[{i}]', table) for i, s in enumerate(specs)])
