#!/bin/sh
# scikit-learn peer for story clustering (docs/benchmarks.md, "Story clustering").
# Needs: apt-get install -y python3-sklearn. Usage: bench/peers/sklearn/run.sh [DATA_DIR] [SEEDS | --fixed DISTANCE]
# DATA_DIR may be a story corpus (articles.jsonl + txt/, e.g. ../shared/data/stories/ecbplus): see cluster.py.
set -e
here=$(dirname "$0")
data=${1:-$here/../../../../shared/data/stance/fnc1}
shift 2>/dev/null || true
if [ "$1" = "--fixed" ]; then exec /usr/bin/python3 "$here/cluster.py" "$data" --fixed "$2"; fi
exec /usr/bin/python3 "$here/cluster.py" "$data" "${1:-3}"
