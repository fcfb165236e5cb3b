"""Addresses of the quarterly report's files: /reports/7/report.pdf, .docx and .xlsx."""

from django.urls import path

from .export_views import report_download

urlpatterns = [
    path("reports/<int:pk>/report.<str:extension>", report_download, name="report-download"),
]
