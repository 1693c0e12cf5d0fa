#!/usr/bin/env bash
# train-spm.sh --out DIR --src FILE --tgt FILE [options]
#
# Trains SentencePiece models with Debian's spm_train (package `sentencepiece`, installed with
# apt-get when missing) with the special ids nmt4j expects: pad=0 unk=1 bos=2 eos=3.
#
# Modes:
#   joint (default)  one model on both sides:       DIR/spm.model, DIR/spm.vocab
#   --separate       one model per side:            DIR/spm.src.model/.vocab, DIR/spm.tgt.model/.vocab
#
# Options:
#   --vocab-size N            pieces per model (default 8000)
#   --model-type T            unigram (default) or bpe
#   --character-coverage F    share of characters covered (default 1.0: keep every character)
#   --input-sentence-size N   sample at most N sentences per model (default 0: use all)
#   --seed N                  spm_train --random_seed (default 1)
#   --threads N               spm_train --num_threads (default: nproc)
#   --force                   retrain even if the model files exist
#
# Idempotent: a model whose .model file exists is left alone unless --force. Models are trained in
# a temporary folder inside DIR and moved into place when complete (.vocab first, .model last).
set -euo pipefail

die() { echo "[train-spm] error: $*" >&2; exit 1; }
usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUT='' SRC='' TGT='' VOCAB=8000 TYPE=unigram COVERAGE=1.0 SENTENCES=0 SEED=1 SEPARATE=0 FORCE=0
THREADS=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=${2:?}; shift 2;;
    --src) SRC=${2:?}; shift 2;;
    --tgt) TGT=${2:?}; shift 2;;
    --vocab-size) VOCAB=${2:?}; shift 2;;
    --model-type) TYPE=${2:?}; shift 2;;
    --character-coverage) COVERAGE=${2:?}; shift 2;;
    --input-sentence-size) SENTENCES=${2:?}; shift 2;;
    --seed) SEED=${2:?}; shift 2;;
    --threads) THREADS=${2:?}; shift 2;;
    --separate) SEPARATE=1; shift;;
    --joint) SEPARATE=0; shift;;
    --force) FORCE=1; shift;;
    -h|--help) usage;;
    *) echo "[train-spm] unknown argument: $1" >&2; usage;;
  esac
done
[ -n "$OUT" ] && [ -n "$SRC" ] && [ -n "$TGT" ] || usage
for f in "$SRC" "$TGT"; do
  [ -f "$f" ] || die "input file not found: $f"
  [ -s "$f" ] || die "input file is empty: $f"
done
case "$TYPE" in unigram|bpe) ;; *) die "--model-type must be unigram or bpe, not '$TYPE'";; esac
[[ "$VOCAB" =~ ^[1-9][0-9]*$ ]] || die "--vocab-size must be a positive integer, not '$VOCAB'"
[[ "$COVERAGE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "--character-coverage must be in [0, 1], not '$COVERAGE'"

if ! command -v spm_train >/dev/null 2>&1; then
  echo "[train-spm] spm_train not found: installing Debian package sentencepiece" >&2
  SUDO=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "spm_train missing and no root/sudo to apt-get install sentencepiece"
    SUDO=sudo
  fi
  apt-cache policy sentencepiece 2>/dev/null | grep -q 'Candidate: [0-9]' || $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq sentencepiece >&2
fi

mkdir -p "$OUT"

# train NAME INPUT[,INPUT]: trains DIR/NAME.model and DIR/NAME.vocab unless present.
train() {
  local name=$1 inputs=$2
  if [ -f "$OUT/$name.model" ] && [ "$FORCE" = 0 ]; then
    echo "[train-spm] $OUT/$name.model exists; skipping (use --force to retrain)" >&2
    return
  fi
  local tmp
  tmp=$(mktemp -d "$OUT/.spm-tmp.XXXXXX")
  echo "[train-spm] training $OUT/$name.model: $TYPE, $VOCAB pieces, coverage $COVERAGE, input $inputs" >&2
  if ! spm_train --input="$inputs" --model_prefix="$tmp/$name" --vocab_size="$VOCAB" \
      --model_type="$TYPE" --character_coverage="$COVERAGE" \
      --pad_id=0 --unk_id=1 --bos_id=2 --eos_id=3 \
      --input_sentence_size="$SENTENCES" --shuffle_input_sentence=true \
      --random_seed="$SEED" --num_threads="$THREADS" --minloglevel=1 > "$tmp/log" 2>&1; then
    cat "$tmp/log" >&2
    rm -rf "$tmp"
    die "spm_train failed for $name (log above)"
  fi
  mv -f "$tmp/$name.vocab" "$OUT/$name.vocab"
  mv -f "$tmp/$name.model" "$OUT/$name.model"
  rm -rf "$tmp"
  echo "[train-spm] wrote $OUT/$name.model ($(wc -l < "$OUT/$name.vocab") pieces)" >&2
}

if [ "$SEPARATE" = 1 ]; then
  train spm.src "$SRC"
  train spm.tgt "$TGT"
else
  train spm "$SRC,$TGT"
fi
