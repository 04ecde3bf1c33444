#!/usr/bin/env bash
# N worker processes (default 2), each logging to logs/worker_N.log with its pid in .worker_pids/N.pid.
# Ctrl+C (or SIGTERM to this script) stops them all. Without DATABASE_URL the embedded database is
# started first as its own process (or the running one reused): stopping workers never stops it.
set -euo pipefail
cd "$(dirname "$0")"
count="${1:-2}"
if ! [[ "$count" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: ./start_workers.sh [N]   (N workers, default 2)" >&2
  exit 2
fi
bin/kaaj build
bin/kaaj ensure-db
mkdir -p logs .worker_pids

declare -A pids
for i in $(seq 1 "$count"); do
  KAAJ_LOG_NAME="worker_$i" KAAJ_CONSOLE_LOG=off KAAJ_HTTP_PORT="${KAAJ_WORKER_HTTP_PORT:-0}" bin/kaaj worker "$i" >/dev/null 2>>"logs/worker_$i.log" &
  pids[$i]=$!
  echo "${pids[$i]}" > ".worker_pids/$i.pid"
  echo "worker $i started (pid ${pids[$i]}, log logs/worker_$i.log)"
done

stop_all() {
  trap - INT TERM
  echo "stopping ${#pids[@]} workers..."
  for i in "${!pids[@]}"; do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
}
trap stop_all INT TERM

# Wait until every worker has exited (stopped here, or one by one with kill), tidying pid files.
while [ "${#pids[@]}" -gt 0 ]; do
  wait -n 2>/dev/null || true
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      rm -f ".worker_pids/$i.pid"
      echo "worker $i (pid ${pids[$i]}) stopped"
      unset "pids[$i]"
    fi
  done
done
