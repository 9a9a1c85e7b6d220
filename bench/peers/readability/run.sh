#!/usr/bin/env bash
# Side-by-side extraction speed and quality: Sitrep vs Mozilla Readability (jsdom, linkedom) vs readability-lxml,
# on the same 586 pages (Zyte 91 + trafilatura 495), decoded once by Sitrep and handed to every peer.
# usage: bench/peers/readability/run.sh [DATA_DIR] [PASSES]     (from anywhere; needs node, npm, /usr/bin/python3
#        with python3-readability: apt-get install -y python3-readability)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
DATA="${1:-$ROOT/../shared/data/extraction}"
PASSES="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

cd "$HERE"
[ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null
dotnet build "$ROOT/src/Sitrep.Cli" -c Release -v q -nologo >/dev/null
# Run from a copy, so a rebuild of the work tree during the (long) peer runs cannot disturb this one.
cp -r "$ROOT/src/Sitrep.Cli/bin/Release/net10.0" "$OUT/sitrep"
SITREP=(dotnet "$OUT/sitrep/sitrep.dll")

echo "== sitrep (also writes the decoded pages for the peers)"
"${SITREP[@]}" eval extraction --data "$DATA" --passes "$PASSES" --dump-pages "$OUT/pages.jsonl" --output "$OUT/sitrep.json"

for dom in linkedom jsdom; do
  echo "== readability.js + $dom"
  node --max-old-space-size=8192 extract.mjs "$OUT/pages.jsonl" --dom "$dom" --passes "$PASSES" --out "$OUT/readability-$dom.json"
  "${SITREP[@]}" eval extraction --data "$DATA" --predictions "$OUT/readability-$dom.json"
done

echo "== readability-lxml"
/usr/bin/python3 extract_lxml.py "$OUT/pages.jsonl" --passes "$PASSES" --out "$OUT/readability-lxml.json"
"${SITREP[@]}" eval extraction --data "$DATA" --predictions "$OUT/readability-lxml.json"
