"""Bar charts and tables of a results page, as HTML: no script, no image, no external file.

The bars are drawn by the stylesheet (a class per whole percent: the Content-Security-Policy
allows no inline style), so their text is the page's text, at the page's size, and they
mirror for Arabic from dir="rtl" alone. For each answer the bars of the places (or groups)
compared stand next to each other. Each chart draws exactly figures printed in a table
beside it; the chart is one image with a name, the table is what screen readers read.

Built here rather than in the template: a large page has thousands of figures, and the
template engine spent most of a first view's time on them.
"""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.statistics.selectors import Cell, Grid, QuestionTable, Series

SERIES_COLOURS = 6  # .chart-bar.s1 … .s6 in site.css


def _percent(value: float, separator: str) -> str:
    return str(value).replace(".", separator)


def bar_chart(table: QuestionTable, series: list[Series], *, label: str) -> SafeString:
    """For each answer, its name, then a bar, a figure and (when several) a name per series."""
    separator = get_format("DECIMAL_SEPARATOR")
    hidden = f'<span class="chart-figure hidden-figure">{escape(_("hidden"))}</span>'
    names = [escape(s.label) for s in series]
    labelled = any(s.label for s in series)
    parts = []
    for row in table.rows:
        parts.append(f'<span class="chart-answer">{escape(row.label)}</span>')
        for number, (one, name) in enumerate(zip(series, names, strict=True)):
            cell: Cell = row.cells[one.index]
            if labelled:
                parts.append(f'<span class="chart-series">{name}</span>')
            if cell.hidden:
                parts.append(f'<span class="chart-track"></span>{hidden}')
                continue
            share = cell.percent if cell.percent is not None else 0.0
            width = round(share) if cell.count else 0
            if cell.count and width == 0:
                width = 1  # a count above zero is never drawn as nothing
            figure = str(cell.count)
            if cell.percent is not None:
                figure = f"{_percent(share, separator)}% ({cell.count})"
            parts.append(
                f'<span class="chart-track"><span class="chart-bar s{number % SERIES_COLOURS + 1} w{width}">'
                f'</span></span><span class="chart-figure">{figure}</span>'
            )
    kind = "chart" if labelled else "chart chart-single"
    # The label and every text above are escaped.
    return mark_safe(f'<div class="{kind}" role="img" aria-label="{escape(label)}">{"".join(parts)}</div>')


def _figure(cell: Cell, hidden: str, separator: str) -> str:
    if cell.count is None:
        return f'<td class="number">{hidden}</td>'
    if cell.percent is None:
        return f'<td class="number">{cell.count}</td>'
    return f'<td class="number">{cell.count} <span class="percent">({_percent(cell.percent, separator)}%)</span></td>'


def _hidden() -> str:
    return f'<span class="hidden-figure">{escape(_("hidden"))}</span>'


def overview_table(table: QuestionTable, series: list[Series], *, heading: str) -> SafeString:
    """Head, body and foot of a table with one row per answer and a column per series."""
    hidden, separator = _hidden(), get_format("DECIMAL_SEPARATOR")
    head = "".join(f'<th scope="col" class="number">{escape(s.label or heading)}</th>' for s in series)
    body = "".join(
        f'<tr><th scope="row">{escape(row.label)}</th>'
        f"{''.join(_figure(row.cells[s.index], hidden, separator) for s in series)}</tr>"
        for row in table.rows
    )
    counts = [table.columns[s.index].respondents for s in series]
    foot = "".join(f'<td class="number">{hidden if n is None else n}</td>' for n in counts)
    return mark_safe(  # every text above is escaped
        f"{_columns(len(series), narrow=False)}"
        f'<thead><tr><th scope="col">{escape(_("Answer"))}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody>"
        f'<tfoot><tr><th scope="row">{escape(_("Respondents"))}</th>{foot}</tr></tfoot>'
    )


def grid_table(table: QuestionTable, grid: Grid) -> SafeString:
    """Head and bodies of a breakdown: for each answer, a heading row, then a row per group."""
    hidden, separator = _hidden(), get_format("DECIMAL_SEPARATOR")
    missing = f'<td class="number">{hidden}</td>'
    head = "".join(f'<th scope="col" class="number">{escape(h)}</th>' for h in grid.headers)
    rows = [(escape(label), indexes) for label, indexes in grid.rows]
    span = len(grid.headers) + 1
    bodies = []
    for row in table.rows:
        cells = "".join(
            f'<tr><th scope="row">{label}</th>'
            f"{''.join(missing if i is None else _figure(row.cells[i], hidden, separator) for i in indexes)}</tr>"
            for label, indexes in rows
        )
        heading = f'<tr><th scope="rowgroup" colspan="{span}" class="answer">{escape(row.label)}</th></tr>'
        bodies.append(f"<tbody>{heading}{cells}</tbody>")
    return mark_safe(  # every text above is escaped
        f"{_columns(len(grid.headers), narrow=grid.cross)}"
        f'<thead><tr><th scope="col">{escape(grid.corner)}</th>{head}</tr></thead>{"".join(bodies)}'
    )


def _columns(figures: int, *, narrow: bool) -> str:
    """Column widths for the stylesheet: labels take a fixed share, figures split the rest."""
    label = "col-label col-narrow" if narrow else "col-label"
    return f'<colgroup><col class="{label}"><col span="{figures}"></colgroup>'
