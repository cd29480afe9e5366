"""Server-rendered SVG bar charts: no script, no external file, mirrored for Arabic.

Each chart draws exactly the figures of the table printed beside it (percentages of the
respondents in each group, with the count), and says "hidden" where the table does. It is
an image with a title; the table is what screen readers read.
"""

from __future__ import annotations

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.statistics.selectors import QuestionTable

WIDTH = 420
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 8
GROUP_GAP = 14
BAR_SPACE = 250  # the bar itself; the figure is written after it


def bar_chart(table: QuestionTable, *, chart_id: str, rtl: bool = False) -> SafeString:
    parts: list[str] = []
    y = 0

    def x(left: float, width: float = 0) -> float:
        return WIDTH - left - width if rtl else left

    # With direction="rtl" the start of a text is its right end, so "start" is right in both.
    anchor = "start"
    # Translated and escaped once: a large page draws thousands of bars.
    hidden = escape(_("hidden"))
    labels = [escape(row.label) for row in table.rows]
    separator = get_format("DECIMAL_SEPARATOR")
    for index, column in enumerate(table.columns):
        if len(table.columns) > 1:
            heading = f"{column.place.label} – {column.label}"
            y += LABEL_HEIGHT
            parts.append(
                f'<text x="{x(0)}" y="{y}" text-anchor="{anchor}" class="chart-group">{escape(heading)}</text>'
            )
            y += 4
        if column.too_few and all(row.cells[index].hidden for row in table.rows):
            y += LABEL_HEIGHT
            parts.append(
                f'<text x="{x(0)}" y="{y}" text-anchor="{anchor}">{escape(_("Too few responses to show"))}</text>'
            )
            y += GROUP_GAP
            continue
        for row, label in zip(table.rows, labels, strict=True):
            cell = row.cells[index]
            y += LABEL_HEIGHT
            parts.append(f'<text x="{x(0)}" y="{y - 4}" text-anchor="{anchor}">{label}</text>')
            if cell.hidden:
                parts.append(
                    f'<rect x="{x(0, 60)}" y="{y}" width="60" height="{BAR_HEIGHT}" class="chart-hidden"/>'
                    f'<text x="{x(68)}" y="{y + BAR_HEIGHT - 2}" text-anchor="{anchor}">{hidden}</text>'
                )
            else:
                share = cell.percent if cell.percent is not None else 0.0
                width = max(1.0, BAR_SPACE * share / 100) if cell.count else 0.0
                # Digits, a separator and "%": nothing to escape.
                figure = str(cell.count)
                if cell.percent is not None:
                    figure = f"{str(share).replace('.', separator)}% ({cell.count})"
                parts.append(
                    f'<rect x="{x(0, width):.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" class="chart-bar"/>'
                    f'<text x="{x(width + 8):.1f}" y="{y + BAR_HEIGHT - 2}" '
                    f'text-anchor="{anchor}">{figure}</text>'
                )
            y += BAR_HEIGHT + ROW_GAP
        y += GROUP_GAP
    height = y + 4
    title = _("Chart: %(question)s. The same figures are in the table that follows.") % {"question": table.title}
    direction = ' direction="rtl"' if rtl else ""
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg"'
        f"{direction}>"
        f'<title id="{chart_id}-title">{escape(title)}</title>{"".join(parts)}</svg>'
    )
    return mark_safe(svg)  # every text above is escaped


def table_html(table: QuestionTable, *, several_places: bool) -> SafeString:
    """The head, body and foot of a results table.

    Built here rather than in the template: a large page has some 10,000 cells, and the
    template engine spent most of a first view's time on them. The markup is the same.
    """
    hidden = f'<span class="hidden-figure">{escape(_("hidden"))}</span>'
    separator = get_format("DECIMAL_SEPARATOR")

    def figure(count: int | None) -> str:
        return hidden if count is None else str(count)

    head = "".join(
        f'<th scope="col" class="number">{escape(c.place.label) + "<br>" if several_places else ""}'
        f"{escape(c.label)}</th>"
        for c in table.columns
    )
    body = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell.count is None:
                cells.append(f'<td class="number">{hidden}</td>')
            elif cell.percent is None:
                cells.append(f'<td class="number">{cell.count}</td>')
            else:
                percent = str(cell.percent).replace(".", separator)
                cells.append(f'<td class="number">{cell.count} <span class="percent">({percent}%)</span></td>')
        body.append(f'<tr><th scope="row">{escape(row.label)}</th>{"".join(cells)}</tr>')
    foot = "".join(f'<td class="number">{figure(c.respondents)}</td>' for c in table.columns)
    return mark_safe(  # every text above is escaped
        f'<thead><tr><th scope="col">{escape(_("Answer"))}</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody>"
        f'<tfoot><tr><th scope="row">{escape(_("Respondents"))}</th>{foot}</tr></tfoot>'
    )
