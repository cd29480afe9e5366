from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.urls import reverse
from django.utils.translation import get_language_info, gettext_lazy

from consultations.translation import text_in

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from consultations.models import Consultation, Meeting

register = template.Library()


@register.filter
def text_for(value: Any, language: str) -> str:
    """A text in the reader's language, else in English, else in any language written."""
    if not isinstance(value, dict):
        return ""
    return (
        text_in(value, language)
        or text_in(value, "en")
        or next((text for code in value if (text := text_in(value, code))), "")
    )


@register.filter
def title_for(consultation: Consultation, language: str) -> str:
    return consultation.title_for_viewer(language)


@register.filter
def meeting_name(meeting: Meeting | None, language: str) -> str:
    return meeting.display_name(language) if meeting else ""


@register.filter
def language_dir(code: str) -> str:
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


# The secretariat's one navigation (templates/secretariat/base.html). Each area is named by
# the URL namespaces (or namespace:name) of its pages; the link of the page being shown is
# marked aria-current="page", that of the area it belongs to aria-current="true".
_AREAS: list[tuple[str, StrOrPromise, tuple[str, ...]]] = [
    ("authoring:consultations", gettext_lazy("Consultations"), ("authoring", "monitoring", "moderation", "exports")),
    (
        "authoring:meetings",
        gettext_lazy("Meetings"),
        ("authoring:meetings", "authoring:meeting_create", "authoring:meeting_edit"),
    ),
    ("document_admin:documents", gettext_lazy("Documents"), ("document_admin",)),
    ("accounts:invitations", gettext_lazy("Invite people"), ("accounts:invitations",)),
    ("accounts:dashboard", gettext_lazy("Your account"), ("accounts:dashboard",)),
    ("account_logout", gettext_lazy("Sign out"), ()),
]


def _view_name(request: Any) -> tuple[str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    return match.namespace, f"{match.namespace}:{match.url_name}"


def _aria_current(url: str, request: Any, in_area: bool) -> str:
    if request is not None and url == request.path:
        return "page"
    return "true" if in_area else ""


@register.inclusion_tag("secretariat/includes/nav.html", takes_context=True)
def secretariat_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    namespace, name = _view_name(request)
    # The most specific area wins: a meeting page is in "Meetings", not "Consultations".
    area = next((view for view, _label, names in _AREAS if name in names), None)
    area = area or next((view for view, _label, names in _AREAS if namespace and namespace in names), None)
    links = []
    for view, label, _names in _AREAS:
        url = reverse(view)
        links.append({"url": url, "label": label, "current": _aria_current(url, request, view == area)})
    return {"links": links}


@register.inclusion_tag("secretariat/includes/consultation_nav.html", takes_context=True)
def consultation_nav(context: template.Context, consultation: Any) -> dict[str, Any]:
    """The pages about one consultation: Overview, Monitoring, Quotes, exports, releases, public results."""
    request = context.get("request")
    namespace, _name = _view_name(request)
    pages = [
        ("authoring:consultation", gettext_lazy("Overview"), namespace == "authoring"),
        ("monitoring:consultation", gettext_lazy("Monitoring"), False),
        ("moderation:quotes", gettext_lazy("Quotes"), False),
        ("exports:consultation", gettext_lazy("Record-level exports"), False),
        ("releases:consultation", gettext_lazy("Releases"), False),
        ("reports:results", gettext_lazy("Results (public)"), False),
    ]
    links = []
    for view, label, in_section in pages:
        url = reverse(view, args=[consultation.slug])
        links.append({"url": url, "label": label, "current": _aria_current(url, request, in_section)})
    return {"links": links}
