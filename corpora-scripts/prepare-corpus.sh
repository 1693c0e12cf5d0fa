#!/usr/bin/env bash
# prepare-corpus.sh --out DIR (--src FILE --tgt FILE | --tsv FILE) [options]
#
# Prepares a user's own parallel corpus for nmt4j: two line-aligned files (one sentence per line)
# or one TSV file (source<TAB>target per line). Needs only bash and python3 (standard library).
#
#  1. Validates: files exist, are UTF-8 (an invalid byte is an error naming file and line),
#     aligned files have the same number of lines, TSV lines have exactly two fields.
#  2. Cleans every side: removes control characters and byte-order marks, replaces any run of
#     whitespace (tabs, no-break spaces, ...) by one space, trims.
#  3. Training pairs only: drops pairs empty on either side, shorter than --min-len or longer
#     than --max-len whitespace tokens on either side, or with a token-length ratio above
#     --max-ratio; drops exact duplicate pairs, and pairs whose source also occurs in dev or test.
#  4. Dev/test: taken from --dev-src/--dev-tgt and --test-src/--test-tgt (or --dev-tsv/--test-tsv)
#     when given (cleaned, not filtered); otherwise --dev-size and --test-size pairs are drawn at
#     random (seeded with --seed) from the cleaned corpus and removed from training.
#
# Options:
#   --src-lang L / --tgt-lang L   output extensions (default: src / tgt)
#   --dev-size N / --test-size N  held-out sizes when no dev/test files are given (default 1000 each)
#   --seed N                      random seed of the held-out draw (default 1)
#   --min-len N / --max-len N     tokens per side (default 1 / 250)
#   --max-ratio R                 longest/shortest side in tokens (default 3.0)
#   --force                       rebuild even if the outputs exist
#
# Outputs in DIR: {train,dev,test}.{SRC_LANG,TGT_LANG}; counts go to stderr. Outputs are written to a
# temporary folder and moved into place when complete; if all six exist the script does nothing.
set -euo pipefail

die() { echo "[prepare-corpus] error: $*" >&2; exit 1; }
usage() { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

OUT='' SRC='' TGT='' TSV='' DEV_SRC='' DEV_TGT='' TEST_SRC='' TEST_TGT='' DEV_TSV='' TEST_TSV=''
SRC_LANG=src TGT_LANG=tgt DEV_SIZE=1000 TEST_SIZE=1000 SEED=1 MIN_LEN=1 MAX_LEN=250 MAX_RATIO=3.0 FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=${2:?}; shift 2;;
    --src) SRC=${2:?}; shift 2;;
    --tgt) TGT=${2:?}; shift 2;;
    --tsv) TSV=${2:?}; shift 2;;
    --dev-src) DEV_SRC=${2:?}; shift 2;;
    --dev-tgt) DEV_TGT=${2:?}; shift 2;;
    --test-src) TEST_SRC=${2:?}; shift 2;;
    --test-tgt) TEST_TGT=${2:?}; shift 2;;
    --dev-tsv) DEV_TSV=${2:?}; shift 2;;
    --test-tsv) TEST_TSV=${2:?}; shift 2;;
    --src-lang) SRC_LANG=${2:?}; shift 2;;
    --tgt-lang) TGT_LANG=${2:?}; shift 2;;
    --dev-size) DEV_SIZE=${2:?}; shift 2;;
    --test-size) TEST_SIZE=${2:?}; shift 2;;
    --seed) SEED=${2:?}; shift 2;;
    --min-len) MIN_LEN=${2:?}; shift 2;;
    --max-len) MAX_LEN=${2:?}; shift 2;;
    --max-ratio) MAX_RATIO=${2:?}; shift 2;;
    --force) FORCE=1; shift;;
    -h|--help) usage;;
    *) echo "[prepare-corpus] unknown argument: $1" >&2; usage;;
  esac
done
[ -n "$OUT" ] || usage
if [ -n "$TSV" ]; then
  [ -z "$SRC$TGT" ] || die "give either --tsv or --src/--tgt, not both"
else
  [ -n "$SRC" ] && [ -n "$TGT" ] || die "give --src and --tgt, or --tsv"
fi
for n in DEV_SIZE TEST_SIZE SEED MIN_LEN MAX_LEN; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "--$(echo "$n" | tr '[:upper:]_' '[:lower:]-') must be a non-negative integer, not '${!n}'"
done
[[ "$MAX_RATIO" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--max-ratio must be a number, not '$MAX_RATIO'"
command -v python3 >/dev/null 2>&1 || die "python3 is required (apt-get install python3)"

OUTPUTS=()
for s in train dev test; do OUTPUTS+=("$s.$SRC_LANG" "$s.$TGT_LANG"); done
if [ "$FORCE" = 0 ]; then
  all_present=1
  for f in "${OUTPUTS[@]}"; do [ -f "$OUT/$f" ] || all_present=0; done
  if [ "$all_present" = 1 ]; then
    echo "[prepare-corpus] $OUT already holds ${OUTPUTS[*]}; nothing to do (--force to rebuild)" >&2
    exit 0
  fi
fi

mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/.prepare-tmp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Settings reach python through the environment, so that no path is ever parsed as code.
PC_SRC=$SRC PC_TGT=$TGT PC_TSV=$TSV PC_DEV_SRC=$DEV_SRC PC_DEV_TGT=$DEV_TGT PC_TEST_SRC=$TEST_SRC \
PC_TEST_TGT=$TEST_TGT PC_DEV_TSV=$DEV_TSV PC_TEST_TSV=$TEST_TSV PC_DEV_SIZE=$DEV_SIZE \
PC_TEST_SIZE=$TEST_SIZE PC_SEED=$SEED PC_MIN_LEN=$MIN_LEN PC_MAX_LEN=$MAX_LEN PC_MAX_RATIO=$MAX_RATIO \
python3 - "$WORK" "$SRC_LANG" "$TGT_LANG" <<'PY'
import os
import random
import sys
import unicodedata

work, src_lang, tgt_lang = sys.argv[1:4]
spec = {k: os.environ["PC_" + k.upper()] for k in
        ("src", "tgt", "tsv", "dev_src", "dev_tgt", "test_src", "test_tgt", "dev_tsv", "test_tsv")}
DEV_SIZE, TEST_SIZE, SEED = (int(os.environ[k]) for k in ("PC_DEV_SIZE", "PC_TEST_SIZE", "PC_SEED"))
MIN_LEN, MAX_LEN = int(os.environ["PC_MIN_LEN"]), int(os.environ["PC_MAX_LEN"])
MAX_RATIO = float(os.environ["PC_MAX_RATIO"])


def fail(msg):
    sys.exit(f"[prepare-corpus] error: {msg}")


def lines(path):
    """Yields (line number, text) of a UTF-8 file, failing on the first invalid byte."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        fail(f"file not found: {path}")
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    with f:
        for n, raw in enumerate(f, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                fail(f"{path} line {n}: invalid UTF-8 (byte 0x{raw[e.start]:02x} at byte offset {e.start})")
            yield n, text.rstrip("\n").rstrip("\r")


def clean(text):
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text if c != "\ufeff")
    return " ".join(text.split())


def read_pairs(src, tgt, tsv, what):
    """Returns the cleaned pairs of two aligned files or of one TSV file."""
    pairs = []
    if tsv:
        for n, line in lines(tsv):
            fields = line.split("\t")
            if len(fields) != 2:
                fail(f"{tsv} line {n}: expected 2 tab-separated fields, found {len(fields)}")
            pairs.append((clean(fields[0]), clean(fields[1])))
        return pairs
    if not src or not tgt:
        fail(f"{what}: give both source and target files")
    a, b = lines(src), lines(tgt)
    while True:
        x, y = next(a, None), next(b, None)
        if x is None and y is None:
            return pairs
        if x is None or y is None:
            shorter, longer = (src, tgt) if x is None else (tgt, src)
            n = (y or x)[0]
            fail(f"line counts differ: {shorter} ends after {n - 1} lines but {longer} goes on at line {n}")
        pairs.append((clean(x[1]), clean(y[1])))


def write(name, pairs):
    for idx, lang in ((0, src_lang), (1, tgt_lang)):
        with open(f"{work}/{name}.{lang}", "w", encoding="utf-8", newline="\n") as f:
            f.writelines(p[idx] + "\n" for p in pairs)


corpus = read_pairs(spec["src"], spec["tgt"], spec["tsv"], "corpus")
print(f"[prepare-corpus] read {len(corpus)} pairs", file=sys.stderr)
held_out = {}
for name in ("dev", "test"):
    if spec[f"{name}_src"] or spec[f"{name}_tgt"] or spec[f"{name}_tsv"]:
        held_out[name] = read_pairs(spec[f"{name}_src"], spec[f"{name}_tgt"], spec[f"{name}_tsv"], name)
        print(f"[prepare-corpus] {name}: {len(held_out[name])} pairs read from files", file=sys.stderr)

dropped = {"empty": 0, "too short": 0, "too long": 0, "ratio": 0, "duplicate": 0, "in dev/test": 0}
kept, seen = [], set()
for s, t in corpus:
    ls, lt = len(s.split()), len(t.split())
    if ls == 0 or lt == 0:
        dropped["empty"] += 1
    elif min(ls, lt) < MIN_LEN:
        dropped["too short"] += 1
    elif max(ls, lt) > MAX_LEN:
        dropped["too long"] += 1
    elif max(ls, lt) / min(ls, lt) > MAX_RATIO:
        dropped["ratio"] += 1
    elif (s, t) in seen:
        dropped["duplicate"] += 1
    else:
        seen.add((s, t))
        kept.append((s, t))

for name, size in (("dev", DEV_SIZE), ("test", TEST_SIZE)):
    if name in held_out:
        continue
    if size >= len(kept):
        fail(f"cannot draw {size} {name} pairs from {len(kept)} remaining pairs (lower --{name}-size)")
    rng = random.Random(f"{SEED}-{name}")
    chosen = set(rng.sample(range(len(kept)), size))
    held_out[name] = [p for i, p in enumerate(kept) if i in chosen]
    kept = [p for i, p in enumerate(kept) if i not in chosen]
    print(f"[prepare-corpus] {name}: {size} pairs drawn with seed {SEED}", file=sys.stderr)

held_sources = {s for pairs in held_out.values() for s, _ in pairs}
train = [p for p in kept if p[0] not in held_sources]
dropped["in dev/test"] = len(kept) - len(train)
for name, pairs in (("train", train), ("dev", held_out["dev"]), ("test", held_out["test"])):
    write(name, pairs)
print("[prepare-corpus] dropped from training: " + ", ".join(f"{k} {v}" for k, v in dropped.items()), file=sys.stderr)
print(f"[prepare-corpus] train {len(train)}, dev {len(held_out['dev'])}, test {len(held_out['test'])}", file=sys.stderr)
PY

for f in "${OUTPUTS[@]}"; do mv -f "$WORK/$f" "$OUT/$f"; done
echo "[prepare-corpus] wrote ${OUTPUTS[*]} to $OUT" >&2
