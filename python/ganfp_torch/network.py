"""A ganfp network as one ``torch.nn.Module``, its parameters addressed by ganfp's paths.

torch names a parameter by its module path (``layers.3.block.0.kernel``); ganfp by its place in
the spec (``layers[3].block[0].kernel``). The two are the same path spelled two ways:
``ganfp_state_dict`` and ``load_ganfp_state_dict`` speak ganfp's, so the tensors of a ganfp
checkpoint load as they are, in the order ganfp's compiled network lists them.
"""

import re
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

from .chains import build_chain, run_chain
from .layers import Pass, ParamTable


def ganfp_path(torch_name):
    """``layers.3.block.0.kernel`` → ``layers[3].block[0].kernel``."""
    return re.sub(r'\.(\d+)(?=\.|$)', r'[\1]', torch_name)


class Network(nn.Module):
    """A generator or discriminator from the spec: ``spec`` is the network's JSON, ``param_specs``
    the compiled network's parameters (``{path, shape, trainable}``, in ganfp's order)."""

    def __init__(self, spec, param_specs):
        super().__init__()
        table = ParamTable(param_specs)
        self.layers = build_chain(spec['layers'], 'layers', table)
        table.check_all_taken()
        self.input_shape = list(spec['inputShape'])
        label = spec.get('labelInput')
        self.label_classes = None if label is None else label['numClasses']
        self.paths = [s['path'] for s in param_specs]
        self.trainable_paths = [s['path'] for s in param_specs if s['trainable']]
        self.state_paths = [s['path'] for s in param_specs if not s['trainable']]

    def forward(self, x, run=None, labels=None):
        run = run or Pass()
        if labels is not None:
            run = Pass(run.training, labels, run.seed, run.update_state, run.dropout, run.shard)
        return run_chain(self.layers, x, run, 0)

    def tensors_by_path(self):
        """Every parameter and state tensor by ganfp path (the live tensors, not copies)."""
        named = dict(self.named_parameters())
        named.update(dict(self.named_buffers()))
        by_path = {ganfp_path(name): t for name, t in named.items()}
        return OrderedDict((p, by_path[p]) for p in self.paths)

    def trainable(self):
        tensors = self.tensors_by_path()
        return [tensors[p] for p in self.trainable_paths]

    def ganfp_state_dict(self):
        """Detached copies by ganfp path, in ganfp's order: what a checkpoint stores."""
        return OrderedDict((p, t.detach().clone()) for p, t in self.tensors_by_path().items())

    def load_ganfp_state_dict(self, values):
        """Loads ``{path: array}`` (a checkpoint group's tensors): every path, each of its shape."""
        tensors = self.tensors_by_path()
        problems = [p for p in tensors if p not in values] + [f'{p} (not in this network)' for p in values if p not in tensors]
        if problems:
            raise ValueError(f'tensors that do not fit the network: {", ".join(problems)}')
        with torch.no_grad():
            for path, t in tensors.items():
                value = torch.as_tensor(np.asarray(values[path], dtype=np.float32))
                if list(value.shape) != list(t.shape):
                    raise ValueError(f'{path}: shape {list(value.shape)}, expected {list(t.shape)}')
                t.copy_(value.to(t.device))
