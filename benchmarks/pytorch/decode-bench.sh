#!/usr/bin/env bash
# Translation speed, PyTorch and nmt4j one after the other on the same test set and model (see README.md,
# "PyTorch reference: translation speed"). Run from anywhere, on a quiet machine, after ./nmt has built the
# classpath and ExportWeights.java has written the weights:
#   benchmarks/pytorch/decode-bench.sh [MODEL_DIR] [WEIGHTS_DIR] [TEST_SOURCE]
# Environment: OB (OpenBLAS directory for torch, see README.md), CONFIGS (nmt4j "THREADS BATCH" pairs),
# TORCH_BATCHES (PyTorch batch sizes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/runs/bible-softmax}"
WEIGHTS="${2:-/tmp/bible-softmax-weights}"
SOURCE="${3:-$ROOT/data/bible/test.es}"
OB="${OB:-/tmp/openblas/omp/usr/lib/x86_64-linux-gnu/openblas-openmp}"
CONFIGS="${CONFIGS:-2 32,1 32,2 64,2 128}"
TORCH_BATCHES="${TORCH_BATCHES:-32 64}"
OUT="$(mktemp -d)"
export OMP_WAIT_POLICY=PASSIVE
CP="$(cat "$ROOT/nmt-serve/target/nmt.classpath")"
cd "$ROOT"
uptime
for beam in 1 5; do
  name=$([ "$beam" = 1 ] && echo greedy || echo beam5)
  reference="$MODEL/test.$name.en"
  compare=()
  if [ -f "$reference" ]; then compare=(--compare "$reference"); fi
  for batch in $TORCH_BATCHES; do
    echo "== PyTorch, beam $beam, 2 threads, batch $batch"
    LD_LIBRARY_PATH=$OB /usr/bin/time -f "peak RSS %M KB" /usr/bin/python3 benchmarks/pytorch/seq2seq_translate.py \
        -m "$MODEL" -w "$WEIGHTS" -i "$SOURCE" --beam "$beam" --threads 2 --batch-size "$batch" \
        -o "$OUT/torch.$name.b$batch.txt" ${compare[@]+"${compare[@]}"} 2>&1 | grep -E "^translated|identical|peak"
  done
  IFS=, read -r -a configs <<< "$CONFIGS"
  for config in "${configs[@]}"; do
    read -r threads batch <<< "$config"
    echo "== nmt4j, beam $beam, --threads $threads --batch-size $batch"
    /usr/bin/time -f "peak RSS %M KB" java -Xmx4g --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 \
        -cp "$CP" org.nmt4j.cli.Main translate -m "$MODEL" -i "$SOURCE" \
        -o "$OUT/nmt4j.$name.t$threads.b$batch.txt" --beam "$beam" --threads "$threads" --batch-size "$batch" 2>&1 \
        | grep -E "^translated|peak"
    if [ -f "$reference" ]; then
      cmp -s "$OUT/nmt4j.$name.t$threads.b$batch.txt" "$reference" && echo "identical to $reference" \
          || echo "differs from $reference"
    fi
  done
  uptime
done
echo "outputs in $OUT"
