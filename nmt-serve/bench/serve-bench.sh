#!/usr/bin/env bash
# Throughput and latency of nmt serve: single-sentence POST /translate requests at several concurrencies, with wrk
# (apt-get install wrk) on loopback. Starts the server, warms it up, runs wrk once per concurrency, stops the server
# (SIGTERM: a script's background job ignores SIGINT), and prints one table row per concurrency. The raw wrk reports
# and the server's stderr go to OUT_DIR.
#
# Usage: nmt-serve/bench/serve-bench.sh [MODEL_DIR] [SENTENCES]
#   MODEL_DIR  default runs/bible-softmax
#   SENTENCES  one sentence per line, sent in turn (default: the first 500 lines of data/bible/test.es)
# Environment: BEAM (default 5; 1 is greedy), CONCURRENCY (default "1 8 64"), DURATION (default 30s),
#   WARMUP (default 15s), PORT (default 5077), OUT_DIR (default a temporary directory), SERVE_OPTS (more options
#   for nmt serve, e.g. "--max-batch 64"), NMT (the nmt command, default ./nmt; a "java -cp … org.nmt4j.cli.Main"
#   line avoids the launcher's rebuild).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MODEL="${1:-$ROOT/runs/bible-softmax}"
SENTENCES="${2:-}"
BEAM="${BEAM:-5}"
CONCURRENCY="${CONCURRENCY:-1 8 64}"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-15s}"
PORT="${PORT:-5077}"
OUT_DIR="${OUT_DIR:-$(mktemp -d)}"
URL="http://127.0.0.1:$PORT"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

command -v wrk >/dev/null || { echo "serve-bench: needs wrk (sudo apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "serve-bench: needs curl" >&2; exit 1; }
mkdir -p "$OUT_DIR"
if [ -z "$SENTENCES" ]; then
  SENTENCES="$OUT_DIR/sentences.txt"
  head -n 500 "$ROOT/data/bible/test.es" > "$SENTENCES"
fi
export SENTENCES BEAM

# shellcheck disable=SC2086
${NMT:-$ROOT/nmt} serve -m "$MODEL" --port "$PORT" ${SERVE_OPTS:-} 2> "$OUT_DIR/server.log" &
server=$!
stop() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 300); do
  curl -sf "$URL/health" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$OUT_DIR/server.log" >&2; exit 1; }
  sleep 1
done
curl -sf "$URL/info" > "$OUT_DIR/info.json"

wrk -t 2 -c 8 -d "$WARMUP" --timeout 60s -s "$ROOT/nmt-serve/bench/translate.lua" "$URL" > "$OUT_DIR/warmup.txt"

echo "model: $MODEL, beam $BEAM, $(wc -l < "$SENTENCES") sentences, $DURATION per run; wrk reports in $OUT_DIR"
echo "| concurrency | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|"
for c in $CONCURRENCY; do
  report="$OUT_DIR/wrk-c$c.txt"
  wrk -t "$(( c < 2 ? c : 2 ))" -c "$c" -d "$DURATION" --timeout 60s --latency \
      -s "$ROOT/nmt-serve/bench/translate.lua" "$URL" > "$report"
  awk -v c="$c" '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "| %d | %s | %s | %s | %d |\n", c, rps, p50, p99, errors }
  ' "$report"
done
