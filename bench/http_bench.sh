#!/usr/bin/env bash
# HTTP benchmark: POST /v1/verifications on one uvicorn worker against a bare echo of the
# same body on the same server stack, in one run, with wrk and 32 connections.
#
#   bash bench/http_bench.sh            # DURATION=20 CONNECTIONS=32 THREADS=2 to change
#
# Registry data is warm: the sample registries are imported into a fresh SQLite file
# (the embedded default) and every draft is sent once before measuring. Requests carry
# an API key, so authentication is measured too. Drafts cycle through the labelled cases
# of ../shared/data/cases.jsonl (or the package's sample cases if ../shared is absent).
# Two phases: (1) as fast as each server answers -> req/s, p50, p99, ratio gate/echo;
# (2) both at half the gate's max rate -> p99 of each at that rate.
# Needs wrk (apt-get install -y wrk). Output: bench/out/http_bench.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
GATE_PORT="${GATE_PORT:-18181}"
ECHO_PORT="${ECHO_PORT:-18182}"
CASES="${CASES:-$ROOT/../shared/data/cases.jsonl}"
PY="$ROOT/.venv/bin/python"
OUT="$ROOT/bench/out"
WORK="$(mktemp -d)"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# BENCH_DATABASE_URL=postgresql+asyncpg://... measures on an (empty) PostgreSQL database.
export LISTING_GATE_DATABASE_URL="${BENCH_DATABASE_URL:-sqlite+aiosqlite:///$WORK/gate.db}"
export LISTING_GATE_LOAD_SAMPLE_DATA=1
export LISTING_GATE_LOG_LEVEL="${LISTING_GATE_LOG_LEVEL:-warning}"
export LISTING_GATE_WORKERS=1

"$PY" - "$CASES" "$WORK/bodies.jsonl" <<'PYEOF'
import sys, orjson
cases, out = sys.argv[1], sys.argv[2]
with open(cases, "rb") as src, open(out, "wb") as dst:
    for line in src:
        if line.strip():
            dst.write(orjson.dumps(orjson.loads(line)["draft"]) + b"\n")
PYEOF
export BENCH_BODIES="$WORK/bodies.jsonl" BENCH_CONNS="$CONNECTIONS"
BENCH_TOKEN="$("$ROOT/.venv/bin/listing-gate" keys create --name bench --scopes verify 2>/dev/null)"
export BENCH_TOKEN

"$ROOT/.venv/bin/listing-gate" serve --port "$GATE_PORT" >"$WORK/gate.log" 2>&1 &
pids+=($!)
"$PY" -m uvicorn --factory bench.echo_app:create_app --port "$ECHO_PORT" \
  --log-level warning --no-access-log --no-server-header >"$WORK/echo.log" 2>&1 &
pids+=($!)

wait_up() {  # wait_up URL [curl args]: until the URL answers 2xx, at most 60 s
  local url="$1"; shift
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$@" "$url" && return 0
    sleep 0.5
  done
  echo "server at $url did not come up" >&2
  cat "$WORK/gate.log" "$WORK/echo.log" >&2
  exit 1
}
wait_up "http://127.0.0.1:$GATE_PORT/readyz"
wait_up "http://127.0.0.1:$ECHO_PORT/v1/verifications" -X POST -d '{}'

run() {  # run NAME PORT SECONDS [RATE] -> prints the BENCH line
  local name="$1" port="$2" seconds="$3" rate="${4:-}"
  BENCH_RATE="$rate" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s \
    -s "$ROOT/bench/drafts.lua" "http://127.0.0.1:$port" | grep '^BENCH' | sed "s/^BENCH/$name/"
}
field() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }

# Warm-up: every draft decided once, caches filled, both servers' code paths hot.
run warm-gate "$GATE_PORT" 5 >/dev/null
run warm-echo "$ECHO_PORT" 3 >/dev/null

echo_max="$(run echo "$ECHO_PORT" "$DURATION")"
gate_max="$(run gate "$GATE_PORT" "$DURATION")"
half="$(awk -v r="$(field rps "$gate_max")" 'BEGIN { printf "%d", r / 2 }')"
echo_half="$(run echo@half "$ECHO_PORT" "$DURATION" "$half")"
gate_half="$(run gate@half "$GATE_PORT" "$DURATION" "$half")"

{
  echo "listing-gate HTTP benchmark: $(date -u +%FT%TZ), $(nproc) CPUs, wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  echo "POST /v1/verifications, one uvicorn worker, ${LISTING_GATE_DATABASE_URL%%:*}, sample registries warm, API key auth"
  printf '%s\n%s\n%s\n%s\n' "$echo_max" "$gate_max" "$echo_half" "$gate_half"
  awk -v g="$(field rps "$gate_max")" -v e="$(field rps "$echo_max")" \
    -v gp="$(field p99_ms "$gate_half")" -v ep="$(field p99_ms "$echo_half")" -v h="$half" 'BEGIN {
      printf "throughput ratio gate/echo = %.2f (target >= 0.70)\n", g / e
      printf "p99 at %d req/s: gate %.2f ms, echo %.2f ms, ratio %.2f (target <= 2.00)\n", h, gp, ep, gp / ep
    }'
} | tee "$OUT/http_bench.txt"
