"""What the reports app stores, for its two products.

Statistics (`reports.statistics`): published tallies (`TallyRun`, `ScopeTally`: figures
already through disclosure control, so no page, download or API can reach a raw count),
quote reviews and the Secretariat's record-level exports. Meeting documents
(`reports.documents`): `Document`, its `DocumentFile`s per language and version, comments
on drafts, email subscriptions and the record of who was told of which document."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.models import Answer, Consultation


class TallyRunQuerySet(models.QuerySet["TallyRun"]):
    def latest_for(self, consultation: Consultation) -> TallyRun | None:
        return self.filter(consultation=consultation).order_by("-number", "-id").first()


class TallyRun(models.Model):
    """A release of a consultation's statistics: the only source of public per-answer figures.

    Immutable once made: its figures (one ScopeTally per place, already protected), its
    date, the threshold K and the protection method's version. A consultation has at most
    one final release, made after it closes, and any number of interim releases before,
    each protected together with every earlier one (reports.statistics.releases).
    """

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.CASCADE, related_name="tally_runs"
    )
    # 1, 2, 3 … per consultation: the release's stable public number.
    number = models.PositiveSmallIntegerField(_("release number"))
    computed_at = models.DateTimeField(_("counted at"))
    respondents = models.PositiveIntegerField(_("respondents"))
    threshold = models.PositiveSmallIntegerField(_("smallest count shown"))
    is_final = models.BooleanField(_("final"), default=False)
    method = models.CharField(_("protection method"), max_length=40)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Made-up responses loaded for a demonstration (load_demo_results): every page says so.
    is_demo = models.BooleanField(_("made-up demonstration data"), default=False)
    seconds = models.FloatField(default=0)
    # The catalogue of scopes and table shapes, so a page needs no second query for it.
    layout = models.JSONField(default=dict)

    objects = TallyRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        indexes = [models.Index(fields=["consultation", "-computed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="release_number_once"),
            models.UniqueConstraint(
                fields=["consultation"], condition=models.Q(is_final=True), name="one_final_release"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation.slug} release {self.number}"


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
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)

    # The build task's soft limit: a build that has not finished by then is marked failed.
    # An export still queued or running well after it has certainly died with its worker.
    BUILD_TIME_LIMIT = timedelta(hours=2)
    STALLED_AFTER = BUILD_TIME_LIMIT + timedelta(hours=1)
    IN_PROGRESS = (Status.QUEUED, Status.RUNNING)

    class Meta:
        verbose_name = _("record-level export")
        verbose_name_plural = _("record-level exports")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.consultation.slug} {self.format} {self.status}"

    def is_stalled(self, now: datetime | None = None) -> bool:
        """Queued or running for longer than any build can take: its worker died."""
        from django.utils import timezone

        now = now or timezone.now()
        return self.status in self.IN_PROGRESS and self.requested_at < now - self.STALLED_AFTER

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class DocumentQuerySet(models.QuerySet["Document"]):
    def public(self) -> DocumentQuerySet:
        """What anyone may see: published, open for comment, superseded or withdrawn — never
        an unpublished draft. A withdrawn document stays listed so its address explains itself."""
        return self.exclude(status=Document.Status.DRAFT)

    def replaceable_drafts(self) -> DocumentQuerySet:
        """Drafts for comment that no document replaces yet: the drafts for which
        Document.supersede_refusal finds nothing wrong on the draft's side."""
        return self.filter(status=Document.Status.FOR_COMMENT, superseded_by__isnull=True)


class Document(models.Model):
    """A meeting output document, public without any password once published."""

    class Kind(models.TextChoices):
        OUTPUT_REPORT = "output-report", _("Output report")
        CHAIR_REPORT = "chair-report", _("Chair's report")
        CONTRIBUTION = "contribution", _("Contribution")
        INFORMATION = "information", _("Information document")
        RESULTS = "results", _("Consultation results")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet published")
        FOR_COMMENT = "for-comment", _("Draft for comment")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        "consultations.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="documents"
    )
    symbol = models.CharField(_("symbol"), max_length=60, unique=True, help_text=_("For example CWG-COP/14/3"))
    # The symbol with "/" made "-": the document's stable address (/documents/CWG-COP-14-3/).
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.JSONField(_("title"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    comment_deadline = models.DateTimeField(_("comments close at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    # The final version names the draft it replaces; the draft stays, marked superseded.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-meeting__starts_on", "symbol"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.symbol

    def title_in(self, language: str) -> str:
        from consultations.translation import text_in

        return text_in(self.title, language) or text_in(self.title, "en") or self.symbol

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by") and self.superseded_by.status != Document.Status.DRAFT

    def comments_open(self, now: datetime) -> bool:
        # A draft replaced by its final version takes no more comments, whatever its deadline.
        if self.status != Document.Status.FOR_COMMENT or self.is_superseded:
            return False
        return self.comment_deadline is None or self.comment_deadline > now

    # The document's life, in one place. A document starts unpublished (DRAFT); it is
    # published either as final (PUBLISHED) or as a draft for comment (FOR_COMMENT, which
    # may be published again: with a new deadline, or as final); once public it can be
    # withdrawn (WITHDRAWN, for good). Each `*_refusal` method says, in the secretariat's
    # words, why an action is not possible now, or "" when it is; the matching `can_*`
    # method is its yes/no. The secretariat's pages offer only the actions whose `can_*`
    # is true, and reports.documents.services refuses the others with that same message.

    def upload_refusal(self) -> str:
        if self.status == Document.Status.WITHDRAWN:
            return gettext("This document was withdrawn; it cannot get new files.")
        return ""

    def can_upload(self) -> bool:
        return not self.upload_refusal()

    def publish_refusal(self) -> str:
        """Why it cannot be published, now or as a draft for comment (its files aside:
        the service also needs at least one, and says so beside the upload)."""
        if self.status == Document.Status.WITHDRAWN:
            return gettext("This document was withdrawn; it cannot be published again.")
        if self.status == Document.Status.PUBLISHED:
            return gettext("This document is already published.")
        return ""

    def can_publish(self) -> bool:
        return not self.publish_refusal()

    def supersede_refusal(self, draft: Document | None = None) -> str:
        """Why this document cannot record that it replaces `draft` (a draft for comment).

        Without `draft`, only what concerns this document: whether it can replace any draft."""
        if draft is not None:
            if draft.pk == self.pk:
                return gettext("A document cannot replace itself.")
            if draft.status != Document.Status.FOR_COMMENT:
                return gettext("Only a draft published for comment can be replaced.")
        if self.status in (Document.Status.WITHDRAWN, Document.Status.FOR_COMMENT):
            return gettext("A withdrawn document or another draft for comment cannot replace a draft.")
        if self.supersedes is not None:
            return gettext("This document already replaces %(symbol)s.") % {"symbol": self.supersedes.symbol}
        if draft is not None:
            replaced_by = Document.objects.filter(supersedes=draft).first()
            if replaced_by is not None:
                return gettext("That draft is already replaced by %(symbol)s.") % {"symbol": replaced_by.symbol}
            if draft.supersedes_id == self.pk:
                return gettext("That draft itself replaces this document.")
        return ""

    def can_supersede(self, draft: Document | None = None) -> bool:
        return not self.supersede_refusal(draft)

    def withdraw_refusal(self) -> str:
        if self.status == Document.Status.WITHDRAWN:
            return gettext("This document is already withdrawn.")
        if self.status == Document.Status.DRAFT:
            # Withdrawing would make an unpublished draft public (as withdrawn); there is nothing to take back.
            return gettext("This document was never published, so there is nothing to withdraw.")
        return ""

    def can_withdraw(self) -> bool:
        return not self.withdraw_refusal()


class DocumentFile(models.Model):
    """One version of a document in one language. Replacing a file adds a version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=5)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Filled by a Celery task for search; empty until then.
    text = models.TextField(blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["document", "language", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "language", "version"], name="document_file_version_once"),
            models.UniqueConstraint(
                fields=["document", "language"], condition=models.Q(is_current=True), name="document_file_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.symbol} {self.language} v{self.version}"

    def download_name(self) -> str:
        return f"{self.document.slug}-{self.language}.{self.extension}"


class DocumentComment(models.Model):
    """A comment on a draft, seen by the secretariat and by its author only."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="document_comments")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"comment on {self.document_id}"


class Subscription(models.Model):
    """An email address that asked to hear of new documents; no account, double opt-in."""

    email = models.EmailField(_("email address"))
    # Empty for every document; else only those of this meeting.
    meeting = models.ForeignKey(
        "consultations.Meeting", on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    # SHA-256 of the secret in the confirmation and unsubscribe links; the secret is never stored.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "meeting"], condition=models.Q(meeting__isnull=False), name="subscription_once"
            ),
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(meeting__isnull=True), name="subscription_all_once"
            ),
        ]

    def __str__(self) -> str:
        return self.email


class DocumentNotification(models.Model):
    """That one subscriber was told of one document: sending twice is impossible."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notifications")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="notifications")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "document"], name="notification_once")]

    def __str__(self) -> str:
        return f"{self.subscription_id} told of {self.document_id}"
