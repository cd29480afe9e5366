"""Synthetic responses, straight into the database: for the demo and for tests only.

They are made up (random, reproducible by seed) so that the demo's results pages have
figures to show; nothing in production calls this.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from consultations.demographics import region_for_country
from consultations.models import Answer, Consultation, Question, Response


def add_responses(
    consultation: Consultation,
    count: int,
    *,
    seed: int = 1,
    countries: Sequence[str] = ("FR", "DE", "KE", "NG", "BR"),
    weights: Sequence[float] | None = None,
    ages: Sequence[str] = ("12-14", "15-17"),
    sexes: Sequence[str] = ("female", "male"),
    skip_rate: float = 0.1,
    texts: Sequence[str] = ("We need better reporting tools.",),
) -> list[Response]:
    """`count` respondents with random demographics and answers (reproducible by seed)."""
    rng = random.Random(seed)
    # A closed consultation's made-up answers were sent while it was open.
    day = min(date.today(), consultation.closes_at.date())
    questions = consultation.ordered_questions()
    responses, answers = [], []
    for _ in range(count):
        country = rng.choices(countries, weights=weights)[0]
        response = Response(
            consultation=consultation,
            submitted_on=day,
            language="en",
            age_band=rng.choice(ages),
            sex=rng.choice(sexes),
            country=country,
            region=region_for_country(country),
        )
        responses.append(response)
        for question in questions:
            if rng.random() < skip_rate:
                continue
            choices = question.ordered_choices()
            if question.kind == Question.Kind.SINGLE:
                answers.append(Answer(response=response, question=question, choice=rng.choice(choices)))
            elif question.kind == Question.Kind.MULTIPLE:
                for choice in rng.sample(choices, rng.randint(1, len(choices))):
                    answers.append(Answer(response=response, question=question, choice=choice))
            elif question.kind == Question.Kind.RATING:
                answers.append(Answer(response=response, question=question, rating=rng.randint(1, 5)))
            else:
                answers.append(Answer(response=response, question=question, text=rng.choice(texts)))
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=2000)
    return responses
