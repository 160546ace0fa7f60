"""PyTorch CPU reference DCGAN for protocols B2 (speed) and Q2 (sample quality at equal wall-clock).

At --size 28 (the default) the model mirrors `dcganGan({ width, latentDim })` in recipes/dcgan.ts
(NCHW here, NHWC there); at --size 16..256 (a power of two) with --channels 1|3 it mirrors
`dcganGan({ width, latentDim, size, channels })`, PyTorch's own DCGAN example layout (4×4
kernels, stride 2, padding 1, which is TF's 'same' here: both pad one pixel on each side; the
first layer a dense map to 4×4, the same map as the example's 4×4 transposed convolution of a 1×1
input; no biases but the critic's logit). Both: the same layers, 'same' padding, Glorot-uniform
kernels and zero biases, batch norm with TF's momentum 0.99 (torch momentum 0.01) and epsilon
1e-3, non-saturating loss from logits, Adam 2e-4, betas (0.5, 0.999), eps 1e-8. One iteration =
one D step (a real and a fake batch) + one G step, each with a fresh latent batch z ~ N(0, 1).
Known differences, immaterial to speed: at 28, TF's 'same' padding (5×5, stride 2) pads one pixel
less on the top/left than torch's symmetric padding=2, torch's moving variance is unbiased, and samples come from the trained G (the recipe uses an EMA of G).

Setup on Debian: `apt install python3-torch libopenblas0-pthread`. Without OpenBLAS, Debian's torch
falls back to the reference BLAS and a width-64 iteration takes ≈ 3.5 s instead of ≈ 0.37 s here.
Run with OPENBLAS_NUM_THREADS=1 so OpenBLAS does not spawn its own threads on top of torch's
(`--threads` sets torch's; default: all cores):

  OPENBLAS_NUM_THREADS=1 python3 bench/torch_dcgan.py --bench --width 64 --iterations 20
  OPENBLAS_NUM_THREADS=1 python3 bench/torch_dcgan.py --train --minutes 20 --data train.npy --out out/torch

--bench prints ms per iteration (median), GFLOP per iteration (analytic) and GFLOP/s, then a
`RESULT {json}` line. --train reads N×S×S(×C) float32 images in [0, 1] (S = --size, 28 by default)
and writes DIR/samples.npy (2,000 samples, float32 2000×S×S(×C) in [0, 1]). Without PyTorch it
prints `SKIP: ...` and exits 0.
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:  # optional dependency: the benchmark skips the reference
    print(f"SKIP: PyTorch is not installed ({e})")
    sys.exit(0)

# The recipe's generator activation (leakyRelu(0.2) in recipes/dcgan.ts).
GENERATOR_ACTIVATION = lambda: nn.LeakyReLU(0.2)
BN = dict(momentum=0.01, eps=1e-3)  # TF momentum 0.99 = torch momentum 0.01


def generator(w, latent):
    return nn.Sequential(
        nn.Linear(latent, 7 * 7 * 4 * w, bias=False), nn.BatchNorm1d(7 * 7 * 4 * w, **BN), GENERATOR_ACTIVATION(),
        # TS reshapes NHWC [7, 7, 4w]; channel-last vs channel-first order is only a permutation of units.
        nn.Unflatten(1, (4 * w, 7, 7)),
        nn.ConvTranspose2d(4 * w, 2 * w, 5, stride=1, padding=2, bias=False), nn.BatchNorm2d(2 * w, **BN), GENERATOR_ACTIVATION(),
        nn.ConvTranspose2d(2 * w, w, 5, stride=2, padding=2, output_padding=1, bias=False), nn.BatchNorm2d(w, **BN), GENERATOR_ACTIVATION(),
        nn.ConvTranspose2d(w, 1, 5, stride=2, padding=2, output_padding=1), nn.Tanh(),
    )


def discriminator(w):
    return nn.Sequential(
        nn.Conv2d(1, w, 5, stride=2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Conv2d(w, 2 * w, 5, stride=2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(0.3),
        nn.Flatten(), nn.Linear(7 * 7 * 2 * w, 1),  # a logit
    )


def sized_generator(w, latent, size, channels):
    blocks = int(size).bit_length() - 3  # log2(size) - 2
    top = w * 2 ** (blocks - 1)
    layers = [nn.Linear(latent, 16 * top, bias=False), nn.Unflatten(1, (top, 4, 4)), nn.BatchNorm2d(top, **BN), nn.ReLU()]
    c = top
    for _ in range(blocks - 1):
        layers += [nn.ConvTranspose2d(c, c // 2, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(c // 2, **BN), nn.ReLU()]
        c //= 2
    return nn.Sequential(*layers, nn.ConvTranspose2d(c, channels, 4, stride=2, padding=1, bias=False), nn.Tanh())


def sized_discriminator(w, size, channels):
    blocks = int(size).bit_length() - 3
    layers = [nn.Conv2d(channels, w, 4, stride=2, padding=1, bias=False), nn.LeakyReLU(0.2)]
    c = w
    for _ in range(blocks - 1):
        layers += [nn.Conv2d(c, 2 * c, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(2 * c, **BN), nn.LeakyReLU(0.2)]
        c *= 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(16 * c, 1))  # a logit


def sized_macs(w, latent, size, channels):
    """As macs_per_example, for the sized layout: dense to 4×4, then transposed convs (input pixels × 16 × C_in × C_out)."""
    blocks = int(size).bit_length() - 3
    top = w * 2 ** (blocks - 1)
    g, d, c, side = latent * 16 * top, 16 * top, top, 4
    for _ in range(blocks - 1):
        g += side * side * 16 * c * (c // 2)
        c, side = c // 2, side * 2
    g += side * side * 16 * c * channels
    c, side = channels, size // 2
    for i in range(blocks):
        out = w * 2 ** i
        d += side * side * 16 * c * out
        c, side = out, side // 2
    return g, d


def glorot(model):
    # Keras/our initialisers (torch's default is Kaiming-uniform): Glorot-uniform kernels, zero biases.
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def macs_per_example(w, latent):
    """Multiply-adds of one forward pass per example, for (generator, discriminator).

    Convolution: output pixels × k² × C_in × C_out; transposed convolution: input pixels × k² ×
    C_in × C_out (each input pixel scatters a k×k×C_out patch); dense: in × out. Batch norm,
    activations, dropout and the loss are left out (elementwise, a few % at most).
    """
    g = latent * 7 * 7 * 4 * w + 7 * 7 * 25 * 4 * w * 2 * w + 7 * 7 * 25 * 2 * w * w + 14 * 14 * 25 * w * 1
    d = 14 * 14 * 25 * 1 * w + 7 * 7 * 25 * w * 2 * w + 7 * 7 * 2 * w * 1
    return g, d


def gflop_per_iteration(w, latent, batch, size=28, channels=1):
    """FLOPs (2 per multiply-add) of one iteration. Convention: forward F, backward 2F (input and
    weight gradients) for every layer, even where an input gradient is not needed.
    D step: G forward on B + D forward+backward on 2B (real, fake). G step: G and D forward+backward on B."""
    macs = macs_per_example(w, latent) if size == 28 else sized_macs(w, latent, size, channels)
    g, d = (2 * m for m in macs)
    d_step = g * batch + 3 * d * 2 * batch
    g_step = 3 * g * batch + 3 * d * batch
    return (d_step + g_step) / 1e9


class Dcgan:
    def __init__(self, w, latent, batch, device="cpu", size=28, channels=1):
        self.latent, self.batch, self.device = latent, batch, device
        g = generator(w, latent) if size == 28 else sized_generator(w, latent, size, channels)
        d = discriminator(w) if size == 28 else sized_discriminator(w, size, channels)
        self.g, self.d = glorot(g).to(device), glorot(d).to(device)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=2e-4, betas=(0.5, 0.999), eps=1e-8)
        self.bce = nn.BCEWithLogitsLoss()
        self.ones, self.zeros = torch.ones(batch, 1, device=device), torch.zeros(batch, 1, device=device)

    def step(self, real):
        # D step: real → 1, fake → 0; the fake batch is made without a graph through G.
        with torch.no_grad():
            fake = self.g(torch.randn(self.batch, self.latent, device=self.device))
        d_loss = self.bce(self.d(real), self.ones) + self.bce(self.d(fake), self.zeros)
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        self.opt_d.step()
        # G step (non-saturating): G wants D to call a fresh fake batch real.
        g_loss = self.bce(self.d(self.g(torch.randn(self.batch, self.latent, device=self.device))), self.ones)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        return d_loss.item(), g_loss.item()


def bench(args):
    if args.device == "cuda" and not torch.cuda.is_available():
        print("SKIP: --device cuda, but this PyTorch sees no CUDA device")
        sys.exit(0)
    model = Dcgan(args.width, args.latent_dim, args.batch, args.device, args.size, args.channels)
    real = torch.rand(args.batch, args.channels, args.size, args.size, device=args.device) * 2 - 1  # speed only: random data in [-1, 1]
    times = []
    for i in range(args.warmup + args.iterations):
        start = time.perf_counter()
        model.step(real)  # .item() inside waits for the work to finish
        if i >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    gflop = gflop_per_iteration(args.width, args.latent_dim, args.batch, args.size, args.channels)
    where = torch.cuda.get_device_name() if args.device == "cuda" else "CPU"
    print(f"PyTorch {torch.__version__}, {where}, {torch.get_num_threads()} threads, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print(f"DCGAN {args.size}×{args.size}×{args.channels}, width {args.width}, latent {args.latent_dim}, batch {args.batch}; "
          f"median of {args.iterations} iterations after {args.warmup} warm-up")
    print("FLOPs: 2 per multiply-add of conv/transposed conv/dense layers, forward F + backward 2F per layer")
    print("| ms / iteration | GFLOP / iteration | GFLOP/s |")
    print("|---|---|---|")
    print(f"| {ms:.1f} | {gflop:.2f} | {gflop / (ms / 1000):.2f} |")
    print("RESULT " + json.dumps({
        "ms_per_iteration": round(ms, 3), "gflop_per_iteration": round(gflop, 4),
        "gflops": round(gflop / (ms / 1000), 3), "width": args.width, "batch": args.batch, "size": args.size, "channels": args.channels,
        "threads": torch.get_num_threads(), "device": args.device,
    }))


def train(args):
    shape = (-1, args.size, args.size, args.channels)  # NHWC as the recipes write them (N×S×S for one channel)
    images = np.load(args.data).astype(np.float32).reshape(shape).transpose(0, 3, 1, 2) * 2 - 1  # [0, 1] → [-1, 1]
    if len(images) < args.batch:
        sys.exit(f"{args.data}: {len(images)} images, fewer than one batch of {args.batch}")
    data = torch.from_numpy(images)
    rng = np.random.default_rng(args.seed)
    model = Dcgan(args.width, args.latent_dim, args.batch, "cpu", args.size, args.channels)
    start, steps, budget = time.perf_counter(), 0, args.minutes * 60
    while time.perf_counter() - start < budget:
        order = torch.from_numpy(rng.permutation(len(data)))  # a fresh shuffle each epoch
        for i in range(0, len(data) - args.batch + 1, args.batch):  # full batches only
            d_loss, g_loss = model.step(data[order[i:i + args.batch]])
            steps += 1
            if steps % 200 == 0:
                print(f"step {steps}  D loss {d_loss:.3f}  G loss {g_loss:.3f}  {time.perf_counter() - start:.0f} s", flush=True)
            if time.perf_counter() - start >= budget:
                break
    seconds = time.perf_counter() - start
    model.g.eval()  # batch norm from its moving statistics
    with torch.no_grad():
        samples = model.g(torch.randn(2000, args.latent_dim)).permute(0, 2, 3, 1)
    if args.channels == 1:
        samples = samples.reshape(2000, args.size, args.size)
    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "samples.npy"), ((samples.numpy() + 1) / 2).astype(np.float32))
    print(f"trained {steps} iterations in {seconds:.1f} s; wrote {os.path.join(args.out, 'samples.npy')}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--bench", action="store_true", help="time iterations on random data (default)")
    mode.add_argument("--train", action="store_true", help="train on --data for --minutes, write --out/samples.npy")
    p.add_argument("--width", type=int, default=64, help="channels of the last G block (64: TF tutorial's 256/128/64)")
    p.add_argument("--latent-dim", type=int, default=64)
    p.add_argument("--size", type=int, default=28, help="28 (the bundled layout) or a power of two from 16 to 256")
    p.add_argument("--channels", type=int, choices=[1, 3], default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--minutes", type=float, default=20)
    p.add_argument("--data", help="float32 N×S×S(×C) .npy in [0, 1]")
    p.add_argument("--out", default="out/torch-dcgan")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where --bench runs (cuda: protocol B2 on a GPU machine)")
    args = p.parse_args()
    if args.size != 28 and not (16 <= args.size <= 256 and args.size & (args.size - 1) == 0):
        p.error("--size: 28, or a power of two from 16 to 256")
    if args.size == 28 and args.channels != 1:
        p.error("--channels 3 needs a power-of-two --size (28 is the bundled 28×28×1 layout)")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.train:
        if not args.data:
            p.error("--train needs --data PATH.npy")
        train(args)
    else:
        bench(args)


if __name__ == "__main__":
    main()
