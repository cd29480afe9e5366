from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from consultations.demographics import AgeBand, Region, Sex
from consultations.translation import complete_languages, is_needed, text_in

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Meeting(models.Model):
    """A CWG-COP meeting that consultations prepare and documents belong to."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.JSONField(_("title"), default=dict, blank=True)
    place = models.JSONField(_("place"), default=dict, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="meeting_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"CWG-COP-{self.number}"

    def title_in(self, language: str) -> str:
        return text_in(self.title, language) or str(self)

    def display_name(self, language: str) -> str:
        """ "CWG-COP-14 – <title>", as the secretariat recognises a meeting (never by its id)."""
        title = text_in(self.title, language) or text_in(self.title, "en")
        return f"{self} – {title}" if title else str(self)


def schedule_warnings(*, opens_at: datetime, closes_at: datetime, meeting: Meeting | None) -> list[StrOrPromise]:
    """What looks wrong with a schedule but may be intended, so it warns without blocking."""
    warnings: list[StrOrPromise] = []
    if meeting is not None:
        meeting_starts = datetime.combine(meeting.starts_on, time.min, tzinfo=UTC)
        if closes_at > meeting_starts:
            warnings.append(
                _("It closes after %(meeting)s starts, so its answers cannot be ready for the meeting.")
                % {"meeting": meeting}
            )
    if closes_at - opens_at < timedelta(days=1):
        warnings.append(
            _(
                "It is open for less than a day; Council Resolution 1306 asks for consultations "
                "to stay open at least one day."
            )
        )
    return warnings


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    # Open-ness is derived from the dates at request time; no job ever flips a flag.
    def open(self, now: datetime | None = None) -> ConsultationQuerySet:
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now: datetime | None = None) -> ConsultationQuerySet:
        return self.filter(closes_at__lte=now or timezone.now())

    def with_content(self) -> ConsultationQuerySet:
        return self.prefetch_related("questions__choices")

    def for_secretariat(self) -> ConsultationQuerySet:
        return self.with_content().select_related("meeting").annotate(response_count=models.Count("responses"))


class Consultation(models.Model):
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.JSONField(_("topic"), default=dict)
    introduction = models.JSONField(_("introduction"), default=dict)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting it prepares"),
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="authored_consultations", blank=True
    )
    # When the authors were told it opened / closed (consultations.authoring.notifications).
    opening_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["opening_notified_at", "closing_notified_at", "updated_at"])

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_open"
            )
        ]

    def __str__(self) -> str:
        return text_in(self.title, "en") or self.slug

    def title_in(self, language: str) -> str:
        return text_in(self.title, language)

    def introduction_in(self, language: str) -> list[str]:
        return [p.strip() for p in text_in(self.introduction, language).split("\n\n") if p.strip()]

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def status(self, now: datetime | None = None) -> str:
        """ "upcoming", "open" or "closed", derived from the dates like everything else."""
        now = now or timezone.now()
        if self.has_closed(now):
            return "closed"
        return "open" if self.is_open(now) else "upcoming"

    def title_for_viewer(self, language: str) -> str:
        return text_in(self.title, language) or text_in(self.title, "en") or self.slug

    def is_locked(self) -> bool:
        """Once anyone has answered, the questions' order, number and kinds are fixed.

        Removing or reordering questions or choices, or changing a kind, would change what
        the figures already collected mean; texts can still be corrected.
        """
        if hasattr(self, "response_count"):
            response_count: int = self.response_count  # annotated by for_secretariat()
            return response_count > 0
        return self.responses.exists()

    def schedule_warnings(self) -> list[StrOrPromise]:
        return schedule_warnings(opens_at=self.opens_at, closes_at=self.closes_at, meeting=self.meeting)

    def ordered_questions(self) -> list[Question]:
        # Sorted in Python so that a prefetch from with_content() is reused.
        return sorted(self.questions.all(), key=lambda q: q.position)

    def languages(self) -> list[str]:
        """The languages in which every text of this consultation is written."""
        if not hasattr(self, "_languages"):
            self._languages = self._complete_languages()
        return self._languages

    def _complete_languages(self) -> list[str]:
        if not self.ordered_questions():
            return []
        return complete_languages([value for _name, value in self.texts()])

    def texts(self) -> list[tuple[StrOrPromise, object]]:
        """Every translated text with a name the secretariat recognises, in page order."""
        texts: list[tuple[StrOrPromise, object]] = [(_("title"), self.title), (_("introduction"), self.introduction)]
        for question in self.ordered_questions():
            number = question.position
            texts += [
                (_("question %(number)d") % {"number": number}, question.text),
                (_("question %(number)d, hint") % {"number": number}, question.help_text),
                (_("question %(number)d, label of 1") % {"number": number}, question.scale_min_label),
                (_("question %(number)d, label of 5") % {"number": number}, question.scale_max_label),
            ]
            texts += [
                (_("question %(number)d, choice %(choice)d") % {"number": number, "choice": n}, choice.text)
                for n, choice in enumerate(question.ordered_choices(), start=1)
            ]
        return texts

    def missing_texts(self, language: str) -> list[str]:
        """The texts written in some language but not yet in `language`."""
        return [str(name) for name, value in self.texts() if is_needed(value) and not text_in(value, language)]

    def completeness(self) -> list[tuple[str, bool]]:
        """(language code, complete?) for each of the site's languages, in the site's order."""
        complete = set(self.languages())
        return [(code, code in complete) for code in settings.LANGUAGE_CODES]

    def is_offered_in(self, language: str) -> bool:
        return language in self.languages()

    def estimated_minutes(self) -> int:
        # About half a minute a question plus a minute for "about you", rounded up.
        return max(2, math.ceil(len(self.ordered_questions()) * 0.5 + 1))

    def has_required_questions(self) -> bool:
        return any(q.required for q in self.ordered_questions())


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        RATING = "rating", _("Rating scale 1–5")
        TEXT = "text", _("Free text")

    RATING_MIN = 1
    RATING_MAX = 5

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("hint"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    scale_min_label = models.JSONField(_("label of 1"), default=dict, blank=True)
    scale_max_label = models.JSONField(_("label of 5"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["consultation", "position"], name="question_position_unique")]

    def __str__(self) -> str:
        return text_in(self.text, "en") or f"#{self.position}"

    def text_in(self, language: str) -> str:
        return text_in(self.text, language)

    def ordered_choices(self) -> list[Choice]:
        return sorted(self.choices.all(), key=lambda c: c.position)

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.JSONField(_("choice"), default=dict)

    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [models.UniqueConstraint(fields=["question", "position"], name="choice_position_unique")]

    def __str__(self) -> str:
        return text_in(self.text, "en") or f"#{self.position}"


class Response(models.Model):
    """One young person's answers. Deliberately nothing here can identify them.

    No address, user agent, session, account or name; the day of submission but not the
    time, so that rows cannot be matched against server logs. The key is random, not a
    sequence: the n-th row of a day must not point to the n-th request in an access log.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.PROTECT, related_name="responses"
    )
    submitted_on = models.DateField(_("submitted on"))
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    age_band = models.CharField(_("age"), max_length=12, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("region"), max_length=12, choices=Region.choices, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["consultation", "submitted_on"])]

    def __str__(self) -> str:
        return f"{self.consultation.slug} {self.submitted_on}"


class Answer(models.Model):
    """One answer: a chosen choice (one row per ticked box), a rating or a text."""

    # Random like Response's, for the same reason.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="answers", null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # Exactly one of choice, rating and text carries the answer.
            models.CheckConstraint(
                condition=(
                    Q(choice__isnull=False, rating__isnull=True, text="")
                    | Q(choice__isnull=True, rating__isnull=False, text="")
                    | (Q(choice__isnull=True, rating__isnull=True) & ~Q(text=""))
                ),
                name="answer_has_exactly_one_value",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="answer_rating_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                condition=Q(choice__isnull=False),
                name="answer_choice_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(choice__isnull=True), name="answer_value_once"
            ),
        ]
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"answer to question {self.question_id}"


class UsedFormToken(models.Model):
    """The digest of a form token already spent, so that a form is answered once.

    The primary key is the random digest itself (no sequence, no time) so that the row
    order says nothing about which response it belongs to.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    expires_on = models.DateField(db_index=True)

    def __str__(self) -> str:
        return self.digest[:12]


class Helpline(models.Model):
    """A child helpline, kept by the secretariat. Every entry names where it comes from."""

    country = CountryField(_("country"))
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    language = models.CharField(
        _("language of these details"),
        max_length=20,
        blank=True,
        help_text=_("The language the name and hours are written in, as a code such as de or ar."),
    )
    source_url = models.URLField(
        _("source"), help_text=_("Where these details were checked, for example the helpline's own website.")
    )
    is_active = models.BooleanField(_("shown to respondents"), default=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("child helpline")
        verbose_name_plural = _("child helplines")
        constraints = [
            models.CheckConstraint(condition=~Q(phone="") | ~Q(website=""), name="helpline_reachable"),
            models.UniqueConstraint(fields=["country", "name"], name="helpline_unique_per_country"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"
