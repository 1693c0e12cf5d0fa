#!/usr/bin/env bash
# download-tatoeba.sh OUT_DIR SRC TGT [prepare-corpus options]   *** NEEDS INTERNET — never run by CI ***
#
# Builds a SRC-TGT corpus from Tatoeba's sentence exports (CC BY 2.0 FR), languages given as
# Tatoeba's ISO 639-3 codes (e.g. spa eng). Downloads the per-language sentence lists and the
# translation links (links.tar.bz2, about 100 MB), keeps every linked SRC-TGT pair (a sentence with
# several translations gives several pairs) and prepares them with prepare-corpus.sh; the seeded
# dev/test draw defaults to 2000 pairs each, and training pairs whose source is in dev/test are
# dropped. Extra arguments go to prepare-corpus.sh (e.g. --dev-size 1000 --seed 7).
# Outputs: OUT_DIR/{train,dev,test}.{SRC,TGT}; downloads are kept in OUT_DIR/orig. Idempotent.
# Untested here (no internet on the development machines): only `bash -n` is checked.
# Base address overridable with TATOEBA_BASE_URL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=download-lib.sh
. "$HERE/download-lib.sh"

[ $# -ge 3 ] || { echo "usage: $0 OUT_DIR SRC TGT [prepare-corpus options]   (e.g. $0 data/tatoeba spa eng)" >&2; exit 2; }
OUT=$1 SRC=$2 TGT=$3
shift 3
BASE=${TATOEBA_BASE_URL:-https://downloads.tatoeba.org/exports}
ORIG=$OUT/orig
mkdir -p "$ORIG"
for l in "$SRC" "$TGT"; do
  fetch "$BASE/per_language/$l/${l}_sentences.tsv.bz2" "$ORIG/${l}_sentences.tsv.bz2"
done
fetch "$BASE/links.tar.bz2" "$ORIG/links.tar.bz2"
[ -f "$ORIG/links.csv" ] || tar -xjf "$ORIG/links.tar.bz2" -C "$ORIG"

PAIRS=$OUT/raw/pairs.$SRC-$TGT.tsv
mkdir -p "$OUT/raw"
if [ ! -s "$PAIRS" ]; then
  python3 - "$ORIG/${SRC}_sentences.tsv.bz2" "$ORIG/${TGT}_sentences.tsv.bz2" "$ORIG/links.csv" "$PAIRS.tmp" <<'PY'
import bz2
import sys

src_file, tgt_file, links_file, out_file = sys.argv[1:5]


def sentences(path):
    """Tatoeba sentence export: id <TAB> lang <TAB> text."""
    with bz2.open(path, "rt", encoding="utf-8") as f:
        return {int(i): text.replace("\t", " ") for i, _, text in (l.rstrip("\n").split("\t", 2) for l in f)}


src, tgt = sentences(src_file), sentences(tgt_file)
n = 0
with open(links_file, encoding="utf-8") as links, open(out_file, "w", encoding="utf-8") as out:
    for line in links:
        a, b = (int(x) for x in line.split())
        if a in src and b in tgt:
            out.write(f"{src[a]}\t{tgt[b]}\n")
            n += 1
print(f"[tatoeba] {n} linked pairs", file=sys.stderr)
PY
  mv "$PAIRS.tmp" "$PAIRS"
fi

"$HERE/prepare-corpus.sh" --out "$OUT" --src-lang "$SRC" --tgt-lang "$TGT" --tsv "$PAIRS" \
  --dev-size 2000 --test-size 2000 "$@"
