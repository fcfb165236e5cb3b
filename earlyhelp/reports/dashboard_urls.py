"""Addresses of the dashboard."""

from django.urls import path

from . import dashboard_views as views

urlpatterns = [
    path("dashboard/", views.index, name="dashboard"),
]
