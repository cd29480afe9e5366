from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from cop_site.health import health


def ping(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. No database, no cache; also the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("ping", ping, name="ping"), path("health", health, name="health")]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("secretariat/", include("consultations.monitoring_urls")),
    path("secretariat/", include("consultations.authoring_urls")),
    path("secretariat/", include("reports.export_urls")),
    path("secretariat/", include("reports.moderation_urls")),
    path("secretariat/", include("reports.document_admin_urls")),
    path("", include("reports.subscription_urls")),
    path("", include("reports.document_urls")),
    path("", include("reports.urls")),
    path("", include("consultations.urls")),
)
