"""Disclosure control: which published counts are hidden, so that no small group shows.

Every published figure of a consultation is a cell of one of these tables:

- the respondents table: age band × sex × place, each with its total ("*");
- one table per question (per choice and for "answered" with multiple choice): answer
  value × age band × sex × place, where the total over values is the respondents table.

Place is a hierarchy (world → ITU region → country); so every published total is the sum
of the cells below it, along every dimension. That is all an attacker can difference.

Primary suppression hides every count from 1 to K−1, and every cell of a column
(age × sex × place) that has fewer than K respondents ("too few responses to show").

Secondary suppression uses the hypercube method (Repsilber; τ-ARGUS's GHMITER): for each
primary cell not yet protected, choose along every dimension a partner path — a sibling
(with a path down to a leaf when the sibling has children), or the parent when there is no
sibling — and hide every corner of the product of those paths. Adding +d to the corners
with one parity and −d to the others changes no published total, so the hidden figures
fit more than one table: no linear combination of published figures, whatever views it
differences, determines a cell in that pattern. Patterns of the respondents table extend
to every question table through the value total, so figures shared between tables stay
hidden everywhere. Partners are chosen to hide as little as possible (already hidden
cells, then small non-zero ones; zeros last, since a zero partner narrows the range an
attacker can infer). reports/tests/test_disclosure_attacker.py checks the result with an
attacker that solves every published view together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product

TOTAL = "*"

Cell = tuple[str, ...]


@dataclass(frozen=True)
class Hierarchy:
    """A dimension: a tree of nodes whose every parent is the sum of its children."""

    children: dict[str, tuple[str, ...]]
    parent: dict[str, str]
    root: str = TOTAL

    @classmethod
    def flat(cls, leaves: Iterable[str]) -> Hierarchy:
        leaves = tuple(leaves)
        return cls(children={TOTAL: leaves}, parent=dict.fromkeys(leaves, TOTAL))

    @classmethod
    def nested(cls, groups: dict[str, Sequence[str]]) -> Hierarchy:
        """Two levels under the total: groups (regions), each with its members (countries)."""
        children: dict[str, tuple[str, ...]] = {TOTAL: tuple(groups)}
        parent: dict[str, str] = {}
        for group, members in groups.items():
            parent[group] = TOTAL
            if members:
                children[group] = tuple(members)
                parent.update(dict.fromkeys(members, group))
        return cls(children=children, parent=parent)

    def nodes(self) -> list[str]:
        found, stack = [], [self.root]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(reversed(self.children.get(node, ())))
        return found

    def path_up(self, node: str) -> list[str]:
        """The node and every ancestor up to the total."""
        chain = [node]
        while chain[-1] != self.root:
            chain.append(self.parent[chain[-1]])
        return chain


@dataclass
class Table:
    """Counts over the product of the dimensions' nodes; totals are computed, not stored."""

    dims: tuple[Hierarchy, ...]
    counts: dict[Cell, int] = field(default_factory=dict)

    @classmethod
    def from_leaves(cls, dims: Sequence[Hierarchy], leaves: dict[Cell, int]) -> Table:
        counts: dict[Cell, int] = {}
        for cell, n in leaves.items():
            if not n:
                continue
            for aggregate in product(*(dim.path_up(coord) for dim, coord in zip(dims, cell, strict=True))):
                counts[aggregate] = counts.get(aggregate, 0) + n
        return cls(dims=tuple(dims), counts=counts)

    def value(self, cell: Cell) -> int:
        return self.counts.get(cell, 0)

    def cells(self) -> Iterable[Cell]:
        return product(*(dim.nodes() for dim in self.dims))


class Suppressor:
    """Builds the hidden set of one table, cell pattern by cell pattern."""

    def __init__(self, table: Table, threshold: int, hidden: set[Cell] | None = None) -> None:
        self.table = table
        self.threshold = threshold
        self.hidden: set[Cell] = hidden if hidden is not None else set()
        # Cells inside a pattern already applied: they cannot be worked out, whatever else.
        self.protected: set[Cell] = set()

    def cost(self, cell: Cell) -> int:
        value = self.table.value(cell)
        if cell in self.hidden:
            return 0 if value else 1
        return value + 1 if value else 2 * self.threshold

    def _cheapest(self, cell: Cell, axis: int, candidates: Iterable[str]) -> str:
        def key(node: str) -> tuple[int, str]:
            return self.cost(cell[:axis] + (node,) + cell[axis + 1 :]), node

        return min(candidates, key=key)

    def path(self, cell: Cell, axis: int) -> list[str]:
        """The partner nodes along one dimension: a valid change pattern through cell[axis]."""
        dim = self.table.dims[axis]

        def down(node: str) -> list[str]:
            chain = [node]
            while dim.children.get(chain[-1]):
                chain.append(self._cheapest(cell, axis, dim.children[chain[-1]]))
            return chain

        def up(node: str) -> list[str]:
            if node == dim.root:
                return []
            siblings = [n for n in dim.children[dim.parent[node]] if n != node]
            if siblings:
                return down(self._cheapest(cell, axis, siblings))
            return [dim.parent[node], *up(dim.parent[node])]

        return down(cell[axis]) + up(cell[axis])

    def apply(self, paths: Sequence[Sequence[str]]) -> None:
        corners = set(product(*paths))
        self.hidden |= corners
        self.protected |= corners

    def protect(self, cell: Cell) -> tuple[list[str], ...] | None:
        if cell in self.protected:
            return None
        paths = tuple(self.path(cell, axis) for axis in range(len(self.table.dims)))
        self.apply(paths)
        return paths


def respondents_hidden(table: Table, threshold: int) -> tuple[set[Cell], list[tuple[Cell, tuple[list[str], ...]]]]:
    """The respondents table (age × sex × place): hidden cells and the patterns used."""
    suppressor = Suppressor(table, threshold)
    primary = []
    for cell in table.cells():
        n = table.value(cell)
        if n < threshold:
            suppressor.hidden.add(cell)
            if n:
                primary.append(cell)
    patterns = []
    for cell in sorted(primary, key=lambda c: (table.value(c), c)):
        paths = suppressor.protect(cell)
        if paths is not None:
            patterns.append((cell, paths))
    return suppressor.hidden, patterns


def question_hidden(
    table: Table,
    threshold: int,
    respondents: Table,
    respondents_hidden_cells: set[Cell],
    respondents_patterns: list[tuple[Cell, tuple[list[str], ...]]],
) -> set[Cell]:
    """A value × age × sex × place table whose value total is the respondents table."""
    values = table.dims[0]
    leaves = values.children[values.root]
    suppressor = Suppressor(table, threshold)
    # The value total is the respondents table: hidden exactly where it is hidden there.
    for column in respondents_hidden_cells:
        suppressor.hidden.add((values.root, *column))
    # Each respondents pattern extends through one value, so its change balances here too.
    for column, paths in respondents_patterns:
        partner = suppressor._cheapest((values.root, *column), 0, leaves)
        suppressor.apply(([values.root, partner], *paths))
    primary = []
    for column in product(*(dim.nodes() for dim in table.dims[1:])):
        few = 0 < respondents.value(column) < threshold
        for leaf in leaves:
            cell = (leaf, *column)
            n = table.value(cell)
            if few or 0 < n < threshold:
                primary.append(cell)
            if few or respondents.value(column) == 0:
                suppressor.hidden.add(cell)
    for cell in sorted(primary, key=lambda c: (table.value(c), c)):
        suppressor.protect(cell)
    return suppressor.hidden
