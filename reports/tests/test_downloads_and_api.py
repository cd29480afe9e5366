"""Downloads carry exactly the page's figures and suppression; the API keeps its schema."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import openpyxl
import pytest

from consultations.models import Choice
from consultations.tests.factories import make_consultation
from reports.statistics.views import CSV_COLUMNS, SCHEMA_PATH
from reports.tests.helpers import add_responses, publish_release

pytestmark = pytest.mark.django_db

QUERIES = ["", "by=age", "region=europe&by=sex", "country=FRA&country=KEN&by=age-sex", "country=JPN"]


@pytest.fixture
def published():
    consultation = make_consultation(slug="skills")
    # A choice a spreadsheet would run as a formula, were it not defused.
    choice = Choice.objects.filter(question__consultation=consultation).first()
    choice.text = {**choice.text, "en": '=HYPERLINK("http://evil.example","click")'}
    choice.save()
    add_responses(consultation, 200, seed=3, countries=("FR", "DE", "KE", "NG"))
    publish_release(consultation)
    return consultation


def _api(client, query: str) -> dict:
    response = client.get(f"/en/api/v1/results/skills/?{query}")
    assert response.status_code == 200
    return response.json()


def _cells_from_api(data: dict) -> list[list[str]]:
    rows = []
    for question in data["questions"]:
        for row in question["rows"]:
            for column, cell in zip(data["columns"], row["cells"], strict=True):
                place = next(p for p in data["places"] if p["code"] == column["place"])
                rows.append(
                    [
                        str(question["position"]),
                        row["answer"],
                        place["kind"],
                        column["place"],
                        column["age_band"] or "",
                        column["sex"] or "",
                        "" if column["respondents"] is None else str(column["respondents"]),
                        "" if cell["count"] is None else str(cell["count"]),
                        "" if cell["percent"] is None else str(cell["percent"]),
                        "yes" if cell["suppressed"] else "no",
                    ]
                )
    return rows


def _normal(value: object) -> str:
    """One spelling per figure: a spreadsheet reads 29.0 back as 29."""
    try:
        return f"{float(value):g}"
    except (TypeError, ValueError):
        return "" if value is None else str(value)


def _comparable(rows: list[list]) -> list[list[str]]:
    keep = [CSV_COLUMNS.index(c) for c in CSV_COLUMNS if c not in ("question", "answer_label")]
    return [[_normal(row[i]) for i in keep] for row in rows]


@pytest.mark.parametrize("query", QUERIES)
def test_csv_xlsx_and_json_hold_the_same_figures_as_the_api_and_page(client, published, query) -> None:
    expected = _comparable([[r[0], "", r[1], "", *r[2:]] for r in _cells_from_api(_api(client, query))])

    csv_response = client.get(f"/en/results/skills/download.csv?{query}")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert lines[0] == CSV_COLUMNS
    assert _comparable(lines[1:]) == expected

    xlsx = client.get(f"/en/results/skills/download.xlsx?{query}")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == CSV_COLUMNS
    assert _comparable(values[1:]) == expected
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)

    document = json.loads(client.get(f"/en/results/skills/download.json?{query}").content)
    assert _cells_from_api(document) == _cells_from_api(_api(client, query))

    # The page lays the same figures out for a phone: every figure it prints is a published one,
    # and every place's totals are there (a breakdown too small to show is left to the downloads).
    html = client.get(f"/en/results/skills/?{query}").content.decode()
    published = {row[7] for row in expected if row[-1] == "no"}
    printed = set(re.findall(r'<td class="number">(\d+) <span class="percent">', html))
    assert printed <= published, printed - published
    for row in expected:
        if row[-1] == "no" and row[4] == row[5] == "":
            assert f'<td class="number">{row[7]}' in html, row


def test_formula_like_text_is_defused_in_csv_and_xlsx(client, published) -> None:
    text = client.get("/en/results/skills/download.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/en/results/skills/download.xlsx").content)).active
    labels = [row[3] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","click")' in labels


@pytest.mark.parametrize("query", QUERIES)
def test_the_api_matches_its_published_schema(client, published, query) -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validate(_api(client, query), schema, format_checker=jsonschema.FormatChecker())
    assert client.get("/en/api/v1/schema.json").json() == schema


def test_countries_are_iso_alpha_3_and_the_api_is_open_to_other_sites(client, published) -> None:
    response = client.get("/ar/api/v1/results/skills/?country=FRA&country=KEN")
    assert [p["code"] for p in response.json()["places"]] == ["FRA", "KEN"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["language"] == "ar"
    # Alpha-2 is understood too, but always answered in alpha-3.
    assert [p["code"] for p in _api(client, "country=fr")["places"]] == ["FRA"]


def test_an_unknown_format_is_a_404(client, published) -> None:
    assert client.get("/en/results/skills/download.pdf").status_code == 404
