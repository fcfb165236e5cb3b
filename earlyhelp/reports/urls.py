"""Addresses of the quarterly report."""

from django.urls import path

from . import report_views as views

urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path("reports/new/", views.report_new, name="report-new"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/narrative/", views.report_narrative, name="report-narrative"),
    path("reports/<int:pk>/publish/", views.report_publish, name="report-publish"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report-correct"),
]
