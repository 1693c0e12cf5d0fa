#!/usr/bin/env bash
# download-wmt14-en-de.sh OUT_DIR              *** NEEDS INTERNET — never run by CI ***
#
# Downloads the WMT 2014 English-German training data (Europarl v7, Common Crawl, News Commentary
# v9; about 1.5 GB of archives), newstest2013 (dev) and newstest2014 (test, the full 3003-sentence
# set), and prepares them with prepare-corpus.sh (cleaning, length/ratio filtering, dedup; about
# 4.5M pairs remain). Outputs: OUT_DIR/{train,dev,test}.{en,de}; downloads are kept in
# OUT_DIR/orig. Idempotent. Untested here (no internet on the development machines): only
# `bash -n` is checked. Base address overridable with WMT_BASE_URL.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=download-lib.sh
. "$HERE/download-lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
OUT=$1
BASE=${WMT_BASE_URL:-http://statmt.org}
ORIG=$OUT/orig
mkdir -p "$ORIG"
for f in wmt13/training-parallel-europarl-v7.tgz wmt13/training-parallel-commoncrawl.tgz \
         wmt14/training-parallel-nc-v9.tgz wmt14/dev.tgz wmt14/test-full.tgz; do
  name=$(basename "$f")
  fetch "$BASE/$f" "$ORIG/$name"
  [ -f "$ORIG/.$name.extracted" ] || { tar -xzf "$ORIG/$name" -C "$ORIG" && touch "$ORIG/.$name.extracted"; }
done

RAW=$OUT/raw
mkdir -p "$RAW"
for l in en de; do
  cat "$ORIG/training/europarl-v7.de-en.$l" "$ORIG/commoncrawl.de-en.$l" \
      "$ORIG/training/news-commentary-v9.de-en.$l" > "$RAW/train.$l.tmp"
  mv "$RAW/train.$l.tmp" "$RAW/train.$l"
  cp "$ORIG/dev/newstest2013.$l" "$RAW/dev.$l"
done
xml_segments "$ORIG/test-full/newstest2014-deen-src.en.sgm" > "$RAW/test.en"
xml_segments "$ORIG/test-full/newstest2014-deen-ref.de.sgm" > "$RAW/test.de"

"$HERE/prepare-corpus.sh" --out "$OUT" --src-lang en --tgt-lang de \
  --src "$RAW/train.en" --tgt "$RAW/train.de" \
  --dev-src "$RAW/dev.en" --dev-tgt "$RAW/dev.de" --test-src "$RAW/test.en" --test-tgt "$RAW/test.de" \
  --max-len 250 --max-ratio 2.5
