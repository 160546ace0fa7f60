"""ganfp's GANs in PyTorch: a spec exported by `ganfp export --format torch`, trained with
DistributedDataParallel, read and written as ganfp's checkpoints and run directories.

- ``layers``, ``chains``, ``network``: every ganfp layer kind as a ``torch.nn`` module, parameters by ganfp path;
- ``losses``, ``optim``, ``step``: ganfp's losses, penalties, optimizers and schedule step;
- ``checkpoint``, ``rundir``: ganfp's checkpoint format and run directory;
- ``data``, ``draws``, ``streams``: the exported data and the step's random numbers;
- ``train``: the ``torchrun`` entry point.
"""

from .chains import layer_tags
from .layers import Pass
from .network import Network, ganfp_path

__all__ = ['Network', 'Pass', 'ganfp_path', 'layer_tags']
