"""The rules of a question and the lock once answered live in the service, for every caller.

The lock is checked inside the transaction that makes the change, after the consultation's
row is locked: an answer that arrives after the page was loaded still stops the change.
"""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection

from accounts.tests.factories import make_secretariat, signed_in
from consultations.authoring import services
from consultations.authoring.services import ChoiceEdit
from consultations.tests.authoring_helpers import make_response
from consultations.tests.factories import make_consultation

HUB = "/en/secretariat/consultations/online-safety/"


def _question(**overrides):
    values = {
        "kind": "single",
        "required": False,
        "text": {"en": "Where do you go online?"},
        "help_text": {},
        "scale_min_label": {},
        "scale_max_label": {},
        "choices": [ChoiceEdit(text={"en": "School"}), ChoiceEdit(text={"en": "Home"})],
    }
    return {**values, **overrides}


@pytest.mark.django_db
def test_every_caller_of_the_service_gets_the_rules_of_a_question():
    consultation = make_consultation()
    author = make_secretariat()
    with pytest.raises(ValidationError) as refused:
        services.question_create(
            consultation=consultation,
            author=author,
            **_question(text={}, scale_min_label={"en": "Never"}, choices=[ChoiceEdit(text={"en": "Only one"})]),
        )
    errors = refused.value.message_dict
    assert errors["text"] == ["Write the question in at least one language."]
    assert errors["scale_min_label"][0].startswith("Only rating questions have labels for 1 and 5")
    assert errors["choices"] == ["A choice question needs at least two choices."]
    with pytest.raises(ValidationError, match="Only single and multiple choice questions have choices"):
        services.question_create(consultation=consultation, author=author, **_question(kind="text"))
    assert consultation.questions.count() == 4


@pytest.mark.django_db
def test_a_choice_left_blank_or_of_another_question_is_refused_by_the_service():
    consultation = make_consultation()
    first, second = consultation.questions.order_by("position")[:2]
    kept = list(first.choices.order_by("position"))
    blank = [ChoiceEdit(text=c.text, choice_id=c.pk) for c in kept[:-1]] + [ChoiceEdit(text={}, choice_id=kept[-1].pk)]
    with pytest.raises(ValidationError) as refused:
        services.question_update(question=first, author=make_secretariat(), **_question(choices=blank))
    assert list(refused.value.message_dict) == [f"choice{len(kept) - 1}"]
    foreign = ChoiceEdit(text={"en": "x"}, choice_id=second.choices.first().pk)
    with pytest.raises(ValidationError) as refused:
        services.question_update(question=first, author=make_secretariat(), **_question(choices=[foreign]))
    assert refused.value.message_dict[NON_FIELD_ERRORS] == [
        "The choices changed while you were editing: reload the page."
    ]


@pytest.mark.django_db
def test_an_answer_arriving_after_the_form_was_loaded_still_blocks_the_change(client):
    consultation = make_consultation(slug="online-safety")
    signed_in(client, make_secretariat())
    page = client.get(f"{HUB}questions/1/").content.decode()
    assert 'name="choice0-remove"' in page  # not locked when the form was loaded
    question = consultation.questions.get(position=1)
    choices = list(question.choices.order_by("position"))
    post = {"kind": "single", "rows": str(len(choices)), "text__en": "Q", "choice0-remove": "on"}
    for index, choice in enumerate(choices):
        post[f"choice{index}-key"] = str(choice.pk)
        post.update({f"choice{index}__{code}": text for code, text in choice.text.items()})

    make_response(consultation)  # a young person answers meanwhile

    client.post(f"{HUB}questions/1/", post)
    assert question.choices.count() == len(choices)
    page = client.post(f"{HUB}questions/1/delete/", {"confirm": "1"}, follow=True)
    assert "removing or reordering questions would change what the figures mean" in page.content.decode()
    client.post(f"{HUB}questions/1/move/", {"direction": "down"})
    assert list(consultation.questions.order_by("position").values_list("pk", flat=True))[0] == question.pk


def _guarded_changes(consultation, author):
    question = consultation.questions.get(position=1)
    first = question.choices.order_by("position").first()
    yield lambda: services.question_delete(question=question, author=author)
    yield lambda: services.question_move(question=question, direction="down", author=author)
    yield lambda: services.question_update(
        question=question,
        author=author,
        **_question(choices=[ChoiceEdit(text=first.text, choice_id=first.pk, remove=True)]),
    )


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_checked_inside_the_changes_transaction_after_the_row_is_locked(monkeypatch):
    consultation = make_consultation()
    author = make_secretariat()
    seen: list[tuple[bool, bool]] = []
    row_locked = []
    lock_row, has_answers = services._lock_row, services._has_answers

    def locking(found):
        lock_row(found)
        row_locked.append(connection.in_atomic_block)
        # An answer arriving after the page was loaded, just before the change's transaction:
        make_response(found)

    def checking(found):
        seen.append((connection.in_atomic_block, bool(row_locked)))
        return has_answers(found)

    monkeypatch.setattr(services, "_lock_row", locking)
    monkeypatch.setattr(services, "_has_answers", checking)
    for change in _guarded_changes(consultation, author):
        row_locked.clear()
        with pytest.raises(services.ConsultationLocked):
            change()
    assert seen == [(True, True)] * 3
    assert consultation.questions.count() == 4
