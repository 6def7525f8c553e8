#!/bin/sh
# The GPU pack's entry: parity and throughput on the provider (default webgpu) against CPU, one table.
# ./run.sh [--provider webgpu|cuda|cpu] [--seconds 5] [--clients 1,16]; needs nothing but this folder
# (and, for WebGPU, NVIDIA's driver with libvulkan.so.1).
cd "$(dirname "$0")" || exit 1
exec ./bin/node dist/backend/gpu-check.js "$@"
