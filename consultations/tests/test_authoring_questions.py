"""Writing questions and their choices, six languages side by side, and putting them in order."""

import pytest

from accounts.tests.factories import make_secretariat, signed_in
from consultations.models import Consultation, Question
from consultations.tests.authoring_helpers import in_six, question_post
from consultations.tests.factories import make_consultation

pytestmark = pytest.mark.django_db

HUB = "/en/secretariat/consultations/online-safety/"


@pytest.fixture
def consultation(client):
    signed_in(client, make_secretariat())
    return make_consultation(slug="online-safety", kinds=("single", "rating"))


def test_it_adds_a_choice_question_with_its_choices_at_the_end(client, consultation):
    page = client.post(f"{HUB}questions/new/", question_post("multiple", choices=3, required="on"))
    assert page.status_code == 302 and page["Location"] == HUB
    question = consultation.questions.get(position=3)
    assert question.kind == "multiple" and question.required
    assert question.text["zh-hans"] == "A multiple question [zh-hans]"
    assert [c.text["ar"] for c in question.ordered_choices()] == [f"Choice {n} [ar]" for n in (1, 2, 3)]
    assert "ar" in Consultation.objects.with_content().get(pk=consultation.pk).languages()


def test_empty_rows_are_ignored(client, consultation):
    data = question_post("single", choices=2, rows="5")
    client.post(f"{HUB}questions/new/", data)
    assert consultation.questions.get(position=3).choices.count() == 2


def test_a_choice_question_needs_two_choices(client, consultation):
    page = client.post(f"{HUB}questions/new/", question_post("single", choices=1))
    html = page.content.decode()
    assert page.status_code == 200 and "A choice question needs at least two choices." in html
    assert 'href="#id_choice0__ar"' in html
    assert consultation.questions.count() == 2


def test_rating_labels_are_for_rating_questions_only(client, consultation):
    data = question_post("text", choices=0, **in_six("scale_min_label", "Not at all"))
    html = client.post(f"{HUB}questions/new/", data).content.decode()
    assert "Only rating questions have labels for 1 and 5" in html
    data = question_post("rating", choices=0, **in_six("scale_min_label", "Not at all"))
    assert client.post(f"{HUB}questions/new/", data).status_code == 302
    assert consultation.questions.get(position=3).scale_min_label["ru"] == "Not at all [ru]"


def test_free_text_has_no_choices(client, consultation):
    html = client.post(f"{HUB}questions/new/", question_post("text", choices=2)).content.decode()
    assert "Only single and multiple choice questions have choices" in html


def test_a_question_needs_its_text_in_one_language(client, consultation):
    data = question_post("text", choices=0)
    data.update({key: "" for key in data if key.startswith("text__")})
    html = client.post(f"{HUB}questions/new/", data).content.decode()
    assert "Write the question in at least one language." in html


def test_add_more_choices_keeps_what_was_typed_and_saves_nothing(client, consultation):
    data = question_post("single", choices=3, add_rows="1", **{"text__en": "Typed, not saved"})
    html = client.post(f"{HUB}questions/new/", data).content.decode()
    assert 'name="rows" value="6"' in html and 'name="choice5__ar"' in html
    assert 'value="Typed, not saved"' in html and "There is a problem" not in html
    assert consultation.questions.count() == 2


def test_a_choice_can_be_removed_and_the_others_close_up(client, consultation):
    question = consultation.questions.get(position=1)
    choices = question.ordered_choices()
    data = {"kind": "single", "rows": "3", **in_six("text", "Which?")}
    for index, choice in enumerate(choices):
        data[f"choice{index}-key"] = str(choice.pk)
        data.update({f"choice{index}__{code}": text for code, text in choice.text.items()})
    data["choice0-remove"] = "on"
    assert client.post(f"{HUB}questions/1/", data).status_code == 302
    assert [(c.position, c.text["en"]) for c in question.ordered_choices()] == [
        (1, "Choice 2 [en]"),
        (2, "Choice 3 [en]"),
    ]


def test_questions_move_up_and_down(client, consultation):
    client.post(f"{HUB}questions/2/move/", {"direction": "up"})
    assert list(consultation.questions.order_by("position").values_list("kind", flat=True)) == ["rating", "single"]
    client.post(f"{HUB}questions/1/move/", {"direction": "down"})
    assert list(consultation.questions.order_by("position").values_list("kind", flat=True)) == ["single", "rating"]


def test_deleting_asks_first_then_closes_the_gap(client, consultation):
    page = client.post(f"{HUB}questions/1/delete/")
    assert page.status_code == 200 and "Yes, delete it" in page.content.decode()
    assert consultation.questions.count() == 2
    client.post(f"{HUB}questions/1/delete/", {"confirm": "1"})
    assert list(Question.objects.filter(consultation=consultation).values_list("position", "kind")) == [(1, "rating")]
