#!/bin/sh
# tests/pages.sh B — the briefing's pages as PNG images, to look at (what
# the convener's office hands out): plays the demo county's year into
# B/pages/county, then turns each PDF (printed by Chromium) into page
# images with pdftoppm, and each .docx into a PDF with LibreOffice headless
# (where it is installed) and that into page images.  The images are in
# B/pages/: briefing-full-1.png (the PDF's first page), briefing-full.docx-1.png
# (Word's), and so on.
set -eu
B=${1:?usage: tests/pages.sh BUILD_DIR}
OUT=$(cd "$B" && pwd)/pages
rm -rf "$OUT"
mkdir -p "$OUT"
echo "pages: playing the demo county's year into $OUT/county (log: $OUT/demo.log)"
LIANXI_DEMO_DIR=$OUT/county deploy/demo.sh "$B" >"$OUT/demo.log" 2>&1 </dev/null || {
    echo "pages: the demo failed; see $OUT/demo.log" >&2
    exit 1
}
command -v pdftoppm >/dev/null 2>&1 || {
    echo "pages: pdftoppm is not installed (apt-get install poppler-utils)" >&2
    exit 1
}
for pdf in "$OUT"/county/briefing-*.pdf; do
    [ -f "$pdf" ] || continue
    base=$(basename "$pdf" .pdf)
    pdftoppm -r 60 -png "$pdf" "$OUT/$base"
done
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$OUT/docx"
    for f in "$OUT"/county/briefing-*.docx; do
        HOME=$OUT/docx soffice --headless --convert-to pdf --outdir "$OUT/docx" "$f" \
            >>"$OUT/docx/soffice.log" 2>&1 || echo "pages: LibreOffice could not convert $f"
    done
    for pdf in "$OUT"/docx/briefing-*.pdf; do
        [ -f "$pdf" ] || continue
        base=$(basename "$pdf" .pdf)
        pdftoppm -r 60 -png "$pdf" "$OUT/$base.docx"
    done
else
    echo "pages: LibreOffice is not installed: no images of the .docx files"
fi
n=$(ls "$OUT"/*.png 2>/dev/null | wc -l)
echo "pages: $n page images in $OUT"
for f in "$OUT"/county/briefing-*.pdf "$OUT"/docx/briefing-*.pdf; do
    [ -f "$f" ] && printf '  %s: %s pages\n' "$(basename "$f")" \
        "$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Pages: *//p')"
done
exit 0
