#!/usr/bin/env bash
# Renders the monthly report's files (月通报 .docx and .xlsx) to PNG pages with
# LibreOffice, to look at what a zone prints: the red 发文机关标志 and rule,
# the 版记, the tables. Starts no server and builds nothing: it renders files
# already written. The HTTP tests of crates/web/tests/api/monthly_reports.rs
# write them when KFQ_RENDER_DIR names a directory:
#
#   KFQ_RENDER_DIR=/tmp/bulletin cargo test -p kfq-web --test api -- monthly_reports
#   scripts/render-bulletin.sh /tmp/bulletin
#
# (bulletin-issued.docx: a small zone's issued report with edited words;
# bulletin-empty.docx: a zone with nothing to list; bulletin.xlsx; and the
# pages page-issue.html, page-confirm.html, page-empty.html.) Any other
# .docx/.xlsx in the directory is rendered too; the .html pages are shot with
# headless Chromium, when there is one, against crates/web/static/app.css. Pages land in DIR/png as
# NAME-EXT-1.png, NAME-EXT-2.png … (pdftoppm, 60 dpi by default), or, without
# pdftoppm, the first page of each file only (LibreOffice's own PNG export).
# Not part of CI: it needs soffice (libreoffice-writer-nogui,
# libreoffice-calc-nogui) and, for every page, pdftoppm (poppler-utils).
#
# Usage: scripts/render-bulletin.sh DIR [dpi]
set -euo pipefail
dir=${1:?usage: scripts/render-bulletin.sh DIR [dpi]}
dpi=${2:-60}
command -v soffice >/dev/null || { echo "soffice not found: install libreoffice-writer-nogui and libreoffice-calc-nogui" >&2; exit 1; }
shopt -s nullglob
root=$(cd "$(dirname "$0")/.." && pwd)
files=("$dir"/*.docx "$dir"/*.xlsx)
pages=("$dir"/*.html)
[ ${#files[@]} -gt 0 ] || { echo "no .docx or .xlsx in $dir: run the tests with KFQ_RENDER_DIR=$dir first" >&2; exit 1; }
out="$dir/png"
mkdir -p "$out"
# A profile of its own, so that a LibreOffice already open is not disturbed.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
office=(soffice "-env:UserInstallation=file://$profile" --headless)
if command -v pdftoppm >/dev/null; then
  # One file at a time: a .docx and an .xlsx of the same name would write
  # the same PDF. Pages land as NAME-EXT-1.png …
  for file in "${files[@]}"; do
    base=$(basename "$file")
    name="${base%.*}-${base##*.}"
    "${office[@]}" --convert-to pdf --outdir "$profile" "$file" >/dev/null
    pdftoppm -png -r "$dpi" "$profile/${base%.*}.pdf" "$out/$name"
    rm -f "$profile/${base%.*}.pdf"
  done
else
  "${office[@]}" --convert-to png --outdir "$out" "${files[@]}" >/dev/null
fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ] && [ ${#pages[@]} -gt 0 ]; then
  for page in "${pages[@]}"; do
    name=$(basename "${page%.*}")
    # The page as served, its stylesheet read from the source tree.
    sed "s|href=\"/static/app.css\"|href=\"file://$root/crates/web/static/app.css\"|" "$page" >"$profile/$name.html"
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
      --screenshot="$out/$name.png" "file://$profile/$name.html" >/dev/null 2>&1
  done
fi
ls -1 "$out"/*.png
