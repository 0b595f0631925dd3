#!/usr/bin/env bash
# Serves the portal for `make run`. With REDIS_URL set, a Celery worker with
# an embedded beat runs beside it; without, tasks run inline (eager).
set -euo pipefail
BIN=.venv/bin
PORT="${PORT:-8000}"
# Links in reminder e-mails point at this server unless told otherwise.
export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://127.0.0.1:${PORT}}"
# Served as users see it: with DEBUG off a missing page or a failure shows
# the portal's Vietnamese error pages, not Django's technical ones (static
# files are still served, by WhiteNoise). `DJANGO_DEBUG=1 make run` for those.
export DJANGO_DEBUG="${DJANGO_DEBUG:-False}"

if [ -n "${REDIS_URL:-}" ]; then
  $BIN/celery -A config worker --beat --loglevel=INFO --concurrency=2 &
  worker=$!
else
  # No broker, no beat: the reminder sweep runs every two minutes from here.
  $BIN/python manage.py sweep_reminders --loop 120 &
  worker=$!
fi
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Cổng CCHC: http://127.0.0.1:${PORT}/"
$BIN/python manage.py runserver "127.0.0.1:${PORT}"
