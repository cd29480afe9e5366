"""An auditor that attacks the published figures the way a competent reader can.

It works only from what pages and the API publish: the `layout` and per-place `figures`
documents of one or more releases (runs) of a consultation, None meaning hidden. From
them it writes every relation a reader knows:

- every total is the sum of its children along every dimension — answer value (the total
  over values of a question is the respondents figure), age band, sex, place (world →
  region → country); for a multiple-choice question each choice's ticks plus non-ticks make
  the respondents, and so do "answered" plus "no answer";
- every count is ≥ 0;
- across releases of one consultation, respondents only arrive: each cell of release n+1
  is ≥ the same cell of release n (the difference of two releases is itself a table of
  non-negative counts; a cell absent from a release's layout is 0 there).

Then, for each hidden figure that matters, it solves min and max by linear programming
(HiGHS through highspy, warm-started between objectives), per connected component of hidden figures (linked
by the relations above). Two rules, as τ-ARGUS's protection-interval audit:

(a) no sensitive figure may be pinned (min == max). Sensitive: a hidden count of 1..K−1,
    any hidden figure (zeros included) of a group — an age × sex × place column — with
    1..K−1 respondents, and the figures of a unanimous small group (see
    UNANIMOUS_BELOW in disclosure.py);
(b) no hidden count of 1..K−1 may be narrowed to an interval narrower than K.

Both rules apply to the difference of consecutive releases too (the respondents who
arrived in between are a group like any other). Hidden figures of larger groups that get
pinned anyway are "information lost for nothing": counted, not violations.

The truth (the unsuppressed figures) is used only to know which figures are sensitive.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import highspy
import numpy as np
from numpy.typing import NDArray

# SciPy ships no type information (and scipy-stubs is not a dependency): its names are Any here.
from scipy.sparse import coo_matrix, csr_matrix, vstack  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from reports.statistics.tallies import Layout, ScopeFigures

TOTAL = "*"
WORLD = "world"
# Groups of K..UNANIMOUS_BELOW−1 respondents who all gave one answer: the answer is sensitive.
UNANIMOUS_BELOW = 20

# A target of the audit: (objective {var: coef}, true value or None, rule, release, difference, key var).
Target: TypeAlias = tuple[dict[int, float], float | None, str, int, bool, int]
# Where a violation is: (release, difference, table, value, age, sex, place node).
ViolationKey: TypeAlias = tuple[int, bool, str, str, str, str, str]


@dataclass(frozen=True)
class PublishedRelease:
    """What one run published: its layout and one figures document per place."""

    layout: Layout
    figures: dict[str, ScopeFigures]


@dataclass(frozen=True)
class Violation:
    rule: str  # "pinned" (rule a) or "narrow" (rule b)
    release: int  # index into `published`; for a difference, the later release
    difference: bool  # a cell of release n+1 minus release n
    cell: str  # human-readable: place, age band, sex, question/value
    low: float
    high: float
    value: int | None  # the true figure, when known

    def __str__(self) -> str:
        what = "new respondents' " if self.difference else ""
        span = "pinned" if self.rule == "pinned" else "narrowed"
        return f"{what}{self.cell}: {span} to [{self.low:g}, {self.high:g}] (true {self.value})"


@dataclass
class AuditReport:
    violations: list[Violation] = field(default_factory=list)
    pinned_non_sensitive: int = 0  # hidden figures of larger groups an attacker works out anyway
    cells_published: int = 0  # figures of the latest release (shown or hidden)
    cells_hidden: int = 0
    respondents: int = 0  # latest release, world total
    respondents_hidden: int = 0  # respondents in hidden country × age × sex groups
    sensitive_checked: int = 0
    components: int = 0
    lps: int = 0
    seconds: float = 0.0
    stopped_early: bool = False  # stop_after reached: violations is a sample, not all
    # Structured keys of the violations, for the protection loop: (release, difference, table, value, age, sex, place).
    keys: list[ViolationKey] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations

    @property
    def share_hidden(self) -> float:
        return self.cells_hidden / self.cells_published if self.cells_published else 0.0

    @property
    def share_respondents_hidden(self) -> float:
        return self.respondents_hidden / self.respondents if self.respondents else 0.0


def place_node(scope: str) -> str:
    if scope == WORLD:
        return TOTAL
    kind, code = scope.split(":", 1)
    return ("r:" if kind == "region" else "c:") + code


class Structure:
    """The variables of one release and the relations between them, by number."""

    def __init__(self, layout: Layout, offset: int = 0) -> None:
        self.layout = layout
        self.ages = [TOTAL, *layout["ages"]]
        self.sexes = [TOTAL, *layout["sexes"]]
        places = [TOTAL]
        self.tree: dict[str, list[str]] = {TOTAL: []}
        for region in layout["regions"]:
            node = f"r:{region}"
            places.append(node)
            self.tree[TOTAL].append(node)
            members = layout["places"].get(region) or []
            if members:
                self.tree[node] = [f"c:{c}" for c in members]
                places.extend(self.tree[node])
        self.places = places
        self.place_index = {p: i for i, p in enumerate(places)}
        self.tables: list[tuple[str, list[str]]] = []  # (name, value leaves)
        self.published: dict[tuple[int, str], tuple[str, str]] = {}  # (qid, row) -> (table, leaf)
        self.question_of: dict[str, tuple[dict[str, Any], str]] = {}  # table -> (layout question, choice)
        for question in layout["questions"]:
            qid, rows, kind = question["id"], question["rows"], question["kind"]
            if kind in ("single", "rating"):
                self.tables.append((f"q{qid}", rows))
                for row in rows:
                    self.published[(qid, row)] = (f"q{qid}", row)
                self.question_of[f"q{qid}"] = (question, "")
            else:
                if kind == "multiple":
                    for row in rows[:-1]:
                        self.tables.append((f"q{qid}c{row}", ["yes", "no"]))
                        self.published[(qid, row)] = (f"q{qid}c{row}", "yes")
                        self.question_of[f"q{qid}c{row}"] = (question, row)
                else:
                    self.published[(qid, "answered")] = (f"q{qid}a", "yes")
                self.tables.append((f"q{qid}a", ["yes", "no"]))
                self.published[(qid, "none")] = (f"q{qid}a", "no")
                self.question_of[f"q{qid}a"] = (question, "")
        n_p, n_a, n_s = len(places), len(self.ages), len(self.sexes)
        self.shape = (n_p, n_a, n_s)
        size = n_p * n_a * n_s
        self.ids: dict[str, np.ndarray] = {}  # table -> (values incl. total, P, A, S)
        self.values: dict[str, list[str]] = {"R": [TOTAL]}
        r_ids = offset + np.arange(size).reshape(1, n_p, n_a, n_s)
        self.ids["R"] = r_ids
        cursor = offset + size
        self.spans: list[tuple[int, int, str]] = [(offset, cursor, "R")]
        for name, leaves in self.tables:
            block = cursor + np.arange(len(leaves) * size).reshape(len(leaves), n_p, n_a, n_s)
            self.spans.append((cursor, cursor + len(leaves) * size, name))
            cursor += len(leaves) * size
            self.ids[name] = np.concatenate([r_ids, block])
            self.values[name] = [TOTAL, *leaves]
        self.offset, self.end = offset, cursor

    def equations(self) -> list[tuple[np.ndarray, list[np.ndarray]]]:
        """(parent ids, [children ids…]) arrays: parent − Σ children = 0, elementwise."""
        found = []
        for name, ids in self.ids.items():
            if name != "R":
                found.append((ids[0], [ids[i] for i in range(1, ids.shape[0])]))
            found.append((ids[:, :, 0, :], [ids[:, :, i, :] for i in range(1, ids.shape[2])]))
            found.append((ids[:, :, :, 0], [ids[:, :, :, i] for i in range(1, ids.shape[3])]))
            for parent, children in self.tree.items():
                if children:
                    found.append((ids[:, self.place_index[parent]], [ids[:, self.place_index[c]] for c in children]))
        return found

    def key(self, var: int) -> tuple[str, str, str, str, str]:
        """(table, value, age, sex, place node) of a variable."""
        for start, end, name in self.spans:
            if start <= var < end:
                local = var - start
                n_p, n_a, n_s = self.shape
                s = local % n_s
                a = (local // n_s) % n_a
                p = (local // (n_s * n_a)) % n_p
                v = local // (n_s * n_a * n_p)
                value = TOTAL if name == "R" else self.values[name][v + 1]
                return name, value, self.ages[a], self.sexes[s], self.places[p]
        raise KeyError(var)

    def var(self, table: str, value: str, age: str, sex: str, place: str) -> int | None:
        ids = self.ids.get(table)
        if ids is None or place not in self.place_index:
            return None
        values = self.values[table]
        v = 0 if value == TOTAL else values.index(value)
        return int(ids[v, self.place_index[place], self.ages.index(age), self.sexes.index(sex)])

    def fill(self, figures: dict[str, ScopeFigures], out: np.ndarray) -> None:
        """Write each published figure (nan = hidden) at its variable; the rest stay nan."""
        n_a, n_s = len(self.ages), len(self.sexes)
        for scope, doc in figures.items():
            p = self.place_index.get(place_node(scope))
            if p is None:
                continue
            row = np.array([np.nan if n is None else n for n in doc["respondents"]], dtype=float)
            out[self.ids["R"][0, p].ravel()] = row
            for qid, rows in doc["questions"].items():
                for key, values in rows.items():
                    table, leaf = self.published[(int(qid), key)]
                    v = self.values[table].index(leaf)
                    row = np.array([np.nan if n is None else n for n in values], dtype=float)
                    out[self.ids[table][v, p].reshape(n_a * n_s)] = row

    def published_vars(self) -> np.ndarray:
        found = [self.ids["R"][0].ravel()]
        for table, leaf in self.published.values():
            found.append(self.ids[table][self.values[table].index(leaf)].ravel())
        return np.concatenate(found)

    def describe(self, var: int) -> str:
        table, value, age, sex, place = self.key(var)
        where = "the world" if place == TOTAL else place[2:]
        age = "all ages" if age == TOTAL else f"age {age}"
        sex = "all sexes" if sex == TOTAL else sex
        if table == "R":
            what = "respondents"
        else:
            question, choice = self.question_of[table]
            if question["kind"] == "multiple" and choice:
                what = f"question {question['id']}, choice {choice} {'ticked' if value == 'yes' else 'not ticked'}"
            elif table.endswith("a"):
                answer = {"yes": "answered", "no": "no answer", TOTAL: "respondents"}[value]
                what = f"question {question['id']}, {answer}"
            else:
                what = f"question {question['id']}, answer {value}"
        return f"{where}, {age}, {sex}: {what}"


def _truth_vector(structure: Structure, truth: dict[str, ScopeFigures] | None) -> np.ndarray | None:
    """The true value of every variable of a release (unpublished ones derived by sums)."""
    if truth is None:
        return None
    out = np.full(structure.end - structure.offset, np.nan)
    shifted = np.full(structure.end, np.nan)
    structure.fill(truth, shifted)
    out[:] = shifted[structure.offset :]
    out[np.isnan(out)] = 0.0  # hidden in the truth documents: empty groups
    # Unpublished figures (a choice not ticked): respondents − ticks.
    for name, ids in structure.ids.items():
        if name.startswith("q") and "c" in name[1:] and name[1:].split("c")[0].isdigit():
            local = ids - structure.offset
            out[local[2]] = out[local[0]] - out[local[1]]
    for name, ids in structure.ids.items():
        if name.endswith("a") and len(ids) == 3:
            local = ids - structure.offset
            # multiple choice publishes "none" only: answered = respondents − none.
            out[local[1]] = out[local[0]] - out[local[2]]
    return out


def release_audit(
    published: Sequence[PublishedRelease],
    truth: Sequence[dict[str, ScopeFigures] | None] | dict[str, ScopeFigures],
    k: int,
    *,
    count_lost: bool = True,
    unanimous_below: int = UNANIMOUS_BELOW,
    stop_after: int | None = None,
) -> AuditReport:
    """Attack every release of one consultation together; check rules (a) and (b).

    `truth`: the unsuppressed figures documents, one per release (None where unknown,
    as for earlier releases whose raw counts are gone), or one for the latest release.
    Where an earlier release's truth is unknown its hidden figures are all treated as
    sensitive for rule (a), and so is the difference of a group whose earlier size is hidden.
    """
    started = time.perf_counter()
    if isinstance(truth, dict):
        truth = [None] * (len(published) - 1) + [truth]
    assert len(truth) == len(published)
    structures: list[Structure] = []
    offset = 0
    for release in published:
        structures.append(Structure(release.layout, offset))
        offset = structures[-1].end
    n = offset
    known = np.full(n, np.nan)
    for structure, release in zip(structures, published, strict=True):
        structure.fill(release.figures, known)
    truths = [_truth_vector(s, t) for s, t in zip(structures, truth, strict=True)]
    is_published = np.zeros(n, dtype=bool)
    for structure in structures:
        is_published[structure.published_vars()] = True
    unknown = np.isnan(known)
    was_hidden = unknown.copy()

    # Equality rows.
    rows, cols, data = [], [], []
    row = 0
    for structure in structures:
        for parent, children in structure.equations():
            parent = parent.ravel()
            m = parent.size
            r = row + np.arange(m)
            rows.append(r)
            cols.append(parent)
            data.append(np.ones(m))
            for child in children:
                rows.append(r)
                cols.append(child.ravel())
                data.append(-np.ones(m))
            row += m
    a_eq = coo_matrix((np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n)).tocsr()
    known0 = np.where(unknown, 0.0, known)
    b_eq = -(a_eq @ known0)
    lower = np.zeros(n)
    upper = np.full(n, np.inf)
    # Monotone releases: later ≥ earlier, cell by cell.
    ub_pairs: list[tuple[int, int]] = []  # (earlier var, later var), both unknown: earlier − later ≤ 0
    pairs: list[tuple[int, int, int]] = []  # (release index of later, earlier var, later var)
    for index in range(1, len(structures)):
        before, after = structures[index - 1], structures[index]
        for name, ids in after.ids.items():
            if name not in before.ids or before.values[name] != after.values[name]:
                continue
            for p, place in enumerate(after.places):
                q = before.place_index.get(place)
                if q is None:
                    continue
                later = ids[:, p].ravel()
                earlier = before.ids[name][:, q].ravel()
                for e, lt in zip(earlier.tolist(), later.tolist(), strict=True):
                    pairs.append((index, e, lt))
                    if unknown[e] and unknown[lt]:
                        ub_pairs.append((e, lt))
                    elif unknown[lt]:
                        lower[lt] = max(lower[lt], known[e])
                    elif unknown[e]:
                        upper[e] = min(upper[e], known[lt])
    # Presolve: an equation whose unknowns all have one sign and whose rest is 0 forces them
    # all to 0 (counts are ≥ 0); a reader finds these without any LP. Repeat to a fixpoint.
    _zero_propagate(a_eq, known, unknown, lower)
    b_eq = -(a_eq @ np.where(unknown, 0.0, known))
    still = []
    for e, lt in ub_pairs:
        if unknown[e] and unknown[lt]:
            still.append((e, lt))
        elif unknown[lt]:
            lower[lt] = max(lower[lt], known[e])
        elif unknown[e]:
            upper[e] = min(upper[e], known[lt])
    ub_pairs = still
    u_index = np.flatnonzero(unknown)
    position = np.full(n, -1)
    position[u_index] = np.arange(u_index.size)
    a_u = a_eq[:, u_index].tocsr()
    keep = np.diff(a_u.indptr) > 0
    a_u, b_u = a_u[keep], b_eq[keep]
    if ub_pairs:
        e_pos = position[[e for e, _ in ub_pairs]]
        l_pos = position[[lt for _, lt in ub_pairs]]
        m = len(ub_pairs)
        a_ub = csr_matrix(
            (np.r_[np.ones(m), -np.ones(m)], (np.r_[np.arange(m), np.arange(m)], np.r_[e_pos, l_pos])),
            shape=(m, u_index.size),
        )
    else:
        a_ub = csr_matrix((0, u_index.size))
    # Components: bipartite graph of rows and unknowns.
    incidence = coo_matrix(
        (
            np.ones(a_u.nnz + a_ub.nnz),
            (np.r_[a_u.tocoo().row, a_u.shape[0] + a_ub.tocoo().row], np.r_[a_u.tocoo().col, a_ub.tocoo().col]),
        ),
        shape=(a_u.shape[0] + a_ub.shape[0], u_index.size),
    ).tocsr()
    m_rows = incidence.shape[0]
    graph = coo_matrix(
        (
            np.ones(incidence.nnz),
            (incidence.tocoo().row, m_rows + incidence.tocoo().col),
        ),
        shape=(m_rows + u_index.size, m_rows + u_index.size),
    )
    _, labels = connected_components(graph, directed=False)
    row_label = labels[:m_rows]
    var_label = labels[m_rows:]

    report = AuditReport()
    latest = structures[-1]
    latest_vars = latest.published_vars()
    report.cells_published = int(latest_vars.size)
    report.cells_hidden = int(was_hidden[latest_vars].sum())
    r_ids = latest.ids["R"][0]
    world = r_ids[latest.place_index[TOTAL], 0, 0]
    truth_latest = truths[-1]
    if truth_latest is not None:
        report.respondents = int(truth_latest[world - latest.offset])
        leaf_places = [latest.place_index[p] for p in latest.places if p.startswith("c:")]
        leaves = r_ids[leaf_places][:, 1:, 1:].ravel()
        report.respondents_hidden = int(truth_latest[leaves - latest.offset][was_hidden[leaves]].sum())
    elif not np.isnan(known[world]):
        report.respondents = int(known[world])

    # Targets: (objective {var: coef}, true value or None, rule, release, difference, key var).
    targets: list[Target] = []
    sensitive_vars: set[int] = set()
    for index, (structure, tv) in enumerate(zip(structures, truths, strict=True)):
        hidden = [int(v) for v in structure.published_vars() if was_hidden[v]]
        if tv is None:
            for v in hidden:
                targets.append(({v: 1.0}, None, "pinned", index, False, v))
                sensitive_vars.add(v)
            continue
        small_group = _small_groups(structure, tv, k, unanimous_below)
        for v in hidden:
            value = tv[v - structure.offset]
            if 0 < value < k:
                targets.append(({v: 1.0}, value, "narrow", index, False, v))
                sensitive_vars.add(v)
            elif small_group[v - structure.offset]:
                targets.append(({v: 1.0}, value, "pinned", index, False, v))
                sensitive_vars.add(v)
    # Differences of consecutive releases.
    by_later: dict[int, list[tuple[int, int]]] = {}
    for index, e, lt in pairs:
        by_later.setdefault(index, []).append((e, lt))
    for index, matched in by_later.items():
        before, after = structures[index - 1], structures[index]
        t_before, t_after = truths[index - 1], truths[index]
        # True difference per later variable where it can be known.
        diff = np.full(after.end - after.offset, np.nan)
        earlier_of = np.full(after.end - after.offset, -1)
        for e, lt in matched:
            earlier_of[lt - after.offset] = e
        if t_after is not None:
            base = np.zeros(after.end - after.offset)  # absent earlier: 0
            has = earlier_of >= 0
            if t_before is not None:
                base[has] = t_before[earlier_of[has] - before.offset]
            else:
                ev = earlier_of[has]
                base[has] = np.where(np.isnan(known[ev]), np.nan, known[ev])
            diff = t_after - base
        small = _small_groups(after, diff, k, unanimous_below, unknown_is_small=True)
        for e, lt in matched:
            if not is_published[lt]:
                continue
            d = diff[lt - after.offset]
            sensitive_rule = "narrow" if 0 < d < k else ("pinned" if small[lt - after.offset] else None)
            if sensitive_rule is None:
                continue
            if not was_hidden[e] and not was_hidden[lt]:
                d_known = known[lt] - known[e]
                report.violations.append(
                    Violation("pinned", index, True, after.describe(lt), d_known, d_known, _int(d))
                )
                report.keys.append((index, True, *after.key(lt)))
                continue
            targets.append(({lt: 1.0, e: -1.0}, None if np.isnan(d) else d, sensitive_rule, index, True, lt))

    # Published figures already pinned by publication are not targets; solve the rest per component.
    by_component: dict[int, list[Target]] = {}
    for target in targets:
        objective = target[0]
        free = [v for v in objective if unknown[v]]
        if not free:  # worked out without an LP
            _, value, rule, index, difference, key_var = target
            pinned = sum(coef * known[v] for v, coef in objective.items())
            structure = structures[index]
            report.violations.append(
                Violation(rule, index, difference, structure.describe(key_var), pinned, pinned, _int(value))
            )
            report.keys.append((index, difference, *structure.key(key_var)))
            continue
        label = int(var_label[position[free[0]]])
        by_component.setdefault(label, []).append(target)
    report.sensitive_checked = len(targets)
    lost_candidates: dict[int, list[int]] = {}
    if count_lost and truth_latest is not None:
        for v in latest_vars:
            v = int(v)
            if was_hidden[v] and not unknown[v] and v not in sensitive_vars:
                report.pinned_non_sensitive += 1
            elif unknown[v] and v not in sensitive_vars:
                lost_candidates.setdefault(int(var_label[position[v]]), []).append(v)
    components = set(by_component) | set(lost_candidates)
    report.components = len(components)
    row_order = np.argsort(row_label, kind="stable")
    row_sorted = row_label[row_order]
    var_order = np.argsort(var_label, kind="stable")
    var_sorted = var_label[var_order]
    truth_all = np.full(n, np.nan)
    for structure, tv in zip(structures, truths, strict=True):
        if tv is not None:
            truth_all[structure.offset : structure.end] = tv
    rng = np.random.default_rng(0)
    for label in components:
        if stop_after is not None and len(report.violations) >= stop_after:
            report.stopped_early = True
            break
        lo, hi = np.searchsorted(var_sorted, [label, label + 1])
        local_vars = var_order[lo:hi]  # positions among unknowns
        lo, hi = np.searchsorted(row_sorted, [label, label + 1])
        local_rows = row_order[lo:hi]
        eq_rows = local_rows[local_rows < a_u.shape[0]]
        ub_rows = local_rows[local_rows >= a_u.shape[0]] - a_u.shape[0]
        a1 = a_u[eq_rows][:, local_vars]
        b1 = b_u[eq_rows]
        a2 = a_ub[ub_rows][:, local_vars] if ub_rows.size else None
        global_vars = u_index[local_vars]
        bounds = np.c_[lower[global_vars], upper[global_vars]]
        bounds = [(float(a), None if np.isinf(b) else float(b)) for a, b in bounds]
        local_of = {int(g): i for i, g in enumerate(global_vars)}

        problem = _Component(a1, b1, a2, bounds, local_of, unknown, known)
        items = [
            (objective, value, rule, index, difference, key_var)
            for objective, value, rule, index, difference, key_var in by_component.get(label, [])
        ]
        items += [
            ({v: 1.0}, truth_all[v], "lost", len(structures) - 1, False, v) for v in lost_candidates.get(label, [])
        ]
        _check_component(problem, items, truth_all, k, rng, report, structures, stop_after)
    report.seconds = time.perf_counter() - started
    return report


def _check_component(
    problem: _Component,
    items: list[Target],
    truth_all: np.ndarray,
    k: int,
    rng: np.random.Generator,
    report: AuditReport,
    structures: list[Structure],
    stop_after: int | None = None,
) -> None:
    """Rules (a)/(b) for the targets of one component, with as few LPs as it takes.

    Every feasible point seen (the truth, each LP's optimum) gives an inner bound of each
    target's interval; a target whose seen range is already wide enough needs no LP of its
    own. A few LPs with summed and random-signed objectives settle most targets at once.
    """
    if not items:
        return
    lo = np.full(len(items), np.inf)
    hi = np.full(len(items), -np.inf)
    need = np.array([0.5 if rule in ("pinned", "lost") else k - 1e-6 for _, _, rule, *_ in items])

    def seen(point: np.ndarray | None, values: np.ndarray | None = None) -> None:
        for i, (objective, *_rest) in enumerate(items):
            if values is not None:
                value = values[i]
            else:
                assert point is not None  # only the first call, with the true values, passes none
                value = sum(coef * point[v] for v, coef in objective.items())
            if not np.isnan(value):
                lo[i] = min(lo[i], value)
                hi[i] = max(hi[i], value)

    seen(None, np.array([np.nan if item[1] is None else item[1] for item in items], dtype=float))
    for round_ in range(6):
        open_ = [i for i in range(len(items)) if not hi[i] - lo[i] >= need[i]]
        if not open_:
            return
        signs = (
            [-1.0] * len(open_)
            if round_ == 0
            else ([1.0] * len(open_) if round_ == 1 else rng.choice([-1.0, 1.0], len(open_)).tolist())
        )
        combined: dict[int, float] = {}
        for i, sign in zip(open_, signs, strict=True):
            for v, coef in items[i][0].items():
                combined[v] = combined.get(v, 0.0) + sign * coef
        report.lps += 1
        point = problem.point(combined)
        if point is None:
            break
        seen(point)
    for i, (objective, value, rule, index, difference, key_var) in enumerate(items):
        if hi[i] - lo[i] >= need[i]:
            continue
        if stop_after is not None and len(report.violations) >= stop_after:
            report.stopped_early = True
            return
        report.lps += 1
        high = problem.solve(objective, -1.0)
        if high - lo[i] < need[i]:
            report.lps += 1
            low = problem.solve(objective, 1.0)
        else:
            low = lo[i]
        if high - low >= need[i]:
            continue
        if rule == "lost":
            report.pinned_non_sensitive += 1
            continue
        structure = structures[index]
        report.violations.append(
            Violation(rule, index, difference, structure.describe(key_var), low, high, _int(value))
        )
        report.keys.append((index, difference, *structure.key(key_var)))


class _Component:
    """One component's LP in HiGHS; objectives change, the basis is reused between solves."""

    def __init__(
        self,
        a_eq: csr_matrix,
        b_eq: NDArray[np.float64],
        a_ub: csr_matrix | None,
        bounds: list[tuple[float, float | None]],
        local_of: dict[int, int],
        unknown: NDArray[np.bool_],
        known: NDArray[np.float64],
    ) -> None:
        self.local_of, self.unknown, self.known = local_of, unknown, known
        self.globals = np.fromiter(local_of, dtype=np.int64, count=len(local_of))
        blocks = [a_eq] + ([a_ub] if a_ub is not None else [])
        matrix = vstack(blocks).tocsc() if len(blocks) > 1 else a_eq.tocsc()
        n_ub = a_ub.shape[0] if a_ub is not None else 0
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = matrix.shape[1]
        lp.num_row_ = matrix.shape[0]
        lp.col_cost_ = np.zeros(matrix.shape[1])
        lp.col_lower_ = np.array([lo for lo, _ in bounds], dtype=float)
        lp.col_upper_ = np.array([inf if hi is None else hi for _, hi in bounds], dtype=float)
        lp.row_lower_ = np.r_[b_eq, np.full(n_ub, -inf)]
        lp.row_upper_ = np.r_[b_eq, np.zeros(n_ub)]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.highs = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy leaves Highs.__init__ unannotated
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.cost_cols = np.zeros(0, dtype=np.int32)

    def _run(self, objective: dict[int, float], sense: float) -> tuple[str, float, np.ndarray | None]:
        constant = 0.0
        cols, costs = [], []
        for v, coef in objective.items():
            if self.unknown[v]:
                cols.append(self.local_of[v])
                costs.append(sense * coef)
            else:
                constant += coef * self.known[v]
        if self.cost_cols.size:
            self.highs.changeColsCost(self.cost_cols.size, self.cost_cols, np.zeros(self.cost_cols.size))
        self.cost_cols = np.array(cols, dtype=np.int32)
        if cols:
            self.highs.changeColsCost(len(cols), self.cost_cols, np.array(costs, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            value = self.highs.getInfo().objective_function_value
            return "optimal", sense * value + constant, np.asarray(self.highs.getSolution().col_value)
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return "unbounded", np.inf if sense < 0 else -np.inf, None
        raise RuntimeError(f"audit LP failed: {self.highs.modelStatusToString(status)}")

    def point(self, objective: dict[int, float]) -> np.ndarray | None:
        """A feasible point minimising the objective, as a full vector."""
        status, _, x = self._run(objective, 1.0)
        if x is None:
            return None
        full = self.known.copy()
        full[self.globals] = x
        return full

    def solve(self, objective: dict[int, float], sense: float) -> float:
        """The minimum (sense 1) or maximum (sense −1) of Σ coef·var over the component."""
        return self._run(objective, sense)[1]


def _zero_propagate(a_eq: csr_matrix, known: np.ndarray, unknown: np.ndarray, lower: np.ndarray) -> None:
    a_eq = a_eq.tocsr()
    while True:
        known0 = np.where(unknown, 0.0, known)
        rest = a_eq @ known0
        mask = unknown.astype(float)
        a_u = a_eq.multiply(mask[None, :]).tocsr()
        positive = (a_u > 0).astype(float) @ np.ones(a_eq.shape[1])
        negative = (a_u < 0).astype(float) @ np.ones(a_eq.shape[1])
        has = (positive + negative) > 0
        forced = has & (np.abs(rest) < 0.5) & ((positive == 0) | (negative == 0))
        if not forced.any():
            return
        cols = np.unique(a_u[np.flatnonzero(forced)].indices)
        cols = cols[unknown[cols]]
        if cols.size == 0:
            return
        known[cols] = 0.0
        unknown[cols] = False


def _int(value: float | None) -> int | None:
    return None if value is None or np.isnan(value) else round(value)


def _small_groups(
    structure: Structure, tv: np.ndarray, k: int, unanimous_below: int, *, unknown_is_small: bool = False
) -> np.ndarray:
    """Per variable (local index): does it belong to a group of 1..K−1, or a unanimous small one?"""
    small = np.zeros(tv.shape[0], dtype=bool)
    r = structure.ids["R"][0] - structure.offset  # (P, A, S)
    groups = tv[r]
    flag = (groups > 0) & (groups < k)
    if unknown_is_small:
        flag |= np.isnan(groups)
    for name, ids in structure.ids.items():
        local = ids - structure.offset
        small[local] |= flag[None]
        if name == "R" or unanimous_below <= k:
            continue
        leaves = structure.values[name][1:]
        if leaves == ["yes", "no"]:
            if "c" not in name[1:]:
                continue
            candidates = [1]  # every respondent of the group ticked this choice
        else:
            candidates = [i for i, leaf in enumerate(leaves, start=1) if leaf != "none"]
        mid = (groups >= k) & (groups < unanimous_below)
        unanimous = np.zeros_like(mid)
        for i in candidates:
            unanimous |= mid & (tv[local[i]] == groups)
        small[local[1:]] |= unanimous[None]
    return small
