#!/usr/bin/env bash
# Serve the app with gunicorn on PostgreSQL + Redis (as in production), load it with
# respondents answering a consultation and with a bare-view baseline (/ping) at the same
# concurrency, in the same run. Then check the database: every thank-you page is exactly
# one stored response, whole, and a form sent twice is stored once.
#   bench/run_answer_load.sh [seconds=20] [concurrency=200]    (or SECONDS_RUN, CONCURRENCY)
# Figures: bench/results/answer_load.json and answer_load.txt. Fails on any 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-${SECONDS_RUN:-20}}
CONCURRENCY=${2:-${CONCURRENCY:-200}}
PORT=${PORT:-8765}
WORKERS=${WORKERS:-2}
THREADS=${THREADS:-4}
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cop_bench}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/14}
export SECRET_KEY=bench-only-secret DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=false SITE_URL=http://127.0.0.1:$PORT
# The rate limit protects real consultations (60 an hour per address by default); the load
# generator is one address, so it is lifted here and only here.
export SUBMISSIONS_PER_HOUR_PER_ADDRESS=100000000
BIN=.venv/bin
OUT=bench/results
mkdir -p $OUT

psql postgres://postgres@127.0.0.1:5432/postgres -qc "drop database if exists cop_bench" -qc "create database cop_bench"
redis-cli -n 14 flushdb >/dev/null
$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py load_demo >/dev/null

$BIN/gunicorn cop_site.wsgi --bind 127.0.0.1:$PORT --workers "$WORKERS" --threads "$THREADS" --worker-class gthread \
  --backlog 2048 --no-control-socket --access-logfile /dev/null --error-logfile $OUT/gunicorn.log &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs http://127.0.0.1:$PORT/ping >/dev/null && break; sleep 0.2; done

status=0
$BIN/python bench/answer_load.py --base http://127.0.0.1:$PORT --seconds "$SECONDS_RUN" \
  --concurrency "$CONCURRENCY" --json $OUT/answer_load.json | tee $OUT/answer_load.txt || status=1

q() { psql "$DATABASE_URL" -tAc "$1"; }
stored=$(q "select count(*) from consultations_response")
tokens=$(q "select count(*) from consultations_usedformtoken")
# Whole responses only: every stored response has the same number of answer rows.
shapes=$(q "select count(distinct n) from (select count(a.id) n from consultations_response r
            left join consultations_answer a on a.response_id = r.id group by r.id) s")
thanked=$($BIN/python -c "import json; print(json.load(open('$OUT/answer_load.json'))['submissions'])")
resent=$($BIN/python -c "import json; print(json.load(open('$OUT/answer_load.json'))['answers']['resent_and_thanked_again'])")
line="integrity: $thanked thank-you pages for new forms, $resent forms sent twice and thanked again, $stored responses stored, $tokens spent tokens"
echo "  $line" | tee -a $OUT/answer_load.txt
$BIN/python - "$OUT/answer_load.json" "$stored" "$tokens" <<'EOF'
import json, sys
path, stored, tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
figures = json.load(open(path))
figures["database"] = {"responses_stored": stored, "spent_tokens": tokens}
json.dump(figures, open(path, "w"), indent=2)
EOF
if [ "$stored" != "$thanked" ] || [ "$tokens" != "$stored" ]; then
  echo "MISMATCH: every thank-you page must be exactly one response" | tee -a $OUT/answer_load.txt; status=1
fi
if [ "$stored" != 0 ] && [ "$shapes" != 1 ]; then
  echo "MISMATCH: responses stored with different numbers of answers" | tee -a $OUT/answer_load.txt; status=1
fi
exit $status
