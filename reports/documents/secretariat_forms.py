"""Forms of the secretariat's document pages. The rules live in the Document model and
reports.documents.services; a form only parses input and puts a service's refusal beside the
field it concerns."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from consultations.authoring.forms import AuthoringForm, DateInput, MeetingChoiceField, TimeInput
from consultations.models import Meeting
from cop_site.languages import current_language, language_choices
from reports.documents.uploads import max_upload_label
from reports.models import Document

SYMBOL_HELP = _("As printed on the document, for example CWG-COP/14/3. It also makes the document’s address.")


def _meetings() -> Any:
    return Meeting.objects.order_by("-starts_on")


class ServiceErrorsMixin:
    """Puts a service's ValidationError beside the fields it names (see `service_fields`)."""

    service_fields: dict[str, str] = {}

    def add_service_error(self, error: ValidationError) -> None:
        form: Any = self
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for key, errors in error.message_dict.items():
            name = self.service_fields.get(key, key)
            for message in errors:
                form.add_error(name if name in form.fields else None, message)


class MeetingSymbolForm(ServiceErrorsMixin, AuthoringForm):
    """The meeting and the symbol, as every document begins."""

    meeting = MeetingChoiceField(
        label=_("Meeting"),
        queryset=_meetings(),
        to_field_name="number",
        empty_label=_("Choose a meeting"),
        error_messages={"required": _("Choose the meeting the document belongs to.")},
    )
    symbol = forms.CharField(
        label=_("Symbol"),
        max_length=60,
        help_text=SYMBOL_HELP,
        error_messages={"required": _("Enter the document’s symbol, for example CWG-COP/14/3.")},
    )


class DocumentForm(MeetingSymbolForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Document.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of document.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(MeetingChoiceField, self.fields["meeting"]).queryset = _meetings()
        self.add_translated("title", _("Title"), max_length=500)
        self.service_fields = {"title": f"title__{settings.LANGUAGE_CODES[0]}"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.require_one_language("title", _("Write the title in at least one language."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "meeting": data["meeting"],
            "symbol": data["symbol"],
            "kind": data["kind"],
            "title": self.translated("title"),
        }


class UploadForm(ServiceErrorsMixin, AuthoringForm):
    language = forms.ChoiceField(label=_("Language of the file"), choices=())
    file = forms.FileField(label=_("File"), error_messages={"required": _("Choose a file to upload.")})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "upload")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = language_choices()
        self.fields["language"].initial = current_language()
        self.fields["file"].help_text = _(
            "PDF, DOCX, XLSX, ODT or PPTX, up to %(limit)s MB. A file in a language that already has one "
            "becomes its new version; earlier versions stay listed."
        ) % {"limit": max_upload_label()}


class PublishForm(ServiceErrorsMixin, AuthoringForm):
    NOW = "now"
    FOR_COMMENT = "for-comment"

    how = forms.ChoiceField(
        label=_("How to publish"),
        choices=[
            (NOW, _("Publish now as the final document")),
            (FOR_COMMENT, _("Publish as a draft for comment by Member States, until a deadline")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to publish the document.")},
    )
    deadline_on = forms.DateField(label=_("Date"), widget=DateInput(), required=False)
    deadline_time = forms.TimeField(label=_("Time (UTC)"), widget=TimeInput(), required=False, initial=time(12, 0))

    service_fields = {"comment_deadline": "deadline_on", "file": "how"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "publish")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["for_comment_until"] = None
        if data.get("how") == self.FOR_COMMENT:
            if data.get("deadline_on") is None:
                if "deadline_on" not in self.errors:
                    self.add_error("deadline_on", _("Enter the date on which comments close."))
            elif data.get("deadline_time") is None:
                if "deadline_time" not in self.errors:
                    self.add_error("deadline_time", _("Enter the time at which comments close."))
            else:
                data["for_comment_until"] = datetime.combine(data["deadline_on"], data["deadline_time"], tzinfo=UTC)
        return data


class DocumentChoiceField(forms.ModelChoiceField[Document]):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.symbol} – {obj.title_in(current_language())}"


class SupersedeForm(ServiceErrorsMixin, AuthoringForm):
    draft = DocumentChoiceField(
        label=_("Draft it replaces"),
        queryset=Document.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose the draft"),
        error_messages={"required": _("Choose the draft this document replaces.")},
    )

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "supersede")
        super().__init__(*args, **kwargs)
        self._draft_field().queryset = (
            Document.objects.replaceable_drafts().exclude(pk=document.pk).select_related("meeting")
        )

    def _draft_field(self) -> DocumentChoiceField:
        return cast(DocumentChoiceField, self.fields["draft"])

    @property
    def has_choices(self) -> bool:
        drafts = self._draft_field().queryset  # set in __init__
        return drafts is not None and drafts.exists()


class WithdrawForm(ServiceErrorsMixin, AuthoringForm):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        help_text=_("Shown on the document’s page to everyone, so that its address explains what happened."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the document is withdrawn; visitors will read it.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)


class ResultsForm(MeetingSymbolForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(MeetingChoiceField, self.fields["meeting"]).queryset = _meetings()
