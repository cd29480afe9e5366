"""Forms for the secretariat's authoring pages: every text in the six languages side by side.

A translated text is six plain fields named "<text>__<language>", one per language, so that
each input has its own label (the language's own name), lang and dir, and its own error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from consultations.authoring.services import ChoiceEdit
from consultations.models import Choice, Consultation, Meeting, Question
from consultations.translation import Translations
from cop_site.languages import current_language, language_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_CHOICE_ROWS = 40
BLANK_CHOICE_ROWS = 3


@dataclass(frozen=True)
class LanguageInput:
    code: str
    name: str
    bidi: bool
    field: forms.BoundField


@dataclass(frozen=True)
class TranslatedGroup:
    """One text in every language: a fieldset whose legend is `label`, six labelled inputs."""

    name: str
    label: StrOrPromise
    hint: StrOrPromise
    inputs: list[LanguageInput]
    multiline: bool = False

    @property
    def errors(self) -> list[str]:
        # ErrorList items are messages (str), whatever the stubs say.
        return [str(error) for language in self.inputs for error in language.field.errors]

    @property
    def anchor(self) -> str:
        errored = [language.field for language in self.inputs if language.field.errors]
        return (errored or [self.inputs[0].field])[0].auto_id


def _languages() -> list[tuple[str, str, bool]]:
    """(code, name in its own script, right-to-left?) for each language, in the site's order."""
    return [(code, name, get_language_info(code)["bidi"]) for code, name in language_choices()]


class AuthoringForm(forms.Form):
    """Adds translated texts and a GOV.UK-style error summary to a plain form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._groups: dict[str, tuple[StrOrPromise, StrOrPromise, bool]] = {}

    def add_translated(
        self,
        name: str,
        label: StrOrPromise,
        *,
        initial: Translations | None = None,
        hint: StrOrPromise = "",
        textarea: bool = False,
        max_length: int = 500,
    ) -> None:
        self._groups[name] = (label, hint, textarea)
        for code, language_name, bidi in _languages():
            attrs = {"lang": code, "dir": "rtl" if bidi else "ltr"}
            widget = forms.Textarea(attrs={**attrs, "rows": 6}) if textarea else forms.TextInput(attrs=attrs)
            self.fields[f"{name}__{code}"] = forms.CharField(
                label=language_name,
                required=False,
                max_length=max_length,
                widget=widget,
                initial=(initial or {}).get(code, ""),
            )

    def translated(self, name: str) -> Translations:
        """The text in each language written, blank ones left out."""
        values = {code: (self.cleaned_data.get(f"{name}__{code}") or "").strip() for code in settings.LANGUAGE_CODES}
        return {code: text for code, text in values.items() if text}

    def require_one_language(self, name: str, message: StrOrPromise) -> None:
        if not self.translated(name):
            self.add_error(f"{name}__{settings.LANGUAGE_CODES[0]}", message)

    @property
    def groups(self) -> dict[str, TranslatedGroup]:
        return {name: self.group(name) for name in self._groups}

    def group(self, name: str) -> TranslatedGroup:
        label, hint, multiline = self._groups[name]
        return TranslatedGroup(
            name=name,
            label=label,
            hint=hint,
            multiline=multiline,
            inputs=[
                LanguageInput(code=code, name=language_name, bidi=bidi, field=self[f"{name}__{code}"])
                for code, language_name, bidi in _languages()
            ],
        )

    def group_of(self, field_name: str) -> str | None:
        name, _sep, code = field_name.rpartition("__")
        return name if code in settings.LANGUAGE_CODES and name in self._groups else None

    def label_of(self, field_name: str) -> str:
        group = self.group_of(field_name)
        field = self.fields[field_name]
        if group:
            return f"{self._groups[group][0]} ({field.label})"
        return str(field.label)

    def anchor_of(self, field_name: str) -> str:
        bound = self[field_name]
        if isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    # Not cop_site.forms.ErrorSummaryMixin: a translated text's label names its language, a
    # radio group's link goes to its first option, and form-wide errors come first.
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every error, in page order; form-wide errors first."""
        if not self.is_bound:
            return []
        summary = [("", "", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            for error in self.errors.get(name, []):
                summary.append((self.anchor_of(name), self.label_of(name), str(error)))
        return summary


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        return obj.display_name(current_language())


def _in_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=UTC)


class ConsultationForm(AuthoringForm):
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        help_text=_(
            "The last part of the link young people follow: lower-case letters, digits and hyphens, "
            "for example online-safety-2026."
        ),
    )
    # The meeting's number is the option's value, so not even the page's source shows an id.
    meeting = MeetingChoiceField(
        label=_("Meeting it prepares"),
        queryset=Meeting.objects.order_by("-starts_on"),
        to_field_name="number",
        required=False,
        empty_label=_("No meeting yet"),
    )
    opens_on = forms.DateField(label=_("Date"), widget=DateInput())
    opens_time = forms.TimeField(label=_("Time (UTC)"), widget=TimeInput(), initial=time(0, 0))
    closes_on = forms.DateField(label=_("Date"), widget=DateInput())
    closes_time = forms.TimeField(label=_("Time (UTC)"), widget=TimeInput(), initial=time(0, 0))

    def __init__(self, *args: Any, consultation: Consultation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        if consultation is not None:
            opens, closes = consultation.opens_at.astimezone(UTC), consultation.closes_at.astimezone(UTC)
            self.initial.update(
                slug=consultation.slug,
                meeting=consultation.meeting.number if consultation.meeting else None,
                opens_on=opens.date(),
                opens_time=opens.time(),
                closes_on=closes.date(),
                closes_time=closes.time(),
            )
        self.add_translated("title", _("Title"), initial=consultation.title if consultation else None, max_length=200)
        self.add_translated(
            "introduction",
            _("Introduction"),
            initial=consultation.introduction if consultation else None,
            hint=_("Why the secretariat asks, in a few short paragraphs. Leave an empty line between paragraphs."),
            textarea=True,
            max_length=5000,
        )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        others = Consultation.objects.filter(slug=slug)
        if self.consultation is not None:
            others = others.exclude(pk=self.consultation.pk)
        if others.exists():
            raise forms.ValidationError(_("Another consultation already has this address: choose another."))
        return slug

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.require_one_language("title", _("Write the title in at least one language."))
        if all(data.get(name) is not None for name in ("opens_on", "opens_time", "closes_on", "closes_time")):
            data["opens_at"] = _in_utc(data["opens_on"], data["opens_time"])
            data["closes_at"] = _in_utc(data["closes_on"], data["closes_time"])
            if data["closes_at"] <= data["opens_at"]:
                self.add_error("closes_on", _("It must close after it opens."))
        return data

    def values(self) -> dict[str, Any]:
        """The keyword arguments of consultation_create / consultation_update."""
        data = self.cleaned_data
        return {
            "slug": data["slug"],
            "meeting": data["meeting"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "title": self.translated("title"),
            "introduction": self.translated("introduction"),
        }


class MeetingForm(AuthoringForm):
    number = forms.IntegerField(
        label=_("Number"), min_value=1, max_value=32767, help_text=_("14 for CWG-COP-14."), widget=forms.NumberInput
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting is not None:
            self.initial.update(number=meeting.number, starts_on=meeting.starts_on, ends_on=meeting.ends_on)
        self.add_translated("title", _("Title"), initial=meeting.title if meeting else None, max_length=200)
        self.add_translated("place", _("Place"), initial=meeting.place if meeting else None, max_length=200)

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        others = Meeting.objects.filter(number=number)
        if self.meeting is not None:
            others = others.exclude(pk=self.meeting.pk)
        if others.exists():
            raise forms.ValidationError(_("There is already a meeting with this number."))
        return number

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("It must end on or after the day it starts."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "title": self.translated("title"),
            "place": self.translated("place"),
        }


@dataclass(frozen=True)
class ChoiceRow:
    number: int
    text: TranslatedGroup
    key: forms.BoundField
    remove: forms.BoundField
    existing: bool


class QuestionForm(AuthoringForm):
    """A question and, for choice questions, its choices: one row of six inputs per choice.

    The rows carry over in the hidden "rows" field, so "Add more choices" works without
    JavaScript: the form comes back with three more empty rows and nothing saved.
    """

    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices, widget=forms.RadioSelect)
    required = forms.BooleanField(label=_("Young people must answer this question"), required=False)
    rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_CHOICE_ROWS, required=False)

    def __init__(
        self,
        *args: Any,
        question: Question | None = None,
        locked: bool = False,
        extra_rows: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.locked = locked
        self._choice_row_of: dict[int, int] = {}
        self.existing: list[Choice] = question.ordered_choices() if question else []
        if question is not None:
            # setdefault: values carried over by "Add more choices" win over the stored ones.
            self.initial.setdefault("kind", question.kind)
            self.initial.setdefault("required", question.required)
        if locked:
            # The kind is fixed once answered (see Consultation.is_locked); shown, not editable.
            self.fields["kind"].disabled = True
        self.add_translated("text", _("Question"), initial=question.text if question else None)
        self.add_translated(
            "help_text",
            _("Hint"),
            initial=question.help_text if question else None,
            hint=_("Optional: a short explanation shown under the question."),
        )
        self.add_translated(
            "scale_min_label",
            _("Label of 1"),
            initial=question.scale_min_label if question else None,
            hint=_("Rating questions only, for example “Not at all”."),
            max_length=100,
        )
        self.add_translated(
            "scale_max_label",
            _("Label of 5"),
            initial=question.scale_max_label if question else None,
            hint=_("Rating questions only, for example “Very much”."),
            max_length=100,
        )
        self.row_count = self._row_count(extra_rows)
        self.initial["rows"] = self.row_count
        for index in range(self.row_count):
            existing = self.existing[index] if index < len(self.existing) else None
            self.fields[f"choice{index}-key"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=existing.pk if existing else None
            )
            self.fields[f"choice{index}-remove"] = forms.BooleanField(label=_("Remove this choice"), required=False)
            if locked:
                self.fields[f"choice{index}-remove"].disabled = True
            self.add_translated(
                f"choice{index}",
                _("Choice %(number)d") % {"number": index + 1},
                initial=existing.text if existing else None,
                max_length=300,
            )

    def _row_count(self, extra_rows: int) -> int:
        posted = None
        source = self.data if self.is_bound else self.initial
        try:
            posted = int(source.get("rows", ""))
        except (TypeError, ValueError):
            posted = None
        blank = 0 if self.locked else BLANK_CHOICE_ROWS
        count = posted if posted is not None else len(self.existing) + blank
        return max(len(self.existing), min(count + extra_rows, MAX_CHOICE_ROWS))

    def choice_rows(self) -> list[ChoiceRow]:
        return [
            ChoiceRow(
                number=index + 1,
                text=self.group(f"choice{index}"),
                key=self[f"choice{index}-key"],
                remove=self[f"choice{index}-remove"],
                existing=index < len(self.existing),
            )
            for index in range(self.row_count)
        ]

    # The rules of a question (its text, choices and labels) are the service's, so that every
    # caller gets them: consultations.authoring.services raises ValidationError, and
    # add_service_errors puts each message beside the input it is about.

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a ValidationError from question_create / question_update in this form."""
        first = settings.LANGUAGE_CODES[0]
        first_row = f"choice0__{first}" if self.row_count else None
        for key, messages in error.message_dict.items():
            if key in self._groups:
                field: str | None = f"{key}__{first}"
            elif key == "choices":
                field = first_row
            elif key.startswith("choice") and key[len("choice") :].isdigit():
                row = self._choice_row_of.get(int(key[len("choice") :]))
                field = f"choice{row}__{first}" if row is not None else first_row
            elif key in self.fields:
                field = key
            else:  # NON_FIELD_ERRORS, or something the form has no input for
                field = None
            for message in messages:
                self.add_error(field, message)

    def values(self) -> dict[str, Any]:
        """The keyword arguments of question_create / question_update."""
        data = self.cleaned_data
        choices: list[ChoiceEdit] = []
        # Which row each ChoiceEdit came from, for the service's errors about "choice<n>".
        self._choice_row_of = {}
        for index in range(self.row_count):
            key, text = data.get(f"choice{index}-key"), self.translated(f"choice{index}")
            if key is None and not text:
                continue
            self._choice_row_of[len(choices)] = index
            choices.append(ChoiceEdit(text=text, choice_id=key, remove=bool(data.get(f"choice{index}-remove"))))
        return {
            "kind": self.question.kind if self.locked and self.question else data["kind"],
            "required": data["required"],
            "text": self.translated("text"),
            "help_text": self.translated("help_text"),
            "scale_min_label": self.translated("scale_min_label"),
            "scale_max_label": self.translated("scale_max_label"),
            "choices": choices,
        }
