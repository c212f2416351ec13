#!/usr/bin/env bash
# GPU check of the rollout engine (issue 13): on a machine with an NVIDIA GPU, runs the engine on
# CUDA for the tiny checkpoint, stories260K and a random 15M Llama, compares greedy ids with the
# CPU (float32 must match; bfloat16 is reported), and prints CUDA tokens/s at batch 1/16/64.
# Under 5 minutes (timeout 300 s). Never run here: the development machines have no GPU.
#
#   bench/gpu-check.sh [sharedDataDir]          (default ../shared/data)
#
# libtorch: the build ships the CPU libtorch (pytorch-native-cpu). For CUDA, either
#   - put DJL's CUDA build of PyTorch 2.7.1 on the classpath: GPU_NATIVE_JAR=/path/to/
#     pytorch-native-cu<ver>-2.7.1-linux-x86_64.jar (not served to this workplace's Maven mirror), or
#   - point DJL at an installed CUDA libtorch 2.7.1 (e.g. pip torch==2.7.1's lib folder):
#     PYTORCH_LIBRARY_PATH=/.../site-packages/torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu126
#   DJL needs a JNI library matching that flavor in its cache (~/.djl.ai, or DJL_CACHE_DIR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${1:-../shared/data}"
target="${GRISTMILL_TARGET:-target-gpu-check}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || {
  echo "no nvidia-smi: not a GPU machine" >&2; exit 2; }
mvn -B -q -ntp -o -pl bench -am compile dependency:build-classpath \
  -Dgristmill.target="$target" -Dmdep.outputFile="$root/bench/$target/cp.txt" >/dev/null
cp="bench/$target/classes:$(cat "bench/$target/cp.txt")"
for m in core rollout; do cp="$m/$target/classes:$cp"; done
if [ -n "${GPU_NATIVE_JAR:-}" ]; then
  cp="$GPU_NATIVE_JAR:$(echo "$cp" | tr ':' '\n' | grep -v pytorch-native-cpu | paste -sd:)"
fi
exec timeout 300 java -Xmx8g -Dai.djl.offline=true -cp "$cp" \
  io.gristmill.bench.rollout.GpuCheckMain "$shared"
