#!/usr/bin/env bash
# Rebuilds this batch's PDFs from their HTML sources (see ../render.sh).
exec "$(dirname "$0")/../render.sh" "$(cd "$(dirname "$0")" && pwd)"
