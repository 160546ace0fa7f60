"""Trains the GAN exported beside this file (spec.json) with PyTorch DistributedDataParallel:

    torchrun --nproc_per_node N train.py --steps S --out RUN_DIR [--batch-size B] [--seed N]

See ganfp_torch/train.py for every option. Written by `ganfp export --format torch`.
"""

from ganfp_torch.train import main

if __name__ == '__main__':
    main()
