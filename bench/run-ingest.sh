#!/usr/bin/env bash
# Ingest throughput benchmark: generate the corpus (untimed), then time the real ingest path at several sizes, one
# process per size so each peak-memory figure is that size's own. Nothing is written inside the repository.
#
#   bench/run-ingest.sh [WORK_DIR] [SIZES...]        e.g. bench/run-ingest.sh /tmp/sitrep-bench 10000 50000 100000
#
# Env: CSV (FNC-1 bodies), SEED, STAGES (files for the one-thread stage split; 0 = skip), STORE (documents for the
# store profile; 0 = skip), CLI=1 to also time `sitrep ingest` under /usr/bin/time at the largest size, KEEP=1 to
# keep the corpus and databases afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/sitrep-bench}
shift || true
if (( $# > 0 )); then SIZES=("$@"); else SIZES=(10000 50000 100000); fi
CSV=${CSV:-/work/shared/data/stance/fnc1/train_bodies.csv}
SEED=${SEED:-20261123}
STAGES=${STAGES:-20000}
STORE=${STORE:-0}
MAX=0; for n in "${SIZES[@]}"; do (( n > MAX )) && MAX=$n; done

mkdir -p "$WORK"
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
echo "== $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) ($(git log -1 --format=%s | cut -c1-60))"
echo "== nproc $(nproc); $(free -h | awk '/^Mem:/ {print "memory " $2 " total, " $7 " available"}'); load $(cut -d' ' -f1-3 /proc/loadavg)"

dotnet build -c Release bench/Sitrep.Bench -v q -nologo | grep -E "error|Warn|warn" || true
BENCH="dotnet bench/Sitrep.Bench/bin/Release/net10.0/Sitrep.Bench.dll"

CORPUS="$WORK/corpus"
if [[ ! -f "$CORPUS/.complete-$SEED-$MAX" ]]; then
  rm -rf "$CORPUS"
  $BENCH gen --csv "$CSV" --seed "$SEED" --count "$MAX" --out "$CORPUS"
  touch "$CORPUS/.complete-$SEED-$MAX"
fi
sync

for n in "${SIZES[@]}"; do
  $BENCH ingest --corpus "$CORPUS" --count "$n" --db "$WORK/ingest-$n.db" --json "$RESULTS/ingest.jsonl" | tee "$RESULTS/ingest-$n.txt"
  rm -f "$WORK/ingest-$n.db" "$WORK/ingest-$n.db-wal" "$WORK/ingest-$n.db-shm"
done

if (( STAGES > 0 )); then
  $BENCH stages --corpus "$CORPUS" --count "$STAGES" --db "$WORK/stages.db" | tee "$RESULTS/stages.txt"
fi
if (( STORE > 0 )); then
  $BENCH store --corpus "$CORPUS" --count "$STORE" --db "$WORK/store.db" | tee "$RESULTS/store.txt"
fi

if [[ "${CLI:-0}" == 1 ]]; then
  dotnet build -c Release src/Sitrep.Cli -v q -nologo | grep -E "error" || true
  paths=(); for ((s = 0; s < MAX / 10000; s++)); do paths+=("$CORPUS/$(printf 'shard-%02d' "$s")"); done
  rm -f "$WORK/cli.db"*
  echo "== sitrep ingest ${#paths[@]} shard folders ($MAX files), load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -f "cli: %e s wall, %U s user, %S s sys, max RSS %M KiB" \
    dotnet src/Sitrep.Cli/bin/Release/net10.0/sitrep.dll ingest "${paths[@]}" --db "$WORK/cli.db" 2>&1 | tee "$RESULTS/cli.txt"
  rm -f "$WORK/cli.db"*
fi
echo "== done, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${KEEP:-0}" != 1 ]]; then rm -rf "$CORPUS" "$WORK"/*.db*; fi
