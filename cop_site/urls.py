from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from cop_site.health import health


def ping(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no cache; also the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns: list[URLPattern | URLResolver] = [path("ping", ping, name="ping"), path("health", health, name="health")]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("secretariat/", include("cop_site.secretariat_urls")),
    path("", include("reports.documents.urls")),
    path("", include("reports.statistics.urls")),
    path("", include("consultations.urls")),
)
