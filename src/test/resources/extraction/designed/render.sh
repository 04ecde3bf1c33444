#!/usr/bin/env bash
# Rebuilds the designed guideline PDFs from their HTML sources: bin/bench corpus and the tests read the
# committed PDFs, so nothing needs this unless a source changes.
#   src/test/resources/extraction/designed/render.sh [batch-dir ...]   (default: every batch-N folder)
# NN-name.html  -> NN-name.pdf through headless Chromium (Debian package chromium; fonts-dejavu, fonts-liberation).
# NN-name-scan.html -> printed, rasterised at 200 dpi (poppler-utils pdftoppm), tilted and speckled with
# ImageMagick (imagemagick) and wrapped back into an image-only PDF (img2pdf): a scanned page for OCR.
# A scan's HTML may set its own look: <meta name="scan" content="DPI ROTATE NOISE MODE">, MODE gray or fax
# (black and white, like a fax machine); without it: 200 0.8 0.35 gray.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# /usr/local/bin may hold a stand-in named convert; ImageMagick 6 installs its real name beside it.
magick_convert="$(command -v convert-im6.q16 || command -v convert)"
[ $# -gt 0 ] || set -- "$here"/batch-*
for dir in "$@"; do
  dir="$(cd "$dir" && pwd)"  # Chromium needs an absolute file:// URL
  for html in "$dir"/*.html; do
    base="${html%.html}"
    profile="$(mktemp -d)"
    work="$(mktemp -d)"
    out="$base.pdf"
    case "$base" in *-scan) out="$work/designed.pdf" ;; esac
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
      --disable-sync --no-first-run --user-data-dir="$profile" --no-pdf-header-footer \
      --print-to-pdf="$out" "file://$html" 2>/dev/null
    [ -s "$out" ] || { echo "chromium did not print $html" >&2; exit 1; }
    case "$base" in
      *-scan)
        look="$(sed -n 's/.*<meta name="scan" content="\([^"]*\)".*/\1/p' "$html")"
        read -r dpi rotate noise mode <<<"${look:-200 0.8 0.35 gray}"
        finish=(-colorspace Gray -depth 8)
        [ "$mode" = fax ] && finish=(-colorspace Gray -threshold 55% -depth 8)
        pdftoppm -r "$dpi" -gray -png "$out" "$work/page"
        pages=()
        for png in "$work"/page*.png; do
          # A scanner's look: a slight skew, grey speckle, a soft edge; the seed keeps the output repeatable.
          "$magick_convert" "$png" -seed 11 -background white -rotate "$rotate" -attenuate "$noise" +noise Gaussian \
            -blur 0x0.5 "${finish[@]}" -units PixelsPerInch -density "$dpi" -quality 70 "${png%.png}.scan.jpg"
          pages+=("${png%.png}.scan.jpg")
        done
        img2pdf -o "$base.pdf" "${pages[@]}"
        ;;
    esac
    rm -rf "$profile" "$work"
    echo "rendered ${base#"$here"/}.pdf"
  done
done
