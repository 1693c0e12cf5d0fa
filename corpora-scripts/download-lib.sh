# shellcheck shell=bash
# download-lib.sh: helpers sourced by the download-*.sh scripts (not run on its own).
#
# fetch URL FILE: downloads URL to FILE unless FILE exists, through FILE.part so that an interrupted
# download never looks complete (curl resumes a .part left behind). NEEDS INTERNET.

fetch() {
  local url=$1 file=$2
  if [ -s "$file" ]; then
    echo "[download] $file exists; not downloading again" >&2
    return
  fi
  echo "[download] $url -> $file" >&2
  if command -v curl >/dev/null 2>&1; then
    curl -fL --retry 3 -C - -o "$file.part" "$url"
  elif command -v wget >/dev/null 2>&1; then
    wget -c -O "$file.part" "$url"
  else
    echo "[download] error: need curl or wget (apt-get install curl)" >&2
    return 1
  fi
  mv -f "$file.part" "$file"
}

# xml_segments FILE: prints the text of every <seg id="...">...</seg> line of an IWSLT/WMT XML/SGML
# file, one per line.
xml_segments() {
  sed -n 's/^[[:space:]]*<seg id="[^"]*">[[:space:]]*\(.*\)<\/seg>[[:space:]]*$/\1/p' "$1" \
    | python3 -c 'import html, sys; sys.stdout.writelines(html.unescape(l) for l in sys.stdin)'
}
