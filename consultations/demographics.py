"""The demographic categories every response carries, defined once.

Age bands follow Global Kids Online's bands for children (9–11, 12–14, 15–17) extended
with the UN's youth range (18–24); "under 9" and "25 and over" keep every respondent
countable. Regions are ITU's six (see data/README.md for the country table's source).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

UNDISCLOSED = "undisclosed"


class AgeBand(models.TextChoices):
    UNDER_9 = "under-9", _("Under 9")
    AGE_9_11 = "9-11", _("9 to 11")
    AGE_12_14 = "12-14", _("12 to 14")
    AGE_15_17 = "15-17", _("15 to 17")
    AGE_18_24 = "18-24", _("18 to 24")
    AGE_25_PLUS = "25-plus", _("25 or over")
    UNDISCLOSED = UNDISCLOSED, _("Prefer not to say")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    ANOTHER = "another", _("Another answer")
    UNDISCLOSED = UNDISCLOSED, _("Prefer not to say")


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab_states", _("Arab States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific")
    CIS = "cis", _("CIS")
    EUROPE = "europe", _("Europe")
    UNCLASSIFIED = "", _("Not classified")


REGIONS_TABLE = Path(__file__).resolve().parent / "data" / "itu_regions.csv"


@cache
def _region_table() -> dict[str, str]:
    with REGIONS_TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["country"]: row["region"] for row in csv.DictReader(handle)}


def region_for_country(country_code: str) -> str:
    """The ITU region of an ISO 3166 alpha-2 code; "" when undisclosed or not classified."""
    return _region_table().get(country_code.upper(), "") if country_code else ""
