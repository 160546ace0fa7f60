"""ganfp's optimizers (src/train/optimizer.ts), over one flat vector of all trainable parameters.

ganfp updates a network's trainable parameters as one vector, their values laid end to end in the
compiled network's order, and keeps its optimizer's slots (Adam's ``m`` and ``v``, RMSProp's
``v``, SGD's momentum ``b``) as vectors of the same length: a checkpoint stores them so. Here too,
with ganfp's arithmetic (Adam's bias corrections folded into two scalars, ε placed as PyTorch
places it), so that a slot written here resumes in ganfp and one written there resumes here.
"""

import math

import torch


def learning_rate_factor(schedule, t):
    """The multiplier a learning-rate schedule gives update t (1-based)."""
    tag = schedule['_tag']
    if tag == 'Constant':
        return 1.0
    if tag == 'LinearDecay':
        return 1 - (1 - schedule['final']) * (min(t, schedule['steps']) / schedule['steps'])
    if tag == 'Cosine':
        final = schedule['final']
        return final + (1 - final) * 0.5 * (1 + math.cos(math.pi * min(t, schedule['steps']) / schedule['steps']))
    if tag == 'WarmUp':
        return t / schedule['steps'] if t <= schedule['steps'] else learning_rate_factor(schedule['then'], t - schedule['steps'])
    raise ValueError(f'learning-rate schedule {tag!r}')


def slot_names(optimizer, trainable_count):
    if trainable_count == 0:
        return []
    tag = optimizer['_tag']
    if tag == 'Adam':
        return ['m', 'v']
    if tag == 'RmsProp':
        return ['v']
    return ['b'] if optimizer['momentum'] > 0 else []


class FlatOptimizer:
    """One network's optimizer: ``updates`` applied so far and the flat ``slots``."""

    def __init__(self, spec, size, trainable_count, device):
        self.spec = spec
        self.updates = 0
        self.slots = {name: torch.zeros(size, device=device) for name in slot_names(spec, trainable_count)}

    def load(self, updates, slots):
        self.updates = int(updates)
        for name in self.slots:
            self.slots[name].copy_(torch.as_tensor(slots[name]).to(self.slots[name].device))

    def step(self, params, grads):
        """The new flat parameters after one update with flat gradients ``grads``."""
        o = self.spec
        self.updates += 1
        t = self.updates
        if params.numel() == 0:
            return params
        lr = o['learningRate'] * learning_rate_factor(o['schedule'], t)
        tag = o['_tag']
        if tag == 'Sgd':
            if o['momentum'] == 0:
                return params - grads * lr
            b = self.slots['b'] * o['momentum'] + grads
            self.slots['b'] = b
            direction = grads + b * o['momentum'] if o['nesterov'] else b
            return params - direction * lr
        if tag == 'RmsProp':
            v = self.slots['v'] * o['decay'] + grads * grads * (1 - o['decay'])
            self.slots['v'] = v
            return params - (grads * lr) / (torch.sqrt(v) + o['epsilon'])
        if tag == 'Adam':
            b1, b2 = o['beta1'], o['beta2']
            root_v_correction = math.sqrt(1 - b2 ** t)
            step_size = (lr * root_v_correction) / (1 - b1 ** t)
            m = self.slots['m'] * b1 + grads * (1 - b1)
            v = self.slots['v'] * b2 + grads * grads * (1 - b2)
            self.slots['m'], self.slots['v'] = m, v
            return params - (m * step_size) / (torch.sqrt(v) + o['epsilon'] * root_v_correction)
        raise ValueError(f'optimizer {tag!r}')


def flatten(tensors):
    return torch.cat([t.reshape(-1) for t in tensors]) if tensors else torch.zeros(0)


def unflatten_into(flat, tensors):
    """Writes the flat vector back into the tensors it was laid out from."""
    offset = 0
    with torch.no_grad():
        for t in tensors:
            t.copy_(flat[offset:offset + t.numel()].reshape(t.shape))
            offset += t.numel()
