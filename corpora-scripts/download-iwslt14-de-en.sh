#!/usr/bin/env bash
# download-iwslt14-de-en.sh OUT_DIR            *** NEEDS INTERNET — never run by CI ***
#
# Downloads the IWSLT 2014 German-English TED talks (de-en.tgz, about 19 MB; override the address
# with IWSLT14_URL if the archive has moved) and prepares it with prepare-corpus.sh:
#   train = train.tags.de-en.{de,en} without the XML metadata lines (about 170k pairs),
#   dev   = IWSLT14.TED.dev2010, test = IWSLT14.TED.tst2010 + tst2011 + tst2012.
# Outputs: OUT_DIR/{train,dev,test}.{de,en} (raw text: SentencePiece needs no Moses tokenization);
# downloads are kept in OUT_DIR/orig. Idempotent: nothing is downloaded or rebuilt twice.
# Untested here (no internet on the development machines): only `bash -n` is checked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=download-lib.sh
. "$HERE/download-lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
OUT=$1
URL=${IWSLT14_URL:-https://wit3.fbk.eu/archive/2014-01/texts/de/en/de-en.tgz}
ORIG=$OUT/orig
mkdir -p "$ORIG"
fetch "$URL" "$ORIG/de-en.tgz"
[ -d "$ORIG/de-en" ] || tar -xzf "$ORIG/de-en.tgz" -C "$ORIG"

RAW=$OUT/raw
mkdir -p "$RAW"
for l in de en; do
  # Talk metadata lines (<url>, <talkid>, <title>, ...) start with '<'; the rest is the transcript.
  grep -v '^[[:space:]]*<' "$ORIG/de-en/train.tags.de-en.$l" > "$RAW/train.$l.tmp" && mv "$RAW/train.$l.tmp" "$RAW/train.$l"
  xml_segments "$ORIG/de-en/IWSLT14.TED.dev2010.de-en.$l.xml" > "$RAW/dev.$l"
  for y in 2010 2011 2012; do xml_segments "$ORIG/de-en/IWSLT14.TED.tst$y.de-en.$l.xml"; done > "$RAW/test.$l"
done

"$HERE/prepare-corpus.sh" --out "$OUT" --src-lang de --tgt-lang en \
  --src "$RAW/train.de" --tgt "$RAW/train.en" \
  --dev-src "$RAW/dev.de" --dev-tgt "$RAW/dev.en" --test-src "$RAW/test.de" --test-tgt "$RAW/test.en" \
  --max-len 175 --max-ratio 2.5
