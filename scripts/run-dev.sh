#!/usr/bin/env bash
# Starts the task worker, the scheduler of the daily jobs and the development server together;
# Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

.venv/bin/python manage.py db_worker &
worker=$!
.venv/bin/python manage.py scheduler &
scheduler=$!
trap 'kill "$worker" "$scheduler" 2>/dev/null || true' EXIT INT TERM

echo
echo "Early Help Quality Assurance is starting on http://$HOST:$PORT/"
echo "The task worker (pid $worker) sends e-mails and runs background work; the scheduler"
echo "(pid $scheduler) starts the daily reminders once a day, from DAILY_JOBS_HOUR."
echo "E-mails are printed here in the terminal, not sent."
echo "Stop it with Ctrl+C."
echo
.venv/bin/python manage.py runserver "$HOST:$PORT"
