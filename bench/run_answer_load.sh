#!/usr/bin/env bash
# Serve the app with gunicorn on PostgreSQL + Redis (as in production), load it with
# respondents answering a consultation and with a bare-view baseline, in the same run.
# Then check that every thank-you page is exactly one stored response.
#   bench/run_answer_load.sh [seconds] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-15}
CONCURRENCY=${2:-16}
PORT=${PORT:-8765}
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
export SECRET_KEY=bench-only-secret DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=false
# The rate limit protects real consultations; one load generator is one address.
export SUBMISSIONS_PER_HOUR_PER_ADDRESS=100000000
BIN=.venv/bin
mkdir -p bench/results

psql postgres://postgres@127.0.0.1:5432/postgres -qc "drop database if exists cop_bench" -qc "create database cop_bench"
redis-cli -n 14 flushdb >/dev/null
$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py load_demo >/dev/null

$BIN/gunicorn cop_site.wsgi --bind 127.0.0.1:$PORT --workers 2 --threads 4 --worker-class gthread \
  --access-logfile /dev/null --error-logfile bench/results/gunicorn.log &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs http://127.0.0.1:$PORT/ping >/dev/null && break; sleep 0.2; done

$BIN/python bench/answer_load.py --base http://127.0.0.1:$PORT --seconds "$SECONDS_RUN" \
  --concurrency "$CONCURRENCY" --json bench/results/answer_load.json

stored=$(psql "$DATABASE_URL" -tAc "select count(*) from consultations_response")
thanked=$($BIN/python -c "import json; print(json.load(open('bench/results/answer_load.json'))['submissions'])")
echo "thank-you pages: $thanked, responses stored: $stored"
[ "$stored" = "$thanked" ] || { echo "MISMATCH: every thank-you page must be exactly one response"; exit 1; }
