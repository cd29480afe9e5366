"""The public document pages: axe-core finds no WCAG 2.2 A/AA violation in any of the six
languages, on the list (plain, filtered, searched, with a bad filter) and on the page of a
published document, a draft for comment, a superseded draft and a withdrawn document."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from tests.browser.conftest import assert_no_axe_violations, assert_styled, direction, html_lang_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "ar": "تقرير الاجتماع",
    "zh-hans": "会议报告",
    "en": "Meeting report",
    "fr": "Rapport de la réunion",
    "ru": "Отчёт о собрании",
    "es": "Informe de la reunión",
}


@pytest.fixture
def documents(transactional_db: None, settings: Any, tmp_path: Any) -> dict[str, Any]:
    from reports.models import Document
    from reports.tests.test_documents_public import add_file, make_document, make_meeting

    settings.MEDIA_ROOT = tmp_path
    meeting = make_meeting(14, date(2025, 9, 15), title={code: f"CWG-COP 14 {t}" for code, t in TITLES.items()})
    make_meeting(13, date(2025, 3, 10))
    published = make_document(meeting, "CWG-COP/14/1", title=TITLES, languages=tuple(settings.LANGUAGE_CODES))
    add_file(published, "en", version=2, is_current=False)  # shown as an earlier version
    open_draft = make_document(
        meeting,
        "CWG-COP/14/2",
        status=Document.Status.FOR_COMMENT,
        comment_deadline=timezone.now() + timedelta(days=14),
        title=TITLES,
        languages=("en", "fr", "ru"),
    )
    replaced = make_document(
        meeting,
        "CWG-COP/14/3",
        status=Document.Status.FOR_COMMENT,
        comment_deadline=timezone.now() - timedelta(days=1),
        kind=Document.Kind.CHAIR_REPORT,
        languages=("en", "ar"),
    )
    make_document(meeting, "CWG-COP/14/4", kind=Document.Kind.CHAIR_REPORT, supersedes=replaced, languages=("en",))
    make_document(
        meeting,
        "CWG-COP/14/5",
        status=Document.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason="Issued in error.",
    )
    return {"published": published, "open_draft": open_draft, "replaced": replaced}


@pytest.mark.parametrize("language", settings.LANGUAGE_CODES)
def test_no_accessibility_violation_on_the_document_pages(live_server, documents, page, language) -> None:
    base = f"{live_server.url}/{language}/documents"

    def check(label: str, status: int = 200) -> None:
        assert response is not None and response.status == status, label
        assert_styled(page)
        assert html_lang_dir(page) == (language, direction(language)), label
        assert_no_axe_violations(page, f"{label} [{language}]")

    response = page.goto(f"{base}/")
    assert page.locator(".document-item").count() == 5
    check("the list")

    response = page.goto(f"{base}/?year=2025&meeting=14&type=output-report&language=en")
    assert page.locator(".document-item").count() == 3  # 14/1, 14/2 and the withdrawn 14/5
    check("the list, filtered")

    response = page.goto(f"{base}/?q={TITLES[language]}")
    assert page.locator(".document-item").count() >= 1
    check("the search results")

    response = page.goto(f"{base}/?year=last")
    assert page.locator(".error-summary").is_visible()
    check("the list with a filter that cannot be used")

    response = page.goto(f"{base}/CWG-COP-14-1/")
    assert page.locator(".document-files li").count() == 6
    assert page.locator(".document-files a").first.get_attribute("hreflang") == language
    check("a published document")

    response = page.goto(f"{base}/CWG-COP-14-2/")
    assert page.locator(".document-notice").is_visible()
    check("a draft for comment")

    response = page.goto(f"{base}/CWG-COP-14-3/")
    assert page.locator(".document-notice a[href$='/CWG-COP-14-4/']").is_visible()
    check("a superseded draft")

    response = page.goto(f"{base}/CWG-COP-14-5/")
    check("a withdrawn document", status=410)
