"""ganfp's checkpoint format (src/io/checkpoint-format.ts, src/node/checkpoint.ts), read and written.

A checkpoint is a directory ``step-NNNNNNNN/`` holding ``manifest.json`` (format, library version,
the trainer's scalar state, the run record, a table of tensors: group, path, shape, byte range) and
``tensors.bin`` (every tensor's float32 values, little-endian, back to back; its SHA-256 is in the
manifest). The groups, in order: ``generator.params``, ``generator.optimizer``,
``discriminator.params``, ``discriminator.optimizer``, ``generatorAverage``. A checkpoint is
written into a hidden temporary directory and renamed into place, so a crash leaves all of it or
none; the newest ``keep`` are kept. Reading checks sizes, offsets and the digest, as ganfp does.
"""

import datetime
import hashlib
import json
import os
import re
import shutil

import numpy as np

GROUPS = ('generator.params', 'generator.optimizer', 'discriminator.params', 'discriminator.optimizer', 'generatorAverage')
_STEP_DIRECTORY = re.compile(r'^step-(\d{8,})$')


class CheckpointError(ValueError):
    """A checkpoint that is not intact: the message names the file and field, as ganfp's errors do."""


def step_directory_name(step):
    return f'step-{step:08d}'


def list_checkpoints(directory):
    """``[(step, path)]``, oldest first; none for an absent directory."""
    if not os.path.isdir(directory):
        return []
    found = [(int(m.group(1)), os.path.join(directory, name)) for name in os.listdir(directory) if (m := _STEP_DIRECTORY.match(name))]
    return sorted(found)


def read_checkpoint(path):
    """``{manifest, tensors: {group: {path: float32 array}}}`` of the checkpoint at ``path``."""
    where = f'checkpoint({path})'
    try:
        with open(os.path.join(path, 'manifest.json'), encoding='utf-8') as f:
            manifest = json.load(f)
        with open(os.path.join(path, 'tensors.bin'), 'rb') as f:
            data = f.read()
    except (OSError, ValueError) as error:
        raise CheckpointError(f'{where}: {error}') from error
    if manifest.get('format') != 'ganfp-checkpoint' or manifest.get('formatVersion') != 1:
        raise CheckpointError(f'{where}.manifest.json: not a ganfp checkpoint (format version 1)')
    if len(data) != manifest['tensorBytes']:
        raise CheckpointError(f'{where}.tensors.bin: {len(data)} bytes, expected {manifest["tensorBytes"]}')
    digest = hashlib.sha256(data).hexdigest()
    if digest != manifest['sha256']:
        raise CheckpointError(f'{where}.tensors.bin: SHA-256 {digest}, expected {manifest["sha256"]} (the file was altered)')
    tensors = {group: {} for group in GROUPS}
    offset = 0
    for i, entry in enumerate(manifest['tensors']):
        size = int(np.prod(entry['shape'])) if entry['shape'] else 1
        if entry['offset'] != offset or entry['byteLength'] != size * 4:
            raise CheckpointError(f'{where}.manifest.json.tensors[{i}]: byte range does not follow the previous one or fit its shape')
        values = np.frombuffer(data, dtype='<f4', count=size, offset=offset).reshape(entry['shape'])
        tensors[entry['group']][entry['path']] = values.astype(np.float32)
        offset += entry['byteLength']
    return {'manifest': manifest, 'tensors': tensors}


def read_latest_checkpoint(directory):
    found = list_checkpoints(directory)
    if not found:
        raise CheckpointError(f'checkpoints({directory}): no step-NNNNNNNN checkpoint')
    return read_checkpoint(found[-1][1])


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def encode_checkpoint(groups, trainer, run, library_version):
    """The manifest and tensor bytes of a checkpoint. ``groups``: ``{group: [(path, array)]}``;
    ``trainer``: step, batchesSeen, rng, dataCursor, the optimizers' update counts."""
    entries, chunks, offset = [], [], 0
    for group in GROUPS:
        for path, values in groups.get(group, []):
            array = np.ascontiguousarray(np.asarray(values, dtype='<f4'))
            entries.append({'group': group, 'path': path, 'shape': list(array.shape), 'offset': offset, 'byteLength': array.nbytes})
            chunks.append(array.tobytes())
            offset += array.nbytes
    data = b''.join(chunks)
    manifest = {
        'format': 'ganfp-checkpoint',
        'formatVersion': 1,
        'library': {'name': 'ganfp', 'version': library_version},
        'createdAt': utc_now(),
        'trainer': {**trainer, 'hasGeneratorAverage': 'generatorAverage' in groups},
        'run': run,
        'tensors': entries,
        'tensorBytes': len(data),
        'sha256': hashlib.sha256(data).hexdigest(),
    }
    return manifest, data


def _write_flushed(path, data):
    with open(path, 'wb') as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_checkpoint(directory, step, groups, trainer, run, library_version, keep=None):
    """Writes ``step-NNNNNNNN`` atomically (a step already there is kept as it is) and prunes to ``keep``."""
    os.makedirs(directory, exist_ok=True)
    final = os.path.join(directory, step_directory_name(step))
    for name in os.listdir(directory):
        if name.startswith('.step-'):
            shutil.rmtree(os.path.join(directory, name), ignore_errors=True)
    if not os.path.exists(final):
        manifest, data = encode_checkpoint(groups, {**trainer, 'step': step}, run, library_version)
        temporary = os.path.join(directory, f'.{step_directory_name(step)}.{os.getpid()}.tmp')
        os.makedirs(temporary)
        _write_flushed(os.path.join(temporary, 'tensors.bin'), data)
        text = json.dumps(manifest, indent=1, ensure_ascii=False) + '\n'
        _write_flushed(os.path.join(temporary, 'manifest.json'), text.encode('utf-8'))
        os.rename(temporary, final)
    if keep is not None:
        for _, old in list_checkpoints(directory)[: -keep]:
            shutil.rmtree(old, ignore_errors=True)
    return final
