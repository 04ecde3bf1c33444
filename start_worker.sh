#!/usr/bin/env bash
# One worker in the foreground (development): logs to the console and to logs/worker_1.log.
# Without DATABASE_URL the embedded database is started first, as its own process, unless one answers.
set -euo pipefail
cd "$(dirname "$0")"
bin/kaaj build
bin/kaaj ensure-db
export KAAJ_LOG_NAME=worker_1
# A worker serves only /api/health: on any free port unless KAAJ_WORKER_HTTP_PORT says which.
export KAAJ_HTTP_PORT="${KAAJ_WORKER_HTTP_PORT:-0}"
exec bin/kaaj worker 1
