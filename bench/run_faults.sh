#!/usr/bin/env bash
# Fault drills on the production processes (gunicorn, Celery worker and beat) on loopback,
# against a fresh database cop_faults and redis-servers of their own (see bench/faults.py):
#   redis     Redis killed for 10 s while 50 respondents answer, then started again
#   worker    the Celery worker SIGKILLed half-way through a task, then started again
#   postgres  PostgreSQL restarted for real (pg_ctlcluster) while 50 respondents answer
#   bench/run_faults.sh [redis] [worker] [postgres]      (all three by default)
# The postgres drill restarts the machine's PostgreSQL cluster: everything else using it
# loses its connections for a second or two. Needs root (or the postgres user) for that.
# Findings: bench/results/faults.json and faults.txt. Fails if a drill finds a fault.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT=bench/results
DB=${FAULTS_DB:-cop_faults}
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
# This process never touches the machine's Redis; each drill starts its own redis-server.
unset REDIS_URL CACHE_REDIS_URL CELERY_BROKER_URL
export SECRET_KEY=faults-only-secret DEBUG=false ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=false CELERY_TASK_ALWAYS_EAGER=false SITE_URL=http://127.0.0.1
mkdir -p $OUT

psql postgres://postgres@127.0.0.1:5432/postgres -qc "drop database if exists $DB" -qc "create database $DB"
$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py collectstatic --noinput -v 0
$BIN/python manage.py load_demo >/dev/null

status=0
$BIN/python -m bench.faults "$@" --concurrency "${CONCURRENCY:-50}" --json $OUT/faults.json || status=1
$BIN/python - $OUT/faults.json <<'EOF' | tee $OUT/faults.txt
import json, sys
found = json.load(open(sys.argv[1]))
if "redis" in found:
    r = found["redis"]
    print(f"[{r['at']}] redis killed at {r['redis_killed_at_s']} s, back at {r['redis_back_at_s']} s, "
          f"{r['concurrency']} respondents:")
    for phase in ("before", "outage", "after"):
        print(f"  {phase}: {r[phase]['statuses']}, POST p50/p95/p99 {r[phase]['post_ms']} ms")
    print(f"  5xx: {r['server_errors']}; thanked {r['thanked']}, stored {r['stored']}, whole: {r['whole']}; "
          f"tallies counted everything {r['tallies_counted_everything_within_s_of_redis_return']} s after Redis returned")
if "worker" in found:
    w = found["worker"]
    print(f"[{w['at']}] worker SIGKILLed half-way through a task (visibility timeout {w['visibility_timeout_s']} s):")
    for name, value in w.items():
        if isinstance(value, dict):
            print(f"  {name}: {value}")
if "postgres" in found:
    p = found["postgres"]
    print(f"[{p['at']}] postgres restarted ({p['command']}) from {p['restart_s'][0]} s to {p['restart_s'][1]} s, "
          f"{p['concurrency']} respondents:")
    print(f"  all requests: {p['statuses']}")
    print(f"  5xx other than 503: {p['server_errors']}; try-again pages not in the respondent's language: "
          f"{p['try_again_pages_not_in_the_respondents_language']}")
    print(f"  forms sent again after a try-again page: {p['forms_sent_again']} -> {p['sent_again']}")
    print(f"  thanked {p['thanked']}, stored {p['stored']}, whole: {p['whole']}")
print("ok" if all(v["ok"] for v in found.values()) else "FAILED: " + ", ".join(k for k, v in found.items() if not v["ok"]))
EOF
exit $status
