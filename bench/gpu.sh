#!/usr/bin/env bash
# Protocols B2 and B3 on a machine with a GPU: DCGAN ms/iteration on Deno's WebGPU (hardware
# adapter) against PyTorch CUDA on the same machine, at 28×28×1 (B2's size) and 64×64×3 (PyTorch's
# DCGAN example), and B3's device counts and steps/s on Deno and, where Node and Chromium are
# installed, in headless Chromium with the hardware adapter. Two ways to run it, from the
# repository root:
# - on a machine set up as .ci/run sets one up (npm ci), plus a CUDA build of PyTorch at
#   /usr/bin/python3 (`--torch-device cuda` skips with a message without one): bash bench/gpu.sh
# - on a bare GPU machine with no registry: here `bash bench/gpu-carry.sh`, then copy the tree with
#   .gpu/ there and run bash bench/gpu.sh (it unpacks Deno and the Vulkan loader from .gpu/ and
#   takes PyTorch from the python3 on PATH).
# OUT (default out/) receives each table as a file.
set -euo pipefail
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
out="${OUT:-out}"
mkdir -p "$out"
if [ -f .gpu/deno.xz ]; then
  for deb in .gpu/*.deb; do dpkg -x "$deb" /; done
  ldconfig
  # The NVIDIA driver's Vulkan ICD where the driver is mounted rather than installed.
  nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$nvidia_icd" ]; then export VK_DRIVER_FILES="$nvidia_icd"; fi
  xz -d -c .gpu/deno.xz > /tmp/deno && chmod 755 /tmp/deno
  deno=/tmp/deno b2=.gpu/b2.js b3=.gpu/b3.js torch="$(command -v python3)"
else
  deno=node_modules/.bin/deno b2=bench/b2.ts b3=bench/b3.ts torch=/usr/bin/python3
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || echo "no nvidia-smi: is there a GPU here?"
"$deno" eval 'const a = await navigator.gpu?.requestAdapter({ powerPreference: "high-performance" }); console.log("Deno WebGPU adapter:", a ? JSON.stringify({ vendor: a.info.vendor, architecture: a.info.architecture, device: a.info.device, description: a.info.description }) : "none")'
"$deno" run -A "$b2" --backends webgpu --width 64 --iterations 20 --torch "$torch" --torch-device cuda --leak-iterations 0 | tee "$out/b2-28.txt"
"$deno" run -A "$b2" --backends webgpu --size 64 --channels 3 --width 64 --iterations 20 --torch "$torch" --torch-device cuda --leak-iterations 0 | tee "$out/b2-64.txt"
"$deno" run -A "$b3" --backends webgpu --steps 100 --read-every 10 --browser no --json "$out/b3-gpu-deno.json" | tee "$out/b3-deno.txt"
if command -v node >/dev/null && [ -x /usr/bin/chromium ] && [ -d node_modules/playwright-core ]; then
  # Chromium picks the hardware adapter when Vulkan is on; the driver prints which adapter it got.
  B3_CHROMIUM_ARGS='--enable-features=Vulkan --ignore-gpu-blocklist' node bench/b3-browser.mjs --steps=100 --read-every=10 | tee "$out/b3-chromium.txt"
else
  echo "Chromium: skipped (needs Node, /usr/bin/chromium and npm ci's playwright-core)"
fi
