"""Releases: the only way per-answer figures become public.

While a consultation is open the public sees only how many young people have answered so
far, rounded down to a multiple of REPORTS_OPEN_COUNT_STEP, and when the results will be
published. The final release is made once, after the consultation closes (beat runs
`publish_final_releases`). The Secretariat may publish interim releases of an open
consultation; one is refused, with the reasons in the Secretariat's language, whenever it
together with every earlier release of the same consultation would let a hidden figure, or
the answers of the few who arrived in between, be worked out.

A release is immutable: its figures are stored already protected, with its date, the
threshold K and the method's version, and every earlier release stays readable at its own
address.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from consultations.demographics import AgeBand, Region, Sex
from consultations.models import Consultation
from reports.models import ScopeTally, TallyRun
from reports.statistics import tallies
from reports.statistics.disclosure import TOTAL

# The version of the protection method a release was made with; part of its citation.
METHOD = "hypercube-releases-2"


class ReleaseRefused(Exception):
    """A release that would give someone away, or that cannot be made now; reasons say why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Published:
    """What one release made public: its catalogue and its figures per place."""

    layout: dict[str, Any]
    figures: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, run: TallyRun) -> Published:
        return cls(layout=run.layout, figures={s.scope: s.figures for s in run.scopes.all()})


def open_count_step() -> int:
    return int(getattr(settings, "REPORTS_OPEN_COUNT_STEP", 10))


def answered_so_far(consultation: Consultation) -> int:
    """How many have answered, rounded down to a multiple of the step: all the public sees
    of an open consultation. Cached for a minute; a rounded count may lag."""
    key = f"reports:answered-so-far:{consultation.pk}"
    rounded = cache.get(key)
    if rounded is None:
        step = open_count_step()
        rounded = consultation.responses.count() // step * step
        cache.set(key, rounded, 60)
    return int(rounded)


def _place_name(scope: str) -> str:
    if scope == tallies.WORLD:
        return _("the world")
    kind, code = scope.split(":", 1)
    if kind == "region":
        return str(Region(code).label) if code in Region.values else _("places not classified")
    return str(countries.name(code)) if code != "-" else _("country not given")


def _group_name(scope: str, column: str) -> str:
    age, sex = column.split("|")
    parts = [_place_name(scope)]
    if age != TOTAL:
        parts.append(str(AgeBand(age).label))
    if sex != TOTAL:
        parts.append(str(Sex(sex).label))
    return ", ".join(parts)


def _reveals(before: int | None, after: int | None, k: int) -> bool:
    """Whether one figure, seen in two releases, gives away the people who came in between.

    Shown in both: a difference of 1 to K−1 is a small count of new respondents. Hidden in
    one and shown in the other: the shown value bounds the hidden one (counts only grow),
    which narrows the newcomers down, so a figure may not change sides between releases.
    """
    if before is None and after is None:
        return False
    if before is None or after is None:
        return bool(before or after)
    return 0 < after - before < k


def _changed_too_little(earlier: Published, new: Published, k: int) -> Iterable[tuple[str, str, str | None]]:
    """(place, column, question) of every figure published in both whose difference is 1 to K−1.

    The difference of two releases is itself a table of the people who arrived in between;
    a small count there is as revealing as a small count in one release.
    """
    columns = new.layout["columns"]
    for scope, doc in new.figures.items():
        before = earlier.figures.get(scope)
        if before is None or before.get("respondents") is None:
            continue
        for i, column in enumerate(columns):
            a, b = before["respondents"][i], doc["respondents"][i]
            if _reveals(a, b, k):
                yield scope, column, None
        for question_id, rows in doc["questions"].items():
            old_rows = before["questions"].get(question_id, {})
            for row, cells in rows.items():
                old_cells = old_rows.get(row)
                if old_cells is None:
                    continue
                for i, column in enumerate(columns):
                    a, b = old_cells[i], cells[i]
                    if _reveals(a, b, k):
                        yield scope, column, question_id


def release_refusal_reasons(earlier: list[Published], new: Published, k: int) -> list[str]:
    """Why publishing `new` after `earlier` would give someone away (empty when it would not)."""
    if not earlier:
        return []
    groups: dict[tuple[str, str], set[str | None]] = {}
    for scope, column, question_id in _changed_too_little(earlier[-1], new, k):
        groups.setdefault((scope, column), set()).add(question_id)
    if not groups:
        return []
    # The smallest groups first: a country's age band and sex before its region's total.
    ordered = sorted(groups, key=lambda g: (g[1].count(TOTAL), g[0] == tallies.WORLD, g[0].startswith("region"), g))
    reasons = [
        _("too few new responses since the last release in %(group)s") % {"group": _group_name(scope, column)}
        for scope, column in ordered[:5]
    ]
    if len(ordered) > 5:
        more = len(ordered) - 5
        reasons.append(ngettext("and %(n)d more group", "and %(n)d more groups", more) % {"n": more})
    return reasons


def release_publish(
    *,
    consultation: Consultation,
    final: bool,
    user: User | None = None,
    now: datetime | None = None,
    is_demo: bool = False,
) -> TallyRun:
    """Count, protect together with every earlier release, check, and store a new release.

    Raises ReleaseRefused (nothing stored) when the consultation has a final release
    already, when a final release is asked of an open consultation or an interim one of a
    closed or unopened one, or when the new figures would reveal the people who answered
    since the last release.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    earlier_runs = list(TallyRun.objects.filter(consultation=consultation).order_by("number"))
    if any(run.is_final for run in earlier_runs):
        raise ReleaseRefused([_("The final release of this consultation is already published.")])
    if final and not consultation.has_closed(now):
        raise ReleaseRefused([_("The final release is made once the consultation has closed.")])
    if not final and not consultation.is_open(now):
        raise ReleaseRefused([_("An interim release can only be made while the consultation is open.")])
    earlier = [Published.of(run) for run in earlier_runs]
    k = tallies.threshold()
    layout, figures, total = tallies.tally_build(consultation, min_count=k)
    new = Published(layout=layout, figures=figures)
    if not final:
        reasons = release_refusal_reasons(earlier, new, k)
        if reasons:
            raise ReleaseRefused(reasons)
    try:
        with transaction.atomic():
            run = TallyRun.objects.create(
                consultation=consultation,
                number=len(earlier_runs) + 1,
                computed_at=now,
                respondents=total,
                threshold=k,
                is_final=final,
                method=METHOD,
                is_demo=is_demo,
                published_by=user if getattr(user, "is_authenticated", False) else None,
                layout=layout,
                seconds=time.perf_counter() - started,
            )
            ScopeTally.objects.bulk_create(
                [ScopeTally(run=run, scope=scope, figures=doc) for scope, doc in figures.items()], batch_size=200
            )
    except IntegrityError as clash:
        # Two releases at once (a double click, beat and a person): the other one won.
        reason = _("Another release of this consultation was being published at the same moment.")
        raise ReleaseRefused([reason]) from clash
    cache.delete_many([tallies.latest_run_cache_key(consultation.pk), tallies.releases_cache_key(consultation.pk)])
    return run


def consultations_awaiting_final_release(now: datetime | None = None) -> list[Consultation]:
    """Closed consultations whose final release has not been made yet."""
    now = now or timezone.now()
    return list(
        Consultation.objects.filter(closes_at__lte=now).exclude(tally_runs__is_final=True).order_by("closes_at")
    )
