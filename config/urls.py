from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("earlyhelp.pages.urls")),
    path("", include("earlyhelp.accounts.urls")),
    path("", include("earlyhelp.cases.urls")),
    path("", include("earlyhelp.cases.import_urls")),
    path("", include("earlyhelp.standards.urls")),
    path("", include("earlyhelp.audits.list_urls")),
    path("", include("earlyhelp.audits.escalation_urls")),
    path("", include("earlyhelp.audits.feedback_urls")),
    path("", include("earlyhelp.sampling.urls")),
    path("", include("earlyhelp.sampling.drift_urls")),
    path("", include("earlyhelp.learning.urls")),
    path("", include("earlyhelp.learning.action_urls")),
    path("", include("earlyhelp.learning.findings_urls")),
    path("", include("earlyhelp.learning.recommendation_urls")),
    path("", include("earlyhelp.voice.closure_urls")),
    path("", include("earlyhelp.voice.invitation_urls")),
    path("", include("earlyhelp.voice.public_urls")),
    path("", include("earlyhelp.voice.staff_survey_urls")),
    path("", include("earlyhelp.voice.results_urls")),
    path("", include("earlyhelp.core.notification_urls")),
    path("", include("earlyhelp.reports.urls")),
    path("", include("earlyhelp.reports.export_urls")),
    path("", include("earlyhelp.reports.performance_urls")),
    path("", include("earlyhelp.reports.dashboard_urls")),
    # Last of the audit addresses: its section page, audits/<pk>/<slug>/, would otherwise answer
    # for every other audits/<pk>/<word>/ address (themes, share, respond).
    path("", include("earlyhelp.audits.urls")),
    path("admin/", admin.site.urls),
]
