"""An attacker who sees every published view of a consultation and differences them all.

It knows what each published figure means (which age band, sex, place, question and
answer), that every total is the sum of the figures below it along each dimension (age,
sex, region → country, answers → respondents), and every figure that is not hidden. It
writes all of that as one linear system whose unknowns are the hidden figures (and the
figures never published, such as "did not tick this box"), and reports each unknown that
the system pins to a single value. Differencing any number of views — total minus the
other cells, region minus its countries, one question's respondents against another's —
is a linear combination of these equations, so this attacker finds whatever they find.
"""

from __future__ import annotations

from itertools import product

TOTAL = "*"


def _equations(layout: dict) -> tuple[list[list[tuple[tuple, int]]], set[tuple], dict[tuple, tuple]]:
    """The additive relations between every figure, and which figure each published cell is."""
    ages = [TOTAL, *layout["ages"]]
    sexes = [TOTAL, *layout["sexes"]]
    places = [TOTAL]
    tree: dict[str, list[str]] = {TOTAL: []}
    for region, countries in layout["places"].items():
        node = f"r:{region}"
        places.append(node)
        tree[TOTAL].append(node)
        if countries:
            tree[node] = [f"c:{c}" for c in countries]
            places.extend(tree[node])
    age_tree = {TOTAL: layout["ages"]}
    sex_tree = {TOTAL: layout["sexes"]}

    tables: list[tuple[str, list[str]]] = []  # (table name, value leaves); the value total is R
    published: dict[tuple, tuple] = {}  # (scope, question, row) -> (table name, leaf)
    for question in layout["questions"]:
        qid, rows = question["id"], question["rows"]
        if question["kind"] in ("single", "rating"):
            tables.append((f"q{qid}", rows))
            for row in rows:
                published[(qid, row)] = (f"q{qid}", row)
        else:
            if question["kind"] == "multiple":
                for row in rows[:-1]:
                    tables.append((f"q{qid}c{row}", ["yes", "no"]))
                    published[(qid, row)] = (f"q{qid}c{row}", "yes")
            else:
                published[(qid, "answered")] = (f"q{qid}a", "yes")
            tables.append((f"q{qid}a", ["yes", "no"]))
            published[(qid, "none")] = (f"q{qid}a", "no")

    def var(table: str | None, value: str, age: str, sex: str, place: str) -> tuple:
        if table is None or value == TOTAL:
            return ("R", age, sex, place)
        return (table, value, age, sex, place)

    equations: list[list[tuple[tuple, int]]] = []
    variables: set[tuple] = set()
    shapes: list[tuple[str | None, list[str]]] = [
        (None, [TOTAL]),
        *((name, [TOTAL, *leaves]) for name, leaves in tables),
    ]
    for table, values in shapes:
        value_tree = {TOTAL: values[1:]} if table else {}
        for cell in product(values, ages, sexes, places):
            variables.add(var(table, *cell))
        for axis, relation in enumerate((value_tree, age_tree, sex_tree, tree)):
            for parent, children in relation.items():
                if not children:
                    continue
                others = [values, ages, sexes, places]
                for rest in product(*(o for i, o in enumerate(others) if i != axis)):

                    def at(node: str, rest: tuple = rest, axis: int = axis, table: str | None = table) -> tuple:
                        coords = list(rest)
                        coords.insert(axis, node)
                        return var(table, *coords)

                    equations.append([(at(parent), 1), *((at(child), -1) for child in children)])
    return equations, variables, published


def _known(
    layout: dict, figures: dict[str, dict], published: dict[tuple, tuple]
) -> tuple[dict[tuple, int], set[tuple]]:
    """Published values, and the published cells that are hidden."""
    known: dict[tuple, int] = {}
    hidden: set[tuple] = set()
    columns = [tuple(c.split("|")) for c in layout["columns"]]
    for scope, doc in figures.items():
        place = TOTAL if scope == "world" else ("r:" if scope.startswith("region:") else "c:") + scope.split(":", 1)[1]
        for (age, sex), n in zip(columns, doc["respondents"], strict=True):
            key = ("R", age, sex, place)
            (hidden.add(key) if n is None else known.__setitem__(key, n))
        for qid, rows in doc["questions"].items():
            for row, values in rows.items():
                table, leaf = published[(int(qid), row)]
                for (age, sex), n in zip(columns, values, strict=True):
                    key = (table, leaf, age, sex, place)
                    (hidden.add(key) if n is None else known.__setitem__(key, n))
    return known, hidden


PRIME = (1 << 61) - 1  # ranks over this field equal ranks over the rationals here


def attack(layout: dict, figures: dict[str, dict]) -> dict[tuple, int]:
    """Every hidden published figure the attacker can pin down, with the value it finds.

    Exact Gauss-Jordan elimination on sparse rows modulo a large prime: after full
    reduction an unknown is determined exactly when its pivot row has no free unknown left.
    """
    equations, variables, published = _equations(layout)
    known, hidden = _known(layout, figures, published)
    pivots: dict[tuple, dict[tuple, int]] = {}  # pivot unknown -> row (the constant under None)
    for equation in equations:
        row: dict = {}
        for v, c in equation:
            if v in known:
                row[None] = (row.get(None, 0) - c * known[v]) % PRIME
            else:
                row[v] = (row.get(v, 0) + c) % PRIME
        row = {v: c for v, c in row.items() if c}
        # Reduce by the pivots found so far, then make the new pivot reduce them in turn.
        for v in [v for v in row if v is not None and v in pivots]:
            if v in row:
                factor = row[v]
                for w, c in pivots[v].items():
                    row[w] = (row.get(w, 0) - factor * c) % PRIME
                row = {w: c for w, c in row.items() if c}
        while True:
            pending = [v for v in row if v is not None and v in pivots]
            if not pending:
                break
            v = pending[0]
            factor = row[v]
            for w, c in pivots[v].items():
                row[w] = (row.get(w, 0) - factor * c) % PRIME
            row = {w: c for w, c in row.items() if c}
        free = [v for v in row if v is not None]
        if not free:
            if row.get(None, 0):
                raise AssertionError("published figures contradict each other")
            continue
        pivot = min(free)
        inverse = pow(row[pivot], PRIME - 2, PRIME)
        row = {w: c * inverse % PRIME for w, c in row.items()}
        for other, other_row in pivots.items():
            if pivot in other_row:
                factor = other_row[pivot]
                for w, c in row.items():
                    other_row[w] = (other_row.get(w, 0) - factor * c) % PRIME
                pivots[other] = {w: c for w, c in other_row.items() if c}
        pivots[pivot] = row
    found = {}
    for v in hidden:
        row = pivots.get(v)
        if row is not None and all(w is None or w == v for w in row):
            value = row.get(None, 0)
            found[v] = value if value <= PRIME // 2 else value - PRIME
    return found
