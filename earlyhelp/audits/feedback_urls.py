"""Feedback to practitioners. The list is /audits/feedback/ (/feedback/ is the families' own
start page, the short link their letters print).

Sharing and responding sit one level below the audit's address (/audits/<pk>/feedback/…): the
audit URLs' /audits/<pk>/<section>/ pattern, included before these, would otherwise take
/audits/<pk>/share/ as the name of an audit section.
"""

from django.urls import path

from . import feedback_views

app_name = "feedback"

urlpatterns = [
    path("audits/feedback/", feedback_views.feedback_list, name="list"),
    path("audits/<int:pk>/feedback/share/", feedback_views.share, name="share"),
    path("audits/<int:pk>/feedback/respond/", feedback_views.respond, name="respond"),
]
