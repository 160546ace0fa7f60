#!/usr/bin/env bash
# Protocol B2 and B3 on a machine with a GPU (none was lent to this project yet): DCGAN ms/iteration
# on Deno's WebGPU (hardware adapter) against PyTorch CUDA on the same machine, and B3's device
# counts and steps/s on Deno and in headless Chromium with the hardware adapter. Needs what
# .ci/run installs, plus a CUDA build of PyTorch for the reference (`--torch-device cuda` skips
# with a message without one). Run from the repository root: bash bench/gpu.sh
set -euo pipefail
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
deno=node_modules/.bin/deno
mkdir -p out
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || echo "no nvidia-smi: is there a GPU here?"
"$deno" run -A bench/b2.ts --backends webgpu,wasm --width 64 --iterations 20 --torch-device cuda --leak-iterations 0
"$deno" run -A bench/b3.ts --steps 100 --read-every 10 --browser no --json out/b3-gpu-deno.json
# Chromium picks the hardware adapter when Vulkan is on; the driver prints which adapter it got.
B3_CHROMIUM_ARGS='--enable-features=Vulkan --ignore-gpu-blocklist' node bench/b3-browser.mjs --steps=100 --read-every=10
