"""A ganfp run directory written from torch (src/node/run-directory.ts, src/run/record.ts).

``manifest.json`` names the recipe, its arguments and configuration, so that ``ganfp sample``,
``ganfp eval`` and ``ganfp resume`` rebuild the same GAN; ``metrics.jsonl`` holds one line per
logged step in ganfp's shape; ``checkpoints/`` holds ganfp checkpoints whose run record (recipe,
configuration less ``out`` and ``steps``, schedule phase, alarm state) ``ganfp resume`` checks
against the manifest.
"""

import json
import math
import os
import platform
import sys

import torch

from .checkpoint import utc_now, write_checkpoint
from .step import phase_at

# The run options ganfp's commands take on top of a recipe's (src/run/options.ts) that train.py sets.
_SET_HERE = ('steps', 'batch', 'seed', 'out', 'checkpoint-every')

_INITIAL_HEALTH = {
    'wonStreak': 0,
    'peakSpread': 0,
    'gradientNormAverage': {'generator': 0, 'discriminator': 0},
    'averagedSteps': {'generator': 0, 'discriminator': 0},
    'active': [],
}


def _without_run_options(argv):
    """The exported command line less the options set here (``--steps 5`` and ``--steps=5`` alike)."""
    kept, skip = [], False
    for word in argv:
        if skip:
            skip = False
            continue
        name = word[2:].split('=', 1)[0] if word.startswith('--') else None
        if name in _SET_HERE:
            skip = '=' not in word
            continue
        kept.append(word)
    return kept


def run_manifest(spec, options, device, world):
    """The run's manifest.json: the exported recipe and configuration with this run's options."""
    run = spec['run']
    set_here = {'steps': options.steps, 'batch': options.batch_size, 'seed': options.seed, 'out': options.out, 'checkpoint-every': options.checkpoint_every}
    argv = _without_run_options(run['argv']) + [w for key, value in set_here.items() for w in (f'--{key}', str(value))]
    return {
        'format': 'ganfp-run',
        'formatVersion': 1,
        'recipe': run['recipe'],
        'argv': argv,
        'config': {**run['config'], **set_here},
        'seed': options.seed,
        'backend': {'requested': 'torch', 'name': f'torch-{device.type}', 'reason': f'trained by PyTorch DistributedDataParallel, {world} process(es)'},
        'runtime': {'name': 'python', 'version': platform.python_version()},
        'versions': {'ganfp': spec['library']['version'], 'torch': torch.__version__, 'python': sys.version.split()[0]},
        'createdAt': utc_now(),
    }


def create_run_directory(path, manifest):
    """A new run directory (``path`` new or empty: a run is never written over another)."""
    if os.path.isdir(path) and os.listdir(path):
        hint = ' (the run directory of another run)' if os.path.exists(os.path.join(path, 'manifest.json')) else ''
        raise ValueError(f'--out: expected a new or empty directory, found the non-empty directory {path}{hint}')
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, 'manifest.json'), 'w', encoding='utf-8') as f:
        f.write(json.dumps(manifest, indent=2, ensure_ascii=False) + '\n')


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def append_metrics(path, report, seconds, steps_per_second):
    row = {**{k: _finite(v) for k, v in report.items()}, 'seconds': seconds, 'stepsPerSecond': steps_per_second, 'alarms': []}
    with open(os.path.join(path, 'metrics.jsonl'), 'a', encoding='utf-8') as f:
        f.write(json.dumps(row) + '\n')


def run_record(manifest, schedule, step):
    """What each checkpoint of the run carries besides the trainer's state."""
    config = {k: v for k, v in manifest['config'].items() if k not in ('out', 'steps')}
    return {'recipe': manifest['recipe']['name'], 'config': config, 'phase': phase_at(schedule, max(step, 1))[1], 'health': _INITIAL_HEALTH}


def checkpoint_groups(stepper):
    """The trainer's tensors in ganfp's checkpoint groups, in its order."""
    def numpy(t):
        return t.detach().cpu().numpy()

    groups = {
        'generator.params': [(p, numpy(t)) for p, t in stepper.G.tensors_by_path().items()],
        'generator.optimizer': [(k, numpy(t)) for k, t in stepper.g_opt.slots.items()],
        'discriminator.params': [(p, numpy(t)) for p, t in stepper.D.tensors_by_path().items()],
        'discriminator.optimizer': [(k, numpy(t)) for k, t in stepper.d_opt.slots.items()],
    }
    if stepper.average is not None:
        groups['generatorAverage'] = [(p, numpy(t)) for p, t in stepper.average.items()]
    return groups


def save_checkpoint(run_path, manifest, spec, stepper, rng_states, keep):
    trainer = {
        'step': stepper.steps,
        'batchesSeen': stepper.batches_seen,
        'rng': rng_states,
        'dataCursor': None,
        'generatorOptimizerUpdates': stepper.g_opt.updates,
        'discriminatorOptimizerUpdates': stepper.d_opt.updates,
    }
    record = run_record(manifest, spec['gan']['schedule'], stepper.steps)
    return write_checkpoint(os.path.join(run_path, 'checkpoints'), stepper.steps, checkpoint_groups(stepper), trainer, record, spec['library']['version'], keep)
