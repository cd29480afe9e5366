"""The secretariat's document pages: who may reach them, and create, publish, supersede and
withdraw as the secretariat sees them — refusals beside the field, never a half-done write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import make_member_state, make_secretariat, signed_in
from consultations.models import Consultation
from consultations.tests.factories import make_consultation
from reports.documents import services as documents
from reports.models import Document, DocumentFile
from reports.tests.test_document_uploads import make_document, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


GET_PAGES = [
    "/en/secretariat/documents/",
    "/en/secretariat/documents/new/",
    "/en/secretariat/documents/CWG-COP-14-3/",
    "/en/secretariat/documents/CWG-COP-14-3/files/{file_id}/",
    "/en/secretariat/documents/results/topic/",
]
POST_PAGES = [
    "/en/secretariat/documents/new/",
    "/en/secretariat/documents/CWG-COP-14-3/upload/",
    "/en/secretariat/documents/CWG-COP-14-3/publish/",
    "/en/secretariat/documents/CWG-COP-14-3/supersede/",
    "/en/secretariat/documents/CWG-COP-14-3/withdraw/",
    "/en/secretariat/documents/results/topic/",
]


@pytest.fixture
def notified(monkeypatch) -> list[int]:
    """The documents subscribers were told about (the task itself belongs to subscriptions)."""
    sent: list[int] = []
    from reports.documents.tasks import notify_subscribers

    monkeypatch.setattr(notify_subscribers, "delay", sent.append)
    return sent


@pytest.fixture
def document(media) -> Document:
    return make_document()


def with_file(document: Document, language: str = "en") -> DocumentFile:
    version = DocumentFile.objects.filter(document=document, language=language).count() + 1
    DocumentFile.objects.filter(document=document, language=language).update(is_current=False)
    document_file = DocumentFile(
        document=document, language=language, version=version, extension="pdf", content_type="application/pdf"
    )
    document_file.file.save(f"{document.slug}-{language}.pdf", ContentFile(pdf_bytes()), save=False)
    document_file.save()
    return document_file


def _urls(document: Document, urls: list[str]) -> list[str]:
    document_file = document.files.first() or with_file(document)
    if not Consultation.objects.filter(slug="topic").exists():
        make_consultation(slug="topic")
    return [url.format(file_id=document_file.pk) for url in urls]


# --- Who may come in -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, document) -> None:
    for url in _urls(document, GET_PAGES):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in POST_PAGES:
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_member_states_are_refused(client, document) -> None:
    signed_in(client, make_member_state())
    for url in _urls(document, GET_PAGES):
        assert client.get(url).status_code == 403, url
    for url in POST_PAGES:
        assert client.post(url, {"withdraw-reason": "x"}).status_code == 403, url
    assert Document.objects.get(pk=document.pk).status == Document.Status.DRAFT


def test_the_secretariat_without_mfa_is_asked_to_set_it_up(client, document) -> None:
    signed_in(client, make_secretariat(mfa=False))
    for url in _urls(document, GET_PAGES):
        response = client.get(url)
        assert response.status_code == 302 and "two-factor-required" in response["Location"], url
    for url in POST_PAGES:
        response = client.post(url)
        assert response.status_code == 302 and "two-factor-required" in response["Location"], url


def test_the_secretariat_reaches_every_page(client, document) -> None:
    signed_in(client, make_secretariat())
    for url in _urls(document, GET_PAGES):
        assert client.get(url).status_code == 200, url


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_every_document_with_its_status_and_languages(client, document) -> None:
    with_file(document, "fr")
    make_document("CWG-COP/14/5", status=Document.Status.WITHDRAWN, title={"en": "Old contribution"})
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/documents/").content.decode()
    assert "CWG-COP/14/3" in html and "Not yet published" in html
    assert "Old contribution" in html and "Withdrawn" in html
    assert '<abbr title="français">fr</abbr>' in html
    assert 'href="/en/secretariat/documents/CWG-COP-14-3/"' in html
    assert 'href="/en/secretariat/documents/"' in html, "the secretariat's menu links to the documents"


# --- Creating --------------------------------------------------------------------------------


def _new(**overrides) -> dict:
    data = {
        "meeting": "14",
        "symbol": "CWG-COP/14/7",
        "kind": "output-report",
        "title__en": "Output report",
        "title__ru": "Итоговый доклад",
    }
    return {**data, **overrides}


def test_the_form_names_meetings_as_the_secretariat_knows_them(client, document) -> None:
    signed_in(client, make_secretariat())
    html = client.get("/en/secretariat/documents/new/").content.decode()
    assert '<option value="14">CWG-COP-14 – Fourteenth meeting</option>' in html
    assert 'lang="ar"' in html and 'dir="rtl"' in html, "titles are written side by side in six languages"


def test_creating_a_document_leads_to_its_page(client, document) -> None:
    signed_in(client, make_secretariat())
    response = client.post("/en/secretariat/documents/new/", _new(), follow=True)
    assert response.redirect_chain == [("/en/secretariat/documents/CWG-COP-14-7/", 302)]
    created = Document.objects.get(symbol="CWG-COP/14/7")
    assert (created.slug, created.status, created.title) == (
        "CWG-COP-14-7",
        "draft",
        {"en": "Output report", "ru": "Итоговый доклад"},
    )
    assert "CWG-COP/14/7 was created. Now upload its files." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"symbol": "CWG-COP/14/3"}, "id_symbol", "Another document already has this symbol: choose another."),
        ({"symbol": "cwg-cop-14-3"}, "id_symbol", "Another document already has this symbol: choose another."),
        ({"symbol": "CWG COP 14.3"}, "id_symbol", "A symbol has only letters, digits, hyphens and slashes"),
        ({"title__en": "", "title__ru": ""}, "id_title__ar", "Write the title in at least one language."),
        ({"kind": ""}, "id_kind_0", "Choose the type of document."),
        ({"meeting": ""}, "id_meeting", "Choose the meeting the document belongs to."),
    ],
)
def test_a_refused_document_is_explained_beside_its_field(client, document, overrides, anchor, message) -> None:
    signed_in(client, make_secretariat())
    response = client.post("/en/secretariat/documents/new/", _new(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and f'href="#{anchor}"' in html
    assert message in html
    assert Document.objects.count() == 1


# --- Publishing ------------------------------------------------------------------------------


def _publish(client, document: Document, **data):
    return client.post(
        f"/en/secretariat/documents/{document.slug}/publish/", {f"publish-{k}": v for k, v in data.items()}
    )


def test_a_document_needs_a_file_before_it_is_published(client, document, notified) -> None:
    signed_in(client, make_secretariat())
    html = _publish(client, document, how="now").content.decode()
    assert "Upload at least one file before publishing the document." in html
    assert 'href="#id_publish-how_0"' in html
    assert Document.objects.get(pk=document.pk).status == Document.Status.DRAFT


def test_publishing_now_makes_it_public_and_tells_subscribers_after_commit(
    client, document, notified, django_capture_on_commit_callbacks
) -> None:
    with_file(document)
    signed_in(client, make_secretariat())
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish(client, document, how="now")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED and document.published_at is not None
    assert notified == [document.pk]
    assert "CWG-COP/14/3 is published." in client.get(response["Location"]).content.decode()


def test_a_draft_for_comment_needs_a_deadline_in_the_future(client, document, notified) -> None:
    with_file(document)
    signed_in(client, make_secretariat())
    html = _publish(client, document, how="for-comment").content.decode()
    assert "Enter the date on which comments close." in html
    yesterday = timezone.now() - timedelta(days=1)
    html = _publish(
        client, document, how="for-comment", deadline_on=f"{yesterday:%Y-%m-%d}", deadline_time="10:00"
    ).content.decode()
    assert "The deadline for comments must be in the future." in html
    assert 'href="#id_publish-deadline_on"' in html
    document.refresh_from_db()
    assert (document.status, document.published_at, notified) == (Document.Status.DRAFT, None, [])


def test_a_draft_for_comment_is_published_with_its_deadline(client, document, notified) -> None:
    with_file(document)
    signed_in(client, make_secretariat())
    later = timezone.now() + timedelta(days=14)
    response = _publish(client, document, how="for-comment", deadline_on=f"{later:%Y-%m-%d}", deadline_time="17:30")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.FOR_COMMENT
    assert (document.comment_deadline.date(), f"{document.comment_deadline:%H:%M}") == (later.date(), "17:30")
    assert document.published_at is not None


def test_a_withdrawn_document_is_not_published_again(document) -> None:
    with_file(document)
    document.status = Document.Status.WITHDRAWN
    document.save()
    with pytest.raises(ValidationError, match="withdrawn"):
        documents.document_publish(document=document)


# --- Superseding -----------------------------------------------------------------------------


def test_the_final_version_replaces_the_draft_which_stays(client, document, notified) -> None:
    with_file(document)
    documents.document_publish(document=document, for_comment_until=timezone.now() + timedelta(days=3))
    final = make_document("CWG-COP/14/3/Rev1", title={"en": "Final output report"})
    signed_in(client, make_secretariat())
    html = client.get(f"/en/secretariat/documents/{final.slug}/").content.decode()
    assert '<option value="CWG-COP-14-3">CWG-COP/14/3 – Output report</option>' in html

    response = client.post(f"/en/secretariat/documents/{final.slug}/supersede/", {"supersede-draft": "CWG-COP-14-3"})
    assert response.status_code == 302
    final.refresh_from_db()
    document.refresh_from_db()
    assert final.supersedes == document
    assert document.status == Document.Status.FOR_COMMENT, "the draft keeps its status and its files"
    assert document.files.filter(is_current=True).exists()
    assert not document.is_superseded, "marked superseded only once the final version is public"
    with_file(final)
    documents.document_publish(document=final)
    document.refresh_from_db()
    assert document.is_superseded


def test_only_a_draft_for_comment_can_be_replaced(document) -> None:
    final = make_document("CWG-COP/14/9")
    with pytest.raises(ValidationError) as refused:
        documents.document_supersede(draft=document, final=final)
    assert refused.value.message_dict == {"draft": ["Only a draft published for comment can be replaced."]}


# --- Withdrawing -----------------------------------------------------------------------------


def test_withdrawing_needs_a_reason(client, document) -> None:
    with_file(document)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PUBLISHED, published_at=timezone.now())
    signed_in(client, make_secretariat())
    response = client.post(f"/en/secretariat/documents/{document.slug}/withdraw/", {"withdraw-reason": "   "})
    html = response.content.decode()
    assert "Say why the document is withdrawn; visitors will read it." in html
    assert 'href="#id_withdraw-reason"' in html
    assert Document.objects.get(pk=document.pk).status == Document.Status.PUBLISHED
    with pytest.raises(ValidationError):
        documents.document_withdraw(document=document, reason="")


def test_withdrawing_keeps_the_reason_and_the_date(client, document) -> None:
    with_file(document)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.PUBLISHED, published_at=timezone.now())
    signed_in(client, make_secretariat())
    response = client.post(
        f"/en/secretariat/documents/{document.slug}/withdraw/",
        {"withdraw-reason": "Issued in error; see CWG-COP/14/4."},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.WITHDRAWN and document.withdrawn_at is not None
    assert document.withdrawal_reason == "Issued in error; see CWG-COP/14/4."
    html = client.get(response["Location"]).content.decode()
    assert "Issued in error; see CWG-COP/14/4." in html
    assert 'action="/en/secretariat/documents/CWG-COP-14-3/upload/"' not in html, "no new files once withdrawn"


def test_an_unpublished_draft_cannot_be_withdrawn(document) -> None:
    with pytest.raises(ValidationError, match="never published"):
        documents.document_withdraw(document=document, reason="Not needed")


# --- One set of rules: what the page offers is what the services accept ----------------------

ACTIONS = ("upload", "publish", "supersede", "withdraw")


class Undone(Exception):
    """Raised to roll an accepted action back."""


def _attempt(action: str, document: Document, draft: Document) -> None:
    from reports.tests.test_document_uploads import upload

    if action == "upload":
        documents.document_file_add(document=document, language="en", uploaded=upload("a.pdf", pdf_bytes()), user=None)
    elif action == "publish":
        documents.document_publish(document=document)
    elif action == "supersede":
        documents.document_supersede(draft=draft, final=document)
    else:
        documents.document_withdraw(document=document, reason="Issued in error.")


@pytest.mark.parametrize(
    "status, offered",
    [
        (Document.Status.DRAFT, {"upload", "publish", "supersede"}),
        (Document.Status.FOR_COMMENT, {"upload", "publish", "withdraw"}),
        (Document.Status.PUBLISHED, {"upload", "supersede", "withdraw"}),
        (Document.Status.WITHDRAWN, set()),
    ],
)
def test_the_page_offers_exactly_the_actions_the_services_accept(client, document, status, offered) -> None:
    with_file(document)
    draft = make_document("CWG-COP/14/9", status=Document.Status.FOR_COMMENT, published_at=timezone.now())
    Document.objects.filter(pk=document.pk).update(
        status=status, published_at=None if status == Document.Status.DRAFT else timezone.now()
    )
    document.refresh_from_db()
    signed_in(client, make_secretariat())
    html = client.get(f"/en/secretariat/documents/{document.slug}/").content.decode()

    shown = {action for action in ACTIONS if f'action="/en/secretariat/documents/CWG-COP-14-3/{action}/"' in html}
    assert shown == offered
    for action in set(ACTIONS) - offered:
        with pytest.raises(ValidationError):
            _attempt(action, document, draft)
    for action in sorted(offered):  # each accepted, from the same state: every attempt is undone
        with pytest.raises(Undone), transaction.atomic():
            _attempt(action, Document.objects.get(pk=document.pk), draft)
            raise Undone


# --- Files -----------------------------------------------------------------------------------


def test_every_version_is_listed_and_downloadable(client, document) -> None:
    first = with_file(document, "fr")
    with_file(document, "fr")
    signed_in(client, make_secretariat())
    html = client.get(f"/en/secretariat/documents/{document.slug}/").content.decode()
    assert "Download version 1" in html and "Download version 2" in html
    assert 'enctype="multipart/form-data"' in html
    response = client.get(f"/en/secretariat/documents/{document.slug}/files/{first.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="CWG-COP-14-3-fr-v1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()
