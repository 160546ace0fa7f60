"""Trains the exported GAN with PyTorch DistributedDataParallel and writes a ganfp run directory.

    torchrun --nproc_per_node N train.py --steps S --out RUN_DIR [--batch-size B] [--seed N]
        [--checkpoint-every K] [--log-every L] [--draws torch|ganfp] [--device auto|cpu|cuda] [--resume]

One process per device (torchrun starts them; plain ``python train.py`` is one process): gloo on
CPUs, NCCL on GPUs. ``--batch-size`` is the global batch, split evenly over the processes. Every
process starts from the exported step-0 checkpoint (ganfp's initial parameters for the run's seed)
and draws the same random numbers for the global batch, keeping its own rows; gradients are
averaged by DDP. Process 0 prints progress, appends ``metrics.jsonl`` and writes ganfp checkpoints
into RUN_DIR, which ``ganfp sample RUN_DIR``, ``ganfp eval RUN_DIR`` and ``ganfp resume RUN_DIR``
read.
"""

import argparse
import json
import os
import sys
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from .checkpoint import read_checkpoint, read_latest_checkpoint
from .data import TrainingData
from .draws import GanfpDraws, TorchDraws, ganfp_streams
from .network import Network
from .rundir import append_metrics, create_run_directory, run_manifest, save_checkpoint
from .step import GanStep
from .streams import Rng


def load_spec(root):
    with open(os.path.join(root, 'spec.json'), encoding='utf-8') as f:
        return json.load(f)


def build_networks(spec):
    """Both networks from the spec, on the CPU, their parameters still zero."""
    nets = spec['networks']
    generator = Network(spec['gan']['generator'], nets['generator']['paramSpecs'])
    discriminator = Network(spec['gan']['discriminator'], nets['discriminator']['paramSpecs'])
    return generator, discriminator


def _options(spec, argv):
    config = spec['run']['config']
    parser = argparse.ArgumentParser(prog='train.py', description=f"Train the {spec['run']['recipe']['name']} GAN exported by ganfp with PyTorch DDP.")
    parser.add_argument('--steps', type=int, required=True, help='generator steps in all')
    parser.add_argument('--out', required=True, help='the run directory to write (new or empty; with --resume, an existing run)')
    parser.add_argument('--batch-size', type=int, default=int(config.get('batch', 64)), help='global batch, split over the processes')
    parser.add_argument('--seed', type=int, default=int(spec['run']['seed']), help="seed of the run's random draws")
    parser.add_argument('--checkpoint-every', type=int, default=int(config.get('checkpoint-every', 500)), help='steps between checkpoints')
    parser.add_argument('--log-every', type=int, default=int(config.get('log-every', 10)), help='steps between progress lines')
    parser.add_argument('--keep', type=int, default=int(config.get('keep', 3)), help='checkpoints kept (the newest)')
    parser.add_argument('--draws', choices=['torch', 'ganfp'], default='torch', help="torch generators (fast), or ganfp's own streams: the latents, seeds and noise ganfp's trainer draws (slow)")
    parser.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto')
    parser.add_argument('--resume', action='store_true', help="continue the run in --out from its newest checkpoint")
    options = parser.parse_args(argv)
    for name in ('steps', 'batch_size', 'checkpoint_every', 'log_every', 'keep'):
        if getattr(options, name) < 1:
            parser.error(f'--{name.replace("_", "-")} must be a positive integer')
    return options


def _distributed(options):
    world = int(os.environ.get('WORLD_SIZE', '1'))
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    cuda = options.device == 'cuda' or (options.device == 'auto' and torch.cuda.is_available())
    device = torch.device(f'cuda:{local_rank}' if cuda else 'cpu')
    if cuda:
        torch.cuda.set_device(device)
    if world > 1 or 'RANK' in os.environ:
        dist.init_process_group('nccl' if cuda else 'gloo')
    rank = dist.get_rank() if dist.is_initialized() else 0
    return device, rank, world


def load_checkpoint_state(stepper, checkpoint):
    """The whole trainer state of a ganfp checkpoint: parameters, optimizer state, average, step."""
    tensors = checkpoint['tensors']
    stepper.G.load_ganfp_state_dict(tensors['generator.params'])
    stepper.D.load_ganfp_state_dict(tensors['discriminator.params'])
    if stepper.average is not None:
        source = tensors['generatorAverage'] if tensors['generatorAverage'] else tensors['generator.params']
        for path in stepper.average:
            stepper.average[path] = torch.as_tensor(source[path]).to(stepper.device)
    trainer = checkpoint['manifest']['trainer']
    stepper.g_opt.load(trainer['generatorOptimizerUpdates'], tensors['generator.optimizer'])
    stepper.d_opt.load(trainer['discriminatorOptimizerUpdates'], tensors['discriminator.optimizer'])
    stepper.steps = trainer['step']
    stepper.batches_seen = trainer['batchesSeen']


def main(argv=None, root=None):
    """Parses the command line and trains; a problem is one line on stderr and exit status 2."""
    try:
        train(argv, root)
    except (ValueError, OSError) as error:
        print(f'error: {error}', file=sys.stderr, flush=True)
        raise SystemExit(2) from None


def train(argv=None, root=None):
    root = root or os.path.dirname(os.path.abspath(sys.argv[0]))
    spec = load_spec(root)
    options = _options(spec, argv)
    device, rank, world = _distributed(options)
    if options.batch_size % world != 0:
        raise ValueError(f'--batch-size {options.batch_size} must be a multiple of the {world} processes')
    # Every process checks before any writes, so that all stop together rather than wait on one another.
    if not options.resume and os.path.isdir(options.out) and os.listdir(options.out):
        raise ValueError(f'--out: expected a new or empty directory, found the non-empty directory {options.out} (continue a run with --resume)')
    torch.manual_seed(options.seed * 7919 + rank)
    generator, discriminator = build_networks(spec)
    generator.to(device)
    discriminator.to(device)
    checkpoints = os.path.join(options.out, 'checkpoints')
    checkpoint = read_latest_checkpoint(checkpoints) if options.resume else read_checkpoint(os.path.join(root, spec['initialCheckpoint']))
    rng = checkpoint['manifest']['trainer']['rng']
    if options.resume or options.seed == spec['run']['seed']:
        streams = {k: Rng(rng[k]) for k in ('latent', 'noise', 'data')}
    else:
        streams = ganfp_streams(options.seed)
    step_offset = checkpoint['manifest']['trainer']['step']
    draws = GanfpDraws(streams, device) if options.draws == 'ganfp' else TorchDraws(options.seed + 104729 * step_offset, device, streams)
    wrap = (lambda m: DistributedDataParallel(m, device_ids=[device] if device.type == 'cuda' else None, broadcast_buffers=False)) if world > 1 else (lambda m: m)
    stepper = GanStep(spec, generator, discriminator, draws, device, options.batch_size,
                      generator_train=wrap(generator), discriminator_train=wrap(discriminator), shard=(rank, world))
    load_checkpoint_state(stepper, checkpoint)
    manifest = run_manifest(spec, options, device, world)
    if world > 1:
        dist.barrier()
    if options.resume:
        with open(os.path.join(options.out, 'manifest.json'), encoding='utf-8') as f:
            manifest = json.load(f)
    if rank == 0:
        if not options.resume:
            create_run_directory(options.out, manifest)
        print(f"ganfp-torch: {spec['run']['recipe']['name']}, {world} process(es) on {device.type}, global batch {options.batch_size}, steps {stepper.steps + 1}–{options.steps}, into {options.out}", flush=True)
    if world > 1:
        dist.barrier()
    data = TrainingData(spec['data'], root, device)
    flips = torch.Generator().manual_seed(options.seed * 104729 + rank)
    batches = data.batches(options.batch_size, rank, world, options.seed + step_offset, flips)
    started, first = time.time(), stepper.steps
    last_saved = None
    while stepper.steps < options.steps:
        report = stepper.step(lambda: next(batches))
        step = report['step']
        if rank != 0:
            continue
        seconds = time.time() - started
        rate = (step - first) / max(seconds, 1e-9)
        if step % options.log_every == 0 or step == options.steps or step == 1:
            append_metrics(options.out, report, seconds, rate)
            print(f"step {step}/{options.steps}  D {report['discriminatorLoss']:.4f}  G {report['generatorLoss']:.4f}  "
                  f"D(x) {report['realScore']:.3f}  D(G(z)) {report['fakeScore']:.3f}  {rate:.2f} steps/s", flush=True)
        if step % options.checkpoint_every == 0 or step == options.steps:
            last_saved = save_checkpoint(options.out, manifest, spec, stepper, draws.states() or rng, options.keep)
    if rank == 0:
        print(f'wrote {last_saved}' if last_saved is not None else f'nothing to do: the run is at step {stepper.steps} already (--steps {options.steps})', flush=True)
    if dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
