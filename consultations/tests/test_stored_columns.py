"""Nothing stored about a respondent can identify them (design rule 2)."""

from django.db import models

from consultations.models import Answer, Response, UsedFormToken

FORBIDDEN = ("ip", "address", "agent", "session", "user", "email", "name", "phone", "time", "cookie", "device")


def _columns(model: type[models.Model]) -> set[str]:
    return {field.column for field in model._meta.concrete_fields}


def test_a_response_keeps_only_the_declared_demographics_and_the_day():
    assert _columns(Response) == {
        "id",
        "consultation_id",
        "submitted_on",
        "language",
        "age_band",
        "sex",
        "country",
        "region",
    }
    assert isinstance(Response._meta.get_field("submitted_on"), models.DateField)
    assert not isinstance(Response._meta.get_field("submitted_on"), models.DateTimeField)


def test_an_answer_keeps_only_its_value():
    assert _columns(Answer) == {"id", "response_id", "question_id", "choice_id", "rating", "text"}


def test_no_respondent_table_has_a_column_that_could_identify_someone():
    for model in (Response, Answer, UsedFormToken):
        for column in _columns(model):
            assert not any(word in column for word in FORBIDDEN), f"{model.__name__}.{column}"


def test_a_spent_form_token_keeps_no_time_and_no_link_to_its_response():
    assert _columns(UsedFormToken) == {"digest", "expires_on"}
    assert not isinstance(UsedFormToken._meta.get_field("expires_on"), models.DateTimeField)
