"""What tests/torch-export.test.ts asks of the torch package, driven by a JSON job (not shipped).

    python checks.py forward JOB.json OUT.json   every case's network, its outputs and state updates
    python checks.py step JOB.json OUT.json      training steps from an exported package's checkpoint
    python checks.py top-k-ddp JOB.json OUT.json the top-k loss and its gradient, 1 process against 2

``forward``: each case is a network (spec JSON, its compiled parameter specs and values), an input
and its labels, and passes (training or not, dropout seed); each pass starts from the given values
and reports its output and, in training, the state it stores (batch-norm statistics, ``u``).

``step``: each case is an exported package whose data is one global batch and whose initial
checkpoint is a ganfp trainer's state; the steps run with ganfp's random streams and tfjs's dropout
masks, and the state after them is written as a ganfp checkpoint into the case's ``out``.
"""

import json
import os
import sys
import tempfile
from types import SimpleNamespace

import numpy as np
import torch
import torch.distributed as dist

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from ganfp_torch.checkpoint import write_checkpoint, read_checkpoint  # noqa: E402
from ganfp_torch.data import TrainingData, box_downsample  # noqa: E402
from ganfp_torch.draws import GanfpDraws  # noqa: E402
from ganfp_torch.layers import Pass  # noqa: E402
from ganfp_torch.network import Network  # noqa: E402
from ganfp_torch.rundir import checkpoint_groups  # noqa: E402
from ganfp_torch.step import GanStep  # noqa: E402
from ganfp_torch.streams import Rng  # noqa: E402
from ganfp_torch.train import load_checkpoint_state, build_networks, load_spec  # noqa: E402


def _array(entry, dtype=np.float32):
    return np.asarray(entry['values'], dtype=dtype).reshape(entry['shape'])


def _forward(case):
    net = Network(case['network'], case['paramSpecs'])
    values = {p: _array(t) for p, t in case['params'].items()}
    x = torch.from_numpy(_array(case['input']))
    labels = None if case.get('labels') is None else torch.tensor(case['labels'], dtype=torch.int64)
    results = []
    for p in case['passes']:
        net.load_ganfp_state_dict(values)
        run = Pass(p['training'], labels, p.get('seed', 0), p['training'], p.get('dropout', 'tfjs'))
        with torch.no_grad():
            y = net(x, run)
        tensors = net.tensors_by_path()
        states = {path: tensors[path].flatten().tolist() for path in net.state_paths} if p['training'] else {}
        results.append({'shape': list(y.shape), 'values': y.flatten().tolist(), 'states': states})
    return results


def _step(case):
    root = case['package']
    spec = load_spec(root)
    generator, discriminator = build_networks(spec)
    checkpoint = read_checkpoint(os.path.join(root, spec['initialCheckpoint']))
    rng = checkpoint['manifest']['trainer']['rng']
    draws = GanfpDraws({k: Rng(rng[k]) for k in ('latent', 'noise', 'data')}, torch.device('cpu'))
    data = TrainingData(spec['data'], root, torch.device('cpu'))
    n = len(data)
    stepper = GanStep(spec, generator, discriminator, draws, torch.device('cpu'), n, dropout='tfjs')
    load_checkpoint_state(stepper, checkpoint)
    indices = torch.arange(n)
    batch = {'values': data.values(indices), 'labels': None if data.labels is None else data.labels[indices]}
    if data.paired_factor is not None:
        batch['pairedInput'] = box_downsample(batch['values'], data.paired_factor)
    reports = [stepper.step(lambda: batch) for _ in range(case['steps'])]
    trainer = {
        'step': stepper.steps, 'batchesSeen': stepper.batches_seen, 'rng': draws.states(), 'dataCursor': None,
        'generatorOptimizerUpdates': stepper.g_opt.updates, 'discriminatorOptimizerUpdates': stepper.d_opt.updates,
    }
    write_checkpoint(case['out'], stepper.steps, checkpoint_groups(stepper), trainer, None, spec['library']['version'])
    return reports


def _top_k_loss_and_grad(case, shard):
    """GanStep's top-k loss on scores x·w for this process's rows (rank::world, as draws are
    split), and its gradient in w, averaged over processes as DistributedDataParallel does."""
    rank, world = shard
    x = torch.tensor(case['x'], dtype=torch.float32)[rank::world]
    w = torch.tensor(case['w'], dtype=torch.float32, requires_grad=True)
    step = SimpleNamespace(shard=shard, gan={'loss': case['loss']})
    loss = GanStep._top_k_loss(step, x @ w, case['share'])
    loss.backward()
    numbers = torch.cat([loss.detach().reshape(1), w.grad.flatten()])
    if world > 1:
        dist.all_reduce(numbers)
        numbers /= world
    return numbers.tolist()


def _top_k_rank(rank, world, store, case, out):
    dist.init_process_group('gloo', init_method=f'file://{store}', rank=rank, world_size=world)
    try:
        numbers = _top_k_loss_and_grad(case, (rank, world))
        if rank == 0:
            with open(out, 'w', encoding='utf-8') as f:
                json.dump(numbers, f)
    finally:
        dist.destroy_process_group()


def _top_k_ddp(case):
    """[loss, ∂loss/∂w...] in one process with the whole batch, and in two with half each."""
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, 'rank0.json')
        torch.multiprocessing.spawn(_top_k_rank, args=(2, os.path.join(scratch, 'store'), case, out), nprocs=2)
        with open(out, encoding='utf-8') as f:
            two = json.load(f)
    return {'one': _top_k_loss_and_grad(case, (0, 1)), 'two': two}


def main():
    command, job_path, out_path = sys.argv[1:4]
    torch.set_num_threads(1)
    with open(job_path, encoding='utf-8') as f:
        job = json.load(f)
    run = {'forward': _forward, 'step': _step, 'top-k-ddp': _top_k_ddp}[command]
    with open(out_path, 'w', encoding='utf-8') as f:
        json.dump({case['name']: run(case) for case in job['cases']}, f)


if __name__ == '__main__':
    main()
