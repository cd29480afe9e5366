#!/usr/bin/env bash
# Results at scale, in one run on PostgreSQL + Redis (see bench/README-results.md):
# load N responses × 12 questions by COPY, time the tally rebuild against a full scan,
# serve the results page with gunicorn against /ping, and build the record-level exports
# against a bare django.setup() process. Summary: bench/last-results-scale.txt.
#   bench/run_results_scale.sh [N_RESPONSES=1000000] [--profile]
# SKIP_LOAD=1 keeps the database of the previous run and measures again.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
PROFILE=${2:-}
PORT=${PORT:-8766}
DB=${BENCH_DB:-cop_bench_results}
REDIS_DB=${BENCH_REDIS_DB:-14}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB CACHE_REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
export SECRET_KEY=bench-only-secret DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=false SITE_URL=http://127.0.0.1:$PORT
export MEDIA_ROOT=$PWD/bench/results/media CACHE_KEY_PREFIX=bench-scale
BIN=.venv/bin
PY="$BIN/python bench/results_scale.py"
mkdir -p bench/results
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
rm -f bench/results/scale-{rebuild,http,export}.json bench/results/scale-*.txt
rm -rf bench/results/media

if [ -n "${SKIP_LOAD:-}" ]; then
  step "reusing $DB: $(psql "$DATABASE_URL" -tAc 'select count(*) from consultations_response') responses"
  N=$(psql "$DATABASE_URL" -tAc 'select count(*) from consultations_response')
  $BIN/python manage.py shell -c "from reports.models import RecordExport; RecordExport.objects.all().delete()"
else
  rm -f bench/results/scale-load.json
  step "fresh database $DB, migrations"
  psql postgres://postgres@127.0.0.1:5432/postgres -qc "drop database if exists $DB" -qc "create database $DB"
  redis-cli -n "$REDIS_DB" flushdb >/dev/null
  $BIN/python manage.py migrate --noinput -v 0
  $BIN/python manage.py collectstatic --noinput -v 0

  step "load $N responses"
  $PY load --responses "$N"
fi

step "tally rebuild"
$PY rebuild $PROFILE

step "results page (gunicorn) against /ping"
redis-cli -n "$REDIS_DB" flushdb >/dev/null
$BIN/gunicorn cop_site.wsgi --bind 127.0.0.1:$PORT --workers 2 --threads 4 --worker-class gthread \
  --access-logfile /dev/null --error-logfile bench/results/gunicorn-scale.log &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs http://127.0.0.1:$PORT/ping >/dev/null && break; sleep 0.2; done
$PY http --base http://127.0.0.1:$PORT --concurrency 4
kill $GUNICORN; wait $GUNICORN 2>/dev/null || true
trap - EXIT

step "record-level export"
$PY export

step "summary"
$PY summary --command-line "${SKIP_LOAD:+SKIP_LOAD=1 }bench/run_results_scale.sh $N${PROFILE:+ $PROFILE}"
