"""ganfp's losses in torch: the adversarial games, the gradient penalties, the content losses and
the mode-seeking term and top-k updates, each as src/compile/{loss,penalty,content,mode-seeking,top-k}.ts
computes it.

The discriminator's output is a raw score: a logit for the two log losses (computed from logits,
so a saturated discriminator still gives finite values), the critic's value for the others.
"""

import torch
import torch.nn.functional as F


def sigmoid_cross_entropy(logits, target):
    """Mean of softplus(l) − t·l: cross-entropy against a constant target in [0, 1]."""
    return (F.softplus(logits) - logits * target).mean()


def _half_mean_squared_distance(scores, target):
    return ((scores - target) ** 2).mean() * 0.5


def discriminator_loss(loss, real, fake):
    tag = loss['_tag']
    if tag in ('Minimax', 'NonSaturating'):
        return sigmoid_cross_entropy(real, 1 - loss['labelSmoothing']) + sigmoid_cross_entropy(fake, 0)
    if tag == 'LeastSquares':
        return _half_mean_squared_distance(real, 1) + _half_mean_squared_distance(fake, 0)
    if tag == 'Wasserstein':
        return fake.mean() - real.mean()
    if tag == 'Hinge':
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    raise ValueError(f'loss {tag!r}')


def generator_loss_terms(loss, fake):
    """The generator's loss at each output, before generator_loss's mean."""
    tag = loss['_tag']
    if tag == 'Minimax':
        return -F.softplus(fake)
    if tag == 'NonSaturating':
        return F.softplus(-fake)
    if tag == 'LeastSquares':
        return (fake - 1) ** 2 * 0.5
    if tag in ('Wasserstein', 'Hinge'):
        return -fake
    raise ValueError(f'loss {tag!r}')


def generator_loss(loss, fake):
    return generator_loss_terms(loss, fake).mean()


def output_is_logit(loss):
    return loss['_tag'] in ('Minimax', 'NonSaturating')


def as_score(loss, outputs):
    """What a step reports of D's outputs: probabilities for the log losses, raw scores otherwise."""
    return torch.sigmoid(outputs) if output_is_logit(loss) else outputs


def squared_gradient_norms(discriminator, x, run):
    """‖∇ₓD(x)‖² per output of D (per pack for a packed D), differentiable again (double backward)."""
    x = x.detach().requires_grad_(True)
    scores = discriminator(x, run)
    (gradient,) = torch.autograd.grad(scores.sum(), x, create_graph=True)
    return (gradient * gradient).reshape(scores.shape[0], -1).sum(1)


def penalty_value(penalty, discriminator, real, fake, epsilon, run_real, run_fake):
    """A penalty's value before lazy scaling; ``run_real``/``run_fake`` carry the penalty pass's
    seed and the real and fake labels (a WGAN-GP interpolate is judged with the real labels)."""
    tag = penalty['_tag']
    if tag == 'GradientPenalty':
        e = epsilon.reshape(-1, *([1] * (real.dim() - 1)))
        interpolated = e * real + (1 - e) * fake
        norms = torch.sqrt(squared_gradient_norms(discriminator, interpolated, run_real) + 1e-12)
        return ((norms - penalty['target']) ** 2).mean() * penalty['weight']
    if tag == 'R1':
        return squared_gradient_norms(discriminator, real, run_real).mean() * (penalty['gamma'] / 2)
    if tag == 'R2':
        return squared_gradient_norms(discriminator, fake, run_fake).mean() * (penalty['gamma'] / 2)
    raise ValueError(f'penalty {tag!r}')


def content_loss(loss, generated, target):
    """MSE, L1 and weighted sums of them (the content losses that need no other network)."""
    tag = loss['_tag']
    if tag == 'Mse':
        return ((generated - target) ** 2).mean()
    if tag == 'L1':
        return (generated - target).abs().mean()
    if tag == 'WeightedSum':
        terms = [content_loss(t['loss'], generated, target) * t['weight'] for t in loss['terms']]
        return torch.stack(terms).sum()
    raise ValueError(f'content loss {tag!r}')


def mode_seeking_ratio(outputs, latents):
    """MSGAN's L_ms = mean|G(z₁) − G(z₂)| / mean|z₁ − z₂| over the batch's two halves."""
    o1, o2 = torch.chunk(outputs, 2, 0)
    z1, z2 = torch.chunk(latents, 2, 0)
    return (o1 - o2).abs().mean() / (z1 - z2).abs().mean()


def mode_seeking_loss(ratio, weight):
    return weight / (ratio + 1e-5)
