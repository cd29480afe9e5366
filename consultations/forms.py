from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries

from consultations.demographics import UNDISCLOSED, AgeBand, Sex
from consultations.models import Consultation, Helpline, Question
from consultations.translation import text_in

QUESTION_FIELD = re.compile(r"q\d{1,12}")


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


@cache
def _countries_in(language: str) -> tuple[tuple[str, str], ...]:
    # Names in the respondent's language, sorted as they would expect (django-countries).
    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


@dataclass(frozen=True)
class QuestionBlock:
    """What the template needs to render one question accessibly."""

    number: int
    question: Question
    field: forms.BoundField
    legend: str
    hint: str
    min_label: str
    max_label: str

    @property
    def kind(self) -> str:
        return self.question.kind


class FreeTextField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=settings.FREE_TEXT_MAX_LENGTH, strip=True, **kwargs)
        self.error_messages["max_length"] = ngettext_lazy(
            "Your answer is too long: please keep it to %(limit_value)d character or fewer (it has %(show_value)d).",
            "Your answer is too long: please keep it to %(limit_value)d characters or fewer (it has %(show_value)d).",
            "limit_value",
        )


class ResponseForm(forms.Form):
    """The whole questionnaire, built from a consultation's questions in one language."""

    token = forms.CharField(widget=forms.HiddenInput)
    age_band = forms.ChoiceField(
        label=_("How old are you?"), choices=AgeBand.choices, required=False, widget=forms.RadioSelect
    )
    sex = forms.ChoiceField(label=_("What is your sex?"), choices=Sex.choices, required=False, widget=forms.RadioSelect)
    # A text field checked against the code list, not a ChoiceField: 250 choices would be
    # deep-copied and normalised for every form built (a quarter of a submission's time).
    country = forms.CharField(label=_("Which country do you live in?"), required=False, max_length=20)

    def __init__(self, *args: Any, consultation: Consultation, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.language = language
        self.questions = consultation.ordered_questions()
        for question in self.questions:
            self.fields[self.field_name(question)] = self._field_for(question)

    def clean_country(self) -> str:
        code: str = self.cleaned_data["country"]
        if code and code != UNDISCLOSED and code not in _country_codes():
            raise forms.ValidationError(_("Choose a country from the list."))
        return code

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def _field_for(self, question: Question) -> forms.Field:
        label = question.text_in(self.language)
        required = question.required
        messages = {
            "required": _("Please answer this question: it is one of the few that cannot be skipped."),
            "invalid_choice": _("Choose one of the answers shown."),
            "invalid_list": _("Choose one or more of the answers shown."),
        }
        if question.kind == Question.Kind.SINGLE:
            choices = [(str(c.pk), text_in(c.text, self.language)) for c in question.ordered_choices()]
            return forms.ChoiceField(
                label=label, choices=choices, required=required, widget=forms.RadioSelect, error_messages=messages
            )
        if question.kind == Question.Kind.MULTIPLE:
            choices = [(str(c.pk), text_in(c.text, self.language)) for c in question.ordered_choices()]
            return forms.MultipleChoiceField(
                label=label,
                choices=choices,
                required=required,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
            )
        if question.kind == Question.Kind.RATING:
            choices = [(str(n), str(n)) for n in range(Question.RATING_MIN, Question.RATING_MAX + 1)]
            return forms.ChoiceField(
                label=label, choices=choices, required=required, widget=forms.RadioSelect, error_messages=messages
            )
        return FreeTextField(
            label=label, required=required, widget=forms.Textarea(attrs={"rows": 5}), error_messages=messages
        )

    def blocks(self) -> list[QuestionBlock]:
        return [
            QuestionBlock(
                number=number,
                question=question,
                field=self[self.field_name(question)],
                legend=question.text_in(self.language),
                hint=text_in(question.help_text, self.language),
                min_label=text_in(question.scale_min_label, self.language),
                max_label=text_in(question.scale_max_label, self.language),
            )
            for number, question in enumerate(self.questions, start=1)
        ]

    def demographics(self) -> dict[str, str]:
        data = self.cleaned_data
        country = data.get("country") or ""
        return {
            "age_band": data.get("age_band") or UNDISCLOSED,
            "sex": data.get("sex") or UNDISCLOSED,
            "country": "" if country == UNDISCLOSED else country,
        }

    def answers(self) -> list[tuple[Question, Any]]:
        """(question, value) pairs for every question answered; skipped ones are left out."""
        answered = []
        for question in self.questions:
            value: Any = self.cleaned_data.get(self.field_name(question))
            if value in (None, "", []):
                continue
            if question.kind == Question.Kind.RATING:
                value = int(value)
            elif question.kind == Question.Kind.SINGLE:
                value = [int(value)]
            elif question.kind == Question.Kind.MULTIPLE:
                value = sorted({int(v) for v in value})
            answered.append((question, value))
        return answered

    @property
    def text_limit(self) -> int:
        return settings.FREE_TEXT_MAX_LENGTH

    def unknown_questions(self, data: Any) -> list[str]:
        """Answer fields in `data` for questions this form no longer has."""
        return [name for name in data if QUESTION_FIELD.fullmatch(name) and name not in self.fields]

    def carry_over(self, data: Any) -> None:
        """Show posted answers as initial values, without validating them (language switch)."""
        for name, field in self.fields.items():
            if name == "token" or name not in data:
                continue
            multiple = isinstance(field, forms.MultipleChoiceField)
            self.initial[name] = data.getlist(name) if multiple else data.get(name)

    def country_options(self) -> str:
        """The country <option>s, rendered in Python: 250 of them dominate a template loop."""
        selected = self["country"].value() or ""
        options = [("", _("Choose a country")), (UNDISCLOSED, _("Prefer not to say")), *_countries_in(self.language)]
        return mark_safe(
            "".join(
                f'<option value="{escape(code)}"{" selected" if code == selected else ""}>{escape(name)}</option>'
                for code, name in options
            )
        )

    def first_error_anchor(self, name: str) -> str:
        """The id an error summary link points at: the field itself or its first option."""
        field = self[name]
        if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{field.auto_id}_0"
        return field.auto_id

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, question label, message) for each field in error, in page order."""
        summary = []
        for name in self.fields:
            if name in self.errors:
                # ErrorList items are messages (str), whatever the stubs say.
                summary.append((self.first_error_anchor(name), str(self.fields[name].label), str(self.errors[name][0])))
        return summary


class HelplineRowForm(forms.ModelForm[Helpline]):
    # A website typed without a scheme is https (Django 6's default, chosen now).
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    source_url = forms.URLField(label=_("source"), assume_scheme="https")

    class Meta:
        model = Helpline
        fields = ["country", "name", "phone", "website", "hours", "languages", "language", "source_url"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("phone") and not data.get("website"):
            raise forms.ValidationError(_("Give a phone number or a website."))
        return data


class HelplineImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: country (ISO code such as FR), name, phone, website, hours, languages, language, source_url."
        ),
    )

    def clean_file(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        # FileField has already refused an empty (size 0 or unknown) upload.
        if (upload.size or 0) > 1024 * 1024:
            raise forms.ValidationError(_("The file is too large: keep it under 1 MB."))
        content: bytes = upload.read()
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as CSV in UTF-8 and try again.")) from None
