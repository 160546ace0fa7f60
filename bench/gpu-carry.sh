#!/usr/bin/env bash
# Packs what bench/gpu.sh needs into .gpu/ for a bare GPU machine that reaches no registry (the
# device machines lent to this project have PyTorch CUDA and the NVIDIA driver, but no Node, Deno
# or Vulkan loader): Deno (xz, ≈ 31 MB), B2 and B3 bundled with their dependencies by esbuild
# (≈ 5 MB, scripts/bundle-benches.mjs), and Debian's Vulkan loader with glvnd: Deno's WebGPU (wgpu)
# opens the loader, and the NVIDIA driver's Vulkan library (libGLX_nvidia) needs glvnd's dispatch.
# Run here after `npm ci`, from the repository root; then copy the tree with .gpu/ to the GPU
# machine and run `bash bench/gpu.sh` there.
set -euo pipefail
rm -rf .gpu && mkdir -p .gpu
node scripts/bundle-benches.mjs .gpu
xz -T0 -6 -c node_modules/deno/deno > .gpu/deno.xz
mkdir -p /tmp/gpu-carry-apt/partial
apt_amd64=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/gpu-carry-apt)
apt-get "${apt_amd64[@]}" update -qq
(cd .gpu && apt-get "${apt_amd64[@]}" download libvulkan1 libglvnd0 libglx0 libgl1 libegl1 libopengl0 libgles2 2>/dev/null)
du -sh .gpu
