#!/usr/bin/env bash
# prepare-bible-es-en.sh OUT_DIR
#
# Builds nmt4j's default corpus: Spanish-English Bible verses, Reina-Valera 1909 (Spanish) and the
# World English Bible (English), both public domain, taken from Debian's SWORD module packages.
# No internet access is needed beyond Debian's package archive.
#
#  1. Installs the Debian packages sword-text-sparv, sword-text-web and libsword-utils (mod2imp)
#     when missing (needs root or sudo; run `apt-get update` first on a fresh machine).
#  2. Exports both modules with mod2imp, aligns them by verse reference ("Genesis 1:1"), removes the
#     OSIS markup, footnotes (<note> elements with their content), non-canonical headings (<title>
#     unless canonical="true", e.g. section titles; canonical psalm titles are kept because the
#     Spanish verse 1 contains them) and speaker labels, and drops verses missing or empty on
#     either side, and books present on only one side (the English deuterocanon).
#  3. Splits by whole books: dev = Mark, test = John + Acts, train = every other shared book.
#
# Outputs in OUT_DIR: {train,dev,test}.{es,en} (one verse per line) and {train,dev,test}.ids (the
# verse references, same line order). Outputs are written to temporary files and moved into place
# only when complete; if all nine outputs already exist the script does nothing (delete them to
# rebuild). Module names can be overridden with ES_MODULE / EN_MODULE.
set -euo pipefail

usage() { echo "usage: $0 OUT_DIR" >&2; exit 2; }
[ $# -eq 1 ] || usage
case "$1" in -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0;; esac

OUT_DIR=$1
ES_MODULE=${ES_MODULE:-spaRV1909eb}
EN_MODULE=${EN_MODULE:-engWEB2015eb}
SPLITS=(train dev test)
OUTPUTS=()
for s in "${SPLITS[@]}"; do OUTPUTS+=("$s.es" "$s.en" "$s.ids"); done

all_present=1
for f in "${OUTPUTS[@]}"; do [ -s "$OUT_DIR/$f" ] || all_present=0; done
if [ "$all_present" = 1 ]; then
  echo "[bible] $OUT_DIR already holds ${OUTPUTS[*]}; nothing to do (delete them to rebuild)." >&2
  exit 0
fi

MODS_DIR=/usr/share/sword/mods.d
# A module is installed when a .conf in mods.d declares its section "[NAME]".
have_module() { [ -d "$MODS_DIR" ] && grep -qixF "[$1]" "$MODS_DIR"/*.conf 2>/dev/null; }

missing_pkgs=()
command -v mod2imp >/dev/null 2>&1 || missing_pkgs+=(libsword-utils)
have_module "$ES_MODULE" || missing_pkgs+=(sword-text-sparv)
have_module "$EN_MODULE" || missing_pkgs+=(sword-text-web)
command -v python3 >/dev/null 2>&1 || missing_pkgs+=(python3)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  echo "[bible] installing Debian packages: ${missing_pkgs[*]}" >&2
  SUDO=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "[bible] error: need root or sudo to apt-get install ${missing_pkgs[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  # An empty package list (fresh container) makes apt-get install fail: update first in that case.
  if ! apt-cache policy "${missing_pkgs[0]}" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    $SUDO apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing_pkgs[@]}" >&2
fi
for m in "$ES_MODULE" "$EN_MODULE"; do
  if ! have_module "$m"; then
    echo "[bible] error: SWORD module $m not found in $MODS_DIR; installed modules:" >&2
    ls "$MODS_DIR" >&2
    exit 1
  fi
done

mkdir -p "$OUT_DIR"
WORK=$(mktemp -d "$OUT_DIR/.bible-tmp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "[bible] exporting $ES_MODULE and $EN_MODULE with mod2imp" >&2
mod2imp "$ES_MODULE" > "$WORK/es.imp"
mod2imp "$EN_MODULE" > "$WORK/en.imp"

python3 - "$WORK/es.imp" "$WORK/en.imp" "$WORK" <<'PY'
import html
import re
import sys

es_imp, en_imp, out = sys.argv[1:4]
DEV = {"Mark"}
TEST = {"John", "Acts"}
REF = re.compile(r"^(?P<book>.+) (?P<chapter>\d+):(?P<verse>\d+)$")
GAP = "\x00"  # marks where an element was removed, to decide between "word word" and "word,"
REMOVE = [
    re.compile(r"<note\b[^>]*/>"),
    re.compile(r"<note\b[^>]*>.*?</note>", re.S),
    re.compile(r'<title\b(?![^>]*canonical="true")[^>]*/>'),
    re.compile(r'<title\b(?![^>]*canonical="true")[^>]*>.*?</title>', re.S),
    re.compile(r"<speaker\b[^>]*>.*?</speaker>", re.S),
]
TAG = re.compile(r"<(?!/?transChange\b)[^>]*>")
# RV1909 marks words added by the translators as <transChange>; the module often omits the spaces
# around them ("allí<transChange>también</transChange>bdelio"), except where the addition is an
# enclitic pronoun glued to a verb ("sáca<transChange>lo</transChange>", "haber...lo").
ADDED = re.compile(r"(?P<prev>[^\W\d_]*)<transChange\b[^>]*>(?P<body>.*?)</transChange>", re.S)
ENCLITIC = re.compile(r"(?:me|te|se|nos|os|lo|la|los|las|le|les)+")
VERB_END = re.compile(r".*[áéíóú].*|.*r|he")


def added_words(m):
    prev, body = m["prev"], m["body"]
    if prev and ENCLITIC.fullmatch(body) and VERB_END.fullmatch(prev.lower()):
        return prev + body + GAP
    return prev + GAP + body + GAP


def clean(text):
    for pattern in REMOVE:
        text = pattern.sub(GAP, text)
    text = ADDED.sub(added_words, TAG.sub("", text))
    text = html.unescape(text)
    text = re.sub(GAP + r"+(?=[\s,.;:!?’”)\]»]|$)", "", text)
    text = re.sub(r"(?<=[\s¿¡“‘(«])" + GAP + "+|^" + GAP + "+", "", text)
    text = text.replace(GAP, " ")
    return " ".join(text.split())


def read_imp(path):
    """Returns {reference: text} for real verses (chapter and verse > 0), in file order, and the book order."""
    verses, books, key, lines = {}, [], None, []

    def flush():
        if key is None:
            return
        m = REF.match(key)
        if not m or int(m["chapter"]) == 0 or int(m["verse"]) == 0:
            return
        if m["book"] not in books:
            books.append(m["book"])
        verses[key] = clean("\n".join(lines))

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("$$$"):
                flush()
                key, lines = line[3:].strip(), []
            else:
                lines.append(line)
    flush()
    return verses, books


es, es_books = read_imp(es_imp)
en, en_books = read_imp(en_imp)
shared = [b for b in es_books if b in en_books]
for name in sorted(DEV | TEST):
    if name not in shared:
        sys.exit(f"[bible] error: book {name!r} missing on one side; books: {shared}")

splits = {s: [] for s in ("train", "dev", "test")}
dropped = {"missing": 0, "empty": 0, "one-sided book": 0}
for ref, es_text in es.items():
    book = REF.match(ref)["book"]
    if book not in shared:
        dropped["one-sided book"] += 1
        continue
    en_text = en.get(ref)
    if en_text is None:
        dropped["missing"] += 1
        continue
    if not es_text or not en_text:
        dropped["empty"] += 1
        continue
    split = "dev" if book in DEV else "test" if book in TEST else "train"
    splits[split].append((ref, es_text, en_text))
dropped["missing"] += sum(1 for ref in en if ref not in es and REF.match(ref)["book"] in shared)
dropped["one-sided book"] += sum(1 for ref in en if REF.match(ref)["book"] not in shared)

for split, rows in splits.items():
    for idx, ext in ((0, "ids"), (1, "es"), (2, "en")):
        with open(f"{out}/{split}.{ext}", "w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                f.write(row[idx] + "\n")
    print(f"[bible] {split}: {len(rows)} pairs", file=sys.stderr)
print(f"[bible] shared books: {len(shared)}; dropped verses: {dropped}", file=sys.stderr)
PY

# Move into place only now that every file is complete; the "all present" check above means a run
# interrupted during the moves is redone from scratch next time.
for f in "${OUTPUTS[@]}"; do mv -f "$WORK/$f" "$OUT_DIR/$f"; done
echo "[bible] wrote ${OUTPUTS[*]} to $OUT_DIR" >&2
