"""Information loss of one release: our protection (tally_build) beside τ-ARGUS's own methods.

Measurement only. The leaf counts are generated in memory (no database): tally_build runs
on them through a stand-in for its GROUP BY step, and τ-ARGUS (PyPI pytauargus) protects
the same tables built from the same respondents as microdata. See
bench/README-information-loss.md for the columns and caveats.

    python bench/information_loss.py [--small 5000] [--small-countries 40]
        [--large 1000000] [--tau-large 20000] [--stop-after 20] [--opt-seconds 120]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_scale import KINDS  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_site.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret")
os.environ.setdefault("DEBUG", "true")

AGES = {"under-9": 2, "9-11": 12, "12-14": 28, "15-17": 30, "18-24": 20, "25-plus": 4, "undisclosed": 4}
SEXES = {"female": 49, "male": 45, "another": 2, "undisclosed": 4}
SKIP = 0.05
MULTI_P = (0.55, 0.4, 0.3, 0.2, 0.1)
SMALL_KINDS = [("single", 5), ("multiple", 4), ("rating", 0), ("text", 0)]
LARGE_KINDS = KINDS  # bench/results_scale.py's 12 questions, the same ones


# --- data -------------------------------------------------------------------------------------


@dataclass
class Choice:
    id: int


@dataclass
class FakeQuestion:
    id: int
    kind: str
    choices: list[Choice]

    def ordered_choices(self) -> list[Choice]:
        return self.choices


class FakeConsultation:
    def __init__(self, questions: list[FakeQuestion]) -> None:
        self.questions = questions

    def ordered_questions(self) -> list[FakeQuestion]:
        return self.questions


@dataclass
class Data:
    """Respondent-level arrays (so τ-ARGUS gets microdata) and the questions."""

    country: np.ndarray  # str codes, "" = undisclosed
    age: np.ndarray
    sex: np.ndarray
    questions: list[FakeQuestion]
    answers: dict[int, np.ndarray]  # single/rating: value index (-1 none); text: 0/1; multiple: (n, choices) bool


def generate(n: int, n_countries: int, kinds: list[tuple[str, int]], seed: int) -> Data:
    from consultations.demographics import REGIONS_TABLE
    from consultations.models import Question

    rng = np.random.default_rng(seed)
    codes = [line.split(",")[0] for line in REGIONS_TABLE.read_text().splitlines()[1:] if line.strip()]
    rng.shuffle(codes)
    codes = codes[:n_countries]
    weights = np.array([1 / (k + 1) ** 1.1 for k in range(n_countries)] + [0.015 * 5])  # + undisclosed
    country = np.array(codes + [""], dtype=object)[rng.choice(n_countries + 1, n, p=weights / weights.sum())]
    age = np.array(list(AGES), dtype=object)[rng.choice(len(AGES), n, p=np.array(list(AGES.values())) / 100)]
    sex = np.array(list(SEXES), dtype=object)[rng.choice(len(SEXES), n, p=np.array(list(SEXES.values())) / 100)]
    questions, answers = [], {}
    next_choice = 1
    for qid, (kind, n_choices) in enumerate(kinds, start=1):
        skip = rng.random(n) < SKIP
        choices = []
        if kind in ("single", "multiple"):
            choices = [Choice(next_choice + i) for i in range(n_choices)]
            next_choice += n_choices
        if kind == "single":
            w = rng.uniform(0.5, 4, n_choices)
            a = rng.choice(n_choices, n, p=w / w.sum())
        elif kind == "rating":
            w = np.array([1, 1.5, 2.5, 3, 2])
            a = rng.choice(5, n, p=w / w.sum())
        elif kind == "multiple":
            a = rng.random((n, n_choices)) < np.array(MULTI_P[:n_choices])
            empty = ~a.any(axis=1)
            a[empty, 0] = True  # at least one tick
            a[skip] = False
        else:
            a = np.ones(n, dtype=int)
        if kind != "multiple":
            a = np.where(skip, -1 if kind != "text" else 0, a)
        questions.append(FakeQuestion(qid, getattr(Question.Kind, kind.upper()), choices))
        answers[qid] = a
    return Data(country, age, sex, questions, answers)


def counts_of(data: Data):
    """What tallies._gather returns, from the arrays."""
    from reports.statistics.tallies import ANSWERED, _Counts

    ages, a_idx = np.unique(data.age.astype(str), return_inverse=True)
    sexes, s_idx = np.unique(data.sex.astype(str), return_inverse=True)
    places, p_idx = np.unique(data.country.astype(str), return_inverse=True)
    code = (a_idx * len(sexes) + s_idx) * len(places) + p_idx
    size = len(ages) * len(sexes) * len(places)

    def group(mask: np.ndarray | None = None) -> dict[tuple[str, str, str], int]:
        n = np.bincount(code if mask is None else code[mask], minlength=size)
        found = {}
        for i in np.flatnonzero(n):
            a, rest = divmod(int(i), len(sexes) * len(places))
            s, p = divmod(rest, len(places))
            found[(str(ages[a]), str(sexes[s]), str(places[p]))] = int(n[i])
        return found

    respondents = group()
    answers: dict = {}
    answered_multiple = {}
    for q in data.questions:
        a = data.answers[q.id]
        by_value: dict[str, dict] = {}
        if q.kind == "single":
            for i, c in enumerate(q.choices):
                by_value[str(c.id)] = group(a == i)
        elif q.kind == "rating":
            for i in range(5):
                by_value[str(i + 1)] = group(a == i)
        elif q.kind == "multiple":
            for i, c in enumerate(q.choices):
                by_value[str(c.id)] = group(a[:, i])
            for key, n in group(a.any(axis=1)).items():
                answered_multiple[(q.id, *key)] = n
        else:
            by_value[ANSWERED] = group(a == 1)
        answers[q.id] = by_value
    return _Counts(respondents=respondents, answers=answers, answered_multiple=answered_multiple)


# --- our method --------------------------------------------------------------------------------


def ours(data: Data, k: int):
    """(layout, published, truth, seconds of the protected build)."""
    from reports.statistics import tallies

    counts = counts_of(data)
    tallies._gather = lambda consultation: counts  # the GROUP BY step, replaced by in-memory counts
    consultation = FakeConsultation(data.questions)
    layout, truth, _ = tallies.tally_build(consultation, min_count=1)
    started = time.perf_counter()
    _, published, _ = tallies.tally_build(consultation, min_count=k)
    return layout, published, truth, time.perf_counter() - started


# --- τ-ARGUS -----------------------------------------------------------------------------------

TAU_CHILD = r"""
import sys, json, pickle
from pytauargus import protect
args = pickle.load(open(sys.argv[1], "rb"))
res = protect(args["micro"], tables=[args["vars"]], response="one", safety_rules="FREQ(%d,0)" % args["k"],
              suppress=args["suppress"], hrc={"place": args["hrc"]}, workdir=args["workdir"])
rows = [[r[v] for v in args["vars"]] + [r["status"]] for r in res.tables[0]._rows]
json.dump(rows, open(sys.argv[2], "w"))
"""


# The native HiTaS step loads its JJ routines relative to the working directory.
TAU_DIR = str(Path(__import__("importlib.util").util.find_spec("pytauargus").origin).parent)


def tau_tables(data: Data) -> list[tuple[str, list[str], np.ndarray | None, list[str]]]:
    """(table name as in audit.Structure, value leaves, value index per respondent, published rows)."""
    tables: list = [("R", [], None, [])]
    for q in data.questions:
        a = data.answers[q.id]
        if q.kind in ("single", "rating"):
            leaves = [str(c.id) for c in q.choices] if q.kind == "single" else [str(i) for i in range(1, 6)]
            leaves.append("none")
            tables.append((f"q{q.id}", leaves, np.where(a < 0, len(leaves) - 1, a), leaves))
        else:
            if q.kind == "multiple":
                for i, c in enumerate(q.choices):
                    tables.append((f"q{q.id}c{c.id}", ["yes", "no"], np.where(a[:, i], 0, 1), [str(c.id)]))
                yes = a.any(axis=1)
            else:
                yes = a == 1
            rows = ["none"] if q.kind == "multiple" else ["answered", "none"]
            tables.append((f"q{q.id}a", ["yes", "no"], np.where(yes, 0, 1), rows))
    return tables


def tau(data: Data, k: int, suppress: str, layout: dict, truth: dict, only: set[str] | None, workdir: Path):
    """Protect each table separately with τ-ARGUS; hidden = U or M in any table holding the cell.

    Returns (published documents, seconds, tables done, failures)."""
    import json
    import pickle

    from reports.statistics.tallies import TOTAL, geo_node_for_country, scope_id

    places = sorted(set(data.country))
    region_of = {c: geo_node_for_country(c)[0] for c in places}
    regions = sorted(set(region_of.values()))
    rcode = {r: f"R{i}" for i, r in enumerate(regions)}
    ccode = {c: (c or "ZZ") for c in places}
    hrc = workdir / "place.hrc"
    hrc.write_text(
        "".join(f"{rcode[r]}\n" + "".join(f"@{ccode[c]}\n" for c in places if region_of[c] == r) for r in regions)
    )
    back_place = (
        {"Total": TOTAL} | {v: r for r, v in rcode.items()} | {v: geo_node_for_country(c)[1] for c, v in ccode.items()}
    )
    ages, sexes = list(AGES), list(SEXES)
    back_age = {"Total": TOTAL} | {str(i): a for i, a in enumerate(ages)}
    back_sex = {"Total": TOTAL} | {str(i): s for i, s in enumerate(sexes)}
    age_i = {a: str(i) for i, a in enumerate(ages)}
    sex_i = {s: str(i) for i, s in enumerate(sexes)}
    base = {
        "age": [age_i[a] for a in data.age],
        "sex": [sex_i[s] for s in data.sex],
        "place": [ccode[c] for c in data.country],
        "one": [1] * len(data.age),
    }
    hidden: dict[str, set] = {}  # table -> {(value, age, sex, place)}
    seconds, done, failures = 0.0, 0, []
    for name, leaves, value, _rows in tau_tables(data):
        if only is not None and name not in only:
            continue
        micro = dict(base)
        variables = ["age", "sex", "place"]
        if value is not None:
            micro["val"] = [str(v) for v in value]
            variables = ["val", *variables]
        args = {"micro": micro, "vars": variables, "k": k, "suppress": suppress, "hrc": str(hrc)}
        rows = None
        for _attempt in range(5):  # the native HiTaS step crashes now and then (SIGSEGV): run it again
            out = tempfile.mktemp(dir=workdir, suffix=".json")
            args["workdir"] = tempfile.mkdtemp(dir=workdir)
            with open(out + ".in", "wb") as handle:
                pickle.dump(args, handle)
            started = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", TAU_CHILD, out + ".in", out], capture_output=True, text=True, cwd=TAU_DIR
            )
            elapsed = time.perf_counter() - started
            if proc.returncode == 0:
                seconds += elapsed
                rows = json.loads(Path(out).read_text())
                break
            failures.append(f"{name}: exit {proc.returncode} {proc.stderr.strip().splitlines()[-1:]}")
            if proc.returncode > 0:  # an error, not a crash: running it again gives the same
                break
        if rows is None:
            continue
        done += 1
        cells = hidden.setdefault(name, set())
        for row in rows:
            *codes, status = row
            if status not in ("U", "M"):
                continue
            v = TOTAL if name == "R" or codes[0] == "Total" else leaves[int(codes[0])]
            if value is not None:
                codes = codes[1:]
            cells.add((v, back_age[codes[0]], back_sex[codes[1]], back_place[codes[2]]))

    # Published documents: the truth with every hidden cell set to None.
    import copy

    published = copy.deepcopy(truth)
    columns = [c.split("|") for c in layout["columns"]]
    r_hidden = {(a, s, p) for cells in hidden.values() for v, a, s, p in cells if v == TOTAL}
    by_table = {name: rows for name, _l, _v, rows in tau_tables(data)}
    for place_node in _place_nodes(layout):
        doc = published[scope_id(place_node)]
        for i, (a, s) in enumerate(columns):
            if (a, s, place_node) in r_hidden:
                doc["respondents"][i] = None
        for name, cells in hidden.items():
            if name == "R":
                continue
            qid = name[1:].split("c")[0].rstrip("a")
            for row in by_table[name]:
                leaf = row if name[1:].isdigit() else ("no" if row == "none" else "yes")
                for i, (a, s) in enumerate(columns):
                    if (leaf, a, s, place_node) in cells:
                        doc["questions"][qid][row][i] = None
    return published, seconds, done, failures


def _place_nodes(layout: dict) -> list[str]:
    from reports.statistics.tallies import TOTAL

    nodes = [TOTAL]
    for r in layout["regions"]:
        nodes.append(f"r:{r}")
        nodes += [f"c:{c}" for c in layout["places"].get(r, [])]
    return nodes


# --- measures ----------------------------------------------------------------------------------


def loss(layout: dict, published: dict, truth: dict) -> dict:
    """Shares hidden, over the published figures of groups with ≥ 1 respondent."""
    from reports.statistics.tallies import TOTAL, scope_id

    cells = hidden = value_all = value_hidden = 0
    resp_total = resp_hidden = 0
    columns = [c.split("|") for c in layout["columns"]]
    for node in _place_nodes(layout):
        doc, true = published[scope_id(node)], truth[scope_id(node)]
        group = true["respondents"]
        figures = [(doc["respondents"], group)]
        figures += [
            (doc["questions"][q][r], true["questions"][q][r]) for q in true["questions"] for r in true["questions"][q]
        ]
        for shown, real in figures:
            for i, (x, t) in enumerate(zip(shown, real, strict=True)):
                if not group[i]:  # no respondents: "no data" in every method
                    continue
                cells += 1
                value_all += t
                if x is None:
                    hidden += 1
                    value_hidden += t
        if node.startswith("c:"):
            for i, (a, s) in enumerate(columns):
                if a != TOTAL and s != TOTAL and group[i]:
                    resp_total += group[i]
                    resp_hidden += group[i] if doc["respondents"][i] is None else 0
    return {
        "cells": cells,
        "cells_hidden": hidden / cells,
        "count_hidden": value_hidden / value_all,
        "respondents_hidden": resp_hidden / resp_total,
    }


def audit(layout: dict, published: dict, truth: dict, k: int, stop_after: int | None) -> str:
    from reports.statistics.audit import PublishedRelease, release_audit

    report = release_audit([PublishedRelease(layout, published)], truth, k, count_lost=False, stop_after=stop_after)
    rules = Counter(v.rule for v in report.violations)
    more = "+ (stopped)" if report.stopped_early else ""
    detail = ", ".join(f"{n} {r}" for r, n in sorted(rules.items()))
    return f"{len(report.violations)}{more} ({detail or 'none'}); {report.lps} LPs, {report.seconds:.1f} s"


# --- main --------------------------------------------------------------------------------------


def run(label: str, data: Data, args, *, audit_it: bool, tau_n: int | None) -> list[list[str]]:
    k = args.k
    layout, published, truth, seconds = ours(data, k)
    rows = []
    measures = loss(layout, published, truth)
    n = len(data.age)
    row = [label, "ours: primary + hypercube, all tables linked", f"{n:,}", f"{seconds:.2f}"]
    row += [f"{measures['cells']:,}", _pct(measures["cells_hidden"]), _pct(measures["count_hidden"])]
    row += [_pct(measures["respondents_hidden"])]
    row.append(audit(layout, published, truth, k, args.stop_after) if audit_it else "not run")
    rows.append(row)
    print(" | ".join(row), flush=True)
    if tau_n is not None and tau_n < n:
        keep = slice(0, tau_n)  # the first tau_n respondents: the same shape, fewer of them
        data = Data(
            data.country[keep],
            data.age[keep],
            data.sex[keep],
            data.questions,
            {q: a[keep] for q, a in data.answers.items()},
        )
        layout, published, truth, seconds = ours(data, k)
        measures = loss(layout, published, truth)
        row = [label, "ours, on the respondents given to τ-ARGUS", f"{tau_n:,}", f"{seconds:.2f}"]
        row += [f"{measures['cells']:,}", _pct(measures["cells_hidden"]), _pct(measures["count_hidden"])]
        row += [_pct(measures["respondents_hidden"]), "not run"]
        rows.append(row)
        print(" | ".join(row), flush=True)
    only_r = {"R"}
    methods = [("MOD(1,5,1,1,0)", "τ-ARGUS modular (HiTaS), each table separately", None)]
    if not args.no_opt:
        methods.append((f"OPT(1,{args.opt_minutes})", "τ-ARGUS optimal, respondents table only", only_r))
    for suppress, name, only in methods:
        with tempfile.TemporaryDirectory(prefix="tau-") as workdir:
            tau_published, seconds, done, failures = tau(data, k, suppress, layout, truth, only, Path(workdir))
        if not done:
            row = [label, name + " [FAILED: no table protected]", f"{len(data.age):,}"] + ["—"] * 6
            rows.append(row)
            print(" | ".join(row), flush=True)
            for failure in sorted(set(failures)):
                print("   ", failure, flush=True)
            continue
        measures = loss(layout, tau_published, truth)
        note = f" [{done} tables" + (f"; {len(failures)} crashed runs retried" if failures else "") + "]"
        row = [label, name + note, f"{len(data.age):,}", f"{seconds:.2f}"]
        row += [f"{measures['cells']:,}", _pct(measures["cells_hidden"]), _pct(measures["count_hidden"])]
        row += [_pct(measures["respondents_hidden"])]
        row.append(audit(layout, tau_published, truth, k, args.stop_after) if audit_it else "not run")
        rows.append(row)
        print(" | ".join(row), flush=True)
        for failure in failures:
            print("   ", failure, flush=True)
    return rows


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=5000)
    parser.add_argument("--small-countries", type=int, default=40)
    parser.add_argument("--large", type=int, default=0, help="dataset (b) size, e.g. 1000000 (untested); 0 skips it")
    parser.add_argument("--large-countries", type=int, default=148)
    parser.add_argument("--tau-large", type=int, default=100_000, help="respondents of (b) given to τ-ARGUS")
    parser.add_argument("--stop-after", type=int, default=20, help="audit: stop after this many violations")
    parser.add_argument("--opt-minutes", type=int, default=2, help="τ-ARGUS OPT time limit (its unit: minutes)")
    parser.add_argument("--no-opt", action="store_true")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    header = ["data", "method", "respondents", "protect s", "cells", "cells hidden", "count-weighted hidden"]
    header += ["respondents in hidden groups", "LP audit violations; time"]
    print(" | ".join(header), flush=True)
    rows = []
    small = generate(args.small, args.small_countries, SMALL_KINDS, seed=1)
    rows += run(f"(a) {args.small:,} / {args.small_countries} countries / 4 q", small, args, audit_it=True, tau_n=None)
    if args.large:
        large = generate(args.large, args.large_countries, LARGE_KINDS, seed=2)
        label = f"(b) {args.large:,} / {args.large_countries} countries / 12 q"
        rows += run(label, large, args, audit_it=False, tau_n=args.tau_large)
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
