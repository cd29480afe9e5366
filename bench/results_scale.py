"""Results at scale: 1,000,000 responses × 12 questions in PostgreSQL, then the tally
rebuild, the results page and the record-level export, each beside a baseline measured in
the same run. bench/run_results_scale.sh runs every step in order; see bench/README-results.md.

    python bench/results_scale.py load --responses 1000000   # fresh, migrated database
    python bench/results_scale.py rebuild [--profile]         # a release (count, protect, store) vs count(*)
    python bench/results_scale.py http --base http://127.0.0.1:8766
    python bench/results_scale.py export
    python bench/results_scale.py summary

Each step writes bench/results/scale-<step>.json; `summary` puts them in one table.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import http.client
import json
import os
import platform
import queue
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SLUG = "bench-results-scale"
SEED = 20250614


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_site.settings")
    import django

    django.setup()


def _save(step: str, figures: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    # The machine is shared: the 1-minute load average at the end of the step says how quiet it was.
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    (RESULTS / f"scale-{step}.json").write_text(json.dumps(figures, indent=2, default=str))
    print(json.dumps(figures, indent=2, default=str))


def _load(step: str) -> dict | None:
    path = RESULTS / f"scale-{step}.json"
    return json.loads(path.read_text()) if path.exists() else None


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- 1. Load ----------------------------------------------------------------------------------

# Question kinds in page order: 6 single (4-5 choices), 2 multiple (5), 3 rating, 1 text.
KINDS = [
    ("single", 4),
    ("single", 5),
    ("rating", 0),
    ("multiple", 5),
    ("single", 4),
    ("rating", 0),
    ("single", 5),
    ("multiple", 5),
    ("single", 4),
    ("rating", 0),
    ("single", 5),
    ("text", 0),
]
SKIP = 0.05
AGES = {"under-9": 2, "9-11": 12, "12-14": 28, "15-17": 30, "18-24": 20, "25-plus": 4, "undisclosed": 4}
SEXES = {"female": 49, "male": 45, "another": 2, "undisclosed": 4}
LANGUAGES = {"en": 40, "es": 15, "fr": 15, "ar": 12, "ru": 10, "zh-hans": 8}
ZIPF_COUNTRIES, HANDFUL_COUNTRIES, ZIPF_S = 110, 40, 1.1
NO_COUNTRY = 0.015  # "prefer not to say"
TEXTS = {
    "en": [
        "Teach us how to block and report people at school.",
        "Apps should ask our age properly.",
        "More help for younger children, please.",
        "Parents need to learn too.",
    ],
    "es": ["Que enseñen en la escuela a bloquear y denunciar.", "Las aplicaciones deberían proteger más."],
    "fr": ["Apprendre à bloquer et signaler dès le collège.", "Les réseaux doivent supprimer plus vite."],
    "ar": ["يجب تعليمنا كيفية الحظر والإبلاغ في المدرسة.", "نحتاج إلى مساعدة أكثر للأطفال الصغار."],
    "ru": ["Нужно учить блокировать и жаловаться в школе.", "Приложения должны лучше защищать детей."],
    "zh-hans": ["学校应该教我们如何屏蔽和举报。", "应用程序应该更好地保护儿童。"],
}
VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def uuid4_hex(n: int) -> list[str]:
    """n random version-4 UUIDs as 32 hex digits (what uuid.uuid4() is, ~5× faster)."""
    h = os.urandom(16 * n).hex()
    return [
        h[i : i + 12] + "4" + h[i + 13 : i + 16] + VARIANT[h[i + 16]] + h[i + 17 : i + 32] for i in range(0, 32 * n, 32)
    ]


class Weighted:
    def __init__(self, weights: dict) -> None:
        self.keys = list(weights)
        self.cumulative = list(accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def draw(self, rnd: random.Random):
        return self.keys[bisect.bisect(self.cumulative, rnd.random() * self.total)]


def _make_consultation():
    from django.conf import settings
    from django.utils import timezone

    from consultations.models import Choice, Consultation, Question

    def six(text: str) -> dict[str, str]:
        return {code: f"{text} [{code}]" for code in settings.LANGUAGE_CODES}

    now = timezone.now()
    consultation = Consultation.objects.create(
        slug=SLUG,
        title=six("Staying safe online at scale"),
        introduction=six("Why we ask"),
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
    )
    for position, (kind, n_choices) in enumerate(KINDS, start=1):
        question = Question.objects.create(
            consultation=consultation,
            position=position,
            kind=kind,
            text=six(f"Question {position} ({kind})"),
            scale_min_label=six("Not at all") if kind == "rating" else {},
            scale_max_label=six("Very much") if kind == "rating" else {},
        )
        for n in range(1, n_choices + 1):
            Choice.objects.create(question=question, position=n, text=six(f"Choice {n}"))
    return Consultation.objects.with_content().get(pk=consultation.pk)


def _country_weights(n: int, rnd: random.Random) -> dict[str, float]:
    """~150 countries: 110 with Zipf-like weights, 40 with a handful of responses each."""
    from consultations.demographics import REGIONS_TABLE

    codes = [line.split(",")[0] for line in REGIONS_TABLE.read_text().splitlines()[1:] if line.strip()]
    rnd.shuffle(codes)
    zipf = codes[:ZIPF_COUNTRIES]
    handful = codes[ZIPF_COUNTRIES : ZIPF_COUNTRIES + HANDFUL_COUNTRIES]
    harmonic = sum(1 / k**ZIPF_S for k in range(1, ZIPF_COUNTRIES + 1))
    # As expected counts: the Zipf part shares what the handful and "no country" leave.
    fixed = {code: float(rnd.randint(1, 12)) for code in handful}
    rest = n * (1 - NO_COUNTRY) - sum(fixed.values())
    weights = {code: rest / harmonic / k**ZIPF_S for k, code in enumerate(zipf, start=1)}
    weights.update(fixed)
    weights[""] = n * NO_COUNTRY
    return weights


_DDL_QUERY = """
select conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
from pg_constraint
where contype in ('p', 'u', 'f')
  and (conrelid in ('consultations_answer'::regclass, 'consultations_response'::regclass)
       or confrelid in ('consultations_answer'::regclass, 'consultations_response'::regclass))
"""
_INDEX_QUERY = """
select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
from pg_index i
where i.indrelid in ('consultations_answer'::regclass, 'consultations_response'::regclass)
  and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.contype in ('p', 'u'))
"""


def cmd_load(args: argparse.Namespace) -> None:
    """Create the consultation, then COPY N responses and their answers in one transaction
    with indexes and foreign keys dropped, and rebuild them afterwards (the fast path)."""
    _django()
    from django.db import connection

    from consultations.demographics import region_for_country

    rnd = random.Random(SEED)
    n = args.responses
    started = time.perf_counter()
    consultation = _make_consultation()
    questions = consultation.ordered_questions()
    country_weights = _country_weights(n, rnd)
    countries, ages, sexes, languages = (
        Weighted(country_weights),
        Weighted(AGES),
        Weighted(SEXES),
        Weighted(LANGUAGES),
    )
    today = date.today()
    days = [today - timedelta(days=d) for d in range(30)]

    # Per question: how to draw an answer, as (kind, question id, draw data).
    plans = []
    for question in questions:
        choice_ids = [c.id for c in question.ordered_choices()]
        if question.kind == "single":
            weights = [rnd.uniform(0.5, 4) for _ in choice_ids]
            plans.append(("single", question.id, Weighted(dict(zip(choice_ids, weights, strict=True)))))
        elif question.kind == "multiple":
            plans.append(("multiple", question.id, list(zip(choice_ids, (0.55, 0.4, 0.3, 0.2, 0.1), strict=True))))
        elif question.kind == "rating":
            plans.append(("rating", question.id, Weighted({1: 1, 2: 1.5, 3: 2.5, 4: 3, 5: 2})))
        else:
            plans.append(("text", question.id, None))
    for texts in TEXTS.values():
        assert not any(c in t for t in texts for c in "\t\n\\")

    connection.ensure_connection()
    raw = connection.connection  # the psycopg 3 connection Django opened
    ddl = raw.execute(_DDL_QUERY).fetchall()
    indexes = raw.execute(_INDEX_QUERY).fetchall()
    timings: dict[str, float] = {"consultation": time.perf_counter() - started}
    answers_written = 0
    consultation_id = consultation.id
    chunk = 20000
    region_of = {code: region_for_country(code) for code in country_weights}

    t0 = time.perf_counter()
    with raw.transaction():
        for table, name, _definition, _kind in sorted(ddl, key=lambda row: row[3] != "f"):  # FKs first
            raw.execute(f'alter table {table} drop constraint "{name}"')
        for name, _definition in indexes:
            raw.execute(f'drop index "{name}"')
        raw.execute("truncate consultations_answer, consultations_response")
        cursor = raw.cursor()
        response_ids: list[str] = []
        with cursor.copy(
            "COPY consultations_response (id, consultation_id, submitted_on, language, age_band, sex, country, region)"
            " FROM STDIN (FREEZE)"
        ) as copy:
            for start in range(0, n, chunk):
                ids = uuid4_hex(min(chunk, n - start))
                response_ids += ids
                for rid in ids:
                    country = countries.draw(rnd)
                    copy.write_row(
                        (
                            rid,
                            consultation_id,
                            days[rnd.randrange(30)],
                            languages.draw(rnd),
                            ages.draw(rnd),
                            sexes.draw(rnd),
                            country,
                            region_of[country],
                        )
                    )
        timings["copy_responses"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        # Answers are written as COPY text directly: write_row() measured 4.4× slower per row here.
        rnd_random = rnd.random
        with cursor.copy(
            "COPY consultations_answer (id, response_id, question_id, choice_id, rating, text) FROM STDIN (FREEZE)"
        ) as copy:
            for start in range(0, n, chunk):
                lines: list[str] = []
                add = lines.append
                for rid in response_ids[start : start + chunk]:
                    language = None
                    for kind, qid, plan in plans:
                        if rnd_random() < SKIP:
                            continue
                        if kind == "single":
                            add(f"\t{rid}\t{qid}\t{plan.draw(rnd)}\t\\N\t\n")
                        elif kind == "rating":
                            add(f"\t{rid}\t{qid}\t\\N\t{plan.draw(rnd)}\t\n")
                        elif kind == "multiple":
                            ticked = []
                            while not ticked:
                                ticked = [cid for cid, p in plan if rnd_random() < p]
                            for cid in ticked:
                                add(f"\t{rid}\t{qid}\t{cid}\t\\N\t\n")
                        else:
                            language = language or languages.draw(rnd)
                            texts = TEXTS[language]
                            add(f"\t{rid}\t{qid}\t\\N\t\\N\t{texts[rnd.randrange(len(texts))]}\n")
                ids = uuid4_hex(len(lines))
                copy.write("".join([u + line for u, line in zip(ids, lines, strict=True)]))
                answers_written += len(lines)
        timings["copy_answers"] = time.perf_counter() - t1
    del response_ids
    t2 = time.perf_counter()
    raw.execute("set maintenance_work_mem = '1GB'")
    raw.execute("set max_parallel_maintenance_workers = 2")
    for table, name, definition, _kind in sorted(ddl, key=lambda row: row[3] == "f"):  # keys first
        raw.execute(f'alter table {table} add constraint "{name}" {definition}')
    for _name, definition in indexes:
        raw.execute(definition)
    timings["indexes_and_keys"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    raw.execute("vacuum (analyze) consultations_response")
    raw.execute("vacuum (analyze) consultations_answer")
    timings["vacuum_analyze"] = time.perf_counter() - t3
    timings["total"] = time.perf_counter() - started

    sizes = dict(
        raw.execute(
            "select relname, pg_total_relation_size(oid) from pg_class"
            " where relname in ('consultations_answer', 'consultations_response')"
        ).fetchall()
    )
    by_country = raw.execute(
        "select country, count(*) from consultations_response group by country order by 2 desc, 1"
    ).fetchall()
    _save(
        "load",
        {
            "responses": n,
            "answers": answers_written,
            "questions": len(questions),
            "slug": SLUG,
            "seconds": {k: round(v, 2) for k, v in timings.items()},
            "rows_per_second": round((n + answers_written) / (timings["copy_responses"] + timings["copy_answers"])),
            "table_bytes": sizes,
            "countries": len([c for c, _ in by_country if c]),
            "countries_under_5": len([c for c, k in by_country if c and k < 5]),
            "countries_by_responses": [[c, k] for c, k in by_country],
        },
    )


# --- 2. Tally rebuild -------------------------------------------------------------------------


def cmd_rebuild(args: argparse.Namespace) -> None:
    _django()
    from django.db import connection

    import reports.statistics.tallies as tallies
    from consultations.models import Consultation
    from reports.models import ScopeTally
    from reports.statistics.releases import release_publish

    consultation = Consultation.objects.get(slug=SLUG)
    connection.ensure_connection()
    raw = connection.connection

    def timed(sql: str) -> float:
        s = time.perf_counter()
        raw.execute(sql).fetchall()
        return time.perf_counter() - s

    # Baseline: a full scan of the same rows (best of 3, so buffers are as warm as they get).
    scan = [timed("select count(*) from consultations_answer") for _ in range(3)]
    join = [
        timed(
            "select count(*) from consultations_answer a join consultations_response r on r.id = a.response_id"
            f" where r.consultation_id = {consultation.id}"
        )
        for _ in range(2)
    ]

    queries: list[tuple[str, tuple, float]] = []

    def wrapper(execute, sql, params, many, context):
        s = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, params, time.perf_counter() - s))

    spans: dict[str, float] = {}
    captured: dict = {}
    gather, build = tallies._gather, tallies.tally_build

    def timed_gather(c):
        s = time.perf_counter()
        captured["counts"] = gather(c)
        spans["gather"] = time.perf_counter() - s
        return captured["counts"]

    def timed_build(c, **kw):
        s = time.perf_counter()
        captured["result"] = build(c, **kw)
        spans["build"] = time.perf_counter() - s
        return captured["result"]

    tallies._gather, tallies.tally_build = timed_gather, timed_build
    runs = []
    for _ in range(args.repeat):
        queries.clear()
        started = time.perf_counter()
        # Each repeat makes the same release afresh (a release is otherwise immutable).
        consultation.tally_runs.all().delete()
        with connection.execute_wrapper(wrapper):
            run = release_publish(consultation=consultation, final=consultation.has_closed())
        total = time.perf_counter() - started
        runs.append({"total": total, **spans, "queries": list(queries)})
    tallies._gather, tallies.tally_build = gather, build
    # The fastest run is reported (the machine is shared); every run is kept beside it.
    best = min(runs, key=lambda r: r["total"])
    total, spans, queries = best["total"], best, best["queries"]

    layout, figures, respondents = captured["result"]
    cells = hidden = 0
    for doc in figures.values():
        for values in [doc["respondents"], *(v for q in doc["questions"].values() for v in q.values())]:
            cells += len(values)
            hidden += sum(v is None for v in values)
    gather_queries = [(sql, params, s) for sql, params, s in queries if "GROUP BY" in sql.upper()]
    figures_out = {
        "responses": respondents,
        "rebuild_seconds": round(total, 2),
        "rebuild_runs_seconds": [round(r["total"], 2) for r in runs],
        "split_seconds": {
            "group_by_queries": round(spans["gather"], 2),
            "suppression_and_shaping_python": round(spans["build"] - spans["gather"], 2),
            "store_scope_rows": round(total - spans["build"], 2),
        },
        "queries": [{"seconds": round(s, 2), "sql": sql[:200]} for sql, _p, s in gather_queries],
        "baseline_count_star_seconds": round(min(scan), 3),
        "baseline_count_star_all": [round(s, 3) for s in scan],
        "ratio_rebuild_to_count_star": round(total / min(scan), 1),
        "reference_join_count_seconds": round(min(join), 3),
        "scopes": ScopeTally.objects.filter(run=run).count(),
        "published_cells": cells,
        "hidden_cells": hidden,
        "hidden_share": round(hidden / cells, 3) if cells else None,
        "target_seconds": 60,
    }
    if args.profile:
        import cProfile
        import io
        import pstats

        counts = captured["counts"]
        tallies._gather = lambda c: counts
        profiler = cProfile.Profile()
        s = time.perf_counter()
        profiler.enable()
        tallies.tally_build(consultation)
        profiler.disable()
        tallies._gather = gather
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(18)
        stats.sort_stats("cumulative").print_stats(22)
        (RESULTS / "scale-profile.txt").write_text(out.getvalue())
        figures_out["profile"] = {
            "file": "bench/results/scale-profile.txt",
            "python_part_under_cprofile_seconds": round(time.perf_counter() - s, 2),
        }
        plans = []
        for sql, params, _s in gather_queries:
            plan = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).fetchall()
            plans.append(sql + "\n" + "\n".join(r[0] for r in plan))
        (RESULTS / "scale-plans.txt").write_text("\n\n".join(plans))
        figures_out["profile"]["plans"] = "bench/results/scale-plans.txt"
    _save("rebuild", figures_out)


# --- 3. Results page --------------------------------------------------------------------------


def filter_set(countries_ranked: list[str]) -> list[str]:
    """Query strings mixing places and breakdowns: ~23 place sets × 4 breakdowns."""
    from_alpha2 = _alpha3()
    ranked = [c for c in countries_ranked if c]
    big, small = ranked[:4], ranked[-4:]
    middle = ranked[len(ranked) // 3 : len(ranked) // 3 + 2]
    place_sets: list[list[tuple[str, str]]] = [[]]  # the world
    place_sets += [[("region", r)] for r in ("africa", "americas", "arab_states", "asia_pacific", "cis", "europe")]
    place_sets += [[("country", from_alpha2[c])] for c in big + middle + small]
    place_sets += [
        [("country", from_alpha2[big[0]]), ("country", from_alpha2[big[1]])],
        [("country", from_alpha2[big[2]]), ("country", from_alpha2[small[0]])],
        [("country", from_alpha2[c]) for c in (big[1], middle[0], small[1])],
        [("country", from_alpha2[c]) for c in (big[3], small[2], small[3])],
        [("region", "europe"), ("country", from_alpha2[big[0]])],
        [("region", "africa"), ("region", "americas"), ("country", from_alpha2[middle[1]])],
    ]
    queries = []
    for places in place_sets:
        for by in ("", "age", "sex", "age-sex"):
            items = places + ([("by", by)] if by else [])
            queries.append(urllib.parse.urlencode(items))
    return queries


def _alpha3() -> dict[str, str]:
    from django_countries import countries

    return {code: countries.alpha3(code) for code, _name in countries}


class Sample:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.by_path: list[tuple[str, float]] = []
        self.errors: dict[str, int] = {}
        self.bytes: list[int] = []
        self.lock = threading.Lock()


def fire(host: str, port: int, paths: list[str], concurrency: int, check: bytes | None) -> tuple[Sample, float]:
    work: queue.Queue[str] = queue.Queue()
    for path in paths:
        work.put(path)
    sample = Sample()

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                if response.getheader("Content-Encoding") == "gzip":
                    body_text = gzip.decompress(body)
                else:
                    body_text = body
                ok = response.status == 200 and (check is None or check in body_text)
                with sample.lock:
                    if ok:
                        sample.latencies.append(elapsed)
                        sample.by_path.append((path, elapsed))
                        sample.bytes.append(len(body))
                    else:
                        sample.errors[str(response.status)] = sample.errors.get(str(response.status), 0) + 1
            except (OSError, http.client.HTTPException) as error:
                with sample.lock:
                    sample.errors[type(error).__name__] = sample.errors.get(type(error).__name__, 0) + 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sample, time.perf_counter() - started


def _by_breakdown(sample: Sample) -> dict:
    groups: dict[str, list[float]] = {}
    for path, seconds in sample.by_path:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        places = len(query.get("region", [])) + len(query.get("country", [])) or 1
        key = f"by={query.get('by', ['none'])[0]},places={'1' if places == 1 else '2+'}"
        groups.setdefault(key, []).append(seconds * 1000)
    return {
        key: {"n": len(v), "p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1)}
        for key, v in sorted(groups.items())
    }


def _stats(sample: Sample, seconds: float) -> dict:
    ms = [s * 1000 for s in sample.latencies]
    return {
        "requests": len(ms),
        "errors": sample.errors,
        "per_second": round(len(ms) / seconds, 1) if seconds else None,
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2) if ms else None,
        "mean_bytes": round(statistics.mean(sample.bytes)) if sample.bytes else None,
    }


def cmd_http(args: argparse.Namespace) -> None:
    _django()  # settings for django_countries, and the prerender step uses the database
    load = _load("load") or {}
    ranked = [c for c, _n in load.get("countries_by_responses", [])]
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    queries = filter_set(ranked)
    languages = ["en", "fr", "es", "ar", "ru", "zh-hans"]
    paths = [f"/{lang}/results/{SLUG}/" + (f"?{q}" if q else "") for q in queries for lang in languages]
    rnd = random.Random(SEED)
    rnd.shuffle(paths)
    # Warm-up: start each worker's interpreter paths (templates, translations) on pages
    # outside the measured set, so "cold" means an empty page cache, not a fresh process.
    spare = [c for c in ranked[10:30] if c and _alpha3()[c] not in " ".join(queries)][:8]
    warm = [f"/en/results/{SLUG}/?country={_alpha3()[c]}" for c in spare] + ["/ping"] * 20
    fire(host, port, warm, args.concurrency, None)

    cold, cold_s = fire(host, port, paths, args.concurrency, b"<table")
    # As in production: the cache is emptied (a recount retires every page), the worker's
    # prerender task renders world and regions, then visitors arrive.
    from django.core.cache import cache

    from consultations.models import Consultation
    from reports.statistics.prerender import results_pages_prerender

    cache.clear()
    started = time.perf_counter()
    prerendered = results_pages_prerender(consultation=Consultation.objects.get(slug=SLUG))
    prerender_s = time.perf_counter() - started
    after, after_s = fire(host, port, paths, args.concurrency, b"<table")
    warm_sample, warm_s = fire(host, port, paths, args.concurrency, b"<table")
    ping, ping_s = fire(host, port, ["/ping"] * len(paths), args.concurrency, b"ok")
    out = {
        "concurrency": args.concurrency,
        "distinct_pages": len(paths),
        "filter_sets": len(queries),
        "languages": languages,
        "cold": _stats(cold, cold_s),
        "prerendered_pages": prerendered,
        "prerender_seconds": round(prerender_s, 1),
        "after_recount_with_prerender": _stats(after, after_s),
        "warm": _stats(warm_sample, warm_s),
        "baseline_ping": _stats(ping, ping_s),
        "cold_by_breakdown": _by_breakdown(cold),
        "warm_by_breakdown": _by_breakdown(warm_sample),
        "target_p95_ms": 50,
        "examples": paths[:5],
    }
    base = out["baseline_ping"]["p95_ms"]
    out["ratio_p95_cold_to_ping"] = round(out["cold"]["p95_ms"] / base, 1)
    out["ratio_p95_warm_to_ping"] = round(out["warm"]["p95_ms"] / base, 1)
    out["ratio_p95_after_recount_with_prerender_to_ping"] = round(
        out["after_recount_with_prerender"]["p95_ms"] / base, 1
    )
    _save("http", out)


# --- 4. Record-level export -------------------------------------------------------------------


def _child(argv: list[str]) -> dict:
    """Run a child, and return its JSON line, its wall time and its own peak RSS (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *argv], stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    lines = [line for line in output.decode().splitlines() if line.startswith("{")]
    figures = json.loads(lines[-1]) if lines else {}
    figures.update(
        wall_seconds=round(wall, 2), peak_rss_mb=round(usage.ru_maxrss / 1024, 1), exit_code=process.returncode
    )
    return figures


def cmd_export_child(args: argparse.Namespace) -> None:
    _django()
    if args.baseline:
        from consultations.models import Consultation

        Consultation.objects.get(slug=SLUG)
        print(json.dumps({"baseline": True}))
        return
    from reports.statistics.exports import record_export_build

    started = time.perf_counter()
    export = record_export_build(export_id=args.export_id)
    print(
        json.dumps(
            {
                "build_seconds": round(time.perf_counter() - started, 2),
                "status": export.status if export else None,
                "rows": export.rows_done if export else None,
                "file_size": export.file_size if export else None,
            }
        )
    )


def cmd_export(args: argparse.Namespace) -> None:
    exports_py = ROOT / "reports" / "exports.py"
    if not exports_py.exists() or "def record_export_build" not in exports_py.read_text():
        _save("export", {"measured": False, "reason": "reports/exports.py has no record_export_build yet"})
        return
    _django()
    from consultations.models import Consultation
    from reports.models import RecordExport

    consultation = Consultation.objects.get(slug=SLUG)
    out: dict = {"measured": True, "baseline": _child(["export-child", "--baseline"])}
    for fmt in args.formats:
        export = RecordExport.objects.create(consultation=consultation, format=fmt)
        out[fmt] = _child(["export-child", "--export-id", str(export.pk)])
        out[fmt]["ratio_rss_to_baseline"] = round(out[fmt]["peak_rss_mb"] / out["baseline"]["peak_rss_mb"], 1)
    out["target_peak_rss_mb"] = 150
    _save("export", out)


# --- 5. Summary -------------------------------------------------------------------------------


def cmd_summary(args: argparse.Namespace) -> None:
    steps = {s: _load(s) or {} for s in ("load", "rebuild", "http", "export")}
    load, rebuild, web, export = steps.values()
    n = load.get("responses", "?")
    command = args.command_line or f"bench/run_results_scale.sh {n}"
    lines = [
        f"Results at scale — {time.strftime('%Y-%m-%d %H:%M %Z')} — {platform.node()}, {os.cpu_count()} cores",
        f"Reproduce: {command}",
        f"Data: {n:,} responses, {load.get('answers', 0):,} answers, 12 questions, "
        f"{load.get('countries', '?')} countries ({load.get('countries_under_5', '?')} with fewer than 5 responses)"
        if load
        else "Data: (no load step)",
        "",
        f"{'measure':44} {'figure':>12} {'baseline (same run)':>28} {'ratio':>8} {'target':>10}",
    ]

    def row(name, figure, baseline="", ratio="", target=""):
        lines.append(f"{name:44} {figure:>12} {baseline:>28} {ratio:>8} {target:>10}")

    if load:
        s = load["seconds"]
        row("load (COPY, then keys+indexes, vacuum)", f"{s['total']:.0f} s", f"{load['rows_per_second']:,} rows/s COPY")
        row("  copy responses / answers", f"{s['copy_responses']:.0f}/{s['copy_answers']:.0f} s")
        row("  keys+indexes / vacuum analyze", f"{s['indexes_and_keys']:.0f}/{s['vacuum_analyze']:.0f} s")
    if rebuild:
        sp = rebuild["split_seconds"]
        row(
            f"tally rebuild (best of {len(rebuild['rebuild_runs_seconds'])})",
            f"{rebuild['rebuild_seconds']:.1f} s",
            f"count(*) answers {rebuild['baseline_count_star_seconds']:.2f} s",
            f"{rebuild['ratio_rebuild_to_count_star']}×",
            "< 60 s",
        )
        row("  every run", " / ".join(f"{x:.1f}" for x in rebuild["rebuild_runs_seconds"]))
        row(
            "  GROUP BY queries",
            f"{sp['group_by_queries']:.1f} s",
            f"join count {rebuild['reference_join_count_seconds']:.2f} s",
        )
        row("  suppression + shaping (Python)", f"{sp['suppression_and_shaping_python']:.1f} s")
        row("  store scope rows", f"{sp['store_scope_rows']:.1f} s")
        row("  scopes / hidden share", f"{rebuild['scopes']} / {rebuild['hidden_share']}")
    if web:
        ping = web["baseline_ping"]
        labels = {"cold": "cold", "after_recount_with_prerender": "after recount", "warm": "warm"}
        for phase in [p for p in labels if p in web]:
            p = web[phase]
            row(
                f"results page {labels[phase]} p50/p95/p99 (ms)",
                f"{p['p50_ms']:.0f}/{p['p95_ms']:.0f}/{p['p99_ms']:.0f}",
                f"/ping {ping['p50_ms']:.1f}/{ping['p95_ms']:.1f}/{ping['p99_ms']:.1f}",
                f"{web[f'ratio_p95_{phase}_to_ping']}×",
                "p95 < 50",
            )
        slowest = max(web["cold_by_breakdown"].items(), key=lambda kv: kv[1]["p95_ms"])
        row(f"  cold, slowest kind: {slowest[0]}", f"p95 {slowest[1]['p95_ms']:.0f} ms", f"n={slowest[1]['n']}")
        if "prerendered_pages" in web:
            row(
                "  prerender after recount (worker)",
                f"{web['prerender_seconds']} s",
                f"{web['prerendered_pages']} pages",
            )
        row(
            "  requests per pass / concurrency / errors",
            f"{web['cold']['requests']}/{web['concurrency']}",
            f"errors {sum(web['cold']['errors'].values()) + sum(web['warm']['errors'].values())}",
        )
    if export.get("measured"):
        base = export["baseline"]
        for fmt in ("csv", "xlsx"):
            if fmt in export:
                e = export[fmt]
                row(
                    f"record export {fmt}: peak RSS",
                    f"{e['peak_rss_mb']:.0f} MB",
                    f"setup+1 query {base['peak_rss_mb']:.0f} MB",
                    f"{e['ratio_rss_to_baseline']}×",
                    "< 150 MB",
                )
                if e.get("exit_code"):
                    row(f"  {fmt}: FAILED", f"exit {e['exit_code']}", "see the step's output")
                    continue
                row(
                    f"  {fmt}: time / rows / size",
                    f"{e['wall_seconds']:.0f} s",
                    f"{e.get('rows')} rows, {(e.get('file_size') or 0) / 1e6:.0f} MB, {e.get('status')}",
                )
    elif export:
        row("record export", "not measured", export.get("reason", ""))
    loads = ", ".join(f"{s} {d['load_average_1min']}" for s, d in steps.items() if "load_average_1min" in d)
    lines += ["", f"1-minute load average at the end of each step (2 cores, shared machine): {loads}"]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "last-results-scale.txt").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("load")
    p.add_argument("--responses", type=int, default=1_000_000)
    p = sub.add_parser("rebuild")
    p.add_argument("--profile", action="store_true", help="also cProfile the Python part and EXPLAIN the queries")
    p.add_argument("--repeat", type=int, default=2, help="rebuilds to run; the fastest is reported")
    p = sub.add_parser("http")
    p.add_argument("--base", default="http://127.0.0.1:8766")
    p.add_argument("--concurrency", type=int, default=4)
    p = sub.add_parser("export")
    p.add_argument("--formats", nargs="+", default=["csv", "xlsx"])
    p = sub.add_parser("export-child")
    p.add_argument("--export-id", type=int)
    p.add_argument("--baseline", action="store_true")
    p = sub.add_parser("summary")
    p.add_argument("--command-line")
    args = parser.parse_args()
    {
        "load": cmd_load,
        "rebuild": cmd_rebuild,
        "http": cmd_http,
        "export": cmd_export,
        "export-child": cmd_export_child,
        "summary": cmd_summary,
    }[args.step](args)


if __name__ == "__main__":
    main()
