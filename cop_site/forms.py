"""What every form of the site shares."""

from __future__ import annotations

from typing import Any


class ErrorSummaryMixin:
    """GOV.UK's error summary: every error of the form, each linking to its field."""

    def error_summary(self: Any) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for each error, as includes/error_summary.html expects."""
        summary = [
            (self[name].auto_id, str(self.fields[name].label), str(error))
            for name in self.fields
            for error in self.errors.get(name, [])
        ]
        # Errors about the form as a whole link to the top of the form.
        summary += [("", "", str(error)) for error in self.non_field_errors()]
        return summary
