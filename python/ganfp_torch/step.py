"""One step of ganfp's schedule in torch (src/train/step.ts and its two updates).

A step runs the phase's discriminator updates (k of them in an adversarial phase, each on a fresh
real batch; none while pretraining), then one generator update, then the generator's moving
average. Randomness is drawn for the global batch, in ganfp's order (``draws.py``), and each
process keeps its rows; gradients are averaged over processes by DistributedDataParallel (the
``*_train`` modules; the plain modules run the passes that train nothing). Each update applies
ganfp's optimizer to the flat vector of trainable parameters (``optim.py``).
"""

import math

import torch
import torch.distributed as dist

from . import losses
from .layers import Pass
from .optim import FlatOptimizer, flatten, unflatten_into


def phase_at(schedule, step):
    """The phase generator step ``step`` (1-based) belongs to, and its index."""
    end = 0
    for index, phase in enumerate(schedule['phases']):
        if phase.get('steps') is None:
            return phase, index
        end += phase['steps']
        if step <= end:
            return phase, index
    return schedule['phases'][-1], len(schedule['phases']) - 1


def instance_noise_std(schedule, step):
    noise = schedule.get('instanceNoise')
    return 0.0 if noise is None else noise['std'] * max(0.0, 1 - (step - 1) / noise['decaySteps'])


def top_k_share(schedule, step):
    """The share of its batch generator step ``step`` learns from (topKShareAt in src/dsl/schedule.ts)."""
    term = schedule.get('topK')
    if term is None or phase_at(schedule, step)[0]['_tag'] != 'Adversarial':
        return 1.0
    return max(term['keep'], term['decay'] ** ((step - 1) // term['every']))


def top_k_count(share, rows):
    """How many of ``rows`` outputs a top-k update keeps: ⌈share · rows⌉, at least 1 (topKCount)."""
    return max(1, min(rows, math.ceil(share * rows - 1e-9)))


class GanStep:
    """The state a step changes: both optimizers, the moving average, the step count.

    ``generator`` and ``discriminator`` are the plain ``Network`` modules; ``generator_train`` and
    ``discriminator_train`` the modules whose backward passes train (DistributedDataParallel
    wrappers under torchrun, the plain modules otherwise). ``shard`` is ``(rank, world)``.
    """

    def __init__(self, spec, generator, discriminator, draws, device, batch_size, *, generator_train=None, discriminator_train=None, shard=(0, 1), dropout='torch'):
        gan = spec['gan']
        self.batch_size = batch_size
        self.gan = gan
        self.G, self.D = generator, discriminator
        self.G_train = generator_train or generator
        self.D_train = discriminator_train or discriminator
        self.draws, self.device, self.shard, self.dropout = draws, device, shard, dropout
        self.g_params, self.d_params = generator.trainable(), discriminator.trainable()
        size = lambda ps: sum(p.numel() for p in ps)
        self.g_opt = FlatOptimizer(gan['optimizers']['generator'], size(self.g_params), len(self.g_params), device)
        self.d_opt = FlatOptimizer(gan['optimizers']['discriminator'], size(self.d_params), len(self.d_params), device)
        decay = gan['schedule'].get('generatorAverageDecay')
        self.average = None if decay is None else {p: t.detach().clone() for p, t in generator.tensors_by_path().items()}
        self.steps = 0
        self.batches_seen = 0
        self.classes = generator.label_classes or discriminator.label_classes
        self.paired = gan['latent']['_tag'] == 'Paired'
        self._check_local_batch(batch_size // shard[1])

    def _check_local_batch(self, local):
        """What ganfp checks of the batch, here of each process's share: layers that look across it see only that."""
        first = self.gan['discriminator']['layers'][0] if self.gan['discriminator']['layers'] else {}
        if first.get('_tag') == 'Pack' and local % first['packSize'] != 0:
            raise ValueError(f"pack({first['packSize']}) judges each process's examples {first['packSize']} at a time: --batch-size / processes ({local}) must be a multiple of it")
        if self.gan['schedule'].get('modeSeeking') is not None and local % 2 != 0:
            raise ValueError(f"mode seeking pairs example i with i + N/2 of each process's batch: --batch-size / processes ({local}) must be even")

    def _run(self, seed, labels, update_state):
        return Pass(True, labels, seed, update_state, self.dropout, self.shard)

    def _mine(self, t):
        """This process's rows of a global draw."""
        rank, world = self.shard
        return None if t is None else t[rank::world]

    def _generator_input(self, real, n):
        return real['pairedInput'] if self.paired else self._mine(self.draws.latents(self.gan['latent'], n))

    def _fake_labels(self, real, n, paired_halves=False):
        if self.G.label_classes is None:
            return None
        return real['labels'] if self.paired else self._mine(self.draws.labels(n, self.classes, paired_halves))

    def _labels_for_d(self, fake_labels, n):
        if self.D.label_classes is None:
            return None
        return fake_labels if fake_labels is not None else self._mine(self.draws.labels(n, self.classes))

    def _noise(self, x, std):
        if std == 0:
            return x
        return x + self._mine(self.draws.normals((x.shape[0] * self.shard[1], *x.shape[1:]), std))

    def _apply(self, params, optimizer):
        """Gradients (averaged over processes by DDP), ganfp's optimizer, the parameters written back."""
        grads = flatten([p.grad if p.grad is not None else torch.zeros_like(p) for p in params])
        new = optimizer.step(flatten([p.detach() for p in params]), grads)
        unflatten_into(new, params)
        return torch.sqrt((grads * grads).sum())

    def _average_state(self, network):
        """Batch-norm statistics averaged over processes (each saw its own rows)."""
        if self.shard[1] == 1:
            return
        tensors = network.tensors_by_path()
        for path in network.state_paths:
            dist.all_reduce(tensors[path])
            tensors[path] /= self.shard[1]

    def discriminator_update(self, real, noise_std):
        gan, D = self.gan, self.D
        n = self.batch_size
        z = self._generator_input(real, n)
        fake_labels = self._fake_labels(real, n)
        real_labels = real['labels'] if D.label_classes is not None else None
        d_fake_labels = self._labels_for_d(fake_labels, n)
        seeds = [self.draws.seed() for _ in range(3)]
        update = self.d_opt.updates + 1
        due = [p for p in gan['penalties'] if update % p['every'] == 0]
        penalty_seed = self.draws.seed() if due else 0
        epsilon = self._mine(self.draws.uniforms(n)) if any(p['_tag'] == 'GradientPenalty' for p in due) else None
        real_x = self._noise(real['values'], noise_std)
        with torch.no_grad():
            fake = self.G(z, self._run(seeds[0], fake_labels, False))
        fake = self._noise(fake, noise_std)
        # The penalty's pass first: it reads the state as it was before this update, as ganfp's does.
        penalty = torch.zeros((), device=self.device)
        for p in due:
            value = losses.penalty_value(p, self.D_train, real_x, fake, epsilon, self._run(penalty_seed, real_labels, False), self._run(penalty_seed, d_fake_labels, False))
            penalty = penalty + value * p['every']
        on_real = self.D_train(real_x, self._run(seeds[1], real_labels, True))
        on_fake = self.D_train(fake, self._run(seeds[2], d_fake_labels, True))
        adversarial = losses.discriminator_loss(gan['loss'], on_real, on_fake)
        loss = adversarial + penalty if due else adversarial
        for p in self.d_params:
            p.grad = None
        loss.backward()
        norm = self._apply(self.d_params, self.d_opt)
        clip = gan['loss'].get('weightClip') if gan['loss']['_tag'] == 'Wasserstein' else None
        if clip is not None:
            with torch.no_grad():
                for p in self.d_params:
                    p.clamp_(-clip, clip)
        self._average_state(D)
        with torch.no_grad():
            scores = [losses.as_score(gan['loss'], o).mean() for o in (on_real, on_fake)]
        return torch.stack([loss.detach(), norm, scores[0], scores[1], penalty.detach()])

    def _top_k_loss(self, scores, share):
        """The generator's loss over the global batch's best-scored rows (top-k updates).

        The rows are ranked over every process's scores, as ganfp ranks its whole batch; each
        process sums its kept rows' terms, and the world factor undoes DDP's gradient mean.
        """
        if share >= 1:
            return losses.generator_loss(self.gan['loss'], scores)
        world = self.shard[1]
        row_scores = scores.detach().reshape(scores.shape[0], -1).mean(1)
        everyone = row_scores
        if world > 1:
            parts = [torch.empty_like(row_scores) for _ in range(world)]
            dist.all_gather(parts, row_scores)
            everyone = torch.cat(parts)
        count = top_k_count(share, everyone.numel())
        if count >= everyone.numel():
            return losses.generator_loss(self.gan['loss'], scores)
        kth = torch.topk(everyone, count).values[-1]
        mask = (row_scores >= kth).to(scores.dtype)
        kept = (everyone >= kth).sum().to(scores.dtype)
        per_row = losses.generator_loss_terms(self.gan['loss'], scores).reshape(scores.shape[0], -1).mean(1)
        return (per_row * mask).sum() / kept * world

    def generator_update(self, phase, real, noise_std, top_k=1.0):
        gan = self.gan
        n = self.batch_size
        z = self._generator_input(real, n)
        mode_seeking = gan['schedule'].get('modeSeeking') if phase['_tag'] == 'Adversarial' else None
        fake_labels = self._fake_labels(real, n, mode_seeking is not None)
        d_fake_labels = self._labels_for_d(fake_labels, n)
        seeds = [self.draws.seed() for _ in range(2)]
        content = phase['loss'] if phase['_tag'] == 'Pretrain' else phase.get('content')
        content_weight = 1 if phase['_tag'] == 'Pretrain' else phase['contentWeight']
        adversarial_weight = 0 if phase['_tag'] == 'Pretrain' else phase['adversarialWeight']
        out_shape = (n, *self.D.input_shape)
        noise = None if noise_std == 0 else self._mine(self.draws.normals(out_shape, noise_std))
        generated = self.G_train(z, self._run(seeds[0], fake_labels, True))
        zero = torch.zeros((), device=self.device)
        adversarial = zero
        if adversarial_weight != 0:
            for p in self.d_params:
                p.requires_grad_(False)
            try:
                x = generated if noise is None else generated + noise
                scores = self.D(x, self._run(seeds[1], d_fake_labels, False))
                adversarial = self._top_k_loss(scores, top_k) * adversarial_weight
            finally:
                for p in self.d_params:
                    p.requires_grad_(True)
        content_value = zero if content is None else losses.content_loss(content, generated, real['values'])
        loss = adversarial if content is None else adversarial + content_value * content_weight
        ratio = None
        if mode_seeking is not None:
            ratio = losses.mode_seeking_ratio(generated, z)
            loss = loss + losses.mode_seeking_loss(ratio, mode_seeking['weight'])
        for p in self.g_params:
            p.grad = None
        loss.backward()
        norm = self._apply(self.g_params, self.g_opt)
        self._average_state(self.G)
        return torch.stack([loss.detach(), norm, content_value.detach(), zero if ratio is None else ratio.detach()])

    def update_average(self):
        decay = self.gan['schedule'].get('generatorAverageDecay')
        if self.average is None or decay is None:
            return
        d = min(decay, (1 + self.steps) / (10 + self.steps))
        with torch.no_grad():
            for path, t in self.G.tensors_by_path().items():
                self.average[path] = self.average[path] * d + t.detach() * (1 - d)

    def step(self, next_real):
        """One schedule step; ``next_real()`` gives this process's next real batch. Returns ganfp's
        step report (the numbers averaged over processes)."""
        schedule = self.gan['schedule']
        phase, index = phase_at(schedule, self.steps + 1)
        noise_std = instance_noise_std(schedule, self.steps + 1)
        updates = schedule['discriminatorStepsPerGeneratorStep'] if phase['_tag'] == 'Adversarial' else 0
        content = phase['loss'] if phase['_tag'] == 'Pretrain' else phase.get('content')
        real, d_stats = None, torch.zeros(5, device=self.device)
        for _ in range(updates):
            real = next_real()
            self.batches_seen += 1
            d_stats = self.discriminator_update(real, noise_std)
        if real is None and (content is not None or self.paired):
            real = next_real()
            self.batches_seen += 1
        g_stats = self.generator_update(phase, real, noise_std, top_k_share(schedule, self.steps + 1))
        self.update_average()
        self.steps += 1
        numbers = torch.cat([d_stats, g_stats])
        if self.shard[1] > 1:
            dist.all_reduce(numbers)
            numbers /= self.shard[1]
        v = numbers.tolist()
        report = {
            'step': self.steps, 'phase': index, 'discriminatorUpdates': updates, 'contentLoss': v[7],
            'discriminatorLoss': v[0], 'generatorLoss': v[5], 'realScore': v[2], 'fakeScore': v[3],
            'discriminatorPenalty': v[4], 'discriminatorGradientNorm': v[1], 'generatorGradientNorm': v[6],
        }
        if phase['_tag'] == 'Adversarial' and schedule.get('modeSeeking') is not None:
            report['modeSeeking'] = v[8]
        return report
