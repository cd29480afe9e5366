"""The secretariat's pages: one tree under /xx/secretariat/, mounted once from cop_site.urls.

Each area keeps its URL namespace (`authoring:`, `monitoring:`, `moderation:`, `exports:`,
`document_admin:`) and lives beside the code it serves. No two areas share a path prefix
that a slug could fall into, so their order here does not matter. Every page shows the same
navigation (templates/secretariat/includes/nav.html).
"""

from django.urls import include, path

urlpatterns = [
    path("", include("consultations.authoring.urls")),
    path("", include("reports.statistics.secretariat_urls")),
    path("", include("reports.documents.secretariat_urls")),
]
