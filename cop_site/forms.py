"""What every form of the site shares."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField


class ErrorSummaryMixin:
    """GOV.UK's error summary: every error of the form, each linking to its field."""

    def error_anchor(self: Any, name: str) -> str:
        """The id a field's errors link to: a radio or checkbox group's first option, else the field."""
        bound: BoundField = self[name]
        if isinstance(bound.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
            return f"{bound.auto_id}_0"
        return bound.auto_id

    def error_label(self: Any, name: str) -> str:
        """How the summary names a field."""
        return str(self.fields[name].label)

    def error_summary(self: Any) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for each error, as includes/error_summary.html expects."""
        summary = [
            (self.error_anchor(name), self.error_label(name), str(error))
            for name in self.fields
            for error in self.errors.get(name, [])
        ]
        # Errors about the form as a whole link to the top of the form.
        summary += [("", "", str(error)) for error in self.non_field_errors()]
        return summary
