"""What the reports app stores: published (already suppressed) tallies, quote reviews and
record-level exports. Raw counts are never stored here: a tally row holds figures only after
disclosure control, so nothing downstream (page, download, API) can leak a small cell."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.models import Answer, Consultation


class TallyRunQuerySet(models.QuerySet["TallyRun"]):
    def latest_for(self, consultation: Consultation) -> TallyRun | None:
        return self.filter(consultation=consultation).order_by("-computed_at", "-id").first()


class TallyRun(models.Model):
    """One refresh of a consultation's tallies; its scopes are published together."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="tally_runs"
    )
    computed_at = models.DateTimeField(_("computed at"))
    respondents = models.PositiveIntegerField(_("respondents"))
    threshold = models.PositiveSmallIntegerField(_("smallest count shown"))
    is_final = models.BooleanField(_("final"), default=False)
    seconds = models.FloatField(default=0)
    # The catalogue of scopes and table shapes, so a page needs no second query for it.
    layout = models.JSONField(default=dict)

    objects = TallyRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        indexes = [models.Index(fields=["consultation", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.consultation.slug} {self.computed_at:%Y-%m-%d %H:%M}"


class ScopeTally(models.Model):
    """The suppressed figures of one geographic scope (world, a region or a country)."""

    run = models.ForeignKey(TallyRun, on_delete=models.CASCADE, related_name="scopes")
    scope = models.CharField(max_length=40)
    figures = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "scope"], name="scope_tally_once")]

    def __str__(self) -> str:
        return f"{self.run} {self.scope}"


class QuoteReview(models.Model):
    """The secretariat's decision on one free-text answer. Only approved quotes are shown."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="quote_review")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # What is published: the scrubbed answer, possibly shortened or further redacted.
    text = models.TextField(_("text as published"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("quote review")
        verbose_name_plural = _("quote reviews")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.status}: {self.answer_id}"


class RecordExport(models.Model):
    """A Secretariat request for the anonymised record-level responses, built by Celery."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="record_exports"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("record-level export")
        verbose_name_plural = _("record-level exports")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.consultation.slug} {self.format} {self.status}"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
