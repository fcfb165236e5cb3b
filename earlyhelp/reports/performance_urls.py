"""Addresses of the performance data."""

from django.urls import path

from . import performance_views as views

urlpatterns = [
    path("performance/", views.index, name="performance"),
    path(
        "performance/download/<str:file_format>/",
        views.download,
        name="performance-download",
    ),
]
