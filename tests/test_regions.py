import csv

from django.conf import settings
from django_countries import countries

from consultations.demographics import REGIONS_TABLE, Region, region_for_country


def test_the_region_table_covers_every_itu_member_state_with_a_valid_region():
    with REGIONS_TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["country"] for row in rows]
    assert len(codes) == len(set(codes)) == 194  # 193 Member States and Palestine
    valid = {value for value, _label in Region.choices if value}
    assert {row["region"] for row in rows} == valid
    assert all(code in dict(countries) for code in codes)


def test_regions_are_looked_up_by_country_code():
    assert region_for_country("EG") == "arab_states"
    assert region_for_country("ke") == "africa"
    assert region_for_country("BR") == "americas"
    assert region_for_country("RU") == "cis"
    assert region_for_country("FR") == "europe"
    assert region_for_country("CN") == "asia_pacific"
    assert region_for_country("") == ""
    assert region_for_country("HK") == ""  # not an ITU Member State: not classified


def test_the_age_bands_are_defined_once_and_cover_every_age():
    from consultations.demographics import AgeBand

    assert [value for value, _ in AgeBand.choices] == [
        "under-9",
        "9-11",
        "12-14",
        "15-17",
        "18-24",
        "25-plus",
        "undisclosed",
    ]
    assert settings.LANGUAGE_CODES == ["ar", "zh-hans", "en", "fr", "ru", "es"]
