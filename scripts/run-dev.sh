#!/usr/bin/env bash
# Starts the task worker and the development server together; Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Early Help Quality Assurance is starting on http://$HOST:$PORT/ (task worker pid $worker)"
echo "Stop it with Ctrl+C."
echo
.venv/bin/python manage.py runserver "$HOST:$PORT"
