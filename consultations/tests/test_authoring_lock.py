"""Once a consultation has an answer, no figure may change meaning: only texts can be corrected."""

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.authoring import services
from consultations.models import Question
from consultations.tests.authoring_helpers import in_six, make_response, question_post
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db

HUB = "/en/secretariat/consultations/online-safety/"
REASON = "This consultation already has answers; removing or reordering questions would change what the figures mean."


@pytest.fixture
def answered(client):
    consultation = make_consultation(slug="online-safety")
    make_response(consultation)
    signed_in(client, make_secretariat())
    return consultation


def positions(consultation) -> list[tuple[int, str]]:
    return list(consultation.questions.order_by("position").values_list("position", "kind"))


def edit_post(question: Question, **overrides) -> dict:
    """The question's edit form as posted unchanged."""
    data = {"kind": question.kind, "rows": str(question.choices.count()), **overrides}
    data.update({f"text__{code}": text for code, text in question.text.items()})
    for index, choice in enumerate(question.choices.order_by("position")):
        data[f"choice{index}-key"] = str(choice.pk)
        data.update({f"choice{index}__{code}": text for code, text in choice.text.items()})
    data.update(overrides)
    return data


def test_a_question_cannot_be_deleted(client, answered):
    before = positions(answered)
    page = client.post(f"{HUB}questions/1/delete/", {"confirm": "1"}, follow=True)
    assert positions(answered) == before
    assert REASON in page.content.decode()
    with pytest.raises(services.ConsultationLocked, match="removing or reordering"):
        services.question_delete(question=answered.questions.get(position=1), author=make_secretariat())


def test_questions_cannot_be_reordered(client, answered):
    before = positions(answered)
    page = client.post(f"{HUB}questions/1/move/", {"direction": "down"}, follow=True)
    assert positions(answered) == before
    assert REASON in page.content.decode()


def test_a_question_kind_cannot_change(client, answered):
    question = answered.questions.get(position=3)  # rating
    with pytest.raises(services.ConsultationLocked, match="kind"):
        services.question_update(
            author=make_secretariat(),
            question=question,
            kind="text",
            required=False,
            text=question.text,
            help_text={},
            scale_min_label={},
            scale_max_label={},
            choices=[],
        )
    # The page shows the kind but does not let it be changed.
    html = client.get(f"{HUB}questions/3/").content.decode()
    assert 'name="kind" value="rating" id="id_kind_2" required disabled checked' in html
    client.post(f"{HUB}questions/3/", edit_post(question, kind="text"))
    question.refresh_from_db()
    assert question.kind == "rating"


def test_a_choice_cannot_be_removed(client, answered):
    question = answered.questions.get(position=1)
    first = question.choices.get(position=1)
    # The page has no remove box; one forged into the post is ignored.
    client.post(f"{HUB}questions/1/", edit_post(question, **{"choice0-remove": "on"}))
    assert question.choices.count() == 3
    with pytest.raises(services.ConsultationLocked, match="removing or reordering"):
        services.question_update(
            author=make_secretariat(),
            question=question,
            kind="single",
            required=False,
            text=question.text,
            help_text={},
            scale_min_label={},
            scale_max_label={},
            choices=[services.ChoiceEdit(text=first.text, choice_id=first.pk, remove=True)],
        )


def test_a_choice_cannot_be_added(client, answered):
    question = answered.questions.get(position=1)
    data = edit_post(question, rows="4", **{"choice3-key": ""}, **in_six("choice3", "A late idea"))
    page = client.post(f"{HUB}questions/1/", data)
    assert "a new choice would be missing from every answer already given" in page.content.decode()
    assert question.choices.count() == 3


def test_the_buttons_are_gone_and_the_page_says_why(client, answered):
    html = client.get(HUB).content.decode()
    assert REASON in html
    assert "Move question" not in html and "Delete question" not in html
    edit = client.get(f"{HUB}questions/1/").content.decode()
    assert "Remove choice" not in edit and "Add more choices" not in edit


def test_texts_can_still_be_corrected(client, answered):
    question = answered.questions.get(position=1)
    data = edit_post(question, **{"text__fr": "Question corrigée", "choice1__ar": "خيار مصحح"})
    page = client.post(f"{HUB}questions/1/", data)
    assert page.status_code == 302
    question.refresh_from_db()
    assert question.text["fr"] == "Question corrigée"
    assert question.choices.get(position=2).text["ar"] == "خيار مصحح"
    assert positions(answered) == [(1, "single"), (2, "multiple"), (3, "rating"), (4, "text")]


def test_a_question_can_still_be_added_at_the_end(client, answered):
    page = client.post(f"{HUB}questions/new/", question_post("text", choices=0))
    assert page.status_code == 302
    assert positions(answered)[-1] == (5, "text")
