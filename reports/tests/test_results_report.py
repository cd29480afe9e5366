"""A closed consultation's results become a published document in one action: one XLSX per
language it was offered in, holding exactly the API's suppressed figures, never a raw count."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Choice, Consultation, Meeting
from consultations.tests.factories import make_consultation
from cop_site.spreadsheets import spreadsheet_safe
from reports.documents.results_report import results_document_publish
from reports.models import Document, DocumentFile
from reports.tests.helpers import add_responses, publish_release
from reports.tests.test_document_uploads import stored_files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


LANGUAGES = ["en", "fr", "ru"]
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def meeting() -> Meeting:
    return Meeting.objects.create(
        number=14, title={"en": "Fourteenth meeting"}, starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 2)
    )


def closed_consultation(meeting: Meeting, *, counted: bool = True, **extra):
    consultation = make_consultation(
        slug="skills",
        languages=LANGUAGES,
        opens_in=timedelta(days=-30),
        closes_in=timedelta(days=-1),
        meeting=meeting,
        **extra,
    )
    choice = Choice.objects.filter(question__consultation=consultation).order_by("question__position", "position")[0]
    choice.text = {**choice.text, "en": FORMULA}
    choice.save()
    add_responses(consultation, 150, seed=5, countries=("FR", "KE", "BR"))
    if counted:
        publish_release(consultation)
    return Consultation.objects.with_content().get(pk=consultation.pk)


@pytest.fixture
def closed(media, meeting):
    return closed_consultation(meeting)


def _rows(sheet) -> list[list]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        values = [None if v == "" else v for v in row]
        while values and values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def _expected_block(data: dict, index: int, marker: str, respondents_label: str) -> list[list]:
    """The rows a breakdown of one question must show, straight from the JSON API; as on the
    results page, a group with nothing to show is left out (and named below the table)."""
    question = data["questions"][index]
    shown = [
        i
        for i, column in enumerate(data["columns"])
        if column["respondents"] is not None or not all(row["cells"][i]["suppressed"] for row in question["rows"])
    ] or list(range(len(data["columns"])))
    respondents: list = [respondents_label]
    for i in shown:
        column = data["columns"][i]
        respondents += [marker if column["respondents"] is None else column["respondents"], None]
    while respondents[-1] is None:
        respondents.pop()
    rows = [respondents]
    for row in question["rows"]:
        values: list = [spreadsheet_safe(row["label"])]
        for cell in (row["cells"][i] for i in shown):
            if cell["suppressed"]:
                values += [marker, marker]
            else:
                values += [cell["count"], cell["percent"]]
        while values[-1] is None:
            values.pop()
        rows.append(values)
    return rows


def _contains(rows: list[list], block: list[list]) -> bool:
    return any(rows[i : i + len(block)] == block for i in range(len(rows) - len(block) + 1))


def test_it_publishes_one_spreadsheet_per_language_with_the_apis_figures(client, closed, meeting) -> None:
    document = results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/8", user=None)

    assert (document.kind, document.status, document.consultation, document.meeting) == (
        Document.Kind.RESULTS,
        Document.Status.PUBLISHED,
        closed,
        meeting,
    )
    assert document.published_at is not None
    assert document.title["en"] == "Results of the consultation “Topic [en]”"
    assert set(document.title) == {"ar", "zh-hans", "en", "fr", "ru", "es"}
    files = {f.language: f for f in DocumentFile.objects.filter(document=document, is_current=True)}
    assert sorted(files) == sorted(LANGUAGES)

    suppressed_somewhere = False
    threshold = closed.tally_runs.get().threshold
    for language, document_file in files.items():
        assert (document_file.extension, document_file.content_type) == (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        with translation.override(language):
            marker = translation.gettext("suppressed")
            respondents_label = translation.gettext("Respondents")
        with document_file.file.open("rb") as stream:
            workbook = openpyxl.load_workbook(io.BytesIO(stream.read()))
        about, *question_sheets = workbook.worksheets
        about_text = " ".join(str(v) for row in _rows(about) for v in row if v is not None)
        assert str(threshold) in about_text
        assert f"{closed.tally_runs.get().computed_at:%Y-%m-%d}" in about_text
        assert len(question_sheets) == len(closed.ordered_questions())

        for breakdown in ("", "age", "sex"):
            data = client.get(f"/{language}/api/v1/results/skills/?by={breakdown}").json()
            for index, sheet in enumerate(question_sheets):
                rows = _rows(sheet)
                assert rows[0][0] == data["questions"][index]["text"]
                block = _expected_block(data, index, marker, respondents_label)
                assert _contains(rows, block), (language, breakdown, index)
                suppressed_somewhere |= any(marker in row for row in block)
                for row in block:
                    counts = row[1::2]
                    assert not any(isinstance(v, int) and 0 < v < threshold for v in counts), row
    assert suppressed_somewhere, "the data must exercise suppression for this test to mean anything"


def test_a_formula_in_a_label_is_written_as_plain_text(closed, meeting) -> None:
    document = results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    english = DocumentFile.objects.get(document=document, language="en")
    with english.file.open("rb") as stream:
        workbook = openpyxl.load_workbook(io.BytesIO(stream.read()))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    labels = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert labels, "the label is in the report"
    assert all(cell.value == "'" + FORMULA and cell.data_type == "s" for cell in labels)
    assert not any(cell.data_type == "f" for cell in cells)


def test_it_is_refused_while_the_consultation_is_open(media, meeting) -> None:
    consultation = make_consultation(slug="skills", meeting=meeting)
    add_responses(consultation, 20)
    publish_release(consultation)
    with pytest.raises(ValidationError, match="still open"):
        results_document_publish(consultation=consultation, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    assert not Document.objects.exists()


def test_it_is_refused_before_the_final_count(media, meeting) -> None:
    consultation = closed_consultation(meeting, counted=False)
    with pytest.raises(ValidationError, match="not been counted yet"):
        results_document_publish(consultation=consultation, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    assert not Document.objects.exists()


def test_it_is_published_once(closed, meeting) -> None:
    results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    with pytest.raises(ValidationError, match="already a document: CWG-COP/14/8"):
        results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/9", user=None)


def test_a_failure_part_way_leaves_no_document_and_no_file(closed, meeting, media, monkeypatch) -> None:
    from reports.documents import results_report

    def refuse(**kwargs):
        raise ValidationError("publishing failed")

    monkeypatch.setattr(results_report, "document_publish", refuse)
    with pytest.raises(ValidationError):
        results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    assert not Document.objects.exists() and not DocumentFile.objects.exists()
    assert stored_files(media) == []


def test_the_files_text_is_extracted_for_search(
    closed, meeting, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from reports.documents.tasks import notify_subscribers

    told: list[int] = []
    monkeypatch.setattr(notify_subscribers, "delay", told.append)
    with django_capture_on_commit_callbacks(execute=True):
        document = results_document_publish(consultation=closed, meeting=meeting, symbol="CWG-COP/14/8", user=None)
    assert told == [document.pk]
    french = DocumentFile.objects.get(document=document, language="fr")
    assert "Question 1 single [fr]" in french.text


# --- The page --------------------------------------------------------------------------------


def test_the_page_suggests_a_symbol_and_publishes(client, closed) -> None:
    secretariat = make_secretariat()
    signed_in(client, secretariat)
    html = client.get("/en/secretariat/documents/results/skills/").content.decode()
    assert 'value="CWG-COP/14/1"' in html
    assert '<option value="14" selected>CWG-COP-14 – Fourteenth meeting</option>' in html
    response = client.post("/en/secretariat/documents/results/skills/", {"meeting": "14", "symbol": "CWG-COP/14/1"})
    assert response["Location"] == "/en/secretariat/documents/CWG-COP-14-1/"
    document = Document.objects.get()
    assert document.files.filter(uploaded_by=secretariat).count() == len(LANGUAGES)
    assert "The results are published as CWG-COP/14/1" in client.get(response["Location"]).content.decode()


def test_the_page_says_why_an_open_consultation_cannot_be_reported(client, media, meeting) -> None:
    make_consultation(slug="skills", meeting=meeting)
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/documents/results/skills/").content.decode()
    assert "The consultation is still open." in html
    assert '<form method="post" novalidate>' not in html
    html = client.post(
        "/en/secretariat/documents/results/skills/", {"meeting": "14", "symbol": "CWG-COP/14/1"}
    ).content.decode()
    assert "There is a problem" in html and "The consultation is still open." in html
    assert not Document.objects.exists()


def test_a_taken_symbol_is_explained_beside_the_field(client, closed, meeting) -> None:
    Document.objects.create(meeting=meeting, symbol="CWG-COP/14/1", slug="CWG-COP-14-1", kind="contribution")
    signed_in(client, make_secretariat())
    html = client.post(
        "/en/secretariat/documents/results/skills/", {"meeting": "14", "symbol": "CWG-COP/14/1"}
    ).content.decode()
    assert 'href="#id_symbol"' in html
    assert "Another document already has this symbol: choose another." in html
    assert Document.objects.count() == 1 and not DocumentFile.objects.exists()
